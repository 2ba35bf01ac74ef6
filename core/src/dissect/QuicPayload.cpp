// What an opened QUIC packet carries: frames, CRYPTO bytes put back in order
// and cut into TLS handshake messages for the ordinary parsers, STREAM bytes
// per stream; the keys the key log has; the verdicts at the end.
#include <fmt/format.h>

#include <algorithm>

#include "Quic.hpp"
#include "tlslab/crypto/RecordCipher.hpp"
#include "tlslab/wire/HandshakeTypes.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::dissect::quic {
namespace {

namespace cq = crypto::quic;
namespace wq = wire::quic;

constexpr std::size_t kMaxCryptoPending = 1u << 20;   // out-of-order CRYPTO bytes per space and direction
constexpr std::size_t kMaxMessage = 1u << 18;         // a handshake message (certificate chains are < 64 KiB)
constexpr std::size_t kMaxStreamPending = 4u << 20;   // out-of-order STREAM bytes per stream
constexpr std::size_t kMaxStreamBytes = 64u << 20;    // STREAM data kept per connection

const char* kSpaceNames[] = {"Initial", "Handshake", "application"};

void note(model::QuicPacket& p, model::Severity severity, std::string what, std::string message) {
  p.diagnostics.push_back({severity, std::move(what), std::nullopt, std::move(message), model::DiagnosticCode::Truncated});
}

void handleMessage(keys::KeyStore& keys, const DissectOptions& options, QuicConnection& c, model::TraceConnection& tc,
                   model::QuicPacket& packet, int dir, std::size_t firstPacket, Bytes bytes) {
  const bool trees = options.keepRecords;
  wire::HandshakeMessage parsed =
      wire::parseHandshakeMessage(bytes, c.context, trees ? wire::FieldDetail::Full : wire::FieldDetail::Lean);
  wire::updateContext(c.context, parsed);
  model::TraceMessage m;
  m.name = wire::handshakeTypeLabel(parsed.type);
  m.handshakeType = parsed.type;
  m.direction = static_cast<model::Direction>(dir);
  m.firstRecord = firstPacket;
  m.lastRecord = packet.index;
  m.encrypted = true;  // every QUIC packet is protected, Initial ones with public keys
  m.tree = std::move(parsed.tree);
  m.diagnostics = std::move(parsed.diagnostics);
  if (const auto* ch = parsed.as<wire::ClientHello>()) {
    c.clientRandom = ch->random;
    tc.clientRandom = ch->random;
    tc.negotiated.sni = ch->summary.serverName;
    for (std::uint16_t s : ch->cipherSuites) {
      const crypto::CipherSuite* suite = crypto::findSuite(s);
      if (suite && suite->tls13()) {
        c.offeredSuite = suite;
        break;
      }
    }
  } else if (const auto* sh = parsed.as<wire::ServerHello>()) {
    if (sh->helloRetryRequest) m.name = "HelloRetryRequest";  // RFC 8446 §4.1.3: a ServerHello by its random
    tc.serverRandom = sh->random;
    c.suite = crypto::findSuite(sh->cipherSuite);
    tc.negotiated.version = crypto::kTls13;  // RFC 9001 §4.2: QUIC is TLS 1.3 only
    tc.negotiated.suite = sh->cipherSuite;
    const char* name = wire::cipherSuiteName(sh->cipherSuite);
    tc.negotiated.suiteName = name ? name : fmt::format("0x{:04x}", sh->cipherSuite);
    if (!sh->summary.keyShares.empty()) {
      const std::uint16_t g = sh->summary.keyShares.front().group;
      const char* group = wire::groupName(g);
      tc.negotiated.group = group ? group : fmt::format("0x{:04x}", g);
    }
    loadKeys(keys, c, tc);
  } else if (const auto* ee = parsed.as<wire::EncryptedExtensions>()) {
    if (!ee->summary.alpn.empty()) tc.negotiated.alpn = ee->summary.alpn.front();
    tc.negotiated.earlyData = ee->summary.earlyData;
  } else if (parsed.as<wire::Finished>()) {
    c.finishedSeen++;
  }
  m.bytes = std::move(bytes);
  packet.messages.push_back(tc.messages.size());
  tc.messages.push_back(std::move(m));
}

// Contiguous CRYPTO bytes into whole handshake messages (type, u24 length, body).
void takeMessages(keys::KeyStore& keys, const DissectOptions& options, QuicConnection& c, model::TraceConnection& tc,
                  model::QuicPacket& packet, int space, int dir) {
  QuicCryptoStream& s = c.crypto[space][dir];
  while (s.buffer.size() >= 4) {
    const std::size_t length = static_cast<std::size_t>(s.buffer[1]) << 16 | s.buffer[2] << 8 | s.buffer[3];
    if (length + 4 > kMaxMessage) {
      note(packet, model::Severity::Error, fmt::format("{} CRYPTO stream", kSpaceNames[space]),
           fmt::format("a handshake message of {} bytes is over tlslab's {} byte limit: the rest of this CRYPTO "
                       "stream is not read",
                       length + 4, kMaxMessage));
      s.broken = true;
      s.buffer.clear();
      return;
    }
    if (s.buffer.size() < length + 4) return;
    Bytes message(s.buffer.begin(), s.buffer.begin() + static_cast<std::ptrdiff_t>(length + 4));
    s.buffer.erase(s.buffer.begin(), s.buffer.begin() + static_cast<std::ptrdiff_t>(length + 4));
    const std::size_t first = s.firstPacket;
    s.firstPacket = packet.index;
    handleMessage(keys, options, c, tc, packet, dir, first, std::move(message));
  }
}

void append(QuicCryptoStream& s, ByteView data, std::size_t packetIndex) {
  if (s.buffer.empty()) s.firstPacket = packetIndex;
  s.buffer.insert(s.buffer.end(), data.begin(), data.end());
  s.delivered += data.size();
}

void cryptoData(keys::KeyStore& keys, const DissectOptions& options, QuicConnection& c, model::TraceConnection& tc,
                model::QuicPacket& packet, int space, int dir, std::uint64_t offset, const Bytes& data) {
  QuicCryptoStream& s = c.crypto[space][dir];
  if (s.broken || data.empty()) return;
  const std::uint64_t end = offset + data.size();
  if (end <= s.delivered) return;  // a retransmission of bytes already read
  if (offset > s.delivered) {
    // RFC 9000 §19.6: CRYPTO frames may come out of order; hold the piece (the longest per offset).
    Bytes& slot = s.pending[offset];
    if (slot.size() >= data.size()) return;
    if (s.pendingBytes + data.size() - slot.size() > kMaxCryptoPending) {
      note(packet, model::Severity::Error, fmt::format("{} CRYPTO stream", kSpaceNames[space]),
           "more than 1 MiB of out-of-order CRYPTO data: the rest of this stream is not read");
      s.broken = true;
      return;
    }
    s.pendingBytes += data.size() - slot.size();
    slot = data;
    return;
  }
  append(s, ByteView(data).subspan(static_cast<std::size_t>(s.delivered - offset)), packet.index);
  while (!s.pending.empty() && s.pending.begin()->first <= s.delivered) {
    auto it = s.pending.begin();
    const Bytes piece = std::move(it->second);
    const std::uint64_t at = it->first;
    s.pendingBytes -= piece.size();
    s.pending.erase(it);
    if (at + piece.size() > s.delivered)
      append(s, ByteView(piece).subspan(static_cast<std::size_t>(s.delivered - at)), packet.index);
  }
  takeMessages(keys, options, c, tc, packet, space, dir);
}

void streamData(const DissectOptions& options, QuicConnection& c, model::TraceConnection& tc,
                const model::QuicPacket& packet, int dir, const wq::Frame& f) {
  auto [it, isNew] = c.streams.try_emplace({f.streamId, dir});
  QuicStreamState& st = it->second;
  if (isNew) {
    st.index = tc.quic->streams.size();
    model::QuicStream s;
    s.id = f.streamId;
    s.direction = static_cast<model::Direction>(dir);
    tc.quic->streams.push_back(std::move(s));
  }
  model::QuicStream& out = tc.quic->streams[st.index];
  if (!f.data.empty() && (out.frames.empty() || out.frames.back() != packet.frame)) out.frames.push_back(packet.frame);
  if (f.fin) out.fin = true;
  const std::uint64_t end = f.dataOffset + f.data.size();
  if (!options.keepPayloads || f.data.empty() || end <= st.next) return;
  auto put = [&](ByteView bytes) {
    const std::size_t room = kMaxStreamBytes > c.keptStreamBytes ? kMaxStreamBytes - c.keptStreamBytes : 0;
    const std::size_t n = std::min(room, bytes.size());
    out.data.insert(out.data.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    c.keptStreamBytes += n;
    st.next += bytes.size();
  };
  if (f.dataOffset > st.next) {
    Bytes& slot = st.pending[f.dataOffset];
    if (slot.size() >= f.data.size() || st.pendingBytes + f.data.size() > kMaxStreamPending) return;
    st.pendingBytes += f.data.size() - slot.size();
    slot = f.data;
    return;
  }
  put(ByteView(f.data).subspan(static_cast<std::size_t>(st.next - f.dataOffset)));
  while (!st.pending.empty() && st.pending.begin()->first <= st.next) {
    auto p = st.pending.begin();
    const Bytes piece = std::move(p->second);
    const std::uint64_t at = p->first;
    st.pendingBytes -= piece.size();
    st.pending.erase(p);
    if (at + piece.size() > st.next) put(ByteView(piece).subspan(static_cast<std::size_t>(st.next - at)));
  }
}

// One secret from the key log and its packet keys, as derivation steps.
cq::PacketKeys fromKeyLog(const keys::SessionSecrets& s, crypto::SecretKind kind, const crypto::CipherSuite& suite,
                          const std::string& who, model::TraceConnection& tc) {
  const Bytes* secret = s.secret(kind);
  if (secret == nullptr) return {};
  const auto& info = crypto::secretKindInfo(kind);
  model::DerivationStep step;
  step.name = std::string(info.name);
  step.function = fmt::format("from the key log ({})", info.keyLogLabel);
  step.output = *secret;
  step.status = model::StepStatus::FromKeyLog;
  step.node = info.node;
  step.rfc = "RFC 8446 §7.1; RFC 9001 §5.1";
  step.keyLogLine = fmt::format("{} {} {}", info.keyLogLabel, toHex(s.clientRandom), toHex(*secret));
  auto src = s.tls13Sources.find(kind);
  step.note = src != s.tls13Sources.end() ? src->second : "";
  tc.derivation.push_back(std::move(step));
  tc.keyLog += fmt::format("{} {} {}\n", info.keyLogLabel, toHex(s.clientRandom), toHex(*secret));
  return cq::derivePacketKeys(suite.cipher, suite.prfHash, *secret, who, &tc.derivation);
}

}  // namespace

void loadKeys(keys::KeyStore& keys, QuicConnection& c, model::TraceConnection& tc) {
  if (c.clientRandom.empty()) return;
  const keys::SessionSecrets* s = keys.findByClientRandom(c.clientRandom);
  if (s == nullptr) return;
  using K = crypto::SecretKind;
  auto& client = c.keys[0];
  auto& server = c.keys[1];
  const crypto::CipherSuite* early = c.suite ? c.suite : c.offeredSuite;
  if (early && !client.zeroRtt.ok() && !c.zeroRttKeysTried) {
    c.zeroRttKeysTried = true;
    client.zeroRtt = fromKeyLog(*s, K::ClientEarlyTrafficSecret, *early, "client 0-RTT", tc);
  }
  if (!c.suite) return;  // the ServerHello names the AEAD and hash of everything after it
  if (!c.handshakeKeysTried) {
    c.handshakeKeysTried = true;
    client.handshake = fromKeyLog(*s, K::ClientHandshakeTrafficSecret, *c.suite, "client Handshake", tc);
    server.handshake = fromKeyLog(*s, K::ServerHandshakeTrafficSecret, *c.suite, "server Handshake", tc);
  }
  if (!c.oneRttKeysTried) {
    c.oneRttKeysTried = true;
    auto k0 = fromKeyLog(*s, K::ClientApplicationTrafficSecret0, *c.suite, "client 1-RTT", tc);
    if (k0.ok()) client.oneRtt.push_back(std::move(k0));
    auto k1 = fromKeyLog(*s, K::ServerApplicationTrafficSecret0, *c.suite, "server 1-RTT", tc);
    if (k1.ok()) server.oneRtt.push_back(std::move(k1));
  }
}

void dissectFrames(keys::KeyStore& keys, const DissectOptions& options, QuicConnection& c, model::TraceConnection& tc,
                   model::QuicPacket& packet, int space, ByteView plaintext) {
  const wq::FrameList list = wq::parseFrames(plaintext);
  const int dir = static_cast<int>(packet.direction);
  for (const wq::Frame& f : list.frames) {
    model::QuicFrame qf;
    qf.type = f.type;
    qf.name = wq::frameTypeName(f.type);
    qf.offset = f.offset;
    qf.length = f.length;
    qf.summary = f.summary;
    const bool stream = f.type >= wq::frame::StreamFirst && f.type <= wq::frame::StreamLast;
    if (stream) qf.streamId = f.streamId;
    packet.frames.push_back(std::move(qf));
    if (f.type == wq::frame::Crypto) cryptoData(keys, options, c, tc, packet, space, dir, f.dataOffset, f.data);
    if (stream) streamData(options, c, tc, packet, dir, f);
    if (f.type == wq::frame::HandshakeDone) c.sawHandshakeDone = true;
    if (f.type == wq::frame::ConnectionClose || f.type == wq::frame::ConnectionCloseApp) {
      c.sawClose = true;
      c.closeText = fmt::format("{} (from {})", f.summary, dir == 0 ? "client" : "server");
    }
  }
  if (list.error) {
    packet.diagnostics.push_back({model::Severity::Error, fmt::format("{} packet payload", packet.type),
                                  list.error->offset, list.error->what, model::DiagnosticCode::Malformed});
  }
}

void finalizeVerdicts(QuicConnection& c, model::TraceConnection& tc) {
  for (int space = 0; space < 3; ++space)
    for (int dir = 0; dir < 2; ++dir) {
      const auto& s = c.crypto[space][dir];
      if (!s.buffer.empty() || !s.pending.empty())
        tc.diagnostics.push_back({model::Severity::Warning, fmt::format("{} CRYPTO stream", kSpaceNames[space]),
                                  std::nullopt,
                                  fmt::format("the {} sent {} byte(s) of a handshake message that never completed{}",
                                              dir == 0 ? "client" : "server", s.buffer.size() + s.pendingBytes,
                                              s.pending.empty() ? "" : " (some CRYPTO data is missing)"),
                                  model::DiagnosticCode::Truncated});
    }
  std::size_t protectedPackets = 0, opened = 0;
  std::string firstReason;
  for (const auto& p : tc.quic->packets) {
    if (p.type == "Retry" || p.type == "Version Negotiation") continue;
    ++protectedPackets;
    if (p.decrypted) ++opened;
    else if (firstReason.empty()) firstReason = p.type + ": " + p.undecryptedReason;
  }
  tc.quic->packetCount = tc.quic->packets.size();
  using D = model::Decryption::Kind;
  if (protectedPackets == 0) tc.decryption = {D::NothingEncrypted, "no protected packets"};
  else if (opened == protectedPackets) tc.decryption = {D::Decrypted, fmt::format("decrypted (all {} packets)", opened)};
  else if (opened == 0) tc.decryption = {D::NotDecrypted, "not decrypted: " + firstReason};
  else
    tc.decryption = {D::Partly, fmt::format("partly decrypted: {} of {} packets; first not opened: {}", opened,
                                            protectedPackets, firstReason)};
  using S = model::ConnectionState::Kind;
  if (c.sawClose) tc.state = {S::Closed, "closed: " + c.closeText};
  else if (c.sawHandshakeDone || c.finishedSeen >= 2) tc.state = {S::Ok, "ok (handshake complete)"};
  else if (c.finishedSeen == 0 && !c.suite && c.anyPn[1][1] == false && tc.negotiated.suite == 0)
    tc.state = {S::Incomplete, "incomplete (no ServerHello)"};
  else tc.state = {S::Incomplete, "incomplete"};
}

}  // namespace tlslab::dissect::quic
