#pragma once
// Handshake round trips of one connection, computed once in core so every
// view agrees (the GUI ladder brackets them, the CLI prints "handshake:
// 2-RTT"), as Wireshark computes its sequence diagrams outside the UI
// (epan/sequence_analysis.h).
#include <vector>

#include "tlslab/model/Trace.hpp"

namespace tlslab::model {

struct HandshakeRoundTrips {
  // Client flights answered by a server flight: TLS 1.3 is 1-RTT, with a
  // HelloRetryRequest 2-RTT, a full TLS 1.2 handshake 2-RTT, a resumed one
  // 1-RTT. 0 when the handshake was not seen to end (records not
  // decrypted, a failed handshake).
  int count = 0;
  // Per record (indexed like TraceConnection::records): the round trip it
  // belongs to (1-based), 0 for the client's final flight and after.
  std::vector<int> ofRecord;
};

HandshakeRoundTrips handshakeRoundTrips(const TraceConnection& conn);

}  // namespace tlslab::model
