#pragma once
// Running a student's program (or a real client such as curl) for a check:
// a child process with its own argv, working folder and deadline, its output
// captured up to a bound, and — the textbook's /etc/hosts step — host names
// resolved to the lab's loopback addresses through a private hosts file:
// inside a private mount namespace (root), inside a user + mount namespace
// (unprivileged, where the kernel allows it), or, failing both, only when
// /etc/hosts already has the lines (the check then prints the lines to add).
// A program that crashes, hangs or prints nothing gets a verdict, never a
// hang of the checker.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tlslab/pki/Result.hpp"

namespace tlslab::course {

struct HostsEntry {
  std::string name;     // "bank32.com"
  std::string address;  // "127.0.0.66": loopback only
};

enum class HostsMethod {
  NotNeeded,       // no entries asked for
  MountNamespace,  // root: private mount namespace, a hosts file bound over /etc/hosts
  UserNamespace,   // unprivileged user + mount namespace, same bind
  SystemFile,      // /etc/hosts already maps every name as asked
  Unavailable,     // none of the above: `hostsProblem` gives the lines to add
};
const char* hostsMethodName(HostsMethod method);

// What this machine allows, probed once per effective uid (a child that tries
// each method): MountNamespace, UserNamespace or Unavailable. (SystemFile
// depends on the entries asked for: runProgram decides it per run.)
HostsMethod hostsMethodAvailable();
// "127.0.0.66 bank32.com" lines, as a student would add them to /etc/hosts.
std::string hostsLines(const std::vector<HostsEntry>& entries);

struct ProgramSpec {
  std::vector<std::string> argv;  // argv[0]: a path, or a name looked up in PATH
  std::filesystem::path cwd;      // "" = the current folder
  std::vector<HostsEntry> hosts;  // names the program must resolve to lab addresses
  std::vector<std::string> env;   // extra "NAME=value" entries
  std::chrono::milliseconds timeout{10000};
  std::size_t outputLimit = 256 * 1024;  // per stream; the rest is dropped and counted
  std::string stdinText;                 // written to its stdin, which is then closed
  // …or left open until the program ends, as a terminal would be: interactive
  // clients (gnutls-cli) stop reading the connection at stdin's EOF.
  bool keepStdinOpen = false;
  // stdio unbuffered (coreutils' `stdbuf -o0 -e0`, when installed): a program
  // killed at its deadline would otherwise lose what printf still held.
  bool unbufferedOutput = false;
};

struct ProgramResult {
  bool started = false;
  std::string startError;  // why it could not start ("no such file", hosts unavailable…)
  int exitCode = -1;       // when it exited normally
  int signal = 0;          // when a signal ended it (SIGSEGV…)
  bool timedOut = false;   // killed at the deadline
  std::string out, err;
  bool outputTruncated = false;
  std::size_t outDropped = 0, errDropped = 0;  // bytes past outputLimit, per stream
  bool stopped = false;    // BackgroundProgram::stop() ended it (its SIGTERM/SIGKILL is expected)
  HostsMethod hostsMethod = HostsMethod::NotNeeded;
  std::string hostsProblem;  // what to do when the hosts entries could not be applied
  double seconds = 0;
  bool exitedCleanly() const { return started && !timedOut && signal == 0 && exitCode == 0; }
  // "exited with status 2", "crashed with SIGSEGV (segmentation fault: …)",
  // "was still running after 10 s and was killed (a hang?)", "could not start: …";
  // ", printing nothing" when both streams stayed empty.
  std::string describe() const;
};

ProgramResult runProgram(const ProgramSpec& spec);

// A program that keeps running while the check talks to it (a student's server).
class BackgroundProgram {
 public:
  static pki::Result<std::unique_ptr<BackgroundProgram>> start(const ProgramSpec& spec);
  ~BackgroundProgram();  // stops it
  BackgroundProgram(const BackgroundProgram&) = delete;
  BackgroundProgram& operator=(const BackgroundProgram&) = delete;
  bool running();
  // Waits until something accepts TCP connections on address:port, or the program exits.
  bool waitForListener(const std::string& address, std::uint16_t port, std::chrono::milliseconds timeout);
  // SIGTERM, then SIGKILL after a grace period; returns what it printed and how it ended.
  ProgramResult stop();
  struct Impl;

 private:
  explicit BackgroundProgram(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Compiles one exercise source in `dir` with the system C compiler:
// cc -Wall -O1 -o PROGRAM SOURCE -lssl -lcrypto (what the workspace Makefile does).
ProgramResult buildExercise(const std::filesystem::path& dir, const std::string& source, const std::string& program);

}  // namespace tlslab::course
