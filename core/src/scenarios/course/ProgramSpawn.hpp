#pragma once
// Internal to Program.cpp: starting a child process in its own process group
// with piped stdio and, when asked, a private /etc/hosts; collecting its
// output under a bound. Everything the child does between fork and exec is a
// plain system call (the checker is multithreaded: no malloc after fork).
#include <sys/types.h>

#include <chrono>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tlslab/scenarios/course/Program.hpp"

namespace tlslab::course::detail {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }
  int get() const { return fd_; }
  int release();
  void reset(int fd = -1);
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// A started child. The destructor kills the whole group and reaps it.
class Child {
 public:
  // Starts `spec` with `method` (MountNamespace/UserNamespace: bind
  // `hostsFile` over /etc/hosts first). On failure returns a Child that is
  // not running, with `error` set.
  static Child spawn(const ProgramSpec& spec, HostsMethod method, const std::string& hostsFile);
  Child() = default;
  Child(Child&& other) noexcept;
  Child& operator=(Child&& other) noexcept;
  ~Child();

  bool started() const { return pid_ > 0; }
  const std::string& error() const { return error_; }
  pid_t pid() const { return pid_; }
  // The child has ended (it stays a zombie until reap(), so its group id cannot be reused).
  bool hasExited();
  void signalGroup(int sig);
  // Kills what is left of its group, then reaps the child: the wait status.
  int reap();

  UniqueFd in, out, err;

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string error_;
};

// Bounded output of one stream: the first `limit` bytes, the rest counted.
struct BoundedText {
  std::string text;
  std::size_t limit = 0;
  std::size_t dropped = 0;
  void append(const char* data, std::size_t n);
};

// Moves spec.stdinText in (then closes stdin, unless spec.keepStdinOpen) and output out until both output pipes reach EOF, the
// child has exited and `grace` has passed with pipes still open (a leftover
// grandchild), or `deadline`. Returns true when it stopped at the deadline.
// `stop` (may be null) ends the loop early when it becomes true.
bool pumpChild(Child& child, const ProgramSpec& spec, BoundedText& out, BoundedText& err,
               std::chrono::steady_clock::time_point deadline, const std::atomic<bool>* stop = nullptr);

// Something listens on address:port (a server's socket, found in /proc/net/tcp*).
bool somethingListens(const std::string& address, std::uint16_t port);

// Resolves argv[0] as execvp would (PATH when it has no '/', else relative to
// `cwd`); "" and `why` set when it is missing or cannot be run.
std::string findExecutable(const std::string& name, const std::string& cwd, std::string& why);

}  // namespace tlslab::course::detail
