// The capture pipeline: frame -> link/IP decode -> IP defragmentation -> TCP
// decode -> per-connection reassembly -> TLS-start detection -> StreamSink.
#include "tlslab/capture/CaptureProcessor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "Classifier.hpp"
#include "Diagnostics.hpp"
#include "TcpStream.hpp"

namespace tlslab::capture {

using detail::makeDiagnostic;
using model::Severity;

namespace {

// Both endpoints in a canonical order, so both directions find the same connection.
struct FlowKey {
  Endpoint a;
  Endpoint b;
  static FlowKey of(const Endpoint& x, const Endpoint& y) { return x < y ? FlowKey{x, y} : FlowKey{y, x}; }
  friend bool operator==(const FlowKey&, const FlowKey&) = default;
};

struct FlowKeyHash {
  std::size_t operator()(const FlowKey& k) const noexcept { return hashEndpointPair(k.a, k.b); }
};

bool isIpv6ExtensionHeader(std::uint8_t next) {
  switch (next) {
    case 0: case 43: case 44: case 51: case 60: case 135: case 139: case 140:
      return true;
    default:
      return false;
  }
}

// Without a SYN, guess the server: the side with a well-known port, or the side
// talking to an ephemeral port (RFC 6335 §6: 49152-65535; Linux uses 32768+).
bool sourceLooksLikeServer(const TcpSegment& s) {
  return s.source.port < s.destination.port && (s.source.port < 1024 || s.destination.port >= 32768);
}

}  // namespace

struct CaptureProcessor::Impl {
  struct Connection;

  struct Output final : detail::StreamOutput {
    Impl* impl = nullptr;
    Connection* connection = nullptr;
    Direction direction = Direction::ClientToServer;
    void bytes(std::uint64_t offset, ByteView data, Timestamp time, std::uint64_t frame, bool afterGap) override;
    void gap(std::uint64_t offset, std::uint64_t size, Timestamp time, std::uint64_t frame,
             const std::string& reason) override;
    void finding(Severity severity, std::string message, std::uint64_t offset, std::uint64_t frame) override;
  };

  struct Connection {
    FlowKey key;
    ConnectionInfo info;
    std::array<detail::TcpStream, 2> streams;
    std::array<Output, 2> outputs;
    detail::StreamClassifier classifier;
    Connection(Impl& impl, FlowKey k, detail::StreamLimits limits, std::size_t maxScan)
        : key(k), streams{detail::TcpStream(limits), detail::TcpStream(limits)},
          classifier(impl.sink, info, maxScan) {
      for (Direction d : {Direction::ClientToServer, Direction::ServerToClient}) {
        outputs[index(d)].impl = &impl;
        outputs[index(d)].connection = this;
        outputs[index(d)].direction = d;
      }
    }
  };

  Impl(StreamSink& s, ProcessorOptions o) : sink(s), options(o), udp(s, o.udp) {}

  StreamSink& sink;
  ProcessorOptions options;
  ProcessorStats stats;
  IpDefragmenter defragmenter;
  UdpFlowTable udp;
  std::unordered_map<FlowKey, std::unique_ptr<Connection>, FlowKeyHash> connections;
  std::deque<FlowKey> closedOrder;
  std::unordered_set<FlowKey, FlowKeyHash> closed;
  std::set<int> reportedLinkTypes;
  std::vector<CaptureDiagnostic> scratch;

  void forward(std::vector<CaptureDiagnostic>& diagnostics) {
    for (auto& d : diagnostics) sink.onDiagnostic(d);
    diagnostics.clear();
  }
  void connectionFinding(Connection& c, std::optional<Direction> dir, model::DiagnosticCode code, Severity severity,
                         std::string message,
                         std::uint64_t frame, std::optional<std::uint64_t> offset = std::nullopt) {
    CaptureDiagnostic d = makeDiagnostic(code, severity, fmt::format("TCP connection {}", c.info.id), std::move(message),
                                         frame, offset);
    d.connection = c.info.id;
    d.direction = dir;
    sink.onDiagnostic(d);
  }

  Connection* open(const FlowKey& key, const Endpoint& client, const Endpoint& server, const TcpSegment& s);
  void close(Connection& c, CloseReason reason, Timestamp time, std::uint64_t frame);
  void evictOldest(std::uint64_t frame);
  void segment(const TcpSegment& s);
  void packet(const RawPacket& p);
  void finish();
};

void CaptureProcessor::Impl::Output::bytes(std::uint64_t offset, ByteView data, Timestamp time,
                                           std::uint64_t frame, bool afterGap) {
  connection->info.bytes[index(direction)] += data.size();
  impl->stats.deliveredBytes += data.size();
  connection->classifier.bytes(direction, offset, data, time, frame, afterGap);
}

void CaptureProcessor::Impl::Output::gap(std::uint64_t offset, std::uint64_t size, Timestamp time,
                                         std::uint64_t frame, const std::string& reason) {
  connection->info.missing[index(direction)] += size;
  impl->stats.gaps++;
  impl->stats.missingBytes += size;
  StreamGap g{connection->info.id, direction, offset, size, time, frame, reason};
  impl->sink.onGap(g);
  connection->classifier.gap(direction);
}

void CaptureProcessor::Impl::Output::finding(Severity severity, std::string message, std::uint64_t offset,
                                             std::uint64_t frame) {
  impl->connectionFinding(*connection, direction, model::DiagnosticCode::TcpConflict, severity, std::move(message), frame,
                          offset);
}

CaptureProcessor::Impl::Connection* CaptureProcessor::Impl::open(const FlowKey& key, const Endpoint& client,
                                                                 const Endpoint& server, const TcpSegment& s) {
  if (options.maxOpenConnections != 0 && connections.size() >= options.maxOpenConnections) evictOldest(s.frame);
  detail::StreamLimits limits{options.maxBufferedPerDirection, options.retransmitCheckWindow};
  auto connection = std::make_unique<Connection>(*this, key, limits, options.maxPlaintextScan);
  Connection* c = connection.get();
  c->info.id = stats.connections++;
  c->info.client = client;
  c->info.server = server;
  c->info.firstSeen = c->info.lastSeen = s.time;
  c->info.firstFrame = s.frame;
  // Known from the opening segment, so the sink sees them in onConnectionOpened.
  c->info.sawSyn = s.has(tcpflag::Syn) && !s.has(tcpflag::Ack);
  c->info.midStream = !s.has(tcpflag::Syn);
  closed.erase(key);
  connections[key] = std::move(connection);
  sink.onConnectionOpened(c->info);
  return c;
}

void CaptureProcessor::Impl::evictOldest(std::uint64_t frame) {
  // Evict the least recently active tenth in one pass, so the scan is amortised
  // over many new connections instead of repeated for each.
  std::vector<Connection*> all;
  all.reserve(connections.size());
  for (auto& [key, c] : connections) all.push_back(c.get());
  std::size_t count = std::max<std::size_t>(1, all.size() / 10);
  auto byActivity = [](const Connection* x, const Connection* y) {
    return x->info.lastSeen < y->info.lastSeen || (x->info.lastSeen == y->info.lastSeen && x->info.id < y->info.id);
  };
  std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(count - 1), all.end(), byActivity);
  all.resize(count);
  std::sort(all.begin(), all.end(), byActivity);
  for (Connection* c : all) {
    connectionFinding(*c, std::nullopt, model::DiagnosticCode::ConnectionLimit, Severity::Warning,
                      fmt::format("more than {} open connections: the least recently active ones are closed early",
                                  options.maxOpenConnections),
                      frame);
    close(*c, CloseReason::Evicted, c->info.lastSeen, frame);
  }
}

void CaptureProcessor::Impl::close(Connection& c, CloseReason reason, Timestamp time, std::uint64_t frame) {
  for (Direction d : {Direction::ClientToServer, Direction::ServerToClient}) {
    c.streams[index(d)].flush(time, frame, c.outputs[index(d)]);
  }
  c.classifier.flush();
  c.info.closed = reason;
  stats.retransmittedBytes += c.streams[0].retransmitted() + c.streams[1].retransmitted();
  sink.onConnectionClosed(c.info);
  FlowKey key = c.key;
  connections.erase(key);  // destroys c
  // An evicted connection may resume: its next bytes open a mid-stream connection.
  if (options.rememberClosed == 0 || reason == CloseReason::Evicted) return;
  if (closed.insert(key).second) closedOrder.push_back(key);
  while (closedOrder.size() > options.rememberClosed) {
    closed.erase(closedOrder.front());
    closedOrder.pop_front();
  }
}

void CaptureProcessor::Impl::segment(const TcpSegment& s) {
  stats.tcpSegments++;
  const FlowKey key = FlowKey::of(s.source, s.destination);
  const bool synOnly = s.has(tcpflag::Syn) && !s.has(tcpflag::Ack);
  const bool synAck = s.has(tcpflag::Syn) && s.has(tcpflag::Ack);
  const bool carriesData = !s.payload.empty() || s.missing != 0;

  auto found = connections.find(key);
  Connection* c = found == connections.end() ? nullptr : found->second.get();
  if (c != nullptr && synOnly) {
    const detail::TcpStream& clientStream = c->streams[index(Direction::ClientToServer)];
    bool sameClient = s.source == c->info.client;
    bool retransmittedSyn = sameClient && clientStream.sawSyn() && clientStream.initialSeq() == s.seq + 1;
    bool unused = !clientStream.started() && !c->streams[1].started();
    if (!retransmittedSyn && !(sameClient && unused)) {
      // A new connection on the same 4-tuple (port reuse), RFC 9293 §3.4.
      close(*c, CloseReason::Reused, s.time, s.frame);
      c = nullptr;
    }
  }
  if (c == nullptr) {
    if (!s.has(tcpflag::Syn) && !carriesData) return;  // a stray ACK/FIN/RST opens nothing
    if (!s.has(tcpflag::Syn) && closed.count(key) != 0) {
      CaptureDiagnostic d = makeDiagnostic(
          model::DiagnosticCode::TcpLateSegment, Severity::Info, "TCP",
          fmt::format("segment from {} to {} after its connection closed (late retransmission?) ignored",
                      toString(s.source), toString(s.destination)),
          s.frame);
      sink.onDiagnostic(d);
      return;
    }
    bool senderIsServer = synAck || (!synOnly && sourceLooksLikeServer(s));
    c = senderIsServer ? open(key, s.destination, s.source, s) : open(key, s.source, s.destination, s);
  }
  c->info.lastSeen = s.time;
  const Direction dir = s.source == c->info.client ? Direction::ClientToServer : Direction::ServerToClient;
  detail::TcpStream& stream = c->streams[index(dir)];
  detail::TcpStream& peer = c->streams[index(opposite(dir))];
  Output& out = c->outputs[index(dir)];

  if (s.has(tcpflag::Syn)) {
    if (!stream.started()) {
      stream.start(s.seq + 1, true);
      if (dir == Direction::ClientToServer) c->info.sawSyn = true;
    } else if (stream.initialSeq() != s.seq + 1) {
      connectionFinding(*c, dir, model::DiagnosticCode::TcpConflict, Severity::Warning,
                        fmt::format("SYN with sequence number {} differs from the first SYN's {}; ignored", s.seq,
                                    stream.initialSeq() - 1),
                        s.frame);
      return;
    }
    // A SYN-ACK tells the client's initial sequence number even if its SYN was missed.
    if (synAck && !peer.started()) peer.start(s.ack, false);
  }
  if (!stream.started()) {
    if (s.has(tcpflag::Rst) && !carriesData) {
      close(*c, CloseReason::Rst, s.time, s.frame);
      return;
    }
    stream.start(s.seq, false);
    c->info.midStream = true;
  }
  const std::uint32_t dataSeq = s.has(tcpflag::Syn) ? s.seq + 1 : s.seq;
  auto offset = stream.unwrap(dataSeq);
  if (!offset) {
    if (carriesData) {
      connectionFinding(*c, dir, model::DiagnosticCode::TcpMidStream, Severity::Warning,
                        fmt::format("{} bytes before the first captured byte of this direction are ignored "
                                    "(connection picked up mid-stream)",
                                    s.payload.size() + s.missing),
                        s.frame);
    }
  } else {
    if (carriesData && !s.has(tcpflag::Rst)) stream.addSegment(*offset, s.payload, s.missing, s.time, s.frame, out);
    if (s.has(tcpflag::Fin)) stream.setFin(*offset + s.payload.size() + s.missing, s.frame, out);
  }
  if (s.has(tcpflag::Ack) && peer.started()) {
    if (auto acked = peer.unwrap(s.ack)) peer.acknowledged(*acked, s.time, s.frame, c->outputs[index(opposite(dir))]);
  }
  if (s.has(tcpflag::Rst)) {
    close(*c, CloseReason::Rst, s.time, s.frame);
  } else if (stream.finished() && peer.finished()) {
    close(*c, CloseReason::Fin, s.time, s.frame);
  } else if (stream.finished() && s.has(tcpflag::Fin)) {
    // Delivered up to the FIN; the connection closes when the peer's FIN arrives.
  }
}

void CaptureProcessor::Impl::packet(const RawPacket& p) {
  stats.frames++;
  if (!isSupportedLinkType(p.linkType)) {
    stats.skippedFrames++;
    if (reportedLinkTypes.insert(p.linkType).second) {
      sink.onDiagnostic(makeDiagnostic(model::DiagnosticCode::LinkLayer, Severity::Error, "link layer",
                                       fmt::format("{} is not supported (Ethernet, Linux SLL/SLL2, raw IP and "
                                                   "NULL/LOOP are); frames of this type are skipped",
                                                   linkTypeName(p.linkType)),
                                       p.frame));
    }
    return;
  }
  DecodeOutcome outcome = decodeFrame(p);
  if (!outcome.diagnostics.empty()) stats.malformedFrames++;
  forward(outcome.diagnostics);
  if (!outcome.ip) {
    stats.skippedFrames++;
    return;
  }
  stats.ipPackets++;
  IpPacket ip = *outcome.ip;
  Bytes storage;
  if (ip.fragment) {
    auto whole = defragmenter.add(ip, p.time, p.frame, storage, scratch);
    forward(scratch);
    if (!whole) return;
    ip = *whole;
    if (ip.ipv6 && isIpv6ExtensionHeader(ip.protocol)) {
      // Headers after the fragment header are part of the fragmented payload (RFC 8200 §4.5).
      std::string error;
      std::size_t consumed = 0;
      ByteView rest = ip.payload;
      if (!skipIpv6Extensions(rest, ip.protocol, nullptr, error, consumed)) {
        sink.onDiagnostic(makeDiagnostic(model::DiagnosticCode::PacketHeader, Severity::Warning, "IPv6 extension headers", error, p.frame));
        return;
      }
      ip.payload = rest;
    }
  }
  auto datagram = decodeUdp(ip, p.time, p.frame, scratch);
  if (!scratch.empty()) stats.malformedFrames++;
  forward(scratch);
  if (datagram) {
    stats.udpDatagrams++;
    udp.add(*datagram);
    stats.udpFlows = udp.flowsSeen();
    return;
  }
  auto tcp = decodeTcp(ip, p.time, p.frame, scratch);
  if (!scratch.empty()) stats.malformedFrames++;
  forward(scratch);
  if (!tcp) {
    stats.skippedFrames++;
    return;
  }
  segment(*tcp);
}

void CaptureProcessor::Impl::finish() {
  std::vector<Connection*> open;
  for (auto& [key, c] : connections) open.push_back(c.get());
  std::sort(open.begin(), open.end(), [](auto* x, auto* y) { return x->info.id < y->info.id; });
  for (Connection* c : open) close(*c, CloseReason::EndOfCapture, c->info.lastSeen, 0);
  udp.finish();
}

CaptureProcessor::CaptureProcessor(StreamSink& sink, ProcessorOptions options)
    : impl_(std::make_unique<Impl>(sink, options)) {}
CaptureProcessor::~CaptureProcessor() = default;
void CaptureProcessor::processPacket(const RawPacket& packet) { impl_->packet(packet); }
void CaptureProcessor::processSegment(const TcpSegment& segment) { impl_->segment(segment); }
void CaptureProcessor::finish() { impl_->finish(); }
const ProcessorStats& CaptureProcessor::stats() const { return impl_->stats; }

}  // namespace tlslab::capture
