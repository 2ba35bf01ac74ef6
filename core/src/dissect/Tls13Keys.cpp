// TLS 1.3 record keys (RFC 8446 §7.3): each direction changes keys at fixed
// points of the handshake, and the key log gives the traffic secret of each
// phase by client random.
//
//   client: [early (0-RTT)] -> handshake (after ServerHello) -> application (after its Finished)
//   server:                    handshake (after ServerHello) -> application (after its Finished)
//   either: application N -> N+1 after it sends KeyUpdate (§7.2)
#include <fmt/core.h>

#include "Connection.hpp"
#include "tlslab/crypto/Kdf.hpp"
#include "tlslab/crypto/Tls13KeySchedule.hpp"

namespace tlslab::dissect {
namespace {

using crypto::SecretKind;
constexpr auto kClient = capture::Direction::ClientToServer;
constexpr auto kServer = capture::Direction::ServerToClient;

// RFC 8446 §7.3 key and IV; the explained steps (keys::explainSession) are
// built once per connection elsewhere, so none are made here.
std::optional<crypto::RecordCipher> cipherFor(const crypto::CipherSuite& suite, ByteView secret) {
  crypto::TrafficKeys keys;
  keys.key = crypto::hkdfExpandLabelRaw(suite.prfHash, secret, "key", {}, suite.keyLength);
  keys.iv = crypto::hkdfExpandLabelRaw(suite.prfHash, secret, "iv", {}, suite.fixedIvLength);
  auto cipher = crypto::RecordCipher::create(suite, keys, crypto::kTls13);
  if (!cipher) return std::nullopt;
  return std::move(cipher.value());
}

const keys::SessionSecrets* secretsOf(Shared& shared, const Connection& conn) {
  if (conn.hs.clientRandom.empty()) return nullptr;
  return shared.keys.findByClientRandom(conn.hs.clientRandom);
}

// Switches a direction to new keys: a new epoch, sequence numbers from 0.
void install(DirectionState& ds, std::optional<crypto::RecordCipher> cipher, model::KeyPhase phase) {
  ds.cipher = std::move(cipher);
  ds.sequence = 0;
  ds.keyPhase = phase;
  ds.epoch += 1;
  ds.encrypted = true;
  ds.next.reset();
  ds.earlyCandidates.clear();
  ds.openedInPhase = false;
}

}  // namespace

void tls13AfterClientHello(Shared& shared, Connection& conn) {
  if (!conn.hs.earlyDataOffered) return;
  DirectionState& ds = conn.dir[capture::index(kClient)];
  ds.encrypted = true;  // application_data records after the ClientHello are 0-RTT data
  ds.keyPhase = model::KeyPhase::early();
  const keys::SessionSecrets* s = secretsOf(shared, conn);
  const Bytes* early = s ? s->secret(SecretKind::ClientEarlyTrafficSecret) : nullptr;
  if (!early) return;
  // The PSK's suite is not in the ClientHello: try each suite whose hash fits.
  for (const auto& suite : crypto::allSuites()) {
    if (!suite.tls13() || crypto::hashLength(suite.prfHash) != early->size()) continue;
    if (auto c = cipherFor(suite, *early)) ds.earlyCandidates.push_back(std::move(*c));
  }
}

void tls13AfterServerHello(Shared& shared, Connection& conn) {
  DirectionState& client = conn.dir[capture::index(kClient)];
  DirectionState& server = conn.dir[capture::index(kServer)];
  deriveFromEphemeral(shared, conn);
  const Bytes* serverSecret = tls13Secret(shared, conn, SecretKind::ServerHandshakeTrafficSecret);
  const Bytes* clientSecret = tls13Secret(shared, conn, SecretKind::ClientHandshakeTrafficSecret);
  if (!conn.suite) {
    conn.reason = fmt::format("cipher suite 0x{:04x} is not one tlslab can decrypt", conn.suiteId);
  } else if (!serverSecret && !clientSecret) {
    conn.reason = noKeyReason(shared, conn);
  }
  std::optional<crypto::RecordCipher> serverKeys, clientKeys;
  if (conn.suite) {
    if (serverSecret) serverKeys = cipherFor(*conn.suite, *serverSecret);
    if (clientSecret) clientKeys = cipherFor(*conn.suite, *clientSecret);
  }
  install(server, std::move(serverKeys), model::KeyPhase::handshake());
  if (conn.hs.earlyDataOffered && (client.cipher || !client.earlyCandidates.empty())) {
    // 0-RTT data may still follow; the client switches at EndOfEarlyData (or,
    // when the server rejected early data, with its next record).
    client.next = std::move(clientKeys);
    client.nextPhase = model::KeyPhase::handshake();
  } else {
    install(client, std::move(clientKeys), model::KeyPhase::handshake());
  }
}

void tls13AfterFinished(Shared& shared, Connection& conn, capture::Direction d) {
  DirectionState& ds = conn.dir[capture::index(d)];
  const bool client = d == kClient;
  deriveFromEphemeral(shared, conn);  // the server's Finished completes the application secrets' transcript
  const Bytes* secret = tls13Secret(shared, conn, client ? SecretKind::ClientApplicationTrafficSecret0
                                                         : SecretKind::ServerApplicationTrafficSecret0);
  std::optional<crypto::RecordCipher> keys;
  if (secret && conn.suite) {
    keys = cipherFor(*conn.suite, *secret);
    ds.applicationSecret = *secret;
  }
  install(ds, std::move(keys), model::KeyPhase::application());
  ds.generation = 0;
}

void tls13AfterEndOfEarlyData(Shared& /*shared*/, Connection& conn) {
  DirectionState& ds = conn.dir[capture::index(kClient)];
  if (ds.next || ds.keyPhase == model::KeyPhase::early()) install(ds, std::move(ds.next), model::KeyPhase::handshake());
}

void tls13AfterKeyUpdate(Shared& /*shared*/, Connection& conn, capture::Direction d) {
  DirectionState& ds = conn.dir[capture::index(d)];
  if (ds.applicationSecret.empty() || !conn.suite) {
    install(ds, std::nullopt, model::KeyPhase::application(ds.generation + 1));
    ds.generation += 1;
    return;
  }
  const bool client = d == kClient;
  auto step = crypto::tls13NextTrafficSecret(conn.suite->prfHash, ds.applicationSecret, ds.generation + 1,
                                             client ? "client" : "server");
  ds.applicationSecret = step.output;
  ds.generation += 1;
  install(ds, cipherFor(*conn.suite, ds.applicationSecret), model::KeyPhase::application(ds.generation));
}

model::RecordCrypto tls13Open(Connection& conn, DirectionState& ds, ByteView wire, bool keepDetail) {
  if (!ds.earlyCandidates.empty()) {
    model::RecordCrypto first;
    for (std::size_t i = 0; i < ds.earlyCandidates.size(); ++i) {
      auto attempt = ds.earlyCandidates[i].decrypt(wire, ds.sequence, keepDetail);
      if (attempt.verdict == model::RecordVerdict::Decrypted) {
        crypto::RecordCipher chosen = std::move(ds.earlyCandidates[i]);
        ds.earlyCandidates.clear();
        ds.cipher = std::move(chosen);
        ds.sequence += 1;
        return attempt;
      }
      if (i == 0) first = std::move(attempt);
    }
    // None fits: either the early data used another key, or this record is
    // already under the handshake keys (rejected or absent 0-RTT data).
    if (ds.next) {
      auto attempt = ds.next->decrypt(wire, 0, keepDetail);
      if (attempt.verdict == model::RecordVerdict::Decrypted) {
        install(ds, std::move(ds.next), ds.nextPhase);
        ds.sequence = 1;
        return attempt;
      }
    }
    ds.sequence += 1;
    return first;
  }
  if (!ds.cipher) {
    model::RecordCrypto none;
    none.note = "no keys";
    return none;
  }
  auto result = ds.cipher->decrypt(wire, ds.sequence, keepDetail);
  if (result.verdict != model::RecordVerdict::Decrypted && ds.next) {
    auto attempt = ds.next->decrypt(wire, 0, keepDetail);
    if (attempt.verdict == model::RecordVerdict::Decrypted) {
      install(ds, std::move(ds.next), ds.nextPhase);
      ds.sequence = 1;
      ds.openedInPhase = true;
      return attempt;
    }
  }
  // 0-RTT data whose key is not known arrives before the client's first
  // handshake record; like the server (RFC 8446 §4.2.10) we skip records the
  // handshake keys do not open, without counting them.
  if (result.verdict != model::RecordVerdict::Decrypted && conn.hs.earlyDataOffered && !ds.openedInPhase &&
      ds.keyPhase == model::KeyPhase::handshake() && &ds == &conn.dir[capture::index(kClient)]) {
    ds.skippedEarly = true;
    return result;
  }
  if (result.verdict == model::RecordVerdict::Decrypted) ds.openedInPhase = true;
  ds.sequence += 1;
  return result;
}

}  // namespace tlslab::dissect
