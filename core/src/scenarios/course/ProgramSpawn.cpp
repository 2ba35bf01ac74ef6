#include "ProgramSpawn.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>

extern char** environ;

namespace tlslab::course::detail {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) reset(other.release());
  return *this;
}

int UniqueFd::release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

namespace {

// What the child reports through the status pipe when a step before exec fails.
enum Stage : int { kStdio = 1, kUnshare, kIdentityMap, kPrivateRoot, kBindHosts, kChdir, kExec };

const char* stageText(int stage) {
  switch (stage) {
    case kStdio: return "cannot set up its stdin/stdout/stderr";
    case kUnshare: return "cannot enter a private mount namespace (unshare)";
    case kIdentityMap: return "cannot map its user and group into the user namespace";
    case kPrivateRoot: return "cannot make the mount namespace private";
    case kBindHosts: return "cannot bind the private hosts file over /etc/hosts";
    case kChdir: return "cannot enter its working folder";
    case kExec: return "exec failed";
    default: return "failed before exec";
  }
}

struct ChildReport {
  int stage = 0;
  int error = 0;
};

[[noreturn]] void failInChild(int statusFd, int stage) {
  ChildReport report{stage, errno};
  [[maybe_unused]] auto n = ::write(statusFd, &report, sizeof(report));
  ::_exit(127);
}

bool writeProcFile(const char* path, const std::string& text) {
  int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return ok;
}

// Closes every descriptor above stderr except `keep` (close_range where the
// kernel has it, else one by one up to the soft limit).
void closeInheritedFds(int keep) {
  if (keep > 3 && ::syscall(SYS_close_range, 3u, static_cast<unsigned>(keep - 1), 0u) != 0 && errno == ENOSYS) {
    for (int fd = 3; fd < keep; ++fd) ::close(fd);
  }
  if (::syscall(SYS_close_range, static_cast<unsigned>(keep + 1), ~0u, 0u) == 0) return;
  rlimit limit{};
  rlim_t top = ::getrlimit(RLIMIT_NOFILE, &limit) == 0 ? std::min<rlim_t>(limit.rlim_cur, 1 << 16) : 1024;
  for (int fd = keep + 1; fd < static_cast<int>(top); ++fd) ::close(fd);
}

// The textbook's /etc/hosts step, inside a namespace only this child sees.
void applyPrivateHosts(HostsMethod method, const char* hostsFile, const std::string& uidMap,
                       const std::string& gidMap, int statusFd) {
  if (method == HostsMethod::MountNamespace) {
    if (::unshare(CLONE_NEWNS) != 0) failInChild(statusFd, kUnshare);
  } else {
    // A process that changed its uids without exec is not dumpable, and its /proc/self files then
    // belong to root: the maps below could not be written.
    ::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) failInChild(statusFd, kUnshare);
    // An unprivileged process may map only its own ids, and only after giving up setgroups.
    if (!writeProcFile("/proc/self/setgroups", "deny") || !writeProcFile("/proc/self/uid_map", uidMap) ||
        !writeProcFile("/proc/self/gid_map", gidMap))
      failInChild(statusFd, kIdentityMap);
  }
  // Without this a shared / (systemd's default) would carry the bind back to the real system.
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) failInChild(statusFd, kPrivateRoot);
  if (::mount(hostsFile, "/etc/hosts", nullptr, MS_BIND, nullptr) != 0) failInChild(statusFd, kBindHosts);
}

std::vector<std::string> childEnvironment(const std::vector<std::string>& extra) {
  std::map<std::string, std::string> byName;
  std::vector<std::string> order;
  auto add = [&](const std::string& entry) {
    std::string name = entry.substr(0, entry.find('='));
    if (!byName.count(name)) order.push_back(name);
    byName[name] = entry;
  };
  for (char** e = environ; e && *e; ++e) add(*e);
  for (const auto& entry : extra) add(entry);
  std::vector<std::string> env;
  for (const auto& name : order) env.push_back(byName[name]);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> p;
  for (auto& s : strings) p.push_back(s.data());
  p.push_back(nullptr);
  return p;
}

bool makePipe(UniqueFd& readEnd, UniqueFd& writeEnd) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  readEnd.reset(fds[0]);
  writeEnd.reset(fds[1]);
  return true;
}

}  // namespace

Child::Child(Child&& other) noexcept
    : in(std::move(other.in)),
      out(std::move(other.out)),
      err(std::move(other.err)),
      pid_(other.pid_),
      reaped_(other.reaped_),
      status_(other.status_),
      error_(std::move(other.error_)) {
  other.pid_ = -1;
}

Child& Child::operator=(Child&& other) noexcept {
  if (this == &other) return *this;
  if (pid_ > 0 && !reaped_) reap();
  in = std::move(other.in);
  out = std::move(other.out);
  err = std::move(other.err);
  pid_ = other.pid_;
  reaped_ = other.reaped_;
  status_ = other.status_;
  error_ = std::move(other.error_);
  other.pid_ = -1;
  return *this;
}

Child::~Child() {
  if (pid_ > 0 && !reaped_) reap();
}

Child Child::spawn(const ProgramSpec& spec, HostsMethod method, const std::string& hostsFile) {
  Child child;
  std::string cwd = spec.cwd.empty() ? std::string() : spec.cwd.string();
  std::string path = spec.argv.empty() ? std::string() : findExecutable(spec.argv[0], cwd, child.error_);
  if (path.empty()) return child;
  // Everything the child needs is built here: after fork it may not allocate.
  std::vector<std::string> argv = spec.argv;
  if (spec.unbufferedOutput) {
    std::string ignored;
    if (std::string stdbuf = findExecutable("stdbuf", cwd, ignored); !stdbuf.empty()) {
      argv[0] = path;  // stdbuf execs the program in its place: same process, same group
      argv.insert(argv.begin(), {stdbuf, "-o0", "-e0"});
      path = stdbuf;
    }
  }
  std::vector<std::string> env = childEnvironment(spec.env);
  std::vector<char*> argvPtrs = pointers(argv), envPtrs = pointers(env);
  std::string uidMap = std::to_string(::geteuid()) + " " + std::to_string(::geteuid()) + " 1\n";
  std::string gidMap = std::to_string(::getegid()) + " " + std::to_string(::getegid()) + " 1\n";
  bool privateHosts = method == HostsMethod::MountNamespace || method == HostsMethod::UserNamespace;

  UniqueFd inRead, inWrite, outRead, outWrite, errRead, errWrite, statusRead, statusWrite;
  UniqueFd devNull;
  if (!spec.stdinText.empty() || spec.keepStdinOpen) {
    if (!makePipe(inRead, inWrite)) child.error_ = "pipe: " + std::string(std::strerror(errno));
  } else {
    devNull.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  }
  if (!makePipe(outRead, outWrite) || !makePipe(errRead, errWrite) || !makePipe(statusRead, statusWrite))
    child.error_ = "pipe: " + std::string(std::strerror(errno));
  if (!child.error_.empty()) return child;
  int stdinFd = inRead ? inRead.get() : devNull.get();

  pid_t pid = ::fork();
  if (pid < 0) {
    child.error_ = "fork: " + std::string(std::strerror(errno));
    return child;
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    int status = statusWrite.get();
    if (::dup2(stdinFd, 0) < 0 || ::dup2(outWrite.get(), 1) < 0 || ::dup2(errWrite.get(), 2) < 0)
      failInChild(status, kStdio);
    closeInheritedFds(status);
    // A checker that ignores SIGPIPE or blocks signals must not pass that on.
    ::signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (privateHosts) applyPrivateHosts(method, hostsFile.c_str(), uidMap, gidMap, status);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) failInChild(status, kChdir);
    ::execve(path.c_str(), argvPtrs.data(), envPtrs.data());
    failInChild(status, kExec);
  }
  ::setpgid(pid, pid);  // also here: no race with a kill before the child ran
  child.pid_ = pid;
  statusWrite.reset();
  inRead.reset();
  outWrite.reset();
  errWrite.reset();
  // The status pipe closes on exec (CLOEXEC) or carries why the child gave up.
  ChildReport report;
  pollfd pfd{statusRead.get(), POLLIN, 0};
  ssize_t got = 0;
  if (::poll(&pfd, 1, 10000) > 0) {
    do got = ::read(statusRead.get(), &report, sizeof(report));
    while (got < 0 && errno == EINTR);
  } else {
    report = {kExec, ETIMEDOUT};
    got = sizeof(report);
  }
  if (got == static_cast<ssize_t>(sizeof(report))) {
    child.error_ = std::string(stageText(report.stage)) + ": " + std::strerror(report.error);
    if (report.stage == kChdir) child.error_ += " (" + cwd + ")";
    child.reap();
    child.pid_ = -1;
    return child;
  }
  child.in = std::move(inWrite);
  child.out = std::move(outRead);
  child.err = std::move(errRead);
  return child;
}

bool Child::hasExited() {
  if (pid_ <= 0 || reaped_) return true;
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return errno == ECHILD;
  return info.si_pid == pid_;
}

void Child::signalGroup(int sig) {
  if (pid_ > 0 && !reaped_) ::kill(-pid_, sig);
}

int Child::reap() {
  if (pid_ <= 0 || reaped_) return status_;
  // The leader is unreaped, so -pid_ is still its group: stragglers (forked
  // per-connection servers, a shell's children) go with it.
  ::kill(-pid_, SIGKILL);
  while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  return status_;
}

}  // namespace tlslab::course::detail
