#pragma once
// The 0-RTT replay attacker (RFC 8446 §8): it recorded a client's first
// flight — ClientHello and early-data records, sent before the client read a
// byte from the server — and sends the same bytes again on a new connection.
// It has no key: it reads what the server answers for a moment and hangs up,
// never able to finish the handshake. Whatever the server's application took
// from the early data before that, it took twice.
#include <cstdint>
#include <string>
#include <vector>

#include "tlslab/endpoints/Events.hpp"
#include "tlslab/endpoints/RunPcapng.hpp"

namespace tlslab::endpoints {

// The bytes a client wrote before it read any from the peer, joined: its
// first flight as the wire tap saw it (from a ClientRun's events).
Bytes firstFlight(const std::vector<Event>& clientEvents);

struct ReplayResult {
  TcpPeers peers;        // the replayer's connection
  Bytes sent;            // what it replayed, byte for byte
  Bytes answer;          // what the server sent back before the replayer hung up
  std::string error;     // could not connect or write ("" otherwise)
  std::vector<Event> events;  // its wire writes and reads
};

// Connects to address:port (loopback), writes `flight` in one write, reads
// what comes back until the server is quiet for `listenMs` (or closes), and
// closes the connection.
ReplayResult replayFlight(const std::string& address, std::uint16_t port, ByteView flight, int listenMs = 300);

}  // namespace tlslab::endpoints
