// QUIC flows -> TraceConnections: detection, packets, header protection and
// payload protection with the keys of each packet-number space (Quic.hpp).
#include <fmt/format.h>

#include <algorithm>

#include "Connection.hpp"
#include "Quic.hpp"

namespace tlslab::dissect {
namespace {

namespace cq = crypto::quic;
namespace wq = wire::quic;

constexpr std::size_t kTag = 16;
constexpr std::size_t kMaxToken = 256;  // bytes of a token kept for display

bool quicPort(std::uint16_t port) { return port == 443 || port == 4433; }

// RFC 9000 §12.3: Initial, Handshake and application data (0-RTT and 1-RTT) number packets separately.
int spaceOf(wq::PacketType t) {
  switch (t) {
    case wq::PacketType::Initial: return 0;
    case wq::PacketType::Handshake: return 1;
    default: return 2;
  }
}

Bytes bounded(const Bytes& b, std::size_t max) { return Bytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(std::min(b.size(), max))); }

}  // namespace

void QuicDissector::opened(const capture::UdpFlowInfo& info) {
  auto c = std::make_unique<QuicConnection>();
  c->info = info;
  flows_[info.id] = std::move(c);
}

void QuicDissector::enterTrace(QuicConnection& c) {
  if (c.inTrace) return;
  c.inTrace = true;
  c.index = trace_.connections.size();
  model::TraceConnection t;
  t.index = c.index;
  t.client = capture::toString(c.info.client);
  t.server = capture::toString(c.info.server);
  t.startTime = c.info.firstSeen.seconds();
  t.state = {model::ConnectionState::Kind::Incomplete, "incomplete"};
  t.quic.emplace();
  trace_.connections.push_back(std::move(t));
  if (options_.onConnectionUpdated) options_.onConnectionUpdated(trace_.connections[c.index]);
}

void QuicDissector::datagram(const capture::FlowDatagram& d) {
  auto it = flows_.find(d.flow);
  if (it == flows_.end() || it->second->finished) return;
  QuicConnection& c = *it->second;
  if (!c.decided) {
    // Detection (issue 19): the UDP ports QUIC uses, or a long header with a
    // version whose Initial protection is known, or a Version Negotiation.
    c.decided = true;
    std::uint32_t version = 0;
    const bool longHeader = d.data.size() >= 5 && (d.data[0] & 0x80) != 0;
    if (longHeader) version = static_cast<std::uint32_t>(d.data[1] << 24 | d.data[2] << 16 | d.data[3] << 8 | d.data[4]);
    c.isQuic = quicPort(c.info.server.port) || quicPort(c.info.client.port) ||
               (longHeader && (cq::knownVersion(version) || version == 0));
  }
  if (!c.isQuic) return;
  const int dir = capture::index(d.direction);
  // Short headers carry the DCID the peer chose (its SCID) with no length (RFC 9000 §17.3.1).
  const std::size_t shortDcid = c.scidKnown[1 - dir]                      ? c.scid[1 - dir].size()
                                : dir == 0 && !c.initialDcid.empty() ? c.initialDcid.size()
                                                                     : 8;  // a guess: what most stacks use
  wq::DatagramPackets split = wq::splitDatagram(d.data, shortDcid);
  if (split.packets.empty() && !c.inTrace) return;  // not (yet) QUIC: nothing to show
  enterTrace(c);
  model::TraceConnection& t = tc(c);
  const std::size_t datagramIndex = t.quic->datagrams++;
  for (const auto& h : split.packets) packet(c, d, h, datagramIndex);
  if (split.error) {
    const bool padding = split.error->what.find("padding") != std::string::npos;
    t.diagnostics.push_back({padding ? model::Severity::Info : model::Severity::Warning,
                             fmt::format("UDP datagram in frame {}", d.frame), split.error->offset, split.error->what,
                             model::DiagnosticCode::Malformed});
  }
}

void QuicDissector::packet(QuicConnection& c, const capture::FlowDatagram& d, const wq::PacketHeader& h,
                           std::size_t datagramIndex) {
  model::TraceConnection& t = tc(c);
  const int dir = capture::index(d.direction);
  model::QuicPacket p;
  p.index = t.quic->packets.size();
  p.direction = static_cast<model::Direction>(dir);
  p.time = static_cast<double>(d.time.nanos - c.info.firstSeen.nanos) / 1e9;
  p.frame = d.frame;
  p.datagram = datagramIndex;
  p.offsetInDatagram = h.offset;
  p.length = h.end - h.offset;
  p.type = wq::packetTypeName(h.type);
  p.version = h.version;
  p.dcid = h.dcid;
  p.scid = h.scid;
  p.token = bounded(h.token, kMaxToken);
  const ByteView bytes = d.data.subspan(h.offset, h.end - h.offset);
  auto keep = [&] { t.quic->packets.push_back(std::move(p)); };

  if (h.type == wq::PacketType::VersionNegotiation) {
    p.supportedVersions = h.supportedVersions;
    std::string list;
    for (auto v : h.supportedVersions) list += (list.empty() ? "" : ", ") + cq::versionName(v);
    p.note = "the server does not speak the client's version; it offers " + list + " (RFC 9000 §6)";
    return keep();
  }
  if (h.longHeader) {
    if (c.version == 0 || h.type == wq::PacketType::Initial) c.version = h.version;
    t.quic->version = c.version;
    t.quic->versionName = cq::versionName(c.version);
    c.scid[dir] = h.scid;
    c.scidKnown[dir] = true;
  }
  if (h.type == wq::PacketType::Retry) {
    // RFC 9001 §5.8: the tag is computed over the client's original DCID; the
    // client's next Initial goes to the Retry's SCID, with new Initial keys.
    const bool valid = cq::retryTagValid(h.version, c.initialDcid, bytes);
    p.note = valid ? "Retry integrity tag verifies with the client's original DCID " + toHex(c.initialDcid)
                   : "Retry integrity tag does NOT verify with the client's DCID " + toHex(c.initialDcid);
    if (!valid)
      p.diagnostics.push_back({model::Severity::Warning, "Retry", std::nullopt, p.note, model::DiagnosticCode::CheckFailed});
    t.quic->retry = true;
    c.retryPending = true;
    c.crypto[0][0] = {};  // the client sends its ClientHello again, from offset 0
    return keep();
  }
  // RFC 9001 §5.2: the Initial keys come from the DCID of the client's first
  // Initial, and again from the DCID of its first Initial after a Retry; a
  // client that switches to the server's SCID later keeps its keys (RFC 9000 §7.2).
  if (h.type == wq::PacketType::Initial && dir == 0 && (c.initialDcid.empty() || c.retryPending)) {
    c.retryPending = false;
    const bool first = c.initialDcid.empty();
    c.initialDcid = h.dcid;
    auto keys = cq::deriveInitialKeys(cq::knownVersion(h.version) ? h.version : 0, h.dcid);
    if (keys.ok()) {
      c.initial = std::move(*keys);
      for (auto step : c.initial->steps) {
        if (!first) step.name += " (after Retry)";
        t.derivation.push_back(std::move(step));
      }
    } else {
      c.initial.reset();
      p.diagnostics.push_back({model::Severity::Warning, "Initial", std::nullopt, keys.error(),
                               model::DiagnosticCode::UnsupportedVersion});
    }
    if (first) t.quic->originalDcid = h.dcid;
  }
  const int space = spaceOf(h.type);
  QuicDirectionKeys& dk = c.keys[dir];
  const cq::PacketKeys* keys = nullptr;
  std::string source;
  std::string missing;
  const char* who = dir == 0 ? "client" : "server";
  switch (h.type) {
    case wq::PacketType::Initial:
      if (c.initial) keys = dir == 0 ? &c.initial->client : &c.initial->server;
      source = fmt::format("{} Initial (from the DCID {}, {})", who, toHex(c.initialDcid), cq::versionName(c.version));
      missing = c.initialDcid.empty() ? "the client's first Initial (whose DCID makes the keys) is not in the capture"
                                      : "no Initial salt is known for " + cq::versionName(c.version);
      break;
    case wq::PacketType::Handshake:
      if (!dk.handshake.ok()) quic::loadKeys(keys_, c, t);
      if (dk.handshake.ok()) keys = &dk.handshake;
      source = fmt::format("{} Handshake ({}_HANDSHAKE_TRAFFIC_SECRET, key log)", who, dir == 0 ? "CLIENT" : "SERVER");
      missing = fmt::format("no {}_HANDSHAKE_TRAFFIC_SECRET for this ClientHello's random in the key log",
                            dir == 0 ? "CLIENT" : "SERVER");
      break;
    case wq::PacketType::ZeroRtt:
      if (!dk.zeroRtt.ok()) quic::loadKeys(keys_, c, t);
      if (dk.zeroRtt.ok()) keys = &dk.zeroRtt;
      source = "client 0-RTT (CLIENT_EARLY_TRAFFIC_SECRET, key log)";
      missing = "no CLIENT_EARLY_TRAFFIC_SECRET for this ClientHello's random in the key log";
      break;
    default:
      if (dk.oneRtt.empty()) quic::loadKeys(keys_, c, t);
      if (!dk.oneRtt.empty()) keys = &dk.oneRtt[dk.generation];
      source = fmt::format("{} 1-RTT ({}_TRAFFIC_SECRET_0, key log)", who, dir == 0 ? "CLIENT" : "SERVER");
      missing = fmt::format("no {}_TRAFFIC_SECRET_0 for this ClientHello's random in the key log",
                            dir == 0 ? "CLIENT" : "SERVER");
      break;
  }
  if (keys == nullptr || !keys->ok()) {
    p.undecryptedReason = c.clientRandom.empty() && h.type != wq::PacketType::Initial
                              ? "the ClientHello (whose random finds the keys) was not read"
                              : missing;
    return keep();
  }
  auto u = cq::removeHeaderProtection(keys->aead, keys->hp, bytes, h.pnOffset - h.offset);
  if (!u.ok()) {
    p.undecryptedReason = "header protection: " + u.error();
    return keep();
  }
  const std::uint64_t pn = cq::decodePacketNumber(c.largestPn[space][dir], c.anyPn[space][dir], u->truncatedPn, u->pnLength);
  if (h.type == wq::PacketType::OneRtt) p.keyPhase = (u->header[0] & 0x04) ? 1 : 0;
  const ByteView protectedPayload = bytes.subspan(u->header.size());
  auto opened = cq::openPayload(*keys, pn, u->header, protectedPayload);
  std::size_t generation = dk.generation;
  if (!opened.ok() && h.type == wq::PacketType::OneRtt && static_cast<std::size_t>(p.keyPhase) != dk.generation % 2) {
    // RFC 9001 §6: a flipped key phase bit is the peer's key update: try the next generation.
    if (dk.oneRtt.size() == dk.generation + 1) {
      dk.oneRtt.push_back(cq::nextGeneration(dk.oneRtt.back(),
                                             fmt::format("{} 1-RTT secret, generation {}", who, dk.generation + 1),
                                             &t.derivation));
    }
    opened = cq::openPayload(dk.oneRtt[dk.generation + 1], pn, u->header, protectedPayload);
    if (opened.ok()) generation = ++dk.generation;
    if (!opened.ok() && dk.generation > 0) {  // or a late packet of the previous generation
      opened = cq::openPayload(dk.oneRtt[dk.generation - 1], pn, u->header, protectedPayload);
      if (opened.ok()) generation = dk.generation - 1;
    }
    keys = &dk.oneRtt[generation];
  }
  p.packetNumber = pn;
  model::QuicPacketCrypto pc;
  pc.keys = h.type == wq::PacketType::OneRtt ? fmt::format("{}, generation {} (key phase {})", source, generation, p.keyPhase)
                                             : source;
  pc.sample = u->sample;
  pc.mask = u->mask;
  pc.nonce = cq::packetNonce(keys->iv, pn);
  pc.aad = u->header;
  if (protectedPayload.size() >= kTag) pc.tag.assign(protectedPayload.end() - kTag, protectedPayload.end());
  p.crypto = std::move(pc);
  if (!opened.ok()) {
    p.undecryptedReason = "the AEAD tag does not verify: " + opened.error();
    return keep();
  }
  p.decrypted = true;
  if (!c.anyPn[space][dir] || pn > c.largestPn[space][dir]) c.largestPn[space][dir] = pn;
  c.anyPn[space][dir] = true;
  if (h.type == wq::PacketType::OneRtt) t.quic->oneRttDecrypted++;
  quic::dissectFrames(keys_, options_, c, t, p, space, *opened);
  keep();
}

void QuicDissector::finalize(QuicConnection& c) {
  if (c.finished) return;
  c.finished = true;
  if (!c.inTrace) return;
  model::TraceConnection& t = tc(c);
  t.duration = static_cast<double>(c.info.lastSeen.nanos - c.info.firstSeen.nanos) / 1e9;
  quic::finalizeVerdicts(c, t);
  if (options_.onConnectionUpdated) options_.onConnectionUpdated(t);
  if (options_.onConnectionFinished) options_.onConnectionFinished(t);
  releaseFinished(options_, t);
  c.streams.clear();
}

void QuicDissector::closed(const capture::UdpFlowInfo& info) {
  auto it = flows_.find(info.id);
  if (it == flows_.end()) return;
  it->second->info = info;
  finalize(*it->second);
  flows_.erase(it);
}

void QuicDissector::finish() {
  for (auto& [id, c] : flows_) finalize(*c);
  flows_.clear();
}

}  // namespace tlslab::dissect
