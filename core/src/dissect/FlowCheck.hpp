#pragma once
// A connection's flow verdicts (wire/FlowVerdict.hpp), fed with each handshake
// message the dissector reads; kept in Connection as `flowCheck`.
#include <cstddef>

#include "tlslab/capture/Types.hpp"
#include "tlslab/model/Trace.hpp"
#include "tlslab/wire/FlowVerdict.hpp"

namespace tlslab::dissect {

struct Connection;

class FlowCheck {
 public:
  // Sets message.flowVerdicts. Messages lost to undecryptable records or a
  // stream gap are not the peer's fault: the order is then not judged, the
  // flow is rejoined at the next readable message.
  void check(const Connection& conn, const model::TraceConnection& tc, capture::Direction d,
             const wire::HandshakeMessage& parsed, bool truncated, model::TraceMessage& message);

 private:
  wire::FlowJudge judge_;
  std::size_t nextRecord_ = 0;  // records before it have been looked at for gaps
};

}  // namespace tlslab::dissect
