#pragma once
// Plays the peer of a line or HTTP service for a fuzz harness: the fuzz input
// is what the peer sends (then it half-closes), and whatever the service
// replies is read and thrown away, on threads of their own so neither side
// can block the other. The service side gets a real socket (a socketpair),
// the same Channel the lab endpoints use, and the usual 5 s socket timeouts
// never come into play because the input always ends in EOF.
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <thread>

namespace tlslab::fuzz {

class PeerBytes {
 public:
  PeerBytes(const std::uint8_t* data, std::size_t size) {
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_) != 0) __builtin_trap();
    writer_ = std::thread([this, data, size] {
      for (std::size_t at = 0; at < size;) {
        ssize_t n = ::send(fds_[1], data + at, size - at, MSG_NOSIGNAL);
        if (n <= 0) break;  // the service stopped reading and closed its end
        at += static_cast<std::size_t>(n);
      }
      ::shutdown(fds_[1], SHUT_WR);
    });
    reader_ = std::thread([this] {
      std::uint8_t sink[4096];
      while (::recv(fds_[1], sink, sizeof sink, 0) > 0) {
      }
    });
  }
  ~PeerBytes() {
    ::shutdown(fds_[0], SHUT_RDWR);  // the service is done: unblock the peer's threads
    writer_.join();
    reader_.join();
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  PeerBytes(const PeerBytes&) = delete;
  PeerBytes& operator=(const PeerBytes&) = delete;

  int serviceFd() const { return fds_[0]; }

 private:
  int fds_[2] = {-1, -1};
  std::thread writer_;
  std::thread reader_;
};

}  // namespace tlslab::fuzz
