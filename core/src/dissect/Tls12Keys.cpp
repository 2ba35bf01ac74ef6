// TLS 1.0-1.2 record keys: one master secret per session, found (in this
// order) in the key log by client random, from a pre-master secret (key log,
// or recovered with the server's RSA key from the ClientKeyExchange), or, for
// an abbreviated handshake, from the session it resumes. The key block is
// split once and each direction switches at its own ChangeCipherSpec
// (RFC 5246 §7.1, §6.3). SSL 3.0 takes the same path with its own MD5/SHA-1
// derivation (RFC 6101 §6.1, §6.2.2).
#include <algorithm>

#include <fmt/core.h>

#include "Connection.hpp"
#include "tlslab/crypto/Ssl3KeySchedule.hpp"
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

std::string identityText(const Bytes& identity) {
  return "\"" + std::string(identity.begin(), identity.end()) + "\"";
}

// The other_secret of a PSK suite (RFC 4279 §2-4, RFC 5489 §2), or nullopt
// with conn.reason set; `from` says where it came from.
std::optional<Bytes> pskOtherSecret(Shared& shared, Connection& conn, std::string& from) {
  switch (conn.suite->kx) {
    case crypto::KeyExchange::Psk: from = "len(psk) zero bytes"; return Bytes{};
    case crypto::KeyExchange::RsaPsk: {
      auto pms = recoverRsa(shared, conn);
      if (pms) from = "the RSA pre-master secret, step above";
      else conn.reason = "RSA_PSK needs the RSA-encrypted half besides the PSK: " + conn.reason;
      return pms;
    }
    case crypto::KeyExchange::DhePsk:
    case crypto::KeyExchange::EcdhePsk: {
      EphemeralState* e = ephemeralOf(shared, conn);
      if (e && !e->sharedSecret.empty()) {
        from = "the (EC)DH shared secret, with " + e->derived.sources.front();
        return e->sharedSecret;
      }
      if (e && !e->failure.empty()) {
        conn.reason = "the " + e->ownSide + "'s ephemeral key is known, but the key agreement failed: " + e->failure;
      } else {
        conn.reason = fmt::format("{} mixes the PSK with an ephemeral (EC)DH result (forward secrecy): the PSK alone "
                                  "is not enough; a key log for this session (CLIENT_RANDOM) or an endpoint's "
                                  "ephemeral key (--ephemeral-keys) is needed as well",
                                  conn.suite->name);
      }
      return std::nullopt;
    }
    default: conn.reason = "not a PSK key exchange"; return std::nullopt;
  }
}

// PSK suites: the pre-master secret from the PSK the client named and the
// other_secret, as a shown step.
std::optional<Bytes> pskPreMaster(Shared& shared, Connection& conn) {
  if (!conn.hs.pskIdentity) {
    conn.reason = fmt::format("{} is a PSK suite, but the ClientKeyExchange (which names the PSK identity) is not in "
                              "the capture",
                              conn.suite->name);
    return std::nullopt;
  }
  const keys::PreSharedKey* psk = shared.keys.findPsk(*conn.hs.pskIdentity);
  if (!psk) {
    std::string given;
    for (const auto& k : shared.keys.psks()) given += (given.empty() ? "" : ", ") + ("\"" + *k.identity + "\"");
    conn.reason = shared.keys.psks().empty()
                      ? fmt::format("{} is a PSK suite (identity {}) and no pre-shared key was given (--psk HEX)",
                                    conn.suite->name, identityText(*conn.hs.pskIdentity))
                      : fmt::format("no pre-shared key for identity {}: the --psk keys given are for {} only",
                                    identityText(*conn.hs.pskIdentity), given);
    return std::nullopt;
  }
  std::string from;
  auto other = pskOtherSecret(shared, conn, from);
  if (!other) return std::nullopt;
  model::DerivationStep step = crypto::tls12PskPreMasterSecret(
      conn.suite->kx, *other, psk->key, from,
      psk->source + ", for identity " + identityText(*conn.hs.pskIdentity));
  keys::SessionSecrets derived;
  derived.clientRandom = conn.hs.clientRandom;
  derived.preMasterSecret = step.output;
  derived.preMasterShown = true;
  derived.sources.push_back("the pre-shared key (" + psk->source + ")");
  conn.hs.derivedSecrets = std::move(derived);
  conn.hs.extraSteps.push_back(std::move(step));
  conn.hs.explained.reset();
  return conn.hs.derivedSecrets->preMasterSecret;
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
  if (conn.version != 0 && conn.version < crypto::kSsl30) {
    conn.reason = fmt::format("protocol version 0x{:04x} is older than SSL 3.0: not decrypted", conn.version);
    return false;
  }
  const std::uint16_t version = conn.version ? conn.version : crypto::kTls12;
  const bool ssl3 = version == crypto::kSsl30;
  if (ssl3 && (crypto::isAead(conn.suite->cipher) || conn.suite->tls13())) {
    conn.reason = fmt::format("{} cannot be used with SSL 3.0 (AEAD suites arrived with TLS 1.2)", conn.suite->name);
    return false;
  }
  const crypto::HashAlg prf = crypto::tls12PrfHash(*conn.suite, version);
  // SSL 3.0 has no extended master secret (RFC 7627 §5.2 leaves it to TLS).
  const bool ems = tc.negotiated.extendedMasterSecret && !ssl3;
  auto fromPms = [&](const Bytes& pms) -> Bytes {
    if (ssl3) return crypto::ssl3MasterSecret(pms, conn.hs.clientRandom, conn.hs.serverRandom).output;
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
  } else if (crypto::usesPsk(conn.suite->kx)) {
    auto pms = pskPreMaster(shared, conn);
    if (!pms) return false;
    master = fromPms(*pms);
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
  auto block = ssl3 ? crypto::ssl3KeyBlock(*conn.suite, master, conn.hs.clientRandom, conn.hs.serverRandom)
                    : crypto::tls12KeyBlock(*conn.suite, version, master, conn.hs.clientRandom, conn.hs.serverRandom);
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
  // DTLS records carry their own version in the MAC and AAD (RFC 6347 §4.1.2.1).
  const std::uint16_t version = conn.dtlsVersion ? conn.dtlsVersion : conn.version ? conn.version : crypto::kTls12;
  auto cipher = crypto::RecordCipher::create(*conn.suite, keys, version, conn.encryptThenMac);
  if (!cipher) {
    conn.reason = "cannot set up the record cipher: " + cipher.error();
    return;
  }
  ds.cipher = std::move(cipher.value());
}

}  // namespace tlslab::dissect
