#include "FlowCheck.hpp"

#include <algorithm>

#include "Connection.hpp"

namespace tlslab::dissect {

void FlowCheck::check(const Connection& conn, const model::TraceConnection& tc, capture::Direction d,
                      const wire::HandshakeMessage& parsed, bool truncated, model::TraceMessage& message) {
  if (truncated) return;  // its type is known, its contents are not
  bool gap = conn.dir[0].lostSync || conn.dir[1].lostSync;
  for (std::size_t r = nextRecord_; r < message.firstRecord && r < tc.records.size(); ++r)
    if (tc.records[r].encrypted && !tc.records[r].undecryptedReason.empty()) gap = true;
  nextRecord_ = std::max(nextRecord_, message.lastRecord + 1);
  const wire::Sender from = d == capture::Direction::ClientToServer ? wire::Sender::Client : wire::Sender::Server;
  message.flowVerdicts = judge_.judge(from, parsed, gap);
}

}  // namespace tlslab::dissect
