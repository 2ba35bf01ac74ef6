// UDP decode (RFC 768) and the flow table (capture/Udp.hpp).
#include "tlslab/capture/Udp.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "Diagnostics.hpp"
#include "tlslab/capture/StreamSink.hpp"
#include "tlslab/util/ByteReader.hpp"

namespace tlslab::capture {

using detail::makeDiagnostic;
using model::Severity;

namespace {

constexpr std::uint8_t kIpProtoUdp = 17;

// The sender of a flow's first datagram is its client, unless it sends from a
// well-known port to a registered or ephemeral one (RFC 6335 §6): then the
// capture started after the client's first datagram. (Unlike TCP mid-stream,
// two ports above 1024 say nothing: a loopback server often listens on one.)
bool sourceLooksLikeServer(const UdpDatagram& d) { return d.source.port < 1024 && d.destination.port >= 1024; }

}  // namespace

std::optional<UdpDatagram> decodeUdp(const IpPacket& ip, Timestamp time, std::uint64_t frame,
                                     std::vector<CaptureDiagnostic>& diagnostics) {
  if (ip.protocol != kIpProtoUdp) return std::nullopt;
  ByteReader r(ip.payload);
  UdpDatagram d;
  d.source.port = r.u16("UDP source port");
  d.destination.port = r.u16("UDP destination port");
  const std::uint16_t length = r.u16("UDP length");
  r.skip(2, "UDP checksum");
  if (!r.ok()) {
    diagnostics.push_back(makeDiagnostic(
        model::DiagnosticCode::PacketHeader, Severity::Warning, "UDP header",
        fmt::format("truncated: {} bytes, a header needs 8{}", ip.payload.size(),
                    ip.missing > 0 ? " (cut by the capture's snaplen)" : ""),
        frame, ip.payload.size()));
    return std::nullopt;
  }
  ByteView payload = r.rest();
  const std::size_t ipLength = ip.payload.size() + ip.missing;
  // Length 0 is an IPv6 jumbogram (RFC 2675 §4): the IP length rules.
  std::size_t udpLength = length == 0 && ip.ipv6 ? ipLength : length;
  if (udpLength < 8) {
    diagnostics.push_back(makeDiagnostic(model::DiagnosticCode::PacketHeader, Severity::Warning, "UDP length",
                                         fmt::format("length {} is below the 8-byte header (RFC 768)", udpLength),
                                         frame, 4));
    return std::nullopt;
  }
  if (udpLength > ipLength) {
    diagnostics.push_back(makeDiagnostic(
        model::DiagnosticCode::PacketHeader, Severity::Warning, "UDP length",
        fmt::format("length {} exceeds the {} bytes the IP header gives; the datagram is read to the IP end",
                    udpLength, ipLength),
        frame, 4));
    udpLength = ipLength;
  }
  const std::size_t want = udpLength - 8;
  if (payload.size() > want) payload = payload.first(want);  // bytes past the UDP length: link padding
  d.payload = payload;
  d.missing = static_cast<std::uint32_t>(want - payload.size());
  d.source.ipv6 = d.destination.ipv6 = ip.ipv6;
  d.source.address = ip.source;
  d.destination.address = ip.destination;
  d.time = time;
  d.frame = frame;
  return d;
}

std::size_t UdpFlowTable::KeyHash::operator()(const Key& k) const noexcept { return hashEndpointPair(k.a, k.b); }

UdpFlowTable::UdpFlowTable(StreamSink& sink, UdpLimits limits) : sink_(sink), limits_(limits) {}

void UdpFlowTable::close(std::list<Flow>::iterator it, CloseReason reason) {
  it->info.closed = reason;
  const UdpFlowInfo info = it->info;
  flows_.erase(it->key);
  lru_.erase(it);
  sink_.onUdpFlowClosed(info);
}

void UdpFlowTable::expire(Timestamp now) {
  if (limits_.idleTimeoutNanos <= 0) return;
  while (!lru_.empty() && now.nanos - lru_.back().info.lastSeen.nanos > limits_.idleTimeoutNanos)
    close(std::prev(lru_.end()), CloseReason::Idle);
}

void UdpFlowTable::add(const UdpDatagram& d) {
  expire(d.time);
  const Key key = d.source < d.destination ? Key{d.source, d.destination} : Key{d.destination, d.source};
  auto found = flows_.find(key);
  std::list<Flow>::iterator it;
  if (found == flows_.end()) {
    if (limits_.maxOpenFlows != 0 && flows_.size() >= limits_.maxOpenFlows) {
      sink_.onDiagnostic(makeDiagnostic(
          model::DiagnosticCode::ConnectionLimit, Severity::Warning, fmt::format("UDP flow {}", lru_.back().info.id),
          fmt::format("more than {} open UDP flows: the least recently active one is closed early",
                      limits_.maxOpenFlows),
          d.frame));
      close(std::prev(lru_.end()), CloseReason::Evicted);
    }
    Flow flow;
    flow.key = key;
    flow.info.id = nextId_++;
    const bool server = sourceLooksLikeServer(d);
    flow.info.client = server ? d.destination : d.source;
    flow.info.server = server ? d.source : d.destination;
    flow.info.firstSeen = flow.info.lastSeen = d.time;
    flow.info.firstFrame = d.frame;
    lru_.push_front(std::move(flow));
    it = lru_.begin();
    flows_[key] = it;
    sink_.onUdpFlowOpened(it->info);
  } else {
    it = found->second;
    lru_.splice(lru_.begin(), lru_, it);  // now the most recently active
  }
  UdpFlowInfo& info = it->info;
  info.lastSeen = std::max(info.lastSeen, d.time);
  const Direction dir = d.source == info.client ? Direction::ClientToServer : Direction::ServerToClient;
  FlowDatagram out;
  out.flow = info.id;
  out.direction = dir;
  out.index = info.datagrams[0] + info.datagrams[1];
  out.time = d.time;
  out.frame = d.frame;
  out.data = d.payload;
  out.missing = d.missing;
  out.source = d.source;
  out.destination = d.destination;
  info.datagrams[index(dir)]++;
  info.bytes[index(dir)] += d.payload.size();
  sink_.onDatagram(out);
}

void UdpFlowTable::finish() {
  std::vector<std::list<Flow>::iterator> all;
  for (auto it = lru_.begin(); it != lru_.end(); ++it) all.push_back(it);
  std::sort(all.begin(), all.end(), [](auto x, auto y) { return x->info.id < y->info.id; });
  for (auto it : all) close(it, CloseReason::EndOfCapture);
}

}  // namespace tlslab::capture
