// The StreamSink side of the dissector: connections come and go, chunks of
// stream bytes are routed to their connection, and the capture layer's own
// findings are kept. Connections enter the Trace only once they carry TLS (or
// a STARTTLS preamble), so a capture full of other traffic stays readable.
#include "tlslab/dissect/TlsDissector.hpp"

#include <fmt/core.h>

#include "Connection.hpp"
#include "Dtls.hpp"
#include "Quic.hpp"

namespace tlslab::dissect {

namespace {
constexpr std::size_t kMaxPreamble = 64u << 10;  // STARTTLS preambles are a few lines; cap a chatty one
}  // namespace

model::TraceConnection& traceOf(Shared& shared, Connection& conn) { return shared.trace.connections[conn.index]; }

double secondsSince(const Connection& conn, capture::Timestamp time) {
  return static_cast<double>(time.nanos - conn.start.nanos) / 1e9;
}

TlsDissector::TlsDissector(keys::KeyStore& keys, DissectOptions options)
    : keys_(keys),
      options_(std::move(options)),
      shared_(new Shared{keys_, options_, trace_, {}, {}}),
      quic_(std::make_unique<QuicDissector>(keys_, options_, trace_)),
      dtls_(std::make_unique<DtlsDissector>(*shared_)) {}

TlsDissector::~TlsDissector() = default;

void TlsDissector::setSource(std::string source) { trace_.source = std::move(source); }

const model::Trace& TlsDissector::trace() const { return trace_; }

Connection* TlsDissector::find(capture::ConnectionId id) {
  auto it = open_.find(id);
  return it == open_.end() ? nullptr : it->second.get();
}

void TlsDissector::onConnectionOpened(const capture::ConnectionInfo& info) {
  auto conn = std::make_unique<Connection>();
  conn->start = info.firstSeen;
  conn->info = info;
  if (options_.retainForLateKeys) conn->retained = std::make_unique<Retained>();
  open_[info.id] = std::move(conn);
}

// A connection joins the Trace with its first TLS or STARTTLS byte.
static void enterTrace(Shared& shared, Connection& conn, const capture::ConnectionInfo& info) {
  if (conn.inTrace) return;
  conn.inTrace = true;
  conn.index = shared.trace.connections.size();
  model::TraceConnection tc;
  tc.index = conn.index;
  tc.client = capture::toString(info.client);
  tc.server = capture::toString(info.server);
  tc.startTime = info.firstSeen.seconds();
  tc.state = {model::ConnectionState::Kind::Incomplete, "incomplete"};
  if (info.midStream) {
    tc.diagnostics.push_back({model::Severity::Warning, "connection", std::nullopt,
                              "picked up mid-stream (no SYN in the capture): the start of the connection is missing",
                              model::DiagnosticCode::TcpMidStream});
  }
  shared.trace.connections.push_back(std::move(tc));
  notifyConnection(shared, conn);
}

void TlsDissector::onData(const capture::StreamChunk& chunk) {
  Connection* conn = find(chunk.connection);
  if (!conn || finished_) return;
  if (chunk.content == capture::Content::Unknown) return;  // not TLS (yet): nothing to dissect
  enterTrace(*shared_, *conn, conn->info);
  if (conn->retained) hold(*conn, chunk);
  model::TraceConnection& tc = traceOf(*shared_, *conn);
  if (chunk.content == capture::Content::Plaintext) {
    if (!chunk.protocol.empty()) tc.startTlsProtocol = std::string(chunk.protocol);
    Bytes& pre = tc.preamble[capture::index(chunk.direction)];
    const std::size_t room = kMaxPreamble > pre.size() ? kMaxPreamble - pre.size() : 0;
    const std::size_t n = std::min(room, chunk.data.size());
    pre.insert(pre.end(), chunk.data.begin(), chunk.data.begin() + static_cast<std::ptrdiff_t>(n));
    return;
  }
  if (!chunk.protocol.empty()) tc.startTlsProtocol = std::string(chunk.protocol);
  feedTls(*shared_, *conn, chunk);
  if (conn->retained) release(*conn);
}

void TlsDissector::onGap(const capture::StreamGap& gap) {
  Connection* conn = find(gap.connection);
  if (!conn || !conn->inTrace) return;
  if (conn->retained && !conn->retained->dropped)
    conn->retained->events.push_back({Retained::Event::Kind::Gap, {}, {}, {}, gap, {}});
  DirectionState& ds = conn->dir[capture::index(gap.direction)];
  model::TraceConnection& tc = traceOf(*shared_, *conn);
  std::string what = fmt::format("{} byte(s) of the {} stream at offset {} are not in the capture ({})", gap.size,
                                 capture::directionName(gap.direction), gap.offset, gap.reason);
  if (ds.tls) {
    // Records after a hole cannot be opened: their sequence number (part of
    // every nonce or MAC) depends on how many records were lost.
    ds.lostSync = true;
    ds.lostBytes += gap.size;
    ds.resyncTries = 0;
    ds.lostSyncReason = "bytes are missing from the capture before this record (" + what +
                        "), so its sequence number is unknown";
    ds.framer = wire::RecordFramer{};
    ds.reassembler = wire::HandshakeReassembler{};
    ds.handshakeRecords.clear();
    ds.tls = false;  // re-based at the next chunk
  }
  tc.diagnostics.push_back({model::Severity::Warning, "TCP", gap.offset, what, model::DiagnosticCode::TcpGap});
}

void TlsDissector::onTlsStart(const capture::TlsStart& /*start*/) {
  // Chunks already say whether they are TLS; the first TLS chunk re-bases the framer.
}

void TlsDissector::onConnectionClosed(const capture::ConnectionInfo& info) {
  auto it = open_.find(info.id);
  if (it == open_.end()) return;
  Connection& conn = *it->second;
  if (conn.inTrace) closeConnection(conn, info);
  pruneWaiting();
  if (conn.inTrace && conn.retained && !conn.noKeyRecords.empty()) {
    conn.retained->closed = info;
    conn.retained->closedAt = std::chrono::steady_clock::now();
    waiting_[conn.index] = std::move(it->second);
  }
  open_.erase(it);
}

void TlsDissector::closeConnection(Connection& conn, const capture::ConnectionInfo& info) {
  flushDirection(*shared_, conn, capture::Direction::ClientToServer, info.lastSeen);
  flushDirection(*shared_, conn, capture::Direction::ServerToClient, info.lastSeen);
  model::TraceConnection& tc = traceOf(*shared_, conn);
  tc.duration = static_cast<double>(info.lastSeen.nanos - info.firstSeen.nanos) / 1e9;
  if (!info.protocol.empty() && tc.startTlsProtocol.empty()) tc.startTlsProtocol = info.protocol;
  finalize(conn);
}

void TlsDissector::finalize(Connection& conn) {
  finalizeConnection(*shared_, conn);
  notifyConnection(*shared_, conn);
  if (options_.onConnectionFinished) options_.onConnectionFinished(traceOf(*shared_, conn));
  releaseFinished(options_, traceOf(*shared_, conn));
}

void TlsDissector::onDiagnostic(const capture::CaptureDiagnostic& diagnostic) {
  if (diagnostic.connection) {
    Connection* conn = find(*diagnostic.connection);
    if (conn && conn->inTrace) {
      if (conn->retained && !conn->retained->dropped)
        conn->retained->events.push_back({Retained::Event::Kind::Diagnostic, {}, {}, {}, {}, diagnostic});
      traceOf(*shared_, *conn).diagnostics.push_back(diagnostic.diagnostic);
      return;
    }
    if (conn) return;  // about a connection that is not TLS
  }
  trace_.diagnostics.push_back(diagnostic.diagnostic);
}

void TlsDissector::onKeyLog(std::string_view text, std::uint64_t fileOffset) {
  auto diags = keys_.addKeyLogText(text, fmt::format("pcapng Decryption Secrets Block at file offset {}", fileOffset));
  for (auto& d : diags) trace_.diagnostics.push_back(std::move(d));
}

void TlsDissector::onUdpFlowOpened(const capture::UdpFlowInfo& info) {
  if (finished_) return;
  dtls_->opened(info);
  quic_->opened(info);
}
// DTLS decides first: QUIC claims ports 443 and 4433, and 4433 is also
// openssl s_server's DTLS port. A DTLS record header cannot be a QUIC packet
// (QUIC's first byte has its fixed bit 0x40 set; DTLS types are 20-25).
void TlsDissector::onDatagram(const capture::FlowDatagram& datagram) {
  if (finished_ || dtls_->datagram(datagram)) return;
  quic_->datagram(datagram);
}
void TlsDissector::onUdpFlowClosed(const capture::UdpFlowInfo& info) {
  if (finished_) return;
  dtls_->closed(info);
  quic_->closed(info);
}

model::Trace TlsDissector::finish() {
  if (!finished_) {
    quic_->finish();
    dtls_->finish();
    // The capture layer closes every connection at its end; anything left
    // here was never closed (a caller that feeds the sink directly).
    for (auto& [id, conn] : open_) {
      if (!conn->inTrace) continue;
      flushDirection(*shared_, *conn, capture::Direction::ClientToServer, conn->start);
      flushDirection(*shared_, *conn, capture::Direction::ServerToClient, conn->start);
      finalize(*conn);
    }
    open_.clear();
    waiting_.clear();
    finished_ = true;
  }
  return std::move(trace_);
}

namespace {

template <typename Read>
capture::Result<model::Trace> run(keys::KeyStore& keys, const DissectOptions& options, std::string source,
                                  capture::ReadSummary* summary, const Read& read) {
  TlsDissector dissector(keys, options);
  dissector.setSource(std::move(source));
  auto result = read(dissector);
  if (!result.ok()) return result.error();
  model::Trace trace = dissector.finish();
  if (!result.value().complete) {
    trace.diagnostics.push_back({model::Severity::Error, "capture", std::nullopt,
                                 "the capture stops early: " + result.value().stopReason, model::DiagnosticCode::CaptureFile});
  }
  if (summary) *summary = result.value();
  return trace;
}

}  // namespace

capture::Result<model::Trace> dissectFile(const std::filesystem::path& path, keys::KeyStore& keys,
                                          DissectOptions options, const capture::ProgressCallback& progress,
                                          capture::ReadSummary* summary) {
  return run(keys, options, path.string(), summary, [&](TlsDissector& sink) {
    return capture::readCapture(path, sink, {}, progress);
  });
}

capture::Result<model::Trace> dissectBytes(ByteView bytes, keys::KeyStore& keys, DissectOptions options,
                                           const capture::ProgressCallback& progress,
                                           capture::ReadSummary* summary) {
  return run(keys, options, "memory", summary, [&](TlsDissector& sink) {
    return capture::readCapture(bytes, sink, {}, progress);
  });
}

}  // namespace tlslab::dissect
