// Every lab run is its own self-check: its wire bytes, dissected by the same
// code that reads captures, decrypt to exactly what the endpoints sent and
// received. One test per version, suite and feature the endpoints offer.
#include <gtest/gtest.h>

#include <algorithm>

#include "support/LabConfigs.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/scenarios/MitmLab.hpp"
#include "tlslab/scenarios/RunTrace.hpp"

using namespace tlslab::endpoints;
using namespace tlslab::scenarios;
using tlslab::model::StepStatus;

namespace {

std::filesystem::path certs() { return tlslab::test::labCerts(); }

ServerConfig serverFor(const std::string& entry, Service service = Service::Echo) {
  return tlslab::test::labServerFor(entry, service);
}

ClientConfig clientFor(const LabServer& server) {
  ClientConfig config = tlslab::test::labClientFor(server);
  config.script = {ScriptStep::send("hello, lab"), ScriptStep::expect("hello, lab"),
                   ScriptStep::send(std::string(40000, 'x')), ScriptStep::expect(std::string(40000, 'x'))};
  return config;
}

std::size_t countSteps(const tlslab::model::TraceConnection& conn, StepStatus status) {
  return static_cast<std::size_t>(std::count_if(conn.derivation.begin(), conn.derivation.end(),
                                                [&](const auto& s) { return s.status == status; }));
}

// Runs the client, dissects the run and asserts the self-check and that no
// record stayed closed.
RunTrace checkedRun(const ClientConfig& config, ClientRun& run) {
  run = runClient(config);
  EXPECT_TRUE(run.scriptOk) << run.error;
  RunTrace traced = traceOfRun({{&run}}, "test run");
  EXPECT_TRUE(traced.error.empty()) << traced.error;
  EXPECT_TRUE(traced.selfCheckOk()) << (traced.checks.empty() ? "no check" : traced.checks[0].message);
  if (traced.trace.connections.size() != 1) {
    ADD_FAILURE() << "expected one connection, got " << traced.trace.connections.size();
    return traced;
  }
  for (const auto& record : traced.trace.connections[0].records)
    EXPECT_TRUE(record.undecryptedReason.empty()) << "record " << record.index << ": " << record.undecryptedReason;
  return traced;
}

struct SuiteCase {
  const char* name;
  TlsVersion version;
  const char* suite;     // OpenSSL name
  const char* entry;     // certs/ entry (RSA or ECDSA key)
};

}  // namespace

class SelfCheckSuites : public ::testing::TestWithParam<SuiteCase> {};

TEST_P(SelfCheckSuites, DissectionEqualsWhatTheEndpointsSentAndFinishedVerifies) {
  const SuiteCase& c = GetParam();
  ServerConfig serverConfig = serverFor(c.entry);
  serverConfig.tls.minVersion = serverConfig.tls.maxVersion = c.version;
  if (c.version == TlsVersion::Tls1_3) serverConfig.tls.cipherSuites = c.suite;
  else serverConfig.tls.cipherList = c.suite;
  auto server = LabServer::start(serverConfig);
  ASSERT_TRUE(server) << server.error();
  ClientConfig config = clientFor(**server);
  config.tls = serverConfig.tls;
  ClientRun run;
  RunTrace traced = checkedRun(config, run);
  ASSERT_EQ(traced.trace.connections.size(), 1u);
  const auto& conn = traced.trace.connections[0];
  EXPECT_NE(conn.negotiated.suite, 0);
  EXPECT_EQ(conn.negotiated.version, c.version == TlsVersion::Tls1_3 ? 0x0304 : 0x0303);
  for (const char* check : {"client Finished check", "server Finished check"}) {
    auto it = std::find_if(conn.derivation.begin(), conn.derivation.end(), [&](const auto& s) { return s.name == check; });
    ASSERT_NE(it, conn.derivation.end()) << check;
    EXPECT_EQ(it->status, StepStatus::Verified) << check;
  }
  EXPECT_EQ(countSteps(conn, StepStatus::Failed), 0u);
  // The client's own key share: TLS 1.3 from the shared secret down; a TLS
  // 1.2 client never holds its key where it can be read (EphemeralKeys.cpp).
  ASSERT_FALSE(conn.derivation.empty());
  EXPECT_EQ(conn.derivation[0].status,
            c.version == TlsVersion::Tls1_3 ? StepStatus::Derived : StepStatus::NotDerivable) << conn.derivation[0].name;
  EXPECT_GT(traced.checks[0].bytesChecked, 80000u);
}

INSTANTIATE_TEST_SUITE_P(
    Lab, SelfCheckSuites,
    ::testing::Values(SuiteCase{"Tls13Aes128Gcm", TlsVersion::Tls1_3, "TLS_AES_128_GCM_SHA256", "bank32-ecdsa"},
                      SuiteCase{"Tls13Aes256Gcm", TlsVersion::Tls1_3, "TLS_AES_256_GCM_SHA384", "bank32-rsa"},
                      SuiteCase{"Tls13Chacha20", TlsVersion::Tls1_3, "TLS_CHACHA20_POLY1305_SHA256", "bank32-ecdsa"},
                      SuiteCase{"Tls13Aes128Ccm", TlsVersion::Tls1_3, "TLS_AES_128_CCM_SHA256", "bank32-rsa"},
                      SuiteCase{"Tls12EcdheRsaAes128Gcm", TlsVersion::Tls1_2, "ECDHE-RSA-AES128-GCM-SHA256", "bank32-rsa"},
                      SuiteCase{"Tls12EcdheEcdsaChacha20", TlsVersion::Tls1_2, "ECDHE-ECDSA-CHACHA20-POLY1305", "bank32-ecdsa"},
                      SuiteCase{"Tls12EcdheRsaAes256Cbc", TlsVersion::Tls1_2, "ECDHE-RSA-AES256-SHA384", "bank32-rsa"},
                      SuiteCase{"Tls12DheRsaAes128Gcm", TlsVersion::Tls1_2, "DHE-RSA-AES128-GCM-SHA256", "bank32-rsa"}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(SelfCheck, ResumedConnectionsDecryptToo) {
  for (TlsVersion version : {TlsVersion::Tls1_2, TlsVersion::Tls1_3}) {
    auto server = LabServer::start(serverFor("bank32-rsa"));
    ASSERT_TRUE(server) << server.error();
    ClientConfig config = clientFor(**server);
    config.tls.minVersion = config.tls.maxVersion = version;
    ClientRun first, second;
    checkedRun(config, first);
    ASSERT_TRUE(first.session);
    config.resume = first.session;
    RunTrace traced = checkedRun(config, second);
    EXPECT_TRUE(second.negotiated.resumed);
    ASSERT_EQ(traced.trace.connections.size(), 1u);
    EXPECT_NE(traced.trace.connections[0].negotiated.resumption, tlslab::model::Resumption::None) << versionName(version);
  }
}

TEST(SelfCheck, KeyUpdateRenegotiationAndZeroRtt) {
  ServerConfig serverConfig = serverFor("bank32-rsa");
  serverConfig.allowClientRenegotiation = true;
  serverConfig.maxEarlyData = 16384;
  auto server = LabServer::start(serverConfig);
  ASSERT_TRUE(server) << server.error();

  ClientConfig keyUpdate = clientFor(**server);
  keyUpdate.tls.minVersion = TlsVersion::Tls1_3;
  keyUpdate.script = {ScriptStep::send("before"), ScriptStep::expect("before"), ScriptStep::keyUpdate(),
                      ScriptStep::send("after"), ScriptStep::expect("after")};
  ClientRun run;
  checkedRun(keyUpdate, run);

  ClientConfig renegotiate = clientFor(**server);
  renegotiate.tls.minVersion = renegotiate.tls.maxVersion = TlsVersion::Tls1_2;
  renegotiate.script = {ScriptStep::send("one"), ScriptStep::expect("one"), ScriptStep::renegotiate(),
                        ScriptStep::send("two"), ScriptStep::expect("two")};
  checkedRun(renegotiate, run);

  ClientConfig early = clientFor(**server);
  early.tls.minVersion = TlsVersion::Tls1_3;
  ClientRun first;
  checkedRun(early, first);
  ASSERT_TRUE(first.session);
  early.resume = first.session;
  early.earlyData = "early words";
  early.script = {ScriptStep::send("late words"), ScriptStep::expect("late words")};
  RunTrace traced = checkedRun(early, run);
  EXPECT_TRUE(run.earlyDataAccepted);
  ASSERT_EQ(traced.trace.connections.size(), 1u);
  EXPECT_TRUE(traced.trace.connections[0].negotiated.earlyData);
}

TEST(SelfCheck, StarttlsPreambleAndClientAuth) {
  auto mail = LabServer::start(serverFor("mail-bank32", Service::Pop3));
  ASSERT_TRUE(mail) << mail.error();
  ClientConfig pop3 = clientFor(**mail);
  pop3.host = "mail.bank32.com";
  pop3.starttls = Starttls::Pop3;
  pop3.script = {ScriptStep::send("USER student01\r\n"), ScriptStep::expect("+OK"),
                 ScriptStep::send("PASS secret\r\n"), ScriptStep::expect("logged in"),
                 ScriptStep::send("QUIT\r\n"), ScriptStep::expect("bye")};
  ClientRun run;
  RunTrace traced = checkedRun(pop3, run);
  ASSERT_EQ(traced.trace.connections.size(), 1u);
  EXPECT_EQ(traced.trace.connections[0].startTlsProtocol, "POP3");

  ServerConfig authConfig = serverFor("bank32-rsa");
  authConfig.clientAuth = ClientAuth::Require;
  authConfig.clientCaFile = certs() / "root-ca" / "cert.pem";
  auto server = LabServer::start(authConfig);
  ASSERT_TRUE(server) << server.error();
  ClientConfig withCert = clientFor(**server);
  withCert.clientCert = certs() / "student01" / "chain.pem";
  withCert.clientKey = certs() / "student01" / "key.pem";
  traced = checkedRun(withCert, run);
  ASSERT_EQ(traced.trace.connections.size(), 1u);
  EXPECT_FALSE(traced.trace.connections[0].clientCertificates.empty());
}

TEST(SelfCheck, CleartextRunsHaveNothingToDecrypt) {
  ServerConfig serverConfig = serverFor("bank32-rsa");
  serverConfig.useTls = false;
  auto server = LabServer::start(serverConfig);
  ASSERT_TRUE(server) << server.error();
  ClientConfig config = clientFor(**server);
  config.useTls = false;
  ClientRun run = runClient(config);
  ASSERT_TRUE(run.scriptOk) << run.error;
  RunTrace traced = traceOfRun({{&run}}, "cleartext");
  ASSERT_EQ(traced.checks.size(), 1u);
  EXPECT_FALSE(traced.checks[0].applicable);
  EXPECT_TRUE(traced.selfCheckOk());
}

TEST(SelfCheck, MitmRunGivesTwoLabelledLegsBothDecrypted) {
  MitmLabOptions options;
  options.certsDir = certs();
  MitmOutcome outcome = runMitm(AttackerCertificate::AttackerOwn, VictimMode::ChainOnly, options);
  ASSERT_TRUE(outcome.setupError.empty()) << outcome.setupError;
  ASSERT_TRUE(outcome.passwordStolen);
  ASSERT_EQ(outcome.proxySessions.size(), 1u);
  RunTrace traced = traceOfRun({{&outcome.victimRun, "victim", "proxy"},
                                {&outcome.proxySessions[0].upstream, "proxy", "bank32.com"}},
                               "mitm");
  ASSERT_TRUE(traced.selfCheckOk()) << traced.checks[0].message;
  ASSERT_EQ(traced.trace.connections.size(), 2u);
  EXPECT_EQ(traced.trace.connections[0].clientLabel, "victim");
  EXPECT_EQ(traced.trace.connections[1].serverLabel, "bank32.com");
  EXPECT_TRUE(traced.trace.connections[0].serverVerification.has_value());
  // The password crossed both legs, decrypted from each one's own keys.
  for (const auto& conn : traced.trace.connections) {
    std::string upstream;
    for (const auto& chunk : conn.appData)
      if (chunk.direction == tlslab::model::Direction::ClientToServer) upstream.append(chunk.data.begin(), chunk.data.end());
    EXPECT_NE(upstream.find(options.password), std::string::npos) << conn.clientLabel;
  }
}

TEST(SelfCheck, TamperedBytesAreCaughtByTheDissector) {
  auto server = LabServer::start(serverFor("bank32-rsa"));
  ASSERT_TRUE(server) << server.error();
  ClientConfig config = clientFor(**server);
  config.script = {ScriptStep::send("hello"), ScriptStep::expect("hello")};
  ClientRun run = runClient(config);
  ASSERT_TRUE(run.scriptOk);
  // Flip one ciphertext byte of the client's last application record as recorded:
  // the self-check must notice rather than trust the endpoint's word.
  for (auto it = run.events.rbegin(); it != run.events.rend(); ++it) {
    auto* wire = std::get_if<WireEvent>(&*it);
    if (wire != nullptr && wire->sent && wire->bytes.size() > 10 && wire->bytes[0] == 23) {
      wire->bytes[8] ^= 0x01;
      break;
    }
  }
  RunTrace traced = traceOfRun({{&run}}, "tampered");
  EXPECT_FALSE(traced.selfCheckOk());
}

// Failure cases show the alert the endpoint really sent and the verify trace.
// (An OpenSSL TLS 1.3 client that aborts inside the server's flight has not
// switched its write side to the handshake keys yet: the alert goes in clear.)
TEST(SelfCheck, RejectedCertificateShowsTheClientsAlertAndVerifyTrace) {
  for (TlsVersion version : {TlsVersion::Tls1_2, TlsVersion::Tls1_3}) {
    ServerConfig serverConfig = serverFor("attacker32");  // valid chain, wrong name for bank32.com
    serverConfig.tls.minVersion = serverConfig.tls.maxVersion = version;
    auto server = LabServer::start(serverConfig);
    ASSERT_TRUE(server) << server.error();
    ClientConfig config = clientFor(**server);
    config.tls = serverConfig.tls;
    ClientRun run = runClient(config);
    ASSERT_FALSE(run.handshakeOk);
    RunTrace traced = traceOfRun({{&run}}, "rejected");
    ASSERT_EQ(traced.trace.connections.size(), 1u);
    const auto& conn = traced.trace.connections[0];
    EXPECT_EQ(conn.state.kind, tlslab::model::ConnectionState::Kind::Alert) << conn.state.text;
    EXPECT_NE(conn.state.text.find("from client"), std::string::npos) << conn.state.text;
    auto alert = std::find_if(conn.messages.begin(), conn.messages.end(), [](const auto& m) { return m.name == "Alert"; });
    ASSERT_NE(alert, conn.messages.end());
    EXPECT_EQ(alert->direction, tlslab::model::Direction::ClientToServer);
    ASSERT_TRUE(conn.serverVerification.has_value());
    EXPECT_FALSE(conn.serverVerification->ok);
    EXPECT_EQ(conn.serverVerification->errorName, "X509_V_ERR_HOSTNAME_MISMATCH");
    EXPECT_EQ(conn.serverVerification->errorDepth, 0);
  }
}
