// A session explained from an endpoint's own ephemeral key: the (EC)DHE
// shared secret (TLS 1.2: the pre-master secret), then every secret RFC 8446
// §7.1 or RFC 5246 §8.1 derives from it, each checked against the key log
// OpenSSL wrote for the same handshake.
#include <fmt/core.h>

#include <algorithm>

#include "ExplainParts.hpp"
#include "tlslab/crypto/Tls12KeySchedule.hpp"
#include "tlslab/crypto/Tls13KeySchedule.hpp"

namespace tlslab::keys {
namespace {

using model::DerivationStep;
using model::StepStatus;

std::string shortHex(const Bytes& b) { return toHex(ByteView(b).first(std::min<std::size_t>(8, b.size()))) + "..."; }

// A derived value next to the logged one: Verified when equal, Failed naming
// where they differ.
void checkAgainst(DerivationStep& step, const Bytes* logged, const std::string& label, const std::string& source) {
  if (step.status != StepStatus::Derived || step.output.empty()) return;
  if (!logged) {
    step.note += (step.note.empty() ? "" : "; ") + std::string("not in the key log, so not checked");
    return;
  }
  if (*logged == step.output) {
    step.status = StepStatus::Verified;
    step.note += (step.note.empty() ? "" : "; ") + fmt::format("equals the key log's {} ({})", label, source);
    return;
  }
  auto [a, b] = std::mismatch(step.output.begin(), step.output.end(), logged->begin(), logged->end());
  step.status = StepStatus::Failed;
  step.note = fmt::format("differs from the key log's {} ({}): derived {}, logged {}; first difference at byte {}",
                          label, source, shortHex(step.output), shortHex(*logged), a - step.output.begin());
}

std::string sourceOf(const SessionSecrets& s, crypto::SecretKind kind) {
  auto it = s.tls13Sources.find(kind);
  if (it != s.tls13Sources.end()) return it->second;
  return s.sources.empty() ? std::string("key log") : s.sources.front();
}

DerivationStep missingPsk() {
  DerivationStep step;
  step.name = "early_secret";
  step.node = model::ScheduleNode::EarlySecret;
  step.function = "HKDF-Extract(0, PSK)";
  step.rfc = "RFC 8446 §7.1";
  step.status = StepStatus::NotDerivable;
  step.note = "this handshake resumed with a PSK, which comes from an earlier connection's resumption master secret "
              "and ticket; without it the early secret, and so every secret after it, cannot be derived from the "
              "(EC)DHE secret alone";
  return step;
}

void explainTls13(const SessionSecrets& logged, const SessionContext& ctx, const crypto::CipherSuite& suite,
                  const Bytes& shared, Explanation& out) {
  if (ctx.pskResumption) {
    out.steps.push_back(missingPsk());
    return;
  }
  crypto::Tls13Inputs in;
  in.hash = suite.prfHash;
  in.sharedSecret = shared;
  in.transcript.serverHello = ctx.handshakeHash;
  in.transcript.serverFinished = ctx.applicationHash;
  in.transcript.clientFinished = ctx.resumptionHash;
  crypto::Tls13Schedule schedule = crypto::deriveTls13Schedule(in);
  SessionSecrets derived;
  derived.clientRandom = logged.clientRandom;
  for (auto& step : schedule.steps) {
    for (const auto& info : crypto::allSecretKinds()) {
      if (info.name != step.name || step.output.empty()) continue;
      derived.tls13[info.kind] = step.output;
      if (!info.keyLogLabel.empty())
        checkAgainst(step, logged.secret(info.kind), std::string(info.keyLogLabel), sourceOf(logged, info.kind));
    }
    out.steps.push_back(std::move(step));
  }
  tls13KeysAndFinished(derived, suite, ctx, out);
}

void explainTls12(const SessionSecrets& logged, const SessionContext& ctx, const crypto::CipherSuite& suite,
                  std::uint16_t version, const Bytes& pms, Explanation& out) {
  const crypto::HashAlg prfHash = crypto::tls12PrfHash(suite, version);
  DerivationStep master;
  if (ctx.extendedMasterSecret) {
    if (ctx.sessionHash.empty()) {
      out.notes.push_back("extended master secret negotiated but the session hash is unknown");
      return;
    }
    master = crypto::tls12ExtendedMasterSecret(prfHash, pms, ctx.sessionHash);
  } else {
    master = crypto::tls12MasterSecret(prfHash, pms, logged.clientRandom, ctx.serverRandom);
  }
  checkAgainst(master, logged.masterSecret ? &*logged.masterSecret : nullptr, "CLIENT_RANDOM line",
               logged.sources.empty() ? std::string("key log") : logged.sources.front());
  const Bytes value = master.output;
  out.steps.push_back(std::move(master));
  tls12KeysAndFinished(value, logged.clientRandom, &suite, version, prfHash, ctx, out);
}

}  // namespace

Explanation explainFromEphemeral(const SessionSecrets& logged, const SessionContext& ctx) {
  Explanation out;
  const std::uint16_t version = ctx.version.value_or(crypto::kTls12);
  const bool tls13 = version == crypto::kTls13;
  out.protocol = tls13 ? "TLS 1.3" : version == crypto::kTls10 ? "TLS 1.0" : version == crypto::kTls11 ? "TLS 1.1" : "TLS 1.2";
  out.suite = ctx.suite ? crypto::findSuite(*ctx.suite) : nullptr;
  if (!ctx.ownKey) return out;
  DerivationStep agreement = crypto::keyAgreementStep(*ctx.ownKey, ctx.peerShare, tls13, ctx.ownSide);
  if (!ctx.ownKeySource.empty()) agreement.note += " (" + ctx.ownKeySource + ")";
  if (!tls13 && logged.preMasterSecret) checkAgainst(agreement, logged.preMasterSecret ? &*logged.preMasterSecret : nullptr,
                           "PMS_CLIENT_RANDOM line", "key log");
  const Bytes shared = agreement.output;
  out.steps.push_back(std::move(agreement));
  if (shared.empty()) return out;
  if (!out.suite || out.suite->tls13() != tls13) {
    out.notes.push_back("cipher suite unknown: nothing is derived past the shared secret");
    return out;
  }
  if (tls13) {
    explainTls13(logged, ctx, *out.suite, shared, out);
  } else {
    explainTls12(logged, ctx, *out.suite, version, shared, out);
  }
  return out;
}

}  // namespace tlslab::keys
