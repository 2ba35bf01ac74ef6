#pragma once
// Loopback TCP sockets for the lab endpoints. Labs never leave 127.0.0.0/8
// or ::1 (or the lab's own network namespaces, LabNetns.hpp): every address
// is checked before use.
#include <cstdint>
#include <string>

namespace tlslab::endpoints {

// Owns a file descriptor; closes it on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();
  int get() const { return fd_; }
  int release();
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

bool isLoopbackAddress(const std::string& address);

struct Listener {
  Fd fd;
  std::uint16_t port = 0;  // the port actually bound (useful with port 0)
  std::string error;
};
Listener listenOn(const std::string& address, std::uint16_t port);

struct Connection {
  Fd fd;
  std::string error;
  int socketErrno = 0;  // socket() failed with this (EMFILE: out of descriptors, not a server problem)
};
// `maxSegment` > 0 sets TCP_MAXSEG before the SYN, so it is the MSS this end
// announces and uses (both directions then segment at most that much).
Connection connectTo(const std::string& address, std::uint16_t port, int timeoutMs, int maxSegment = 0);

// OpenSSL writes to sockets with write(2); a peer that hung up would kill the
// whole process with SIGPIPE (a lab's broken connection is a lesson, not a
// crash), so endpoints ignore SIGPIPE once and see EPIPE instead.
void ignoreSigpipe();

// Read/write timeouts so a silent peer can never hang a lab.
void setIoTimeout(int fd, int timeoutMs);
// Lab endpoints write whole records; Nagle would hold a small record back
// until the peer's delayed ACK (~40 ms), which distorts every timing a
// student reads off the ladder.
void setNoDelay(int fd);
std::string peerName(int fd);
// The local address (no port) and port of a connected socket.
std::string localAddress(int fd);
std::uint16_t localPort(int fd);

}  // namespace tlslab::endpoints
