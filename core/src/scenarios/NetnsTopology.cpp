// Why the `ip` command (iproute2, run with posix_spawn, no shell) rather than
// netlink through libmnl/libnl: the commands are exactly what a student types
// to build the same network by hand (the lab prints them), iproute2 is on
// every Linux that has network namespaces, and it spares ~300 lines of nested
// netlink attributes (a veth whose peer is born in another namespace) for one
// optional feature. The price, ~20 short processes (~50 ms), is paid once per run.
#include "tlslab/scenarios/NetnsTopology.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tlslab/endpoints/LabNetns.hpp"

extern char** environ;

namespace tlslab::scenarios {
namespace {

constexpr const char* kNetnsDir = "/run/netns";  // where `ip netns add` pins named namespaces
constexpr const char* kHostNames[] = {"victim", "attacker", "server"};

std::string findIp() {
  std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
  path += ":/usr/sbin:/sbin";  // a non-root PATH often lacks sbin
  std::stringstream dirs(path);
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (!dir.empty() && ::access((dir + "/ip").c_str(), X_OK) == 0) return dir + "/ip";
  return {};
}

// Runs `ip args...`; returns its exit code and what it printed.
int spawnIp(const std::string& ip, const std::vector<std::string>& args, std::string& output) {
  std::vector<char*> argv{const_cast<char*>("ip")};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int pipeFds[2];
  if (::pipe2(pipeFds, O_CLOEXEC) != 0) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 2);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, ip.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipeFds[1]);
  char buffer[512];
  for (ssize_t n; (n = ::read(pipeFds[0], buffer, sizeof(buffer))) > 0 || (n < 0 && errno == EINTR);)
    if (n > 0) output.append(buffer, static_cast<std::size_t>(n));
  ::close(pipeFds[0]);
  if (rc != 0) return -1;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string joined(const std::vector<std::string>& args) {
  std::string text = "ip";
  for (const auto& a : args) text += " " + a;
  return text;
}

// CAP_SYS_ADMIN (21: create and enter namespaces) and CAP_NET_ADMIN (12:
// veths and addresses) in the effective set, read from /proc: no libcap.
bool hasNetnsCapabilities() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("CapEff:", 0) == 0) {
      unsigned long long caps = std::strtoull(line.c_str() + 7, nullptr, 16);
      return (caps >> 21 & 1) && (caps >> 12 & 1);
    }
  return false;
}

// tlslab-<pid>-<n>-<host> of a tlslab that no longer runs (killed before its
// destructor could clean up): delete it, so namespaces never pile up.
void removeStale(const std::string& ip) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(kNetnsDir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("tlslab-", 0) != 0) continue;
    long pid = std::strtol(name.c_str() + 7, nullptr, 10);
    if (pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    std::string ignored;
    spawnIp(ip, {"netns", "delete", name}, ignored);
  }
}

}  // namespace

std::string NetnsTopology::unavailableReason() {
  if (!hasNetnsCapabilities())
    return "--netns builds three network namespaces joined by veth pairs, which needs root "
           "(CAP_SYS_ADMIN and CAP_NET_ADMIN): run it with sudo, or leave out --netns to run on loopback";
  if (findIp().empty()) return "--netns needs the `ip` command (package iproute2)";
  return {};
}

std::string NetnsTopology::run(const std::vector<std::string>& args) {
  commands_.push_back(joined(args));
  std::string output;
  int code = spawnIp(findIp(), args, output);
  while (!output.empty() && output.back() == '\n') output.pop_back();
  return code == 0 ? "" : "`" + commands_.back() + "` failed: " + (output.empty() ? "exit " + std::to_string(code) : output);
}

pki::Result<std::unique_ptr<NetnsTopology>> NetnsTopology::create() {
  using R = pki::Result<std::unique_ptr<NetnsTopology>>;
  if (auto why = unavailableReason(); !why.empty()) return R::failure(why);
  removeStale(findIp());
  static std::atomic<int> counter{0};
  std::string prefix = "tlslab-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-";
  std::unique_ptr<NetnsTopology> t(new NetnsTopology);  // from here on its destructor cleans up
  for (std::size_t i = 0; i < 3; ++i) {
    if (auto err = t->run({"netns", "add", prefix + kHostNames[i]}); !err.empty()) return R::failure(err);
    t->names_[i] = prefix + kHostNames[i];
    std::string pin = std::string(kNetnsDir) + "/" + t->names_[i];
    t->fds_[i] = ::open(pin.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (t->fds_[i] < 0 || ::fstat(t->fds_[i], &st) != 0) return R::failure("cannot open " + pin + ": " + std::strerror(errno));
    t->inodes_[i] = st.st_ino;
    endpoints::registerLabNetns(st.st_ino);
  }
  const std::string& v = t->names_[0];
  const std::string& a = t->names_[1];
  const std::string& s = t->names_[2];
  // Each veth pair is born with its ends already in the two namespaces: it never exists on the host.
  const std::vector<std::vector<std::string>> steps = {
      {"-n", v, "link", "add", "to-attacker", "type", "veth", "peer", "name", "to-victim", "netns", a},
      {"-n", a, "link", "add", "to-server", "type", "veth", "peer", "name", "to-attacker", "netns", s},
      {"-n", v, "address", "add", std::string(kVictimAddress) + "/24", "dev", "to-attacker"},
      {"-n", a, "address", "add", std::string(kAttackerFrontAddress) + "/24", "dev", "to-victim"},
      {"-n", a, "address", "add", std::string(kAttackerBackAddress) + "/24", "dev", "to-server"},
      {"-n", s, "address", "add", std::string(kServerAddress) + "/24", "dev", "to-attacker"},
      {"-n", v, "link", "set", "lo", "up"},
      {"-n", a, "link", "set", "lo", "up"},
      {"-n", s, "link", "set", "lo", "up"},
      {"-n", v, "link", "set", "to-attacker", "up"},
      {"-n", a, "link", "set", "to-victim", "up"},
      {"-n", a, "link", "set", "to-server", "up"},
      {"-n", s, "link", "set", "to-attacker", "up"},
  };
  for (const auto& step : steps)
    if (auto err = t->run(step); !err.empty()) return R::failure(err);
  return R::success(std::move(t));
}

NetnsTopology::~NetnsTopology() {
  for (std::size_t i = 0; i < 3; ++i) {
    if (inodes_[i] != 0) endpoints::unregisterLabNetns(inodes_[i]);
    if (fds_[i] >= 0) ::close(fds_[i]);
    if (names_[i].empty()) continue;
    std::string ignored;  // nothing sensible to do if it fails; the next create() retries (removeStale)
    spawnIp(findIp(), {"netns", "delete", names_[i]}, ignored);
  }
}

NetnsTopology::Scope::Scope(const NetnsTopology& topology, Host host) {
  home_ = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (home_ < 0) {
    error_ = std::string("cannot open this thread's network namespace: ") + std::strerror(errno);
  } else if (::setns(topology.fds_[index(host)], CLONE_NEWNET) != 0) {
    error_ = "cannot enter " + topology.name(host) + ": " + std::strerror(errno);
    ::close(home_);
    home_ = -1;
  }
}

NetnsTopology::Scope::~Scope() {
  if (home_ < 0) return;
  // A thread left in a lab namespace would quietly put every later socket
  // there; that cannot be carried on from.
  if (::setns(home_, CLONE_NEWNET) != 0) {
    std::fprintf(stderr, "tlslab: cannot leave the lab network namespace: %s\n", std::strerror(errno));
    std::abort();
  }
  ::close(home_);
}

}  // namespace tlslab::scenarios
