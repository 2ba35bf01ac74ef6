#include "tlslab/endpoints/Replay.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "Socket.hpp"

namespace tlslab::endpoints {

Bytes firstFlight(const std::vector<Event>& clientEvents) {
  Bytes flight;
  for (const auto& event : clientEvents) {
    const auto* wire = std::get_if<WireEvent>(&event);
    if (wire == nullptr) continue;
    if (!wire->sent) break;  // the server's first answer: the flight is over
    flight.insert(flight.end(), wire->bytes.begin(), wire->bytes.end());
  }
  return flight;
}

ReplayResult replayFlight(const std::string& address, std::uint16_t port, ByteView flight, int listenMs) {
  ReplayResult result;
  ignoreSigpipe();
  Connection conn = connectTo(address, port, 2000);
  if (!conn.fd) {
    result.error = conn.error;
    return result;
  }
  const int fd = conn.fd.get();
  result.peers = TcpPeers{localAddress(fd), localPort(fd), address, port};
  setNoDelay(fd);
  std::size_t written = 0;
  while (written < flight.size()) {
    const ssize_t n = ::send(fd, flight.data() + written, flight.size() - written, MSG_NOSIGNAL);
    if (n <= 0) {
      result.error = std::string("replaying failed: ") + std::strerror(errno);
      return result;
    }
    written += static_cast<std::size_t>(n);
  }
  result.sent.assign(flight.begin(), flight.end());
  result.events.push_back(WireEvent{nowUs(), true, result.sent});
  // Bounded: a server that keeps talking is cut off after 64 KiB.
  std::uint8_t buffer[16384];
  while (result.answer.size() < 64 * 1024) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, listenMs) <= 0) break;
    const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    result.answer.insert(result.answer.end(), buffer, buffer + n);
    result.events.push_back(WireEvent{nowUs(), false, Bytes(buffer, buffer + n)});
  }
  return result;  // the Fd closes: the replayer hangs up
}

}  // namespace tlslab::endpoints
