#pragma once
// The expected handshake message flows in one table (STYLE practice 7), so a
// view can say "next the server should send ..." and flag a message that no
// known flow allows at that point. The tables follow RFC 5246 §7.3 (full),
// RFC 5246 §7.3 / RFC 5077 §3.1 (abbreviated), RFC 4279 §2 (PSK), RFC 8446 §2 (1-RTT, HRR §2.1,
// PSK §2.2, 0-RTT §2.3) and §4.6 (post-handshake messages).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tlslab/wire/HandshakeTypes.hpp"

namespace tlslab::wire {

// A step's kind: a handshake type (0..255) or one of these pseudo kinds.
constexpr int kFlowHelloRetryRequest = 0x106;  // a ServerHello with the HRR random
constexpr int kFlowChangeCipherSpec = 0x114;   // the ChangeCipherSpec record
std::string flowKindName(int kind);

struct FlowStep {
  Sender from = Sender::Client;
  int kind = 0;
  bool optional = false;
  bool repeatable = false;  // may occur any number of times (post-handshake)
  const char* note = "";    // when it is sent, for a learner
};

enum class FlowId {
  Tls12FullRsa,
  Tls12FullEcdhe,
  Tls12FullDhe,
  Tls12ClientAuth,
  Tls12Psk,
  Tls12ResumeSessionId,
  Tls12ResumeTicket,
  Tls13OneRtt,
  Tls13HelloRetryRequest,
  Tls13PskResumption,
  Tls13ClientAuth,
  Tls13PostHandshakeAuth,
};

struct Flow {
  FlowId id;
  const char* name;
  const char* rfc;
  bool tls13 = false;  // ChangeCipherSpec is a no-op anywhere (RFC 8446 §D.4)
  std::vector<FlowStep> steps;
};

const std::vector<Flow>& flows();
const Flow& flow(FlowId id);

// Follows one connection through the table: keeps every flow still
// consistent with what was seen.
class FlowTracker {
 public:
  FlowTracker();

  struct Verdict {
    bool expected = true;
    Sender sender = Sender::Client;  // who sent it (inferred if not given)
    std::string message;             // for an unexpected message: what was expected instead
  };
  // `from` may be unknown (a single pasted stream): it is inferred from the
  // flows. An unexpected message leaves the state unchanged. If the very
  // first message is not a flow's first step (input starts mid-handshake),
  // the tracker joins every flow at each place that message can occur.
  Verdict observe(std::optional<Sender> from, int kind);

  // Steps some remaining flow allows next (deduplicated).
  std::vector<FlowStep> nextExpected() const;
  // "Next the server should send ServerHello (or HelloRetryRequest)."
  std::string describeNext() const;
  std::vector<FlowId> candidates() const;
  // Drops the flows `keep` rejects (e.g. those of another key exchange once
  // the ServerHello named the suite); keeps them all if none would remain.
  template <typename Keep>
  void keepOnly(const Keep& keep) {
    std::vector<Position> kept;
    for (const Position& p : positions_)
      if (keep(flows()[p.flow])) kept.push_back(p);
    if (!kept.empty()) positions_ = std::move(kept);
  }

 private:
  struct Position {
    std::size_t flow;
    std::size_t step;
    bool operator==(const Position&) const = default;
  };
  std::vector<Position> advance(const Position& p, Sender from, int kind) const;
  std::vector<Position> positions_;
  bool started_ = false;  // seen a message yet (a capture may start mid-handshake)
};

}  // namespace tlslab::wire
