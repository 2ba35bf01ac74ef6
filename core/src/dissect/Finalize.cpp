// What a learner reads first about a connection: the key derivation (with both
// Finished messages checked against the transcript) and one line saying
// whether it was decrypted, or why not, in plain words.
#include <fmt/core.h>

#include "Connection.hpp"
#include "tlslab/crypto/KeyAgreement.hpp"
#include "tlslab/crypto/Tls12KeySchedule.hpp"
#include "tlslab/keys/Explain.hpp"

namespace tlslab::dissect {

std::string noKeyReason(Shared& shared, Connection& conn) {
  if (!conn.hs.sawClientHello) {
    return "handshake not in the capture (the connection was picked up after its ClientHello), so there is no "
           "client random to look the keys up by";
  }
  if (conn.suite && crypto::forwardSecret(conn.suite->kx) && !shared.keys.privateKeys().empty()) {
    return fmt::format("(EC)DHE suite {} but only an RSA key was given: the key exchange has forward secrecy, so the "
                       "server's private key cannot decrypt it; a key log (SSLKEYLOGFILE) for this session is needed",
                       conn.suite->name);
  }
  std::size_t sessions = shared.keys.sessions().size();
  return fmt::format("no key for this client random ({}...): {}", toHex(ByteView(conn.hs.clientRandom).first(std::min<std::size_t>(8, conn.hs.clientRandom.size()))),
                     sessions == 0 ? "no key log was given and the capture carries none"
                                   : fmt::format("the {} session(s) in the key log are for other connections", sessions));
}

namespace {

model::DerivationStep unknown(std::string name, std::string function, std::string rfc, model::ScheduleNode node,
                              std::string note) {
  model::DerivationStep step;
  step.name = std::move(name);
  step.function = std::move(function);
  step.rfc = std::move(rfc);
  step.node = node;
  step.status = model::StepStatus::NotDerivable;
  step.note = std::move(note);
  return step;
}

// A TLS 1.3 connection no key opens: the schedule's nodes, each saying why.
// The secrets a key log would carry are missing for `reason`; those above
// them could come from no key log at all (forward secrecy).
std::vector<model::DerivationStep> withoutKeysTls13(const std::string& reason, bool keyShare) {
  std::vector<model::DerivationStep> steps;
  if (keyShare) {
    steps.push_back(unknown("(EC)DHE shared secret", "ECDH(private key, peer public key)", "RFC 8446 §7.4",
                            model::ScheduleNode::SharedSecret,
                            "not in any capture: the ephemeral private keys never leave the endpoints (forward "
                            "secrecy), so only a key log written by an endpoint opens this connection"));
  }
  steps.push_back(unknown("handshake_secret", "HKDF-Extract(derived, (EC)DHE shared secret)", "RFC 8446 §7.1",
                          model::ScheduleNode::HandshakeSecret, "needs the (EC)DHE shared secret"));
  steps.push_back(unknown("master_secret", "HKDF-Extract(derived, 0)", "RFC 8446 §7.1", model::ScheduleNode::MasterSecret,
                          "needs the handshake secret"));
  for (const auto& info : crypto::allSecretKinds()) {
    if (info.keyLogLabel.empty() || info.node == model::ScheduleNode::ClientEarlyTraffic ||
        info.node == model::ScheduleNode::EarlyExporter)
      continue;
    steps.push_back(unknown(std::string(info.name), "key log line " + std::string(info.keyLogLabel), "RFC 8446 §7.1",
                            info.node, "not derivable: " + reason));
  }
  return steps;
}

// A resumed TLS 1.3 handshake starts from a PSK (RFC 8446 §4.6.1) made from
// an earlier connection's resumption_master_secret, which no key log line
// carries: the picture's first nodes say so instead of staying empty. With
// the endpoint's ephemeral key the (EC)DHE shared secret is still derived
// (psk_dhe_ke); what follows it needs the PSK too.
std::vector<model::DerivationStep> resumedTls13(const model::TraceConnection& tc, const EphemeralState* e) {
  if (tc.negotiated.resumption != model::Resumption::Psk) return {};
  std::vector<model::DerivationStep> steps;
  if (e != nullptr) {
    steps.push_back(crypto::keyAgreementStep(e->own.pair, e->peerShare, true, e->ownSide));
    if (!e->own.source.empty()) steps.back().note += " (" + e->own.source + ")";
  }
  const std::string from = tc.negotiated.resumedFrom ? fmt::format("connection {}'s", *tc.negotiated.resumedFrom)
                                                     : std::string("an earlier connection's");
  steps.push_back(unknown("resumption PSK", "HKDF-Expand-Label(resumption_master_secret, \"resumption\", ticket_nonce)",
                          "RFC 8446 §4.6.1", model::ScheduleNode::Psk,
                          fmt::format("made from {} resumption_master_secret, which no key log line carries (deriving "
                                      "it needs that connection's (EC)DHE shared secret)",
                                      from)));
  steps.push_back(unknown("early_secret", "HKDF-Extract(0, PSK)", "RFC 8446 §7.1", model::ScheduleNode::EarlySecret,
                          "needs the resumption PSK"));
  return steps;
}

bool sameSecrets(const keys::SessionSecrets& a, const keys::SessionSecrets& b) {
  return a.clientRandom == b.clientRandom && a.masterSecret == b.masterSecret && a.preMasterSecret == b.preMasterSecret &&
         a.tls13 == b.tls13 && a.tls13Sources == b.tls13Sources && a.clientUpdatedSecrets == b.clientUpdatedSecrets &&
         a.serverUpdatedSecrets == b.serverUpdatedSecrets && a.sources == b.sources;
}

bool sameContext(const keys::SessionContext& a, const keys::SessionContext& b) {
  return a.suite == b.suite && a.version == b.version && a.serverRandom == b.serverRandom &&
         a.extendedMasterSecret == b.extendedMasterSecret && a.sessionHash == b.sessionHash &&
         a.clientFinishedHash == b.clientFinishedHash && a.serverFinishedHash == b.serverFinishedHash &&
         a.clientVerifyData == b.clientVerifyData && a.serverVerifyData == b.serverVerifyData;
}

}  // namespace

namespace {

// What the key schedule needs from the handshake, as the dissector saw it.
keys::SessionContext sessionContextOf(const Connection& conn, const model::TraceConnection& tc) {
  keys::SessionContext ctx;
  if (conn.suiteId) ctx.suite = conn.suiteId;
  if (conn.version) ctx.version = conn.version;
  ctx.serverRandom = conn.hs.serverRandom;
  ctx.extendedMasterSecret = tc.negotiated.extendedMasterSecret;
  ctx.sessionHash = conn.hs.sessionHash;
  if (conn.finishedFormUnknown) return ctx;  // no check rather than a false FAIL
  ctx.clientFinishedHash = conn.hs.clientFinishedHash;
  ctx.serverFinishedHash = conn.hs.serverFinishedHash;
  ctx.clientVerifyData = conn.hs.clientVerifyData;
  ctx.serverVerifyData = conn.hs.serverVerifyData;
  return ctx;
}

// The whole chain from the endpoint's own ephemeral key, checked against
// whatever the key log says about the session.
void explainFromEphemeral(Shared& shared, Connection& conn, const EphemeralState& e) {
  model::TraceConnection& tc = traceOf(shared, conn);
  keys::SessionContext ctx = sessionContextOf(conn, tc);
  ctx.ownKey = e.own.pair;
  ctx.ownSide = e.ownSide;
  ctx.ownKeySource = e.own.source;
  ctx.peerShare = e.peerShare;
  ctx.pskResumption = conn.hs.pskAccepted;
  ctx.handshakeHash = conn.hs.helloHash;
  ctx.applicationHash = conn.hs.applicationHash;
  ctx.resumptionHash = conn.hs.resumptionHash;
  keys::SessionSecrets logged;
  logged.clientRandom = conn.hs.clientRandom;
  if (const keys::SessionSecrets* s = shared.keys.findByClientRandom(conn.hs.clientRandom)) logged = *s;
  keys::Explanation explanation = keys::explainFromEphemeral(logged, ctx);
  tc.derivation = std::move(explanation.steps);
  conn.hs.explained.reset();
  for (const auto& note : explanation.notes)
    tc.diagnostics.push_back({model::Severity::Info, "key derivation", std::nullopt, note, model::DiagnosticCode::DerivationNote});
}

}  // namespace

void explainKeys(Shared& shared, Connection& conn) {
  model::TraceConnection& tc = traceOf(shared, conn);
  if (!conn.hs.sawClientHello) return;
  const EphemeralState* e = ephemeralOf(shared, conn);
  // A PSK-resumed TLS 1.3 handshake needs the PSK besides the shared secret:
  // the secrets after it come from the key log, as without the key (below).
  // A TLS 1.2 (EC)DHE_PSK suite's shared secret is only half its pre-master
  // secret: ensureTls12Keys built it with the PSK (derivedSecrets).
  const bool tls12Psk = conn.suite && crypto::usesPsk(conn.suite->kx);
  if (e != nullptr && !(conn.version == crypto::kTls13 && conn.hs.pskAccepted) && !tls12Psk) {
    explainFromEphemeral(shared, conn, *e);
    return;
  }
  const keys::SessionSecrets* secrets = nullptr;
  if (conn.hs.derivedSecrets) {
    secrets = &*conn.hs.derivedSecrets;
  } else {
    secrets = shared.keys.findByClientRandom(conn.hs.clientRandom);
  }
  if (!secrets) {
    std::vector<model::DerivationStep> steps = conn.hs.extraSteps;
    if (conn.version == crypto::kTls13) {
      for (auto& step : resumedTls13(tc, e)) steps.push_back(std::move(step));
      const bool keyShareUnknown = !tc.negotiated.group.empty() && e == nullptr;
      for (auto& step : withoutKeysTls13(noKeyReason(shared, conn), keyShareUnknown)) steps.push_back(std::move(step));
    } else if (conn.suite && !conn.suite->tls13()) {
      if (crypto::forwardSecret(conn.suite->kx)) steps.push_back(crypto::tls12ForwardSecrecyStep(*conn.suite));
      steps.push_back(unknown("master_secret", "PRF(pre_master_secret, \"master secret\", randoms)", "RFC 5246 §8.1",
                              model::ScheduleNode::Tls12MasterSecret, noKeyReason(shared, conn)));
    }
    tc.derivation = std::move(steps);
    conn.hs.explained.reset();
    if (shared.options.keepRecords) linkDerivation(tc);
    return;
  }
  keys::SessionContext ctx = sessionContextOf(conn, tc);
  // Same inputs as last time: tc.derivation already holds the result (only
  // this function writes it, and extraSteps changes reset the memo).
  if (!conn.hs.explained || !sameSecrets(conn.hs.explained->secrets, *secrets) || !sameContext(conn.hs.explained->context, ctx)) {
    keys::Explanation explanation = keys::explainSession(*secrets, ctx);
    std::vector<model::DerivationStep> steps = conn.hs.extraSteps;
    if (conn.version == crypto::kTls13)
      for (auto& step : resumedTls13(tc, e)) steps.push_back(std::move(step));
    for (auto& step : explanation.steps) {
      // The key log's "forward secrecy" gap is filled by the derived shared secret.
      const bool filled = e != nullptr && step.node == model::ScheduleNode::SharedSecret &&
                          step.status == model::StepStatus::NotDerivable;
      if (!filled) steps.push_back(std::move(step));
    }
    tc.derivation = std::move(steps);
    conn.hs.explained = HandshakeState::Explained{*secrets, ctx, std::move(explanation.notes)};
  }
  if (shared.options.keepRecords) linkDerivation(tc);
  for (const auto& note : conn.hs.explained->notes) {
    tc.diagnostics.push_back({model::Severity::Info, "key derivation", std::nullopt, note, model::DiagnosticCode::DerivationNote});
  }
}

namespace {

// The key log lines that decrypt this connection, whatever they came from.
std::string keyLogOf(Shared& shared, const Connection& conn) {
  if (conn.hs.clientRandom.empty() || conn.version != crypto::kTls13) return conn.tls12KeyLog;
  return keyLogLines(shared.keys, conn.hs.clientRandom);
}

}  // namespace

std::string keyLogLines(const keys::KeyStore& keys, ByteView clientRandom) {
  const keys::SessionSecrets* s = keys.findByClientRandom(clientRandom);
  if (!s) return {};
  const std::string random = toHex(clientRandom);
  std::string out;
  for (const auto& [kind, secret] : s->tls13) {
    const auto& info = crypto::secretKindInfo(kind);
    if (info.keyLogLabel.empty()) continue;
    out += std::string(info.keyLogLabel) + " " + random + " " + toHex(secret) + "\n";
  }
  if (s->masterSecret) out += "CLIENT_RANDOM " + random + " " + toHex(*s->masterSecret) + "\n";
  else if (s->preMasterSecret) out += "PMS_CLIENT_RANDOM " + random + " " + toHex(*s->preMasterSecret) + "\n";
  return out;
}

void finalizeConnection(Shared& shared, Connection& conn) {
  model::TraceConnection& tc = traceOf(shared, conn);
  explainKeys(shared, conn);
  tc.keyLog = keyLogOf(shared, conn);
  for (const auto& step : tc.derivation) {
    if (step.status == model::StepStatus::Failed) {
      tc.diagnostics.push_back({model::Severity::Error, step.name, std::nullopt,
                                step.name + " failed: " + step.note, model::DiagnosticCode::CheckFailed});
    }
  }
  using Kind = model::Decryption::Kind;
  const Kind partly = conn.anyOpened ? Kind::Partly : Kind::NotDecrypted;
  if (!conn.anyEncrypted) {
    tc.decryption = !conn.reason.empty()     ? model::Decryption{Kind::NotDecrypted, conn.reason}
                    : conn.hs.sawServerHello ? model::Decryption{Kind::NothingEncrypted, "nothing encrypted in the capture"}
                                             : model::Decryption{Kind::NothingEncrypted, "no encrypted records"};
  } else if (conn.firstFailure) {
    // The record's reason already reads "MAC/tag failure at record N: ...".
    tc.decryption = {partly, (conn.anyOpened ? "partly decrypted; " : "") + tc.records[*conn.firstFailure].undecryptedReason};
  } else if (!conn.reason.empty()) {
    tc.decryption = {partly, (conn.anyOpened ? "partly decrypted; " : "") + conn.reason};
  } else {
    const model::TraceRecord* closed = nullptr;
    for (const auto& rec : tc.records) {
      if (rec.encrypted && !rec.undecryptedReason.empty()) {
        closed = &rec;
        break;
      }
    }
    tc.decryption = closed ? model::Decryption{Kind::Partly, "partly decrypted: " + closed->undecryptedReason}
                           : model::Decryption{Kind::Decrypted, "decrypted"};
  }
  using State = model::ConnectionState::Kind;
  if (!conn.fatalAlert && !conn.hs.done) {
    tc.state = {State::Incomplete, conn.hs.sawServerHello   ? "incomplete (handshake not finished in the capture)"
                                   : conn.hs.sawClientHello ? "incomplete (no ServerHello)"
                                                            : "incomplete (no handshake seen)"};
    // TLS 1.3 encrypts the rest of the handshake: without keys its end is invisible, not missing.
    if (conn.hs.sawServerHello && tc.negotiated.version == 0x0304 && conn.anyEncrypted && !conn.anyOpened)
      tc.state = {State::HiddenHandshake,
                  "handshake encrypted after the ServerHello (TLS 1.3): without keys its end cannot be seen"};
  }
  // Nor can the key phase of a TLS 1.3 record that nothing opened: the switch
  // to application keys happens at a Finished no one could read. Say nothing
  // rather than "handshake" for the login a student is looking for.
  if (tc.negotiated.version == 0x0304 && conn.anyEncrypted && !conn.anyOpened) {
    for (auto& rec : tc.records)
      if (rec.encrypted && !rec.undecryptedReason.empty()) rec.keyPhase.clear();
  }
  // A TCP connection that never carried a record (plain HTTP, the
  // eavesdropping lab): its bytes are the preamble, readable by anyone.
  const bool cleartext = tc.records.empty() && tc.startTlsProtocol.empty() &&
                         (!tc.preamble[0].empty() || !tc.preamble[1].empty());
  if (cleartext) {
    tc.state = {State::Cleartext, "cleartext (no TLS)"};
    tc.decryption = {Kind::NothingEncrypted, "nothing to decrypt: cleartext, readable by anyone on the path"};
  }
  if (conn.reason.empty() && !conn.firstFailure && conn.anyEncrypted && !conn.anyOpened) {
    conn.reason = noKeyReason(shared, conn);
  }
  // Last: records arrived since the handshake, and key phases no key confirmed were cleared above.
  if (shared.options.keepRecords) linkDerivation(tc);
}

void releaseFinished(const DissectOptions& options, model::TraceConnection& tc) {
  if (options.keepRecords && !options.onConnectionFinished) return;
  std::vector<model::TraceRecord>().swap(tc.records);
  std::vector<model::TraceMessage>().swap(tc.messages);
  std::vector<model::AppDataChunk>().swap(tc.appData);
  if (tc.quic) {
    std::vector<model::QuicPacket>().swap(tc.quic->packets);
    std::vector<model::QuicStream>().swap(tc.quic->streams);
  }
  if (!options.keepFinishedDetail) {
    std::vector<model::DerivationStep>().swap(tc.derivation);
    std::vector<Bytes>().swap(tc.serverCertificates);
    std::vector<Bytes>().swap(tc.clientCertificates);
  }
}

}  // namespace tlslab::dissect
