#pragma once
// The resumption lab's comparison (tutorials/12-resumption.md): the full
// handshake and the abbreviated one that resumed its session, message by
// message side by side, and for each message the second one leaves out, why.
#include <string>
#include <vector>

#include "tlslab/model/Trace.hpp"

namespace tlslab::scenarios {

struct HandshakeRow {
  std::string full;     // "→ ClientHello" (client sent) or "← Certificate" (server sent); "" when absent
  std::string resumed;
  std::string note;     // why the resumed handshake has no such message ("" when both have it)
};

struct HandshakeComparison {
  std::string resumedBy;   // "a session ticket (RFC 5077)", "the session ID (RFC 5246 §7.3)", "a PSK (RFC 8446 §2.2)"; "" not resumed
  std::string keyExchange; // what the resumed handshake did about keys
  std::vector<HandshakeRow> rows;
  std::vector<std::string> notes;  // order and other differences
};

// `full` and `resumed` from one trace (a lab run or a capture); messages are
// the handshake messages and ChangeCipherSpec records, in wire order.
HandshakeComparison compareHandshakes(const model::TraceConnection& full, const model::TraceConnection& resumed);

}  // namespace tlslab::scenarios
