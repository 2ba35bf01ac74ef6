#include "tlslab/crypto/Tls13KeySchedule.hpp"

#include <algorithm>

#include "tlslab/crypto/Kdf.hpp"
#include "tlslab/util/ByteWriter.hpp"

namespace tlslab::crypto {
namespace {

using model::DerivationStep;
using model::ScheduleNode;
using model::StepStatus;

DerivationStep notDerivable(std::string name, std::string function, std::string note, ScheduleNode node) {
  DerivationStep step;
  step.name = std::move(name);
  step.node = node;
  step.function = std::move(function);
  step.rfc = "RFC 8446 §7.1";
  step.status = StepStatus::NotDerivable;
  step.note = std::move(note);
  return step;
}

// Derive-Secret from a transcript hash, or an explicit NotDerivable node when
// the hash is unknown.
Bytes deriveOrExplain(std::vector<DerivationStep>& steps, HashAlg hash, const Bytes& secret,
                      SecretKind kind, const Bytes& transcriptHash) {
  const auto& info = secretKindInfo(kind);
  if (transcriptHash.empty()) {
    steps.push_back(notDerivable(std::string(info.name),
                                 "Derive-Secret(., \"" + std::string(info.hkdfLabel) + "\", " +
                                     std::string(info.messages) + ")",
                                 "needs Transcript-Hash(" + std::string(info.messages) +
                                     "): the handshake messages were not given",
                                 info.node));
    return {};
  }
  steps.push_back(deriveSecret(hash, secret, info.hkdfLabel, transcriptHash, std::string(info.name),
                               std::string(info.messages)));
  steps.back().node = info.node;
  return steps.back().output;
}

}  // namespace

Tls13Schedule deriveTls13Schedule(const Tls13Inputs& in) {
  Tls13Schedule out;
  auto& st = out.steps;
  auto& s = out.secrets;
  const HashAlg h = in.hash;
  const Bytes zeros(hashLength(h), 0);
  const Bytes emptyHash = digest(h, {});

  // Early Secret = HKDF-Extract(salt 0, PSK or zeros).
  st.push_back(hkdfExtract(h, {}, in.psk ? ByteView(*in.psk) : ByteView(zeros), "early_secret"));
  st.back().node = ScheduleNode::EarlySecret;
  if (!in.psk) st.back().note = "no PSK: IKM is a string of Hash.length zero bytes";
  s.earlySecret = st.back().output;

  if (in.psk) {
    const SecretKind binder = in.externalPsk ? SecretKind::ExternalPskBinderKey : SecretKind::ResumptionPskBinderKey;
    st.push_back(deriveSecret(h, s.earlySecret, secretKindInfo(binder).hkdfLabel, emptyHash,
                              std::string(secretKindInfo(binder).name), "\"\""));
    st.back().node = ScheduleNode::BinderKey;
    s.binderKey = st.back().output;
    if (!in.transcript.clientHello.empty()) {
      s.clientEarlyTraffic = deriveOrExplain(st, h, s.earlySecret, SecretKind::ClientEarlyTrafficSecret,
                                             in.transcript.clientHello);
      s.earlyExporter = deriveOrExplain(st, h, s.earlySecret, SecretKind::EarlyExporterMasterSecret,
                                        in.transcript.clientHello);
    }
  }

  st.push_back(deriveSecret(h, s.earlySecret, "derived", emptyHash, "derived (for handshake secret)", "\"\""));
  st.back().node = ScheduleNode::DerivedForHandshake;
  const Bytes derivedHs = st.back().output;

  if (!in.sharedSecret && !in.pskOnly) {
    st.push_back(notDerivable("handshake_secret", "HKDF-Extract(derived, (EC)DHE shared secret)", kForwardSecrecyNote,
                              ScheduleNode::HandshakeSecret));
    return out;
  }
  st.push_back(hkdfExtract(h, derivedHs, in.sharedSecret ? ByteView(*in.sharedSecret) : ByteView(zeros),
                           "handshake_secret"));
  st.back().node = ScheduleNode::HandshakeSecret;
  if (!in.sharedSecret) st.back().note = "psk_ke: no (EC)DHE, IKM is Hash.length zero bytes";
  s.handshakeSecret = st.back().output;
  s.clientHandshakeTraffic = deriveOrExplain(st, h, s.handshakeSecret, SecretKind::ClientHandshakeTrafficSecret,
                                             in.transcript.serverHello);
  s.serverHandshakeTraffic = deriveOrExplain(st, h, s.handshakeSecret, SecretKind::ServerHandshakeTrafficSecret,
                                             in.transcript.serverHello);

  st.push_back(deriveSecret(h, s.handshakeSecret, "derived", emptyHash, "derived (for master secret)", "\"\""));
  st.back().node = ScheduleNode::DerivedForMaster;
  st.push_back(hkdfExtract(h, st.back().output, zeros, "master_secret"));
  st.back().node = ScheduleNode::MasterSecret;
  st.back().note = "IKM is Hash.length zero bytes";
  s.masterSecret = st.back().output;
  s.clientApplicationTraffic = deriveOrExplain(st, h, s.masterSecret, SecretKind::ClientApplicationTrafficSecret0,
                                               in.transcript.serverFinished);
  s.serverApplicationTraffic = deriveOrExplain(st, h, s.masterSecret, SecretKind::ServerApplicationTrafficSecret0,
                                               in.transcript.serverFinished);
  s.exporterMaster = deriveOrExplain(st, h, s.masterSecret, SecretKind::ExporterMasterSecret,
                                     in.transcript.serverFinished);
  s.resumptionMaster = deriveOrExplain(st, h, s.masterSecret, SecretKind::ResumptionMasterSecret,
                                       in.transcript.clientFinished);
  return out;
}

Tls13KeyIv tls13TrafficKeys(const CipherSuite& suite, ByteView trafficSecret, const std::string& who) {
  Tls13KeyIv out;
  out.steps.push_back(hkdfExpandLabel(suite.prfHash, trafficSecret, "key", {}, suite.keyLength, who + " write key"));
  out.steps.back().rfc = "RFC 8446 §7.3";
  out.steps.push_back(hkdfExpandLabel(suite.prfHash, trafficSecret, "iv", {}, suite.fixedIvLength, who + " write iv"));
  out.steps.back().rfc = "RFC 8446 §7.3";
  out.keys.key = out.steps[0].output;
  out.keys.iv = out.steps[1].output;
  return out;
}

Tls13KeyIv tls13TrafficKeys(const CipherSuite& suite, ByteView trafficSecret, SecretKind kind) {
  const auto& info = secretKindInfo(kind);
  // "client_handshake_traffic_secret" -> "client handshake": the keys' names.
  std::string who;
  switch (kind) {
    case SecretKind::ClientEarlyTrafficSecret: who = "client early"; break;
    case SecretKind::ClientHandshakeTrafficSecret: who = "client handshake"; break;
    case SecretKind::ServerHandshakeTrafficSecret: who = "server handshake"; break;
    case SecretKind::ClientApplicationTrafficSecret0: who = "client application"; break;
    case SecretKind::ServerApplicationTrafficSecret0: who = "server application"; break;
    default: who = std::string(info.name); break;
  }
  Tls13KeyIv out = tls13TrafficKeys(suite, trafficSecret, who);
  out.steps[0].node = info.keyNode;
  out.steps[1].node = info.ivNode;
  return out;
}

Bytes tls13MessageHash(HashAlg hash, ByteView clientHello1) {
  constexpr std::uint8_t kMessageHash = 254;  // HandshakeType message_hash
  ByteWriter w(4 + hashLength(hash));
  w.u8(kMessageHash);
  w.prefixed(3, [&] { w.bytes(digest(hash, clientHello1)); });
  return std::move(w).take();
}

model::DerivationStep tls13FinishedKey(HashAlg hash, ByteView baseKey, std::string name) {
  auto step = hkdfExpandLabel(hash, baseKey, "finished", {}, hashLength(hash), std::move(name));
  step.rfc = "RFC 8446 §4.4.4";
  return step;
}

model::DerivationStep tls13VerifyData(HashAlg hash, ByteView finishedKey, ByteView transcriptHash,
                                      std::string name, std::string messages) {
  DerivationStep step;
  step.name = std::move(name);
  step.function = std::string("verify_data = HMAC-") + hashName(hash) + "(finished_key, Transcript-Hash(" +
                  messages + "))";
  step.inputs = {{"finished_key", Bytes(finishedKey.begin(), finishedKey.end())},
                 {"Transcript-Hash(" + messages + ")", Bytes(transcriptHash.begin(), transcriptHash.end())}};
  step.output = hmac(hash, finishedKey, transcriptHash);
  step.rfc = "RFC 8446 §4.4.4";
  step.command = std::string("tlslab keys derive hmac --hash ") + (hash == HashAlg::Sha384 ? "sha384" : "sha256") +
                 " --key " + toHex(finishedKey) + " --data " + toHex(transcriptHash);
  return step;
}

model::DerivationStep compareStep(std::string name, ByteView computed, ByteView received, std::string rfc,
                                  std::string what) {
  DerivationStep step;
  step.name = std::move(name);
  step.function = "compare computed " + what + " with the received one";
  step.inputs = {{"computed", Bytes(computed.begin(), computed.end())},
                 {"received", Bytes(received.begin(), received.end())}};
  step.output = Bytes(computed.begin(), computed.end());
  step.rfc = std::move(rfc);
  const bool same = !computed.empty() && computed.size() == received.size() &&
                    std::equal(computed.begin(), computed.end(), received.begin());
  step.status = same ? StepStatus::Verified : StepStatus::Failed;
  step.note = same ? "match: every value it was derived from is right"
                   : "MISMATCH: a secret, the transcript or the message is not what the peer used";
  return step;
}

model::DerivationStep tls13NextTrafficSecret(HashAlg hash, ByteView current, unsigned nextGeneration,
                                             const std::string& who) {
  auto step = hkdfExpandLabel(hash, current, "traffic upd", {}, hashLength(hash),
                              who + "_application_traffic_secret_" + std::to_string(nextGeneration));
  step.rfc = "RFC 8446 §7.2";
  return step;
}

model::DerivationStep tls13ResumptionPsk(HashAlg hash, ByteView resumptionMasterSecret, ByteView ticketNonce) {
  auto step = hkdfExpandLabel(hash, resumptionMasterSecret, "resumption", ticketNonce, hashLength(hash),
                              "resumption PSK (from ticket_nonce)");
  step.rfc = "RFC 8446 §4.6.1";
  step.node = ScheduleNode::Psk;
  return step;
}

std::vector<model::DerivationStep> tls13NotDerivableFromKeyLog() {
  return {
      notDerivable("(EC)DHE shared secret", "ECDH(private key, peer public key)", kForwardSecrecyNote,
                   ScheduleNode::SharedSecret),
      notDerivable("handshake_secret", "HKDF-Extract(derived, (EC)DHE shared secret)", kForwardSecrecyNote,
                   ScheduleNode::HandshakeSecret),
      notDerivable("master_secret", "HKDF-Extract(derived, 0)", kForwardSecrecyNote, ScheduleNode::MasterSecret),
  };
}

}  // namespace tlslab::crypto
