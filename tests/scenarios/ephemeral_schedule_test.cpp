// A lab run's Trace holds the whole key schedule from the (EC)DHE shared
// secret down (RFC 8446 §7.1; RFC 5246 §8.1, §6.3), each secret checked
// against the key log OpenSSL wrote; its capture holds no private key, and
// read without the run's ephemeral keys it says why nothing above the logged
// secrets can be derived.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "support/LabConfigs.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/endpoints/RunPcapng.hpp"
#include "tlslab/scenarios/MitmLab.hpp"
#include "tlslab/scenarios/PairLab.hpp"
#include "tlslab/scenarios/RunTrace.hpp"

using namespace tlslab;
using namespace tlslab::scenarios;
using model::StepStatus;

namespace {

struct Traced {
  PairLabRun run;
  RunTrace traced;
};

Traced handshake(const std::string& tls, const std::string& ciphers = "", const std::string& groups = "",
                 const std::string& serverGroups = "") {
  PairLabOptions options;
  options.certsDir = test::labCerts();
  options.tls = tls;
  options.ciphers = ciphers;
  options.groups = groups;
  options.serverGroups = serverGroups;
  Traced out;
  out.run = runPairLab(PairLab::Handshake, options);
  EXPECT_TRUE(out.run.ok()) << out.run.setupError;
  out.traced = traceOfRun(out.run.legs(), "test");
  EXPECT_TRUE(out.traced.selfCheckOk()) << (out.traced.checks.empty() ? out.traced.error : out.traced.checks[0].message);
  return out;
}

const model::DerivationStep* step(const model::TraceConnection& conn, const std::string& name) {
  auto it = std::find_if(conn.derivation.begin(), conn.derivation.end(), [&](const auto& s) { return s.name == name; });
  return it == conn.derivation.end() ? nullptr : &*it;
}

std::vector<std::string> failures(const model::TraceConnection& conn) {
  std::vector<std::string> out;
  for (const auto& s : conn.derivation)
    if (s.status == StepStatus::Failed || s.status == StepStatus::NotDerivable) out.push_back(s.name + ": " + s.note);
  return out;
}

// Every TLS 1.3 secret from the shared secret to the traffic keys and both
// Finished checks, the five OpenSSL logs equal to its key log.
void expectFullTls13Schedule(const model::TraceConnection& conn, std::size_t sharedLength) {
  ASSERT_FALSE(conn.derivation.empty());
  const auto& first = conn.derivation.front();
  EXPECT_EQ(first.name, "(EC)DHE shared secret");
  EXPECT_EQ(first.status, StepStatus::Derived);
  EXPECT_EQ(first.output.size(), sharedLength);
  EXPECT_TRUE(failures(conn).empty()) << failures(conn).front();
  for (const char* name : {"early_secret", "handshake_secret", "master_secret", "resumption_master_secret",
                           "client handshake write key", "server handshake write iv", "client application write key",
                           "server application write iv", "server finished_key", "client verify_data"}) {
    const auto* s = step(conn, name);
    ASSERT_NE(s, nullptr) << name;
    EXPECT_EQ(s->status, StepStatus::Derived) << name;
    EXPECT_FALSE(s->output.empty()) << name;
  }
  for (const char* name : {"client_handshake_traffic_secret", "server_handshake_traffic_secret",
                           "client_application_traffic_secret_0", "server_application_traffic_secret_0",
                           "exporter_master_secret", "server Finished check", "client Finished check"}) {
    const auto* s = step(conn, name);
    ASSERT_NE(s, nullptr) << name;
    EXPECT_EQ(s->status, StepStatus::Verified) << name << ": " << s->note;
  }
  EXPECT_NE(step(conn, "client_handshake_traffic_secret")->note.find("equals the key log's CLIENT_HANDSHAKE_TRAFFIC_SECRET"),
            std::string::npos);
}

void expectFullTls12Chain(const model::TraceConnection& conn) {
  ASSERT_FALSE(conn.derivation.empty());
  EXPECT_EQ(conn.derivation.front().name, "pre_master_secret");
  EXPECT_EQ(conn.derivation.front().status, StepStatus::Derived);
  EXPECT_TRUE(failures(conn).empty()) << failures(conn).front();
  const auto* master = step(conn, "master_secret (extended)");
  ASSERT_NE(master, nullptr) << "OpenSSL negotiates the extended master secret (RFC 7627)";
  EXPECT_EQ(master->status, StepStatus::Verified) << master->note;
  EXPECT_NE(master->note.find("CLIENT_RANDOM"), std::string::npos) << master->note;
  for (const char* name : {"key_block", "client_write_key", "server_write_key", "client Finished verify_data"})
    EXPECT_NE(step(conn, name), nullptr) << name;
  EXPECT_EQ(step(conn, "client Finished check")->status, StepStatus::Verified);
  EXPECT_EQ(step(conn, "server Finished check")->status, StepStatus::Verified);
}

}  // namespace

TEST(EphemeralSchedule, Tls13X25519RunShowsEverySecretFromTheSharedSecretDown) {
  Traced t = handshake("1.3");
  ASSERT_EQ(t.traced.trace.connections.size(), 1u);
  expectFullTls13Schedule(t.traced.trace.connections[0], 32);
  EXPECT_EQ(t.traced.ephemeralKeys.size(), 2u) << "the client's and the server's";
}

TEST(EphemeralSchedule, Tls13P256P384X448FfdheAndHelloRetryRequestRunsToo) {
  struct Case { const char* groups; const char* serverGroups; std::size_t shared; };
  for (const Case& c : {Case{"P-256", "", 32}, Case{"P-384", "", 48}, Case{"X448", "", 56}, Case{"ffdhe2048", "", 256},
                      Case{"X25519:P-256", "P-256", 32}}) {
    SCOPED_TRACE(c.groups);
    Traced t = handshake("1.3", "", c.groups, c.serverGroups);
    ASSERT_EQ(t.traced.trace.connections.size(), 1u);
    const auto& conn = t.traced.trace.connections[0];
    expectFullTls13Schedule(conn, c.shared);
    if (*c.serverGroups) {
      EXPECT_EQ(conn.negotiated.group, "secp256r1");
      EXPECT_TRUE(std::any_of(conn.messages.begin(), conn.messages.end(),
                              [](const auto& m) { return m.name == "HelloRetryRequest"; }));
    }
  }
}

TEST(EphemeralSchedule, Tls12EcdheAndDheRunsDerivePreMasterToFinished) {
  for (const char* suite : {"ECDHE-RSA-AES128-GCM-SHA256", "DHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA"}) {
    SCOPED_TRACE(suite);
    Traced t = handshake("1.2", suite);
    ASSERT_EQ(t.traced.trace.connections.size(), 1u);
    expectFullTls12Chain(t.traced.trace.connections[0]);
    EXPECT_NE(t.traced.trace.connections[0].derivation.front().function.find("server ephemeral private key"),
              std::string::npos)
        << "a TLS 1.2 lab run has the server's key";
  }
}

TEST(EphemeralSchedule, TheCaptureHoldsNoPrivateKeyAndWithoutTheKeysSaysNotDerivableAndWhy) {
  Traced t = handshake("1.3");
  ASSERT_FALSE(t.traced.ephemeralKeys.empty());
  for (const auto& key : t.traced.ephemeralKeys) {
    const std::string priv(key.pair.privateKey.begin(), key.pair.privateKey.end());
    EXPECT_EQ(t.traced.pcapng.find(priv), std::string::npos) << "a private key in the capture";
  }
  keys::KeyStore none;  // the capture alone: only its key log
  auto trace = dissect::dissectBytes(asBytes(t.traced.pcapng), none);
  ASSERT_TRUE(trace.ok());
  ASSERT_EQ(trace->connections.size(), 1u);
  const auto& conn = trace->connections[0];
  EXPECT_EQ(conn.decryption.kind, model::Decryption::Kind::Decrypted);
  ASSERT_FALSE(conn.derivation.empty());
  EXPECT_EQ(conn.derivation[0].name, "(EC)DHE shared secret");
  EXPECT_EQ(conn.derivation[0].status, StepStatus::NotDerivable);
  EXPECT_NE(conn.derivation[0].note.find("forward secrecy"), std::string::npos) << conn.derivation[0].note;
  EXPECT_NE(conn.derivation[0].note.find("--ephemeral-keys"), std::string::npos) << conn.derivation[0].note;
  EXPECT_EQ(step(conn, "client_handshake_traffic_secret")->status, StepStatus::FromKeyLog);
}

TEST(EphemeralSchedule, EphemeralKeysAloneDecryptARunWhoseCaptureHasNoKeyLog) {
  for (const char* tls : {"1.3", "1.2"}) {
    SCOPED_TRACE(tls);
    Traced t = handshake(tls, std::string(tls) == "1.2" ? "ECDHE-RSA-AES256-GCM-SHA384" : "");
    const auto& client = t.run.runs.at(0);
    std::vector<endpoints::Event> clientEvents, serverEvents;
    for (const auto& e : client.events)
      if (!std::holds_alternative<endpoints::KeyLogEvent>(e)) clientEvents.push_back(e);
    for (const auto& e : t.run.serverSide.at(0).events)
      if (!std::holds_alternative<endpoints::KeyLogEvent>(e)) serverEvents.push_back(e);
    std::ostringstream pcapng;
    ASSERT_EQ(endpoints::writeRunPcapng(pcapng, {{client.peers, clientEvents, serverEvents}}), "");
    keys::KeyStore keys;
    addEphemeralKeys(keys, clientEvents, "client");
    addEphemeralKeys(keys, serverEvents, "server");
    auto trace = dissect::dissectBytes(asBytes(pcapng.str()), keys);
    ASSERT_TRUE(trace.ok());
    ASSERT_EQ(trace->connections.size(), 1u);
    const auto& conn = trace->connections[0];
    EXPECT_EQ(conn.decryption.kind, model::Decryption::Kind::Decrypted);
    std::string down;
    for (const auto& chunk : conn.appData)
      if (chunk.direction == model::Direction::ServerToClient) down.append(chunk.data.begin(), chunk.data.end());
    EXPECT_EQ(down, client.received);
    EXPECT_TRUE(failures(conn).empty()) << failures(conn).front();
    const auto* logged = step(conn, std::string(tls) == "1.3" ? "client_handshake_traffic_secret" : "master_secret (extended)");
    ASSERT_NE(logged, nullptr);
    EXPECT_NE(logged->note.find("not in the key log"), std::string::npos) << logged->note;
  }
}

TEST(EphemeralSchedule, TheClientsKeyAloneGivesTheSameTls13Schedule) {
  Traced t = handshake("1.3");
  RunTrace clientOnly = traceOfRun({{&t.run.runs.at(0)}}, "client only");  // no server events: only its key
  ASSERT_EQ(clientOnly.trace.connections.size(), 1u);
  const auto& a = clientOnly.trace.connections[0];
  const auto& b = t.traced.trace.connections[0];
  expectFullTls13Schedule(a, 32);
  EXPECT_NE(a.derivation[0].function.find("client ephemeral private key"), std::string::npos);
  EXPECT_NE(b.derivation[0].function.find("server ephemeral private key"), std::string::npos);
  EXPECT_EQ(a.derivation[0].output, b.derivation[0].output) << "both sides agree on the shared secret";
}

TEST(EphemeralSchedule, AWrongPrivateKeyIsAFailedStepNamingTheKeyLogDifference) {
  Traced t = handshake("1.3");
  ASSERT_EQ(t.traced.ephemeralKeys.size(), 2u);
  keys::KeyStore keys;
  crypto::KeyPair wrong = t.traced.ephemeralKeys[0].pair;
  wrong.privateKey = t.traced.ephemeralKeys[1].pair.privateKey;  // the other side's: the agreement gives another secret
  keys.addEphemeralKey(wrong, "a mixed-up key");
  auto trace = dissect::dissectBytes(asBytes(t.traced.pcapng), keys);
  ASSERT_TRUE(trace.ok());
  const auto& conn = trace->connections.at(0);
  const auto* hs = step(conn, "client_handshake_traffic_secret");
  ASSERT_NE(hs, nullptr);
  EXPECT_EQ(hs->status, StepStatus::Failed);
  EXPECT_NE(hs->note.find("differs from the key log's CLIENT_HANDSHAKE_TRAFFIC_SECRET"), std::string::npos) << hs->note;
  EXPECT_NE(hs->note.find("first difference at byte"), std::string::npos) << hs->note;
  EXPECT_EQ(conn.decryption.kind, model::Decryption::Kind::Decrypted) << "the records open with the key log's secrets";
  EXPECT_TRUE(std::any_of(conn.diagnostics.begin(), conn.diagnostics.end(),
                          [](const auto& d) { return d.severity == model::Severity::Error; }));
}

TEST(EphemeralSchedule, BothLegsOfAManInTheMiddleStartAtTheirOwnSharedSecret) {
  MitmLabOptions options;
  options.certsDir = test::labCerts();
  MitmOutcome outcome = runMitm(AttackerCertificate::AttackerOwn, VictimMode::ChainOnly, options);
  ASSERT_TRUE(outcome.setupError.empty()) << outcome.setupError;
  ASSERT_EQ(outcome.proxySessions.size(), 1u);
  RunTrace traced = traceOfRun({{&outcome.victimRun, "victim", "proxy"},
                                {&outcome.proxySessions[0].upstream, "proxy", "bank32.com"}},
                               "mitm");
  ASSERT_EQ(traced.trace.connections.size(), 2u);
  for (const auto& conn : traced.trace.connections) {
    SCOPED_TRACE(conn.clientLabel);
    expectFullTls13Schedule(conn, 32);
  }
  EXPECT_NE(traced.trace.connections[0].derivation[0].output, traced.trace.connections[1].derivation[0].output)
      << "two handshakes, two secrets";
}
