// DTLS flows -> TraceConnections: detection, one association per UDP flow,
// datagrams cut into records (DtlsRecords.cpp opens and dispatches them), and
// the end of an association (Dtls.hpp).
#include <fmt/core.h>

#include "Dtls.hpp"

namespace tlslab::dissect {

namespace wd = wire::dtls;

bool looksLikeDtls(ByteView datagram) {
  if (datagram.size() < wd::kRecordHeaderLength) return false;
  const std::uint8_t type = datagram[0];
  const std::uint16_t version = static_cast<std::uint16_t>(datagram[1] << 8 | datagram[2]);
  const std::size_t length = static_cast<std::size_t>(datagram[11] << 8 | datagram[12]);
  // Content types 20-25 (ChangeCipherSpec .. tls12_cid); DTLS 1.3's unified
  // header (RFC 9147 §4) is not read, its DTLSPlaintext is.
  return type >= 20 && type <= 25 && wd::isDtlsVersion(version) && length <= 16384 + 2048 &&
         wd::kRecordHeaderLength + length <= datagram.size();
}

void DtlsDissector::opened(const capture::UdpFlowInfo& info) { undecided_[info.id] = info; }

void DtlsDissector::enterTrace(DtlsAssociation& a) {
  Connection& conn = a.conn;
  conn.inTrace = true;
  conn.start = a.info.firstSeen;
  conn.index = shared_.trace.connections.size();
  model::TraceConnection tc;
  tc.index = conn.index;
  tc.client = capture::toString(a.info.client);
  tc.server = capture::toString(a.info.server);
  tc.startTime = a.info.firstSeen.seconds();
  tc.state = {model::ConnectionState::Kind::Incomplete, "incomplete"};
  tc.dtls.emplace();
  shared_.trace.connections.push_back(std::move(tc));
  notifyConnection(shared_, conn);
}

bool DtlsDissector::datagram(const capture::FlowDatagram& d) {
  auto it = flows_.find(d.flow);
  if (it == flows_.end()) {
    auto pending = undecided_.find(d.flow);
    if (pending == undecided_.end()) return false;  // decided: not DTLS
    const capture::UdpFlowInfo info = pending->second;
    undecided_.erase(pending);
    if (!looksLikeDtls(d.data)) return false;
    auto a = std::make_unique<DtlsAssociation>();
    a->info = info;
    enterTrace(*a);
    it = flows_.emplace(d.flow, std::move(a)).first;
  }
  DtlsAssociation& a = *it->second;
  if (a.finished) return true;
  model::TraceConnection& tc = traceOf(shared_, a.conn);
  const std::size_t datagramIndex = tc.dtls->datagrams++;
  const wd::DatagramRecords split = wd::splitDatagram(d.data);
  for (const auto& r : split.records) dtlsRecord(shared_, a, d, r, datagramIndex);
  DtlsDirection& dd = a.dir[capture::index(d.direction)];
  if (split.error) {
    // Tolerant dissection: the records before the bad one are kept, the rest of the datagram is named.
    traceOf(shared_, a.conn)
        .diagnostics.push_back({model::Severity::Warning, fmt::format("UDP datagram in frame {}", d.frame),
                                static_cast<std::size_t>(dd.streamBytes) + split.error->offset,
                                fmt::format("{} (at byte {} of the {}-byte datagram): the rest of it is not read",
                                            split.error->what, split.error->offset, d.data.size()),
                                model::DiagnosticCode::Malformed});
  }
  if (d.missing > 0) {
    traceOf(shared_, a.conn)
        .diagnostics.push_back({model::Severity::Warning, fmt::format("UDP datagram in frame {}", d.frame),
                                std::nullopt,
                                fmt::format("the capture cut the last {} byte(s) of this datagram (snapshot length)",
                                            d.missing),
                                model::DiagnosticCode::Truncated});
  }
  dd.streamBytes += d.data.size();
  return true;
}

void DtlsDissector::finalize(DtlsAssociation& a) {
  if (a.finished) return;
  a.finished = true;
  Connection& conn = a.conn;
  model::TraceConnection& tc = traceOf(shared_, conn);
  tc.duration = static_cast<double>(a.info.lastSeen.nanos - a.info.firstSeen.nanos) / 1e9;
  finalizeConnection(shared_, conn);
  dtlsFinalNotes(shared_, a);
  notifyConnection(shared_, conn);
  model::TraceConnection& done = traceOf(shared_, conn);
  if (shared_.options.onConnectionFinished) shared_.options.onConnectionFinished(done);
  releaseFinished(shared_.options, done);
}

void DtlsDissector::closed(const capture::UdpFlowInfo& info) {
  undecided_.erase(info.id);
  auto it = flows_.find(info.id);
  if (it == flows_.end()) return;
  it->second->info = info;
  finalize(*it->second);
  flows_.erase(it);
}

void DtlsDissector::finish() {
  for (auto& [id, a] : flows_) finalize(*a);
  flows_.clear();
  undecided_.clear();
}

}  // namespace tlslab::dissect
