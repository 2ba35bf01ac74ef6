#include "tlslab/keys/Explain.hpp"

#include "tlslab/crypto/Ssl3KeySchedule.hpp"
#include "tlslab/crypto/Tls12KeySchedule.hpp"
#include "tlslab/crypto/Tls13KeySchedule.hpp"
#include "ExplainParts.hpp"

namespace tlslab::keys {
namespace {

using crypto::SecretKind;
using model::DerivationStep;
using model::ScheduleNode;
using model::StepStatus;

// A value taken as given, with the NSS key log line that carries it.
DerivationStep given(std::string name, std::string function, const Bytes& value, std::string rfc, std::string note,
                     ScheduleNode node, std::string keyLogLine) {
  DerivationStep step;
  step.name = std::move(name);
  step.node = node;
  step.keyLogLine = std::move(keyLogLine);
  step.function = std::move(function);
  step.output = value;
  step.rfc = std::move(rfc);
  step.status = StepStatus::FromKeyLog;
  step.note = std::move(note);
  return step;
}

DerivationStep missing(std::string name, std::string function, std::string note, std::string rfc, ScheduleNode node) {
  DerivationStep step;
  step.name = std::move(name);
  step.node = node;
  step.function = std::move(function);
  step.rfc = std::move(rfc);
  step.status = StepStatus::NotDerivable;
  step.note = std::move(note);
  return step;
}

std::string joined(const std::vector<std::string>& sources) {
  std::string out;
  for (const auto& s : sources) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? out : "from " + out;
}

const char* kNeedsHandshake =
    "needs the handshake (transcript hash and the received Finished), which a capture or an instrumented run "
    "provides: see `tlslab capture`";

void explainTls13(const SessionSecrets& s, const SessionContext& ctx, Explanation& out) {
  out.protocol = "TLS 1.3";
  const crypto::CipherSuite* suite = ctx.suite ? crypto::findSuite(*ctx.suite) : nullptr;
  if (!suite || !suite->tls13()) {
    const std::size_t len = s.tls13.begin()->second.size();
    suite = crypto::findSuite(len == 48 ? std::uint16_t{0x1302} : std::uint16_t{0x1301});
    out.notes.push_back(std::string("cipher suite not given: assuming ") + std::string(suite->name) +
                        " from the " + std::to_string(len) + "-byte secrets (pass the suite to be exact)");
  }
  out.suite = suite;
  for (auto& step : crypto::tls13NotDerivableFromKeyLog()) out.steps.push_back(std::move(step));
  for (const auto& info : crypto::allSecretKinds()) {
    if (const Bytes* secret = s.secret(info.kind)) {
      auto source = s.tls13Sources.find(info.kind);
      out.steps.push_back(given(std::string(info.name), "key log line " + std::string(info.keyLogLabel), *secret,
                                "RFC 8446 §7.1",
                                source == s.tls13Sources.end() ? joined(s.sources) : "from " + source->second,
                                info.node, std::string(info.keyLogLabel) + " " + toHex(s.clientRandom) + " " + toHex(*secret)));
    }
  }
  tls13KeysAndFinished(s, *suite, ctx, out);
}

}  // namespace

void tls13KeysAndFinished(const SessionSecrets& s, const crypto::CipherSuite& suiteRef, const SessionContext& ctx,
                          Explanation& out) {
  const crypto::CipherSuite* suite = &suiteRef;
  const crypto::HashAlg hash = suite->prfHash;
  for (SecretKind kind : {SecretKind::ClientEarlyTrafficSecret, SecretKind::ClientHandshakeTrafficSecret,
                          SecretKind::ServerHandshakeTrafficSecret, SecretKind::ClientApplicationTrafficSecret0,
                          SecretKind::ServerApplicationTrafficSecret0}) {
    if (const Bytes* secret = s.secret(kind)) {
      // The SecretKind overload names the key and IV and places them (ScheduleNode).
      for (auto& step : crypto::tls13TrafficKeys(*suite, *secret, kind).steps) out.steps.push_back(std::move(step));
    }
  }
  auto finished = [&](SecretKind kind, const char* who, const Bytes& transcript, const Bytes& received) {
    const Bytes* base = s.secret(kind);
    if (!base) return;
    const bool client = std::string(who) == "client";
    out.steps.push_back(crypto::tls13FinishedKey(hash, *base, std::string(who) + " finished_key"));
    out.steps.back().node = client ? ScheduleNode::ClientFinishedKey : ScheduleNode::ServerFinishedKey;
    const Bytes key = out.steps.back().output;
    const ScheduleNode check = client ? ScheduleNode::ClientFinishedCheck : ScheduleNode::ServerFinishedCheck;
    if (transcript.empty() || received.empty()) {
      out.steps.push_back(missing(std::string(who) + " Finished check", "HMAC(finished_key, Transcript-Hash)",
                                  kNeedsHandshake, "RFC 8446 §4.4.4", check));
      return;
    }
    out.steps.push_back(crypto::tls13VerifyData(hash, key, transcript, std::string(who) + " verify_data",
                                                client ? "ClientHello..server Finished" : "ClientHello..CertificateVerify"));
    out.steps.back().node = client ? ScheduleNode::ClientVerifyData : ScheduleNode::ServerVerifyData;
    out.steps.push_back(crypto::compareStep(std::string(who) + " Finished check", out.steps.back().output, received,
                                            "RFC 8446 §4.4.4", "verify_data"));
    out.steps.back().node = check;
  };
  finished(SecretKind::ServerHandshakeTrafficSecret, "server", ctx.serverFinishedHash, ctx.serverVerifyData);
  finished(SecretKind::ClientHandshakeTrafficSecret, "client", ctx.clientFinishedHash, ctx.clientVerifyData);
  if (const Bytes* c = s.secret(SecretKind::ClientApplicationTrafficSecret0)) {
    out.steps.push_back(crypto::tls13NextTrafficSecret(hash, *c, 1, "client"));
    out.steps.back().node = ScheduleNode::ClientNextApplicationTraffic;
    out.steps.back().note = "used after the client sends KeyUpdate";
  }
  if (const Bytes* v = s.secret(SecretKind::ServerApplicationTrafficSecret0)) {
    out.steps.push_back(crypto::tls13NextTrafficSecret(hash, *v, 1, "server"));
    out.steps.back().node = ScheduleNode::ServerNextApplicationTraffic;
    out.steps.back().note = "used after the server sends KeyUpdate";
  }
}

namespace {

void explainTls12(const SessionSecrets& s, const SessionContext& ctx, Explanation& out) {
  const std::uint16_t version = ctx.version.value_or(crypto::kTls12);
  const bool ssl3 = version == crypto::kSsl30;
  out.protocol = ssl3 ? "SSL 3.0" : version == crypto::kTls10 ? "TLS 1.0" : version == crypto::kTls11 ? "TLS 1.1" : "TLS 1.2";
  const crypto::CipherSuite* suite = ctx.suite ? crypto::findSuite(*ctx.suite) : nullptr;
  if (suite && suite->tls13()) suite = nullptr;
  out.suite = suite;
  if (!suite) out.notes.push_back("cipher suite not given: the key block cannot be split without it");
  const crypto::HashAlg prfHash =
      suite ? crypto::tls12PrfHash(*suite, version) : (version < crypto::kTls12 ? crypto::HashAlg::Md5Sha1 : crypto::HashAlg::Sha256);
  Bytes master;
  if (s.masterSecret) {
    if (suite && crypto::forwardSecret(suite->kx)) {
      auto fs = crypto::tls12ForwardSecrecyStep(*suite);
      fs.note = "not derivable from a capture: " + fs.note;
      out.steps.push_back(std::move(fs));
    }
    out.steps.push_back(given("master_secret", "key log line CLIENT_RANDOM", *s.masterSecret, "RFC 5246 §8.1",
                              joined(s.sources), ScheduleNode::Tls12MasterSecret,
                              "CLIENT_RANDOM " + toHex(s.clientRandom) + " " + toHex(*s.masterSecret)));
    master = *s.masterSecret;
  } else if (s.preMasterSecret) {
    if (!s.preMasterShown)
      out.steps.push_back(given("pre_master_secret", "key log line PMS_CLIENT_RANDOM", *s.preMasterSecret,
                              "RFC 5246 §8.1", joined(s.sources), ScheduleNode::PreMasterSecret,
                              "PMS_CLIENT_RANDOM " + toHex(s.clientRandom) + " " + toHex(*s.preMasterSecret)));
    if (ssl3 && !ctx.serverRandom.empty()) {
      out.steps.push_back(crypto::ssl3MasterSecret(*s.preMasterSecret, s.clientRandom, ctx.serverRandom));
      master = out.steps.back().output;
    } else if (ctx.extendedMasterSecret && !ctx.sessionHash.empty() && !ssl3) {
      out.steps.push_back(crypto::tls12ExtendedMasterSecret(prfHash, *s.preMasterSecret, ctx.sessionHash));
      master = out.steps.back().output;
    } else if (!ctx.serverRandom.empty() && !ctx.extendedMasterSecret) {
      out.steps.push_back(crypto::tls12MasterSecret(prfHash, *s.preMasterSecret, s.clientRandom, ctx.serverRandom));
      master = out.steps.back().output;
    } else {
      out.steps.push_back(missing("master_secret", "PRF(pre_master_secret, \"master secret\", randoms)",
                                  "needs ServerHello.random (or the session hash with extended master secret)",
                                  "RFC 5246 §8.1", ScheduleNode::Tls12MasterSecret));
    }
  }
  if (master.empty()) return;
  tls12KeysAndFinished(master, s.clientRandom, suite, version, prfHash, ctx, out);
}

}  // namespace

namespace {

// SSL 3.0 (RFC 6101 §6.2.2, §5.6.9): the same shape as TLS 1.0's, with the
// MD5/SHA-1 constructions in place of the PRF.
void ssl3KeysAndFinished(const Bytes& master, const Bytes& clientRandom, const crypto::CipherSuite* suite,
                         const SessionContext& ctx, Explanation& out) {
  if (!suite || ctx.serverRandom.empty()) {
    out.steps.push_back(missing("key_block", "MD5(master + SHA(\"A\" + master + randoms)) + ...",
                                "needs ServerHello.random and the cipher suite from the handshake", "RFC 6101 §6.2.2",
                                ScheduleNode::KeyBlock));
  } else if (auto block = crypto::ssl3KeyBlock(*suite, master, clientRandom, ctx.serverRandom)) {
    for (auto& step : block->steps) out.steps.push_back(std::move(step));
  } else {
    out.notes.push_back(block.error());
  }
  auto finished = [&](bool client, const Bytes& messages, const Bytes& received) {
    const std::string who = client ? "client" : "server";
    const ScheduleNode check = client ? ScheduleNode::ClientFinishedCheck : ScheduleNode::ServerFinishedCheck;
    if (messages.empty() || received.empty()) {
      out.steps.push_back(missing(who + " Finished check", "MD5(master + pad2 + MD5(messages + Sender + master + pad1)) + SHA(...)",
                                  kNeedsHandshake, "RFC 6101 §5.6.9", check));
      return;
    }
    out.steps.push_back(crypto::ssl3VerifyData(master, client, messages));
    out.steps.push_back(crypto::compareStep(who + " Finished check", out.steps.back().output, received,
                                            "RFC 6101 §5.6.9", "md5_hash + sha_hash"));
    out.steps.back().node = check;
  };
  finished(true, ctx.clientFinishedHash, ctx.clientVerifyData);
  finished(false, ctx.serverFinishedHash, ctx.serverVerifyData);
}

}  // namespace

void tls12KeysAndFinished(const Bytes& master, const Bytes& clientRandom, const crypto::CipherSuite* suite,
                          std::uint16_t version, crypto::HashAlg prfHash, const SessionContext& ctx,
                          Explanation& out) {
  if (version == crypto::kSsl30) {
    ssl3KeysAndFinished(master, clientRandom, suite, ctx, out);
    return;
  }
  if (!suite || ctx.serverRandom.empty()) {
    out.steps.push_back(missing("key_block", "PRF(master_secret, \"key expansion\", server_random + client_random)",
                                "needs ServerHello.random and the cipher suite from the handshake", "RFC 5246 §6.3",
                                ScheduleNode::KeyBlock));
  } else if (auto block = crypto::tls12KeyBlock(*suite, version, master, clientRandom, ctx.serverRandom)) {
    for (auto& step : block->steps) out.steps.push_back(std::move(step));
  } else {
    out.notes.push_back(block.error());
  }
  auto finished = [&](bool client, const Bytes& hash, const Bytes& received) {
    const std::string who = client ? "client" : "server";
    const ScheduleNode check = client ? ScheduleNode::ClientFinishedCheck : ScheduleNode::ServerFinishedCheck;
    if (hash.empty() || received.empty()) {
      out.steps.push_back(missing(who + " Finished check", "PRF(master_secret, \"" + who + " finished\", Hash)[0..11]",
                                  kNeedsHandshake, "RFC 5246 §7.4.9", check));
      return;
    }
    out.steps.push_back(crypto::tls12VerifyData(prfHash, master, client, hash));
    out.steps.push_back(crypto::compareStep(who + " Finished check", out.steps.back().output, received,
                                            "RFC 5246 §7.4.9", "verify_data"));
    out.steps.back().node = check;
  };
  finished(true, ctx.clientFinishedHash, ctx.clientVerifyData);
  finished(false, ctx.serverFinishedHash, ctx.serverVerifyData);
}

Explanation explainSession(const SessionSecrets& secrets, const SessionContext& context) {
  Explanation out;
  const bool tls13 = context.version ? *context.version == crypto::kTls13 : secrets.isTls13();
  if (context.ownKey) return explainFromEphemeral(secrets, context);
  if (tls13 && secrets.isTls13()) {
    explainTls13(secrets, context, out);
  } else {
    explainTls12(secrets, context, out);
  }
  return out;
}

}  // namespace tlslab::keys
