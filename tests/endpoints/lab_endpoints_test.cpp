// Real OpenSSL client and server on loopback, with the lab PKI from certs/.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <cstdlib>
#include <fstream>

#include "support/LabConfigs.hpp"
#include "support/TestPaths.hpp"
#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/endpoints/MitmProxy.hpp"
#include "tlslab/endpoints/RunPcapng.hpp"

using namespace tlslab::endpoints;

namespace {

std::filesystem::path certs() { return tlslab::test::labCerts(); }

ServerConfig serverFor(const std::string& entryDir, Service service = Service::HttpsHello) {
  return tlslab::test::labServerFor(entryDir, service);
}

std::unique_ptr<LabServer> startServer(const ServerConfig& config) {
  auto server = LabServer::start(config);
  if (!server) ADD_FAILURE() << server.error();
  return server ? std::move(server.value()) : nullptr;
}

ClientConfig clientFor(const LabServer& server, VerifyMode mode = VerifyMode::ChainAndHost) {
  return tlslab::test::labClientFor(server, mode);
}

template <class T>
std::vector<T> eventsOf(const std::vector<Event>& events) {
  std::vector<T> out;
  for (const auto& e : events)
    if (auto* t = std::get_if<T>(&e)) out.push_back(*t);
  return out;
}

std::string appData(const std::vector<Event>& events, bool sent) {
  std::string out;
  for (const auto& e : eventsOf<AppDataEvent>(events))
    if (e.sent == sent) out.append(e.bytes.begin(), e.bytes.end());
  return out;
}

}  // namespace

class EndpointVersions : public ::testing::TestWithParam<TlsVersion> {};

TEST_P(EndpointVersions, ClientGetsTheHelloPageWithAVerifiedChain) {
  auto server = startServer(serverFor("bank32-rsa"));
  ASSERT_TRUE(server);
  ClientConfig config = clientFor(*server);
  config.tls.minVersion = config.tls.maxVersion = GetParam();
  config.script = {ScriptStep::send("GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n"), ScriptStep::expect("</html>")};
  ClientRun run = runClient(config);
  ASSERT_TRUE(run.handshakeOk) << run.error;
  EXPECT_TRUE(run.scriptOk) << run.error;
  EXPECT_NE(run.received.find("Hello from bank32.com"), std::string::npos);
  EXPECT_TRUE(run.verify.ok);
  EXPECT_EQ(run.verify.steps.size(), 3u);  // leaf, issuing CA, root
  EXPECT_EQ(run.negotiated.version, GetParam() == TlsVersion::Tls1_3 ? "TLSv1.3" : "TLSv1.2");
  EXPECT_EQ(run.negotiated.peerChainSubjects.size(), 2u);  // leaf + intermediate, as the chain file says
}

INSTANTIATE_TEST_SUITE_P(Tls, EndpointVersions, ::testing::Values(TlsVersion::Tls1_2, TlsVersion::Tls1_3),
                         [](const auto& p) { return p.param == TlsVersion::Tls1_2 ? "Tls12" : "Tls13"; });

TEST(LabEndpoints, RecordsKeyLogMessagesWireBytesAndInfo) {
  auto server = startServer(serverFor("bank32-ecdsa", Service::Echo));
  ASSERT_TRUE(server);
  ClientConfig config = clientFor(*server);
  config.script = {ScriptStep::send("ping"), ScriptStep::expect("ping")};
  ClientRun run = runClient(config);
  ASSERT_TRUE(run.scriptOk) << run.error;
  auto keylog = eventsOf<KeyLogEvent>(run.events);
  ASSERT_FALSE(keylog.empty());
  EXPECT_TRUE(std::any_of(keylog.begin(), keylog.end(),
                          [](const auto& k) { return k.line.rfind("CLIENT_TRAFFIC_SECRET_0 ", 0) == 0; }));
  auto messages = eventsOf<MessageEvent>(run.events);
  ASSERT_FALSE(messages.empty());
  // The first handshake message a client sends is its ClientHello (type 1).
  auto firstHandshake = std::find_if(messages.begin(), messages.end(), [](const auto& m) { return m.contentType == 22; });
  ASSERT_NE(firstHandshake, messages.end());
  EXPECT_TRUE(firstHandshake->sent);
  EXPECT_EQ(firstHandshake->bytes.at(0), 1);
  // The wire tap saw a TLS record header first: handshake, legacy version 3.x.
  auto wire = eventsOf<WireEvent>(run.events);
  ASSERT_FALSE(wire.empty());
  EXPECT_TRUE(wire.front().sent);
  EXPECT_EQ(wire.front().bytes.at(0), 0x16);
  EXPECT_EQ(wire.front().bytes.at(1), 0x03);
  auto info = eventsOf<InfoEvent>(run.events);
  EXPECT_TRUE(std::any_of(info.begin(), info.end(), [](const auto& i) { return i.what == "handshake done"; }));
  EXPECT_EQ(appData(run.events, true), "ping");
  EXPECT_EQ(appData(run.events, false), "ping");
}

TEST(LabEndpoints, ServerRecordsWhatTheClientSent) {
  auto server = startServer(serverFor("bank32-rsa", Service::Echo));
  ASSERT_TRUE(server);
  ClientConfig config = clientFor(*server);
  config.script = {ScriptStep::send("hello server"), ScriptStep::expect("hello server")};
  ASSERT_TRUE(runClient(config).scriptOk);
  server->stop();
  auto done = server->finishedConnections();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_TRUE(done[0].handshakeOk);
  EXPECT_EQ(appData(done[0].events, false), "hello server");
}

TEST(LabEndpoints, CorrectClientRejectsTheWrongHost) {
  auto server = startServer(serverFor("attacker32"));
  ASSERT_TRUE(server);
  ClientRun run = runClient(clientFor(*server, VerifyMode::ChainAndHost));
  EXPECT_FALSE(run.handshakeOk);
  EXPECT_EQ(run.verify.errorName, "X509_V_ERR_HOSTNAME_MISMATCH");
  EXPECT_EQ(run.verify.errorDepth, 0);
  EXPECT_NE(run.error.find("certificate verification failed"), std::string::npos) << run.error;
}

TEST(LabEndpoints, ChainOnlyClientWronglyAcceptsTheWrongHost) {
  auto server = startServer(serverFor("attacker32"));
  ASSERT_TRUE(server);
  ClientConfig config = clientFor(*server, VerifyMode::ChainOnly);
  config.script = {ScriptStep::send("GET / HTTP/1.1\r\n\r\n"), ScriptStep::expect("Hello from")};
  ClientRun run = runClient(config);
  EXPECT_TRUE(run.handshakeOk) << run.error;
  EXPECT_TRUE(run.verify.ok);
}

TEST(LabEndpoints, IgnoreErrorsClientLogsTheFailureAndContinues) {
  auto server = startServer(serverFor("gallery/expired"));
  ASSERT_TRUE(server);
  ClientRun run = runClient(clientFor(*server, VerifyMode::IgnoreErrors));
  EXPECT_TRUE(run.handshakeOk) << run.error;
  EXPECT_EQ(run.verify.errorName, "X509_V_ERR_CERT_HAS_EXPIRED");
  auto verifyEvents = eventsOf<VerifyEvent>(run.events);
  EXPECT_TRUE(std::any_of(verifyEvents.begin(), verifyEvents.end(),
                          [](const auto& v) { return !v.preverifyOk && v.callbackReturned; }));
}

TEST(LabEndpoints, CleartextPathCarriesTheSameService) {
  ServerConfig serverConfig = serverFor("bank32-rsa", Service::Echo);
  serverConfig.useTls = false;
  auto server = startServer(serverConfig);
  ASSERT_TRUE(server);
  ClientConfig config = clientFor(*server);
  config.useTls = false;
  config.script = {ScriptStep::send("user=alice&password=secret"), ScriptStep::expect("password=secret")};
  ClientRun run = runClient(config);
  EXPECT_TRUE(run.scriptOk) << run.error;
  // Without TLS the wire bytes ARE the application bytes: that is the lesson.
  std::string wire;
  for (const auto& e : eventsOf<WireEvent>(run.events)) wire.append(e.bytes.begin(), e.bytes.end());
  EXPECT_NE(wire.find("password=secret"), std::string::npos);
}

TEST(LabEndpoints, RefusesNonLoopbackAddresses) {
  ServerConfig config = serverFor("bank32-rsa");
  config.address = "192.0.2.1";
  auto server = LabServer::start(config);
  ASSERT_FALSE(server);
  EXPECT_NE(server.error().find("loopback"), std::string::npos);
  ClientConfig client;
  client.resolver.set("bank32.com", "192.0.2.1");
  client.port = 443;
  ClientRun run = runClient(client);
  EXPECT_FALSE(run.connected);
  EXPECT_NE(run.error.find("loopback"), std::string::npos);
}

TEST(LabEndpoints, UnknownNameIsAClearError) {
  ClientConfig client;
  client.host = "no-such-host.test";
  ClientRun run = runClient(client);
  EXPECT_FALSE(run.connected);
  EXPECT_NE(run.error.find("cannot resolve 'no-such-host.test'"), std::string::npos);
}

TEST(LabEndpoints, MissingCertificateFileFailsToStart) {
  ServerConfig config = serverFor("no-such-entry");
  auto server = LabServer::start(config);
  ASSERT_FALSE(server);
  EXPECT_NE(server.error().find("cannot load certificate chain"), std::string::npos);
}

TEST(LabEndpoints, ManySequentialRunsLeaveNoConnectionsBehind) {
  auto server = startServer(serverFor("bank32-ecdsa", Service::Echo));
  ASSERT_TRUE(server);
  for (int i = 0; i < 50; ++i) {
    ClientConfig config = clientFor(*server);
    config.script = {ScriptStep::send("x"), ScriptStep::expect("x")};
    ASSERT_TRUE(runClient(config).scriptOk) << "run " << i;
  }
  server->stop();
  EXPECT_EQ(server->activeConnections(), 0u);
  EXPECT_EQ(server->finishedConnections().size(), 50u);
}

class Resumption : public ::testing::TestWithParam<TlsVersion> {};

TEST_P(Resumption, SecondConnectionResumesTheFirstSession) {
  auto server = startServer(serverFor("bank32-rsa", Service::Echo));
  ASSERT_TRUE(server);
  ClientConfig config = clientFor(*server);
  config.tls.minVersion = config.tls.maxVersion = GetParam();
  config.script = {ScriptStep::send("one"), ScriptStep::expect("one")};
  ClientRun first = runClient(config);
  ASSERT_TRUE(first.scriptOk) << first.error;
  ASSERT_TRUE(first.session);
  EXPECT_FALSE(first.negotiated.resumed);
  config.resume = first.session;
  ClientRun second = runClient(config);
  ASSERT_TRUE(second.scriptOk) << second.error;
  EXPECT_TRUE(second.negotiated.resumed);
  // TLS 1.2's abbreviated handshake exchanges no keys; TLS 1.3 resumes with a
  // PSK and (psk_dhe_ke) a fresh key exchange.
  const bool tls13 = GetParam() == TlsVersion::Tls1_3;
  EXPECT_EQ(first.negotiated.group, "x25519");
  EXPECT_EQ(second.negotiated.group, tls13 ? "x25519" : "");
  EXPECT_EQ(second.negotiated.resumedBy, tls13 ? "PSK" : "ticket");
  EXPECT_EQ(first.negotiated.resumedBy, "");
}

TEST(LabEndpoints, Tls12WithoutTicketsResumesBySessionId) {
  ServerConfig serverConfig = serverFor("bank32-rsa", Service::Echo);
  serverConfig.tickets = false;
  auto server = startServer(serverConfig);
  ASSERT_TRUE(server);
  ClientConfig config = clientFor(*server);
  config.tls.minVersion = config.tls.maxVersion = TlsVersion::Tls1_2;
  config.script = {ScriptStep::send("one"), ScriptStep::expect("one")};
  ClientRun first = runClient(config);
  ASSERT_TRUE(first.session) << first.error;
  config.resume = first.session;
  ClientRun second = runClient(config);
  EXPECT_TRUE(second.negotiated.resumed) << second.error;
  EXPECT_EQ(second.negotiated.resumedBy, "session ID");
}

INSTANTIATE_TEST_SUITE_P(Tls, Resumption, ::testing::Values(TlsVersion::Tls1_2, TlsVersion::Tls1_3),
                         [](const auto& p) { return p.param == TlsVersion::Tls1_2 ? "Tls12" : "Tls13"; });

TEST(LabEndpoints, KeyUpdateKeepsTheConversationGoing) {
  auto server = startServer(serverFor("bank32-rsa", Service::Echo));
  ASSERT_TRUE(server);
  ClientConfig config = clientFor(*server);
  config.tls.minVersion = TlsVersion::Tls1_3;
  config.script = {ScriptStep::send("before"), ScriptStep::expect("before"), ScriptStep::keyUpdate(),
                   ScriptStep::send("after"), ScriptStep::expect("after")};
  ClientRun run = runClient(config);
  EXPECT_TRUE(run.scriptOk) << run.error;
  // A new generation of traffic secrets means handshake type 24 (key_update) went out.
  auto messages = eventsOf<MessageEvent>(run.events);
  EXPECT_TRUE(std::any_of(messages.begin(), messages.end(), [](const auto& m) {
    return m.sent && m.contentType == 22 && !m.bytes.empty() && m.bytes[0] == 24;
  }));
}

TEST(LabEndpoints, RequiredClientCertificateIsVerifiedByTheServer) {
  ServerConfig serverConfig = serverFor("bank32-rsa", Service::Echo);
  serverConfig.clientAuth = ClientAuth::Require;
  serverConfig.clientCaFile = certs() / "root-ca" / "cert.pem";
  auto server = startServer(serverConfig);
  ASSERT_TRUE(server);
  ClientConfig withCert = clientFor(*server);
  withCert.clientCert = certs() / "student01" / "chain.pem";
  withCert.clientKey = certs() / "student01" / "key.pem";
  withCert.script = {ScriptStep::send("hi"), ScriptStep::expect("hi")};
  EXPECT_TRUE(runClient(withCert).scriptOk);
  ClientConfig without = clientFor(*server);
  without.script = {ScriptStep::send("hi"), ScriptStep::expect("hi")};
  ClientRun refused = runClient(without);
  EXPECT_FALSE(refused.scriptOk);  // TLS 1.3: the server's alert arrives after the client's handshake "succeeds"
  server->stop();
  auto done = server->finishedConnections();
  ASSERT_EQ(done.size(), 2u);
  auto serverVerified = std::count_if(done.begin(), done.end(), [](const auto& c) { return c.handshakeOk; });
  EXPECT_EQ(serverVerified, 1);
}

struct MailCase {
  Service service;
  Starttls starttls;
  std::vector<ScriptStep> script;
  std::string expectInside;
};

class StarttlsServices : public ::testing::TestWithParam<MailCase> {};

TEST_P(StarttlsServices, UpgradeThenLogInAndMoveOneMessage) {
  auto server = startServer(serverFor("mail-bank32", GetParam().service));
  ASSERT_TRUE(server);
  ClientConfig config = clientFor(*server);
  config.host = "mail.bank32.com";
  config.starttls = GetParam().starttls;
  config.script = GetParam().script;
  ClientRun run = runClient(config);
  ASSERT_TRUE(run.handshakeOk) << run.error;
  EXPECT_TRUE(run.scriptOk) << run.error;
  EXPECT_TRUE(run.verify.ok);
  EXPECT_NE(run.received.find(GetParam().expectInside), std::string::npos) << run.received;
  // Everything after the upgrade was encrypted: the secret never went out in clear.
  std::string clearWire;
  for (const auto& e : eventsOf<WireEvent>(run.events)) clearWire.append(e.bytes.begin(), e.bytes.end());
  EXPECT_EQ(clearWire.find("secret"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Mail, StarttlsServices,
    ::testing::Values(
        MailCase{Service::Smtp, Starttls::Smtp,
                 {ScriptStep::send("EHLO client.lab\r\n"), ScriptStep::expect("250 AUTH"),
                  ScriptStep::send("AUTH PLAIN AHN0dWRlbnQwMQBzZWNyZXQ=\r\n"), ScriptStep::expect("235 "),
                  ScriptStep::send("MAIL FROM:<student01@bank32.com>\r\n"), ScriptStep::expect("250 "),
                  ScriptStep::send("RCPT TO:<alice@bank32.com>\r\n"), ScriptStep::expect("250 "),
                  ScriptStep::send("DATA\r\n"), ScriptStep::expect("354 "),
                  ScriptStep::send("Subject: hi\r\n\r\nmy secret\r\n.\r\n"), ScriptStep::expect("queued"),
                  ScriptStep::send("QUIT\r\n"), ScriptStep::expect("221 ")},
                 "Ok: queued"},
        MailCase{Service::Pop3, Starttls::Pop3,
                 {ScriptStep::send("USER student01\r\n"), ScriptStep::expect("+OK"), ScriptStep::send("PASS secret\r\n"),
                  ScriptStep::expect("logged in"), ScriptStep::send("RETR 1\r\n"), ScriptStep::expect("\r\n.\r\n"),
                  ScriptStep::send("QUIT\r\n"), ScriptStep::expect("bye")},
                 "Your balance is"},
        MailCase{Service::Imap, Starttls::Imap,
                 {ScriptStep::send("a002 LOGIN student01 secret\r\n"), ScriptStep::expect("a002 OK"),
                  ScriptStep::send("a003 SELECT INBOX\r\n"), ScriptStep::expect("a003 OK"),
                  ScriptStep::send("a004 FETCH 1 BODY[]\r\n"), ScriptStep::expect("a004 OK"),
                  ScriptStep::send("a005 LOGOUT\r\n"), ScriptStep::expect("a005 OK")},
                 "Your balance is"}),
    [](const auto& p) { return std::string(starttlsName(p.param.starttls)); });

// The STARTTLS command-injection bug: plaintext smuggled in with STARTTLS.
TEST(LabEndpoints, InjectedPlaintextIsDiscardedByACorrectServer) {
  auto server = startServer(serverFor("mail-bank32", Service::Smtp));
  ASSERT_TRUE(server);
  ClientConfig config = clientFor(*server);
  config.host = "mail.bank32.com";
  config.starttls = Starttls::Smtp;
  config.injectWithStarttls = "RSET\r\n";
  config.script = {ScriptStep::send("QUIT\r\n"), ScriptStep::expect("221 ")};
  ClientRun run = runClient(config);
  EXPECT_TRUE(run.scriptOk) << run.error << run.received;
  EXPECT_EQ(run.received.find("502"), std::string::npos);  // no reply to the smuggled command
  server->stop();
  auto done = server->finishedConnections();
  ASSERT_EQ(done.size(), 1u);
  auto notes = eventsOf<NoteEvent>(done[0].events);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].text.find("discarded 6 plaintext bytes"), std::string::npos) << notes[0].text;
}

TEST(LabEndpoints, VulnerableServerRunsTheInjectedCommandInsideTls) {
  ServerConfig serverConfig = serverFor("mail-bank32", Service::Smtp);
  serverConfig.starttlsInjectionBug = true;
  auto server = startServer(serverConfig);
  ASSERT_TRUE(server);
  ClientConfig config = clientFor(*server);
  config.host = "mail.bank32.com";
  config.starttls = Starttls::Smtp;
  config.injectWithStarttls = "RSET\r\n";
  config.script = {ScriptStep::send("QUIT\r\n"), ScriptStep::expect("221 ")};
  ClientRun run = runClient(config);
  EXPECT_TRUE(run.scriptOk) << run.error;
  // The server answered the smuggled RSET inside the TLS session the client trusts.
  EXPECT_NE(run.received.find("502 5.5.2"), std::string::npos) << run.received;
  // ...and its log says what it executed.
  server->stop();
  auto done = server->finishedConnections();
  ASSERT_EQ(done.size(), 1u);
  auto notes = eventsOf<NoteEvent>(done[0].events);
  EXPECT_TRUE(std::any_of(notes.begin(), notes.end(), [](const auto& n) {
    return n.text.rfind("STARTTLS bug: executed 'RSET', which arrived in cleartext before the TLS handshake", 0) == 0;
  }));
  // The cleartext part is labelled as SMTP in the trace, the rest as TLS-protected.
  auto data = eventsOf<AppDataEvent>(done[0].events);
  ASSERT_FALSE(data.empty());
  EXPECT_EQ(data.front().cleartext, "SMTP");
  EXPECT_EQ(data.back().cleartext, "");
}

// The acceptance check of a run's capture: tshark, an independent decoder,
// decrypts it using only what the file itself carries (the embedded key log).
TEST(RunPcapng, OpensDecryptedInTsharkWithNoOptions) {
  if (std::system("command -v tshark >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark not installed";
  for (TlsVersion version : {TlsVersion::Tls1_2, TlsVersion::Tls1_3}) {
    auto server = startServer(serverFor("bank32-rsa"));
    ASSERT_TRUE(server);
    ClientConfig config = clientFor(*server);
    config.tls.minVersion = config.tls.maxVersion = version;
    config.script = {ScriptStep::send("GET /tshark-check HTTP/1.1\r\nHost: bank32.com\r\n\r\n"), ScriptStep::expect("</html>")};
    ClientRun run = runClient(config);
    ASSERT_TRUE(run.scriptOk) << run.error;
    auto file = std::filesystem::temp_directory_path() / ("tlslab-run-" + std::to_string(::getpid()) + ".pcapng");
    {
      std::ofstream out(file, std::ios::binary);
      ASSERT_EQ(writeRunPcapng(out, {RecordedConnection{run.peers, run.events}}), "");
    }
    // tshark finds TLS by content only on known ports; tell it which port is HTTPS.
    auto result = tlslab::test::run("tshark -r " + file.string() + " -d tcp.port==" + std::to_string(run.peers.serverPort) +
                                    ",tls -Y http.request -T fields -e http.request.uri");
    std::filesystem::remove(file);
    EXPECT_EQ(result.exitCode, 0) << result.out;
    EXPECT_NE(result.out.find("/tshark-check"), std::string::npos) << versionName(version) << ": " << result.out;
  }
}

TEST(LabEndpoints, ZeroRttEarlyDataIsAcceptedOnResumption) {
  ServerConfig serverConfig = serverFor("bank32-rsa");
  serverConfig.maxEarlyData = 16384;
  auto server = startServer(serverConfig);
  ASSERT_TRUE(server);
  ClientConfig config = clientFor(*server);
  config.tls.minVersion = TlsVersion::Tls1_3;
  config.script = {ScriptStep::send("GET /first HTTP/1.1\r\n\r\n"), ScriptStep::expect("</html>")};
  ClientRun first = runClient(config);
  ASSERT_TRUE(first.scriptOk) << first.error;
  ASSERT_TRUE(first.session);
  config.resume = first.session;
  config.earlyData = "GET /early HTTP/1.1\r\n\r\n";
  config.script = {ScriptStep::expect("You asked: GET /early")};
  ClientRun second = runClient(config);
  EXPECT_TRUE(second.negotiated.resumed);
  EXPECT_TRUE(second.earlyDataAccepted) << second.error;
  EXPECT_TRUE(second.scriptOk) << second.error;
  auto keylog = eventsOf<KeyLogEvent>(second.events);
  EXPECT_TRUE(std::any_of(keylog.begin(), keylog.end(),
                          [](const auto& k) { return k.line.rfind("CLIENT_EARLY_TRAFFIC_SECRET ", 0) == 0; }));
}

TEST(LabEndpoints, EarlyDataWithoutAResumableSessionIsAClearError) {
  auto server = startServer(serverFor("bank32-rsa"));
  ASSERT_TRUE(server);
  ClientConfig config = clientFor(*server);
  config.earlyData = "GET / HTTP/1.1\r\n\r\n";
  ClientRun run = runClient(config);
  EXPECT_FALSE(run.handshakeOk);
  EXPECT_NE(run.error.find("0-RTT needs a resumed session"), std::string::npos) << run.error;
}

TEST(LabEndpoints, Tls12RenegotiationRunsASecondHandshake) {
  ServerConfig serverConfig = serverFor("bank32-rsa", Service::Echo);
  serverConfig.allowClientRenegotiation = true;
  auto server = startServer(serverConfig);
  ASSERT_TRUE(server);
  ClientConfig config = clientFor(*server);
  config.tls.minVersion = config.tls.maxVersion = TlsVersion::Tls1_2;
  config.script = {ScriptStep::send("one"), ScriptStep::expect("one"), ScriptStep::renegotiate(),
                   ScriptStep::send("two"), ScriptStep::expect("two")};
  ClientRun run = runClient(config);
  EXPECT_TRUE(run.scriptOk) << run.error;
  auto messages = eventsOf<MessageEvent>(run.events);
  auto clientHellos = std::count_if(messages.begin(), messages.end(), [](const auto& m) {
    return m.sent && m.contentType == 22 && !m.bytes.empty() && m.bytes[0] == 1;
  });
  EXPECT_EQ(clientHellos, 2);
}

TEST(LabEndpoints, ServerRefusesClientRenegotiationByDefault) {
  auto server = startServer(serverFor("bank32-rsa", Service::Echo));
  ASSERT_TRUE(server);
  ClientConfig config = clientFor(*server);
  config.tls.minVersion = config.tls.maxVersion = TlsVersion::Tls1_2;
  config.script = {ScriptStep::send("one"), ScriptStep::expect("one"), ScriptStep::renegotiate()};
  ClientRun run = runClient(config);
  EXPECT_FALSE(run.scriptOk);
  EXPECT_NE(run.error.find("renegotiation failed"), std::string::npos) << run.error;
}

// The proxy relays byte-exact both ways under load, and cleans up.
TEST(MitmProxyRelay, FiftyConcurrentVictimsOneMegabyteEachWay) {
  auto echo = startServer(serverFor("bank32-rsa", Service::Echo));
  ASSERT_TRUE(echo);
  MitmConfig attack;
  attack.targetPort = echo->port();
  attack.certsDir = certs();
  auto proxy = MitmProxy::start(attack);
  ASSERT_TRUE(proxy) << proxy.error();
  constexpr int kVictims = 50;
  constexpr std::size_t kChunk = 256 * 1024;
  std::vector<std::thread> victims;
  std::atomic<int> exact{0};
  for (int v = 0; v < kVictims; ++v) {
    victims.emplace_back([&, v] {
      ClientConfig config;
      config.host = "bank32.com";
      config.resolver.set("bank32.com", "127.0.0.66");
      config.port = (*proxy)->port();
      config.verifyMode = VerifyMode::ChainOnly;  // the victim that falls for attacker32.com
      config.trustFiles = {certs() / "root-ca" / "cert.pem"};
      config.ioTimeoutMs = 30000;
      std::string all;
      for (int part = 0; part < 4; ++part) {
        std::string chunk(kChunk, static_cast<char>('a' + (v + part) % 26));
        chunk.replace(0, 16, "victim " + std::to_string(v) + " part " + std::to_string(part));
        chunk.resize(kChunk, '.');
        config.script.push_back(ScriptStep::send(chunk));
        config.script.push_back(ScriptStep::expect(chunk));
        all += chunk;
      }
      ClientRun run = runClient(config);
      if (run.scriptOk && run.received == all) ++exact;
    });
  }
  for (auto& t : victims) t.join();
  EXPECT_EQ(exact.load(), kVictims);
  (*proxy)->stop();
  echo->stop();
  auto sessions = (*proxy)->sessions();
  EXPECT_EQ(sessions.size(), static_cast<std::size_t>(kVictims));
  EXPECT_EQ(echo->activeConnections(), 0u);
}

namespace {
struct TamperCase {
  const char* name;
  TlsVersion version;
  Tamper::Action action;
};

ServerConnection tamperedConnection(const TamperCase& c, ClientRun& run) {
  auto server = startServer(serverFor("bank32-rsa", Service::Echo));
  ClientConfig config = clientFor(*server);
  config.tls.minVersion = config.tls.maxVersion = c.version;
  config.tamper.action = c.action;
  config.tamper.recordIndex = 0;  // the first application-data record the client writes
  if (c.version == TlsVersion::Tls1_3) config.tamper.recordIndex = 1;  // record 0 is the client Finished
  config.ioTimeoutMs = 2000;
  config.script = {ScriptStep::send("first"), ScriptStep::send("second"), ScriptStep::expect("second")};
  run = runClient(config);
  server->stop();
  auto done = server->finishedConnections();
  return done.empty() ? ServerConnection{} : done.front();
}
}  // namespace

class TamperAttacks : public ::testing::TestWithParam<TamperCase> {};

TEST_P(TamperAttacks, ServerDetectsTheTamperingAndSendsAnAlert) {
  ClientRun run;
  ServerConnection server = tamperedConnection(GetParam(), run);
  EXPECT_FALSE(run.scriptOk);
  auto notes = eventsOf<NoteEvent>(run.events);
  ASSERT_FALSE(notes.empty());
  EXPECT_NE(notes.back().text.find("tamper: record"), std::string::npos);
  // The server never delivers the damaged data to the application.
  std::string delivered = appData(server.events, false);
  EXPECT_EQ(delivered.find("second"), std::string::npos) << delivered;
  auto info = eventsOf<InfoEvent>(server.events);
  bool alerted = std::any_of(info.begin(), info.end(), [](const auto& i) {
    return i.what == "alert sent" && i.state.find("bad record mac") != std::string::npos;
  });
  EXPECT_TRUE(alerted) << server.error;
}

INSTANTIATE_TEST_SUITE_P(
    Attacks, TamperAttacks,
    ::testing::Values(TamperCase{"FlipTls12", TlsVersion::Tls1_2, Tamper::Action::FlipByte},
                      TamperCase{"FlipTls13", TlsVersion::Tls1_3, Tamper::Action::FlipByte},
                      TamperCase{"DropTls12", TlsVersion::Tls1_2, Tamper::Action::Drop},
                      TamperCase{"DropTls13", TlsVersion::Tls1_3, Tamper::Action::Drop},
                      TamperCase{"DuplicateTls12", TlsVersion::Tls1_2, Tamper::Action::Duplicate},
                      TamperCase{"DuplicateTls13", TlsVersion::Tls1_3, Tamper::Action::Duplicate}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(TamperAttacks, TruncationWithoutCloseNotifyIsReportedByTheServer) {
  ClientRun run;
  ServerConnection server = tamperedConnection({"Truncate", TlsVersion::Tls1_3, Tamper::Action::Truncate}, run);
  EXPECT_FALSE(run.scriptOk);
  EXPECT_EQ(appData(server.events, false), "");
  EXPECT_NE(server.error.find("without close_notify"), std::string::npos) << server.error;
}
