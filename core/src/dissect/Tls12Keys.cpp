// TLS 1.0-1.2 record keys: one master secret per session, found (in this
// order) in the key log by client random, from a pre-master secret (key log,
// or recovered with the server's RSA key from the ClientKeyExchange), or, for
// an abbreviated handshake, from the session it resumes. The key block is
// split once and each direction switches at its own ChangeCipherSpec
// (RFC 5246 §7.1, §6.3).
#include <algorithm>

#include <fmt/core.h>

#include "Connection.hpp"
#include "tlslab/crypto/Tls12KeySchedule.hpp"

namespace tlslab::dissect {
namespace {

bool contains(const Bytes& haystack, const Bytes& needle) {
  if (needle.empty()) return false;
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

// RSA key exchange without a key log: recover the pre-master secret with a
// loaded server key, or say why that is impossible.
std::optional<Bytes> recoverRsa(Shared& shared, Connection& conn) {
  model::TraceConnection& tc = traceOf(shared, conn);
  if (conn.hs.encryptedPms.empty()) {
    conn.reason = "handshake not in the capture: no ClientKeyExchange, so there is no encrypted pre-master secret "
                  "to recover with the server's RSA key";
    return std::nullopt;
  }
  model::DerivationStep step = shared.keys.recoverPreMasterSecret(conn.hs.encryptedPms);
  if (step.status == model::StepStatus::Derived || step.status == model::StepStatus::FromKeyLog) {
    conn.hs.extraSteps.push_back(step);
    conn.hs.explained.reset();
    return step.output;
  }
  // Tell "this is the wrong key" apart from "no key": the certificate carries
  // the server's public key, whose modulus starts like the private key's.
  bool anyMatches = false;
  for (const auto& loaded : shared.keys.privateKeys()) {
    if (!tc.serverCertificates.empty() && contains(tc.serverCertificates.front(), loaded.key.modulusPrefix()))
      anyMatches = true;
  }
  if (shared.keys.privateKeys().empty()) {
    conn.reason = noKeyReason(shared, conn);
  } else if (!anyMatches && !tc.serverCertificates.empty()) {
    conn.reason = "RSA key does not match the certificate: the server's certificate carries a different public key "
                  "than the loaded RSA key(s), so the pre-master secret cannot be decrypted";
  } else {
    conn.reason = "the RSA key cannot recover the pre-master secret: " + step.note;
  }
  conn.hs.extraSteps.push_back(std::move(step));
  conn.hs.explained.reset();
  return std::nullopt;
}

}  // namespace

bool ensureTls12Keys(Shared& shared, Connection& conn) {
  if (conn.hs.tls12KeysTried) return conn.hs.clientKeys.has_value();
  conn.hs.tls12KeysTried = true;
  model::TraceConnection& tc = traceOf(shared, conn);
  if (!conn.hs.sawClientHello || !conn.hs.sawServerHello) {
    conn.reason = "handshake not in the capture (no ClientHello/ServerHello), so the session's randoms and "
                  "cipher suite are unknown";
    return false;
  }
  if (!conn.suite) {
    conn.reason = fmt::format("cipher suite {} is not one tlslab can decrypt", tc.negotiated.suiteName);
    return false;
  }
  if (conn.version != 0 && conn.version < crypto::kTls10) {
    conn.reason = "SSL 3.0 is not decrypted by tlslab: its key derivation and MAC predate TLS's PRF and HMAC";
    return false;
  }
  const std::uint16_t version = conn.version ? conn.version : crypto::kTls12;
  const crypto::HashAlg prf = crypto::tls12PrfHash(*conn.suite, version);
  const bool ems = tc.negotiated.extendedMasterSecret;
  auto fromPms = [&](const Bytes& pms) -> Bytes {
    model::DerivationStep step = ems ? crypto::tls12ExtendedMasterSecret(prf, pms, conn.hs.sessionHash)
                                     : crypto::tls12MasterSecret(prf, pms, conn.hs.clientRandom, conn.hs.serverRandom);
    return step.output;
  };

  const keys::SessionSecrets* s = shared.keys.findByClientRandom(conn.hs.clientRandom);
  Bytes master;
  if (s && s->masterSecret) {
    master = *s->masterSecret;
  } else if (s && s->preMasterSecret) {
    master = fromPms(*s->preMasterSecret);
  } else if (conn.hs.abbreviated) {
    std::optional<Bytes> m;
    if (!conn.hs.offeredTicket.empty()) m = shared.keys.findMasterByTicket(conn.hs.offeredTicket);
    if (!m) m = shared.keys.findMasterBySessionId(conn.hs.serverSessionId);
    if (m) {
      master = *m;
      keys::SessionSecrets derived;
      derived.clientRandom = conn.hs.clientRandom;
      derived.masterSecret = master;
      derived.sources.push_back(tc.negotiated.resumedFrom
                                    ? fmt::format("the resumed session of connection {}", *tc.negotiated.resumedFrom)
                                    : std::string("the resumed session"));
      conn.hs.derivedSecrets = std::move(derived);
    } else {
      conn.reason = noKeyReason(shared, conn) + "; this handshake resumes a session whose master secret is not known";
      return false;
    }
  } else if (conn.suite->kx == crypto::KeyExchange::Rsa) {
    auto pms = recoverRsa(shared, conn);
    if (!pms) return false;
    master = fromPms(*pms);
    keys::SessionSecrets derived;
    derived.clientRandom = conn.hs.clientRandom;
    derived.preMasterSecret = *pms;
    derived.sources.push_back("the server's RSA key (decrypted ClientKeyExchange)");
    conn.hs.derivedSecrets = std::move(derived);
  } else if (EphemeralState* e = ephemeralOf(shared, conn); e && !e->sharedSecret.empty()) {
    master = fromPms(e->sharedSecret);
    conn.hs.derivedSecrets = e->derived;
  } else if (e && !e->failure.empty()) {
    conn.reason = "the " + e->ownSide + "'s ephemeral key is known, but the key agreement failed: " + e->failure;
    return false;
  } else {
    conn.reason = noKeyReason(shared, conn);
    return false;
  }
  auto block = crypto::tls12KeyBlock(*conn.suite, version, master, conn.hs.clientRandom, conn.hs.serverRandom);
  if (!block) {
    conn.reason = "cannot split the key block: " + block.error();
    return false;
  }
  conn.hs.masterSecret = master;
  conn.tls12KeyLog += "CLIENT_RANDOM " + toHex(conn.hs.clientRandom) + " " + toHex(master) + "\n";
  conn.hs.clientKeys = block->client;
  conn.hs.serverKeys = block->server;
  rememberTls12Session(shared, conn);
  return true;
}

void rememberTls12Session(Shared& shared, Connection& conn) {
  // A later abbreviated handshake in the same capture resumes with this
  // master secret (RFC 5246 §7.3, RFC 5077 §3.4).
  if (conn.hs.masterSecret.empty()) return;
  if (!conn.hs.serverSessionId.empty()) shared.keys.addMasterSecretForSessionId(conn.hs.serverSessionId, conn.hs.masterSecret);
  // Its own tickets, unless a later connection issued the same one (walking
  // every ticket of the capture here made this quadratic).
  for (const auto& ticket : conn.issuedTickets) {
    auto it = shared.connectionByTicket.find(ticket);
    if (it != shared.connectionByTicket.end() && it->second == conn.index)
      shared.keys.addMasterSecretForTicket(ticket, conn.hs.masterSecret);
  }
}

void activateTls12Keys(Shared& shared, Connection& conn, capture::Direction d) {
  DirectionState& ds = conn.dir[capture::index(d)];
  ds.encrypted = true;
  ds.epoch += 1;
  ds.sequence = 0;
  ds.keyPhase = model::KeyPhase::application();
  ds.cipher.reset();
  if (!ensureTls12Keys(shared, conn)) return;
  const crypto::TrafficKeys& keys = d == capture::Direction::ClientToServer ? *conn.hs.clientKeys : *conn.hs.serverKeys;
  const std::uint16_t version = conn.version ? conn.version : crypto::kTls12;
  auto cipher = crypto::RecordCipher::create(*conn.suite, keys, version, conn.encryptThenMac);
  if (!cipher) {
    conn.reason = "cannot set up the record cipher: " + cipher.error();
    return;
  }
  ds.cipher = std::move(cipher.value());
}

}  // namespace tlslab::dissect
