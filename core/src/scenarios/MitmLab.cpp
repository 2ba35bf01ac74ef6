#include "tlslab/scenarios/MitmLab.hpp"

#include <openssl/x509.h>

#include <algorithm>
#include <optional>

#include "LabIdentity.hpp"
#include "tlslab/endpoints/Pinning.hpp"
#include "tlslab/pki/Pem.hpp"

namespace tlslab::scenarios {

using namespace tlslab::endpoints;

const char* victimModeName(VictimMode mode) {
  switch (mode) {
    case VictimMode::NoVerification: return "none";
    case VictimMode::ChainOnly: return "chain-only";
    case VictimMode::IgnoreErrors: return "ignore-errors";
    case VictimMode::Correct: return "correct";
    case VictimMode::CorrectRogueTrusted: return "correct+rogue";
    case VictimMode::Pinned: return "pinned";
    default: return "unknown";
  }
}

const char* victimModeDescription(VictimMode mode) {
  switch (mode) {
    case VictimMode::NoVerification: return "no verification at all";
    case VictimMode::ChainOnly: return "checks the chain, never the host name";
    case VictimMode::IgnoreErrors: return "logs verification errors and carries on";
    case VictimMode::Correct: return "checks chain and host name, aborts on failure";
    case VictimMode::CorrectRogueTrusted: return "correct, but trusts the Rogue CA (imported proxy CA)";
    case VictimMode::Pinned: return "correct + Rogue CA trusted + bank32.com's key pinned";
    default: return "unknown";
  }
}

std::vector<VictimMode> allVictimModes() {
  return {VictimMode::NoVerification, VictimMode::ChainOnly, VictimMode::IgnoreErrors,
          VictimMode::Correct,        VictimMode::CorrectRogueTrusted, VictimMode::Pinned};
}

namespace {

using S = AttackerCertificate;
using V = VictimMode;

// Rows: what the proxy presents. Columns: how the victim checks. With no
// verification OpenSSL still checks and records the error; nobody acts on it.
constexpr MitmExpectation kExpected[] = {
    {S::AttackerOwn, V::NoVerification, true, "", -1},
    {S::AttackerOwn, V::ChainOnly, true, "", -1},  // valid chain, wrong name: nobody looked
    {S::AttackerOwn, V::IgnoreErrors, true, "HOSTNAME_MISMATCH", 0},
    {S::AttackerOwn, V::Correct, false, "HOSTNAME_MISMATCH", 0},
    {S::AttackerOwn, V::CorrectRogueTrusted, false, "HOSTNAME_MISMATCH", 0},
    {S::AttackerOwn, V::Pinned, false, "HOSTNAME_MISMATCH", 0},
    {S::SelfSigned, V::NoVerification, true, "DEPTH_ZERO_SELF_SIGNED_CERT", 0},  // found, ignored
    {S::SelfSigned, V::ChainOnly, false, "DEPTH_ZERO_SELF_SIGNED_CERT", 0},
    {S::SelfSigned, V::IgnoreErrors, true, "DEPTH_ZERO_SELF_SIGNED_CERT", 0},
    {S::SelfSigned, V::Correct, false, "DEPTH_ZERO_SELF_SIGNED_CERT", 0},
    {S::SelfSigned, V::CorrectRogueTrusted, false, "DEPTH_ZERO_SELF_SIGNED_CERT", 0},
    {S::SelfSigned, V::Pinned, false, "DEPTH_ZERO_SELF_SIGNED_CERT", 0},
    {S::RogueSigned, V::NoVerification, true, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", 0},
    {S::RogueSigned, V::ChainOnly, false, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", 0},
    {S::RogueSigned, V::IgnoreErrors, true, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", 0},
    {S::RogueSigned, V::Correct, false, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", 0},
    {S::RogueSigned, V::CorrectRogueTrusted, true, "", -1},  // trust store compromise
    {S::RogueSigned, V::Pinned, false, "PIN_MISMATCH", 0},   // ...which pinning survives
    {S::ForgedOnTheFly, V::NoVerification, true, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", 0},
    {S::ForgedOnTheFly, V::ChainOnly, false, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", 0},
    {S::ForgedOnTheFly, V::IgnoreErrors, true, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", 0},
    {S::ForgedOnTheFly, V::Correct, false, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", 0},
    {S::ForgedOnTheFly, V::CorrectRogueTrusted, true, "", -1},
    {S::ForgedOnTheFly, V::Pinned, false, "PIN_MISMATCH", 0},
    {S::LeafSignedLeaf, V::NoVerification, true, "INVALID_CA", 1},
    {S::LeafSignedLeaf, V::ChainOnly, false, "INVALID_CA", 1},
    {S::LeafSignedLeaf, V::IgnoreErrors, true, "INVALID_CA", 1},
    {S::LeafSignedLeaf, V::Correct, false, "INVALID_CA", 1},
    {S::LeafSignedLeaf, V::CorrectRogueTrusted, false, "INVALID_CA", 1},
    {S::LeafSignedLeaf, V::Pinned, false, "INVALID_CA", 1},
};

std::string shortErrorName(const std::string& name) {
  const std::string prefix = "X509_V_ERR_";
  return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
}

// Where each party listens: loopback addresses, or the namespaces' veth addresses.
struct Addresses {
  std::string server = "127.0.0.1";
  std::string attacker = "127.0.0.66";  // what the victim is sent to
};

Addresses addressesOf(const MitmLabOptions& options) {
  if (!options.netns) return {};
  return {NetnsTopology::kServerAddress, NetnsTopology::kAttackerFrontAddress};
}

// The calling thread in `host`'s namespace until the scope is reset (nothing on loopback).
std::string enter(std::optional<NetnsTopology::Scope>& scope, const MitmLabOptions& options, NetnsTopology::Host host) {
  scope.reset();
  if (!options.netns) return {};
  scope.emplace(*options.netns, host);
  return scope->error();
}

ClientConfig victimConfig(VictimMode victim, std::uint16_t port, const MitmLabOptions& options) {
  ClientConfig config;
  config.host = "bank32.com";
  config.port = port;
  // The poisoned name resolution: bank32.com now means the attacker's address.
  config.resolver.set("bank32.com", addressesOf(options).attacker);
  config.trustFiles = {options.certsDir / "root-ca" / "cert.pem"};
  switch (victim) {
    case V::NoVerification: config.verifyMode = VerifyMode::None; break;
    case V::ChainOnly: config.verifyMode = VerifyMode::ChainOnly; break;
    case V::IgnoreErrors: config.verifyMode = VerifyMode::IgnoreErrors; break;
    case V::Correct: config.verifyMode = VerifyMode::ChainAndHost; break;
    case V::CorrectRogueTrusted:
    case V::Pinned:
      config.verifyMode = victim == V::Pinned ? VerifyMode::Pinned : VerifyMode::ChainAndHost;
      config.trustFiles.push_back(options.certsDir / "rogue-ca" / "cert.pem");
      config.pinnedSpkiSha256 = spkiPinOfPemFile(options.certsDir / "bank32-rsa" / "cert.pem");
      break;
    default: break;
  }
  std::string body = "user=" + options.user + "&password=" + options.password;
  config.script = {
      ScriptStep::send("GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n"),
      ScriptStep::expect("</html>"),
      ScriptStep::send("POST /login HTTP/1.1\r\nHost: bank32.com\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                       "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body),
      ScriptStep::expect("Welcome back"),
  };
  return config;
}

// What the attacker logged: the application data the victim sent it.
std::string attackerLog(const std::vector<ServerConnection>& sessions) {
  std::string log;
  for (const auto& session : sessions)
    for (const auto& event : session.events)
      if (const auto* data = std::get_if<AppDataEvent>(&event); data && !data->sent)
        log.append(data->bytes.begin(), data->bytes.end());
  return log;
}

}  // namespace

const MitmExpectation& expectedOutcome(AttackerCertificate strategy, VictimMode victim) {
  auto it = std::find_if(std::begin(kExpected), std::end(kExpected),
                         [&](const auto& e) { return e.strategy == strategy && e.victim == victim; });
  return *it;  // the table covers every pair (tests check it)
}

std::vector<RunLeg> MitmOutcome::legs() const {
  std::vector<RunLeg> legs{{&victimRun, kMitmVictimLabel, kMitmProxyLabel, serverEventsOf(victimRun, proxySessions)}};
  // A proxy leg that never connected (the victim aborted first) has nothing to show.
  for (const auto& session : proxySessions)
    if (session.upstream.connected)
      legs.push_back(
          {&session.upstream, kMitmProxyLabel, kMitmServerLabel, serverEventsOf(session.upstream, serverConnections)});
  return legs;
}

MitmOutcome runMitm(AttackerCertificate strategy, VictimMode victim, const MitmLabOptions& options) {
  MitmOutcome outcome;
  outcome.strategy = strategy;
  outcome.victim = victim;
  const Addresses at = addressesOf(options);
  outcome.proxyAddress = at.attacker;
  outcome.serverAddress = at.server;
  std::optional<NetnsTopology::Scope> scope;  // the thread's namespace while it starts each party
  if (auto err = enter(scope, options, NetnsTopology::Host::Server); !err.empty()) {
    outcome.setupError = err;
    return outcome;
  }
  ServerConfig bank;
  bank.address = at.server;
  setLabIdentity(bank, options.certsDir);
  if (auto leaf = pki::readCertificate(bank.chainFile)) {
    unsigned char* der = nullptr;
    int len = i2d_X509(leaf->get(), &der);
    if (len > 0) outcome.realServerLeafDer.assign(der, der + len);
    OPENSSL_free(der);
  }
  auto server = LabServer::start(bank, options.observer);
  if (!server) {
    outcome.setupError = "the real server cannot start: " + server.error();
    return outcome;
  }
  if (auto err = enter(scope, options, NetnsTopology::Host::Attacker); !err.empty()) {
    outcome.setupError = err;
    return outcome;
  }
  MitmConfig attack;
  attack.listenAddress = at.attacker;
  attack.targetAddress = at.server;
  attack.listenPort = (*server)->port();  // same port, the attacker's address: only DNS changed
  attack.targetPort = (*server)->port();
  attack.certificate = strategy;
  attack.certsDir = options.certsDir;
  auto proxy = MitmProxy::start(attack, options.observer);
  if (!proxy) {
    outcome.setupError = proxy.error();
    return outcome;
  }
  outcome.presentedChainPem = (*proxy)->presentedChainPem();
  if (auto err = enter(scope, options, NetnsTopology::Host::Victim); !err.empty()) {
    outcome.setupError = err;
    return outcome;
  }
  outcome.victimRun = runClient(victimConfig(victim, (*proxy)->port(), options), options.observer);
  scope.reset();
  (*proxy)->stop();
  (*server)->stop();
  outcome.proxySessions = (*proxy)->sessions();
  outcome.serverConnections = (*server)->finishedConnections();
  const auto& verdict = outcome.victimRun.verify;
  outcome.connected = outcome.victimRun.scriptOk;
  outcome.error = verdict.errorCode == 0 ? "" : shortErrorName(verdict.errorName);
  outcome.errorDepth = verdict.errorCode == 0 ? -1 : verdict.errorDepth;
  outcome.errorText = verdict.errorText;
  std::string log = attackerLog(outcome.proxySessions);
  std::string secret = "password=" + options.password;
  if (auto pos = log.find("user="); pos != std::string::npos && log.find(secret) != std::string::npos) {
    outcome.passwordStolen = true;
    outcome.stolen = log.substr(pos, log.find(secret) + secret.size() - pos);
  }
  return outcome;
}

}  // namespace tlslab::scenarios
