// The textbook's /etc/hosts step for a checked program: which way this
// machine allows, the private hosts file, and the lines a student adds by
// hand when no namespace is available.
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "ProgramHosts.hpp"
#include "ProgramSpawn.hpp"

namespace tlslab::course {

const char* hostsMethodName(HostsMethod method) {
  switch (method) {
    case HostsMethod::NotNeeded: return "not needed";
    case HostsMethod::MountNamespace: return "private mount namespace";
    case HostsMethod::UserNamespace: return "user + mount namespace";
    case HostsMethod::SystemFile: return "the system's /etc/hosts";
    case HostsMethod::Unavailable: return "unavailable";
    default: return "unknown";
  }
}

std::string hostsLines(const std::vector<HostsEntry>& entries) {
  std::string lines;
  for (const auto& entry : entries) lines += entry.address + " " + entry.name + "\n";
  return lines;
}

namespace detail {
namespace {

bool isLoopback(const std::string& address) {
  in_addr v4{};
  if (::inet_pton(AF_INET, address.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return ::inet_pton(AF_INET6, address.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

bool isHostName(const std::string& name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.front() == '-') return false;
  return name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") ==
         std::string::npos;
}

bool sameFamily(const std::string& a, const std::string& b) {
  return (a.find(':') == std::string::npos) == (b.find(':') == std::string::npos);
}

std::string canonical(const std::string& address) {
  unsigned char bytes[16];
  char text[INET6_ADDRSTRLEN];
  int family = address.find(':') == std::string::npos ? AF_INET : AF_INET6;
  if (::inet_pton(family, address.c_str(), bytes) != 1 || !::inet_ntop(family, bytes, text, sizeof(text))) return address;
  return text;
}

// Tries the namespace way in a throwaway child; true when the bind worked.
bool probe(HostsMethod method) {
  std::string uidMap = std::to_string(::geteuid()) + " " + std::to_string(::geteuid()) + " 1\n";
  std::string gidMap = std::to_string(::getegid()) + " " + std::to_string(::getegid()) + " 1\n";
  pid_t pid = ::fork();
  if (pid < 0) return false;
  if (pid == 0) {
    int flags = method == HostsMethod::MountNamespace ? CLONE_NEWNS : CLONE_NEWUSER | CLONE_NEWNS;
    ::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);  // as in ProgramSpawn.cpp: /proc/self must stay ours
    if (::unshare(flags) != 0) ::_exit(1);
    if (method == HostsMethod::UserNamespace) {
      for (auto [file, text] : {std::pair{"/proc/self/setgroups", "deny"}, std::pair{"/proc/self/uid_map", uidMap.c_str()},
                                std::pair{"/proc/self/gid_map", gidMap.c_str()}}) {
        int fd = ::open(file, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || ::write(fd, text, std::strlen(text)) < 0) ::_exit(2);
        ::close(fd);
      }
    }
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) ::_exit(3);
    // Binding the file over itself tests the same permission without a temp file.
    if (::mount("/etc/hosts", "/etc/hosts", nullptr, MS_BIND, nullptr) != 0) ::_exit(4);
    ::_exit(0);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string readSystemHosts() {
  std::ifstream in("/etc/hosts");
  std::stringstream text;
  text << in.rdbuf();
  return text.str().substr(0, 1 << 20);
}

}  // namespace

std::string checkHostsEntries(const std::vector<HostsEntry>& entries) {
  for (const auto& entry : entries) {
    if (!isHostName(entry.name)) return "hosts entry '" + entry.name + "' is not a host name (letters, digits, '.', '-')";
    if (!isLoopback(entry.address))
      return "hosts entry " + entry.name + " -> " + entry.address +
             " refused: the lab maps names to loopback addresses only (127.0.0.0/8, ::1)";
  }
  return {};
}

std::string privateHostsText(const std::vector<HostsEntry>& entries) {
  return "# tlslab: the private hosts file of one checked program (the real /etc/hosts is untouched)\n"
         "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n" +
         hostsLines(entries);
}

bool hostsFileMaps(const std::string& hostsText, const std::vector<HostsEntry>& entries) {
  for (const auto& entry : entries) {
    bool answered = false;
    std::istringstream lines(hostsText);
    std::string line;
    while (!answered && std::getline(lines, line)) {
      line = line.substr(0, line.find('#'));
      std::istringstream words(line);
      std::string address, name;
      if (!(words >> address) || !sameFamily(address, entry.address)) continue;
      while (words >> name) {
        if (strcasecmp(name.c_str(), entry.name.c_str()) != 0) continue;
        if (canonical(address) != canonical(entry.address)) return false;  // the first line naming it wins
        answered = true;
        break;
      }
    }
    if (!answered) return false;
  }
  return true;
}

HostsPlan::~HostsPlan() { removeFile(); }

void HostsPlan::removeFile() {
  if (!file.empty()) ::unlink(file.c_str());
  file.clear();
}

void planHosts(const std::vector<HostsEntry>& entries, HostsPlan& plan) {
  if (entries.empty()) return;
  if (plan.error = checkHostsEntries(entries); !plan.error.empty()) return;
  HostsMethod available = hostsMethodAvailable();
  if (available == HostsMethod::MountNamespace || available == HostsMethod::UserNamespace) {
    std::error_code ec;
    std::string pattern = (std::filesystem::temp_directory_path(ec) / "tlslab-hosts-XXXXXX").string();
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
      plan.error = "cannot write a private hosts file in " + pattern + ": " + std::strerror(errno);
      return;
    }
    std::string text = privateHostsText(entries);
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::fchmod(fd, 0644);  // the program may run under another uid than the file's owner
    ::close(fd);
    plan.file = pattern;
    if (!ok) {
      plan.error = "cannot write the private hosts file " + pattern;
      return;
    }
    plan.method = available;
    return;
  }
  if (hostsFileMaps(readSystemHosts(), entries)) {
    plan.method = HostsMethod::SystemFile;
    return;
  }
  plan.method = HostsMethod::Unavailable;
  plan.problem = hostsLines(entries);
  plan.error = "cannot make the lab's host names resolve for this program: no private mount namespace (needs root) "
               "or user namespace here, and /etc/hosts does not map them as needed";
}

}  // namespace detail

HostsMethod hostsMethodAvailable() {
  // Probed once per effective uid (a test may drop privileges in a child).
  static std::mutex mutex;
  static uid_t probedFor = static_cast<uid_t>(-1);
  static HostsMethod cached = HostsMethod::Unavailable;
  std::lock_guard lock(mutex);
  if (probedFor != ::geteuid()) {
    cached = detail::probe(HostsMethod::MountNamespace)  ? HostsMethod::MountNamespace
             : detail::probe(HostsMethod::UserNamespace) ? HostsMethod::UserNamespace
                                                         : HostsMethod::Unavailable;
    probedFor = ::geteuid();
  }
  return cached;
}

}  // namespace tlslab::course
