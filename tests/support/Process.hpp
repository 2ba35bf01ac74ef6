#pragma once
// A program started in the background for a test (a server), killed and
// reaped when the object goes out of scope, so no test leaves one behind.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace tlslab::test {

class BackgroundProcess {
 public:
  // argv[0] is looked up in PATH; stdout+stderr go to a temporary log file.
  explicit BackgroundProcess(const std::vector<std::string>& argv);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  bool running();
  pid_t pid() const { return pid_; }
  std::string output() const;  // what it printed so far
  // Polls the output for `text` (e.g. a server's "listening" line).
  bool waitForOutput(const std::string& text, int timeoutMs);
  // Waits until it exits (after `timeoutMs`, kills it); returns the exit code or -1.
  int wait(int timeoutMs);

 private:
  pid_t pid_ = -1;
  int exitCode_ = -1;
  std::filesystem::path log_;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
std::uint16_t freeLoopbackPort();
// A UDP port on 127.0.0.1 that was free a moment ago (0 if none could be bound).
std::uint16_t freeLoopbackUdpPort();
// Whether `tool` is on the PATH (tests skip without the real program).
bool haveTool(const std::string& tool);
// Polls until something accepts TCP connections on 127.0.0.1:port.
bool waitForListener(std::uint16_t port, int timeoutMs);

}  // namespace tlslab::test
