#include "Relay.hpp"

#include <poll.h>

#include "ClientSession.hpp"

namespace tlslab::endpoints {

namespace {

// Moves what is available from `from` to `to`: false when `from` closed or failed.
bool pump(Channel& from, Channel& to, std::string& error) {
  std::uint8_t buffer[16384];
  do {
    long n = from.readAvailable(buffer, sizeof(buffer));
    if (n == -2) return true;  // only handshake/ticket records: nothing to forward yet
    if (n == 0) return false;
    if (n < 0) {
      error = from.lastError();
      return false;
    }
    if (!to.write(ByteView(buffer, static_cast<std::size_t>(n)))) {
      error = to.lastError();
      return false;
    }
  } while (from.hasBufferedInput());
  return true;
}

}  // namespace

std::string runRelay(Channel& victim, int victimFd, const ClientConfig& upstream, Recorder& recorder, ClientRun& run) {
  ClientSession session(recorder);
  run.error = session.open(upstream, run);
  run.events = recorder.events();
  if (!run.error.empty()) return "the proxy could not reach the real server: " + run.error;
  run.handshakeOk = true;
  Channel& server = session.channel();
  std::string error;
  for (;;) {
    if (victim.hasBufferedInput() && !pump(victim, server, error)) break;
    if (server.hasBufferedInput() && !pump(server, victim, error)) break;
    pollfd fds[2] = {{victimFd, POLLIN, 0}, {session.fd(), POLLIN, 0}};
    int ready = ::poll(fds, 2, upstream.ioTimeoutMs);
    if (ready == 0) {
      error = "relay idle for " + std::to_string(upstream.ioTimeoutMs) + " ms";
      break;
    }
    if (ready < 0) break;
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) && !pump(victim, server, error)) break;
    if ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) && !pump(server, victim, error)) break;
  }
  server.close();
  run.events = recorder.events();
  run.dropped = recorder.dropped();
  run.scriptOk = error.empty();
  return error;
}

}  // namespace tlslab::endpoints
