// What each key-schedule step of a connection points at: the handshake
// messages its transcript hash (RFC 8446 §4.4.1), randoms or key shares come
// from, and the records its key protects. A picture of the schedule links
// its nodes to the ladder through these indices instead of reading names.
#include <map>
#include <optional>

#include "tlslab/dissect/TlsDissector.hpp"

namespace tlslab::dissect {
namespace {

using model::Direction;
using model::ScheduleNode;
using N = ScheduleNode;

// Handshake types (RFC 8446 §4, RFC 5246 §7.4) as TraceMessage::handshakeType holds them.
constexpr int kHelloRequest = 0, kClientHello = 1, kServerHello = 2, kNewSessionTicket = 4, kServerKeyExchange = 12,
              kClientKeyExchange = 16, kFinished = 20, kKeyUpdate = 24;
constexpr std::uint8_t kChangeCipherSpec = 20;  // record content type

bool inTranscript(int type, bool tls13) {
  // RFC 8446 §4.4.1 / RFC 5246 §7.4.9: post-handshake messages are not hashed;
  // a TLS 1.2 NewSessionTicket is (RFC 5077 §3.3).
  if (type < 0 || type == kHelloRequest || type == kKeyUpdate) return false;
  return !(tls13 && type == kNewSessionTicket);
}

// The latest handshake's transcript, as message indices in the order hashed.
// TLS 1.3 has one handshake (from the first ClientHello; a HelloRetryRequest
// and the second ClientHello belong to it); in TLS 1.2 each ClientHello after
// the first starts a renegotiation, whose keys the derivation shows.
std::vector<std::size_t> latestHandshake(const model::TraceConnection& tc, bool tls13) {
  std::optional<std::size_t> start;
  for (std::size_t i = 0; i < tc.messages.size(); ++i) {
    const auto& m = tc.messages[i];
    if (m.handshakeType == kClientHello && m.direction == Direction::ClientToServer && (!start || !tls13)) start = i;
  }
  std::vector<std::size_t> out;
  if (!start) return out;
  int finished = 0;
  for (std::size_t i = *start; i < tc.messages.size() && finished < 2; ++i) {
    const int type = tc.messages[i].handshakeType;
    if (!inTranscript(type, tls13)) continue;
    out.push_back(i);
    if (type == kFinished) ++finished;
  }
  return out;
}

struct Transcript {
  const model::TraceConnection& tc;
  std::vector<std::size_t> order;

  bool is(std::size_t m, int type, std::optional<Direction> from = std::nullopt) const {
    return tc.messages[m].handshakeType == type && (!from || tc.messages[m].direction == *from);
  }
  // The transcript up to the first (or last) message of `type` from `from`,
  // with it or without it; empty when that message is not in the capture.
  std::vector<std::size_t> upTo(int type, std::optional<Direction> from, bool including, bool last = false) const {
    std::optional<std::size_t> end;
    for (std::size_t i = 0; i < order.size(); ++i) {
      if (!is(order[i], type, from)) continue;
      end = i;
      if (!last) break;
    }
    if (!end) return {};
    return {order.begin(), order.begin() + static_cast<std::ptrdiff_t>(*end + (including ? 1 : 0))};
  }
  std::vector<std::size_t> ofTypes(std::initializer_list<int> types, bool lastOnly = false) const {
    std::vector<std::size_t> out;
    for (int type : types) {
      std::optional<std::size_t> found;
      for (std::size_t m : order) {
        if (!is(m, type)) continue;
        if (!lastOnly) out.push_back(m);
        found = m;
      }
      if (lastOnly && found) out.push_back(*found);
    }
    return out;
  }
};

std::vector<std::size_t> messagesOf(N node, const Transcript& t, bool tls13, bool ems) {
  constexpr auto C = Direction::ClientToServer;
  constexpr auto S = Direction::ServerToClient;
  switch (node) {
    // The key shares: ClientHello and ServerHello in TLS 1.3 (§4.2.8), the
    // key exchange messages in TLS 1.2 (RFC 8422 §5.4, RFC 5246 §7.4.7).
    case N::SharedSecret:
      return tls13 ? t.ofTypes({kClientHello, kServerHello}, true) : t.ofTypes({kServerKeyExchange, kClientKeyExchange});
    case N::PreMasterSecret: return t.ofTypes({kServerKeyExchange, kClientKeyExchange});
    case N::Psk: return t.ofTypes({kClientHello}, true);  // pre_shared_key names the PSK
    case N::ClientEarlyTraffic:
    case N::EarlyExporter: return t.upTo(kClientHello, C, true);
    case N::ClientHandshakeTraffic:
    case N::ServerHandshakeTraffic: return t.upTo(kServerHello, S, true, true);
    case N::ClientApplicationTraffic:
    case N::ServerApplicationTraffic:
    case N::ExporterMaster: return t.upTo(kFinished, S, true);
    case N::ResumptionMaster: return t.upTo(kFinished, C, true);
    case N::ServerVerifyData: return t.upTo(kFinished, S, false);
    case N::ClientVerifyData: return t.upTo(kFinished, C, false);
    case N::ServerFinishedCheck: {
      auto upTo = t.upTo(kFinished, S, true);
      return upTo.empty() ? upTo : std::vector<std::size_t>{upTo.back()};
    }
    case N::ClientFinishedCheck: {
      auto upTo = t.upTo(kFinished, C, true);
      return upTo.empty() ? upTo : std::vector<std::size_t>{upTo.back()};
    }
    // RFC 5246 §8.1: the randoms; RFC 7627 §4: the session hash up to ClientKeyExchange.
    case N::Tls12MasterSecret:
      return ems ? t.upTo(kClientKeyExchange, C, true) : t.ofTypes({kClientHello, kServerHello}, true);
    case N::KeyBlock: return t.ofTypes({kClientHello, kServerHello}, true);  // RFC 5246 §6.3: the randoms
    default: return {};
  }
}

// The nodes whose key opens a record: TLS 1.3 by the record's key phase and
// direction; TLS 1.2 every protected record after its direction's latest
// ChangeCipherSpec (earlier ones belong to a session renegotiated away).
std::vector<N> protectorsOf(const model::TraceConnection& tc, const model::TraceRecord& r, bool tls13,
                            const std::size_t lastCcs[2]) {
  const bool client = r.direction == Direction::ClientToServer;
  if (!r.encrypted) return {};
  if (!tls13) {
    const std::size_t ccs = lastCcs[client ? 0 : 1];
    if (ccs == tc.records.size() || r.index < ccs) return {};
    if (client) return {N::ClientWriteKey, N::ClientMacKey, N::ClientWriteIv, N::KeyBlock};
    return {N::ServerWriteKey, N::ServerMacKey, N::ServerWriteIv, N::KeyBlock};
  }
  if (r.keyPhase == model::KeyPhase::early() && client) return {N::ClientEarlyTraffic, N::ClientEarlyKey, N::ClientEarlyIv};
  if (r.keyPhase == model::KeyPhase::handshake()) {
    if (client) return {N::ClientHandshakeTraffic, N::ClientHandshakeKey, N::ClientHandshakeIv};
    return {N::ServerHandshakeTraffic, N::ServerHandshakeKey, N::ServerHandshakeIv};
  }
  if (r.keyPhase == model::KeyPhase::application()) {
    if (client) return {N::ClientApplicationTraffic, N::ClientApplicationKey, N::ClientApplicationIv};
    return {N::ServerApplicationTraffic, N::ServerApplicationKey, N::ServerApplicationIv};
  }
  if (r.keyPhase == model::KeyPhase::application(1)) return {client ? N::ClientNextApplicationTraffic : N::ServerNextApplicationTraffic};
  return {};
}

}  // namespace

void linkDerivation(model::TraceConnection& tc) {
  const bool tls13 = tc.negotiated.version == 0x0304;
  const Transcript transcript{tc, latestHandshake(tc, tls13)};
  std::size_t lastCcs[2] = {tc.records.size(), tc.records.size()};
  for (const auto& r : tc.records)
    if (r.contentType == kChangeCipherSpec) lastCcs[r.direction == Direction::ClientToServer ? 0 : 1] = r.index;
  std::map<N, std::vector<std::size_t>> protectedBy;
  for (const auto& r : tc.records)
    for (N node : protectorsOf(tc, r, tls13, lastCcs)) protectedBy[node].push_back(r.index);
  for (auto& step : tc.derivation) {
    step.messages = messagesOf(step.node, transcript, tls13, tc.negotiated.extendedMasterSecret);
    const auto found = protectedBy.find(step.node);
    step.records = found == protectedBy.end() ? std::vector<std::size_t>{} : found->second;
  }
}

}  // namespace tlslab::dissect
