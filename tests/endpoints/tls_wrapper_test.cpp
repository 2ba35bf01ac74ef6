// tlslab wrap's terminator and initiator, with real OpenSSL peers on loopback:
// what each leg sees, and that bad configurations are refused by name.
#include <gtest/gtest.h>

#include "support/TestPaths.hpp"
#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/TlsWrapper.hpp"

using namespace tlslab::endpoints;

namespace {

std::filesystem::path certs() { return tlslab::test::sourceDir() / "certs"; }

std::unique_ptr<LabServer> plainApplication() {
  ServerConfig app;
  app.useTls = false;
  app.httpCloseAfterResponse = true;
  auto server = LabServer::start(app);
  EXPECT_TRUE(server) << server.error();
  return server ? std::move(server.value()) : nullptr;
}

WrapConfig serverMode(std::uint16_t appPort) {
  WrapConfig config;
  config.connectPort = appPort;
  config.chainFile = certs() / "bank32-rsa" / "chain.pem";
  config.keyFile = certs() / "bank32-rsa" / "key.pem";
  config.clientCaFile = certs() / "root-ca" / "cert.pem";
  return config;
}

ClientRun getPage(std::uint16_t port, bool withCertificate) {
  ClientConfig client;
  client.port = port;
  client.trustFiles = {certs() / "root-ca" / "cert.pem"};
  if (withCertificate) {
    client.clientCert = certs() / "student01" / "chain.pem";
    client.clientKey = certs() / "student01" / "key.pem";
  }
  client.script = {ScriptStep::send("GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n"), ScriptStep::expect("</html>")};
  return runClient(client);
}

}  // namespace

TEST(TlsWrapper, ServerModeVerifiesTheClientAndTheApplicationSeesOnlyTheWrapper) {
  auto app = plainApplication();
  ASSERT_TRUE(app);
  auto wrapper = TlsWrapper::start(serverMode(app->port()));
  ASSERT_TRUE(wrapper) << wrapper.error();
  ClientRun with = getPage((*wrapper)->port(), true);
  ClientRun without = getPage((*wrapper)->port(), false);
  (*wrapper)->stop();
  app->stop();
  EXPECT_TRUE(with.scriptOk) << with.error;
  EXPECT_FALSE(without.scriptOk);
  auto sessions = (*wrapper)->sessions();
  ASSERT_EQ(sessions.size(), 2u);
  const auto& ok = sessions[0].peer == "127.0.0.1:" + std::to_string(with.peers.clientPort) ? sessions[0] : sessions[1];
  const auto& refused = &ok == &sessions[0] ? sessions[1] : sessions[0];
  EXPECT_EQ(ok.peerCertificate, "CN=student01,O=tlslab");
  EXPECT_TRUE(ok.forwarded);
  EXPECT_EQ(ok.version, "TLSv1.3");
  EXPECT_FALSE(refused.forwarded);
  EXPECT_NE(refused.error.find("peer did not return a certificate"), std::string::npos) << refused.error;
  // The application had one connection, from the wrapper, and no TLS at all.
  auto seen = app->finishedConnections();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].peer, "127.0.0.1:" + std::to_string(ok.connection.upstream.peers.clientPort));
  EXPECT_TRUE(seen[0].clientCertificate.empty());
  EXPECT_TRUE(seen[0].negotiated.version.empty());
}

TEST(TlsWrapper, ClientModeRefusesAServerWithTheWrongNameAndClosesTheCleartextSide) {
  ServerConfig other;  // a valid chain for attacker32.com where bank32.com was expected
  other.chainFile = certs() / "attacker32" / "chain.pem";
  other.keyFile = certs() / "attacker32" / "key.pem";
  auto server = LabServer::start(other);
  ASSERT_TRUE(server) << server.error();
  WrapConfig config;
  config.mode = WrapMode::Client;
  config.connectPort = (*server)->port();
  config.serverName = "bank32.com";
  config.trustFiles = {certs() / "root-ca" / "cert.pem"};
  auto wrapper = TlsWrapper::start(config);
  ASSERT_TRUE(wrapper) << wrapper.error();
  ClientConfig plain;
  plain.host = "127.0.0.1";
  plain.port = (*wrapper)->port();
  plain.useTls = false;
  plain.script = {ScriptStep::send("GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n"), ScriptStep::expect("</html>")};
  ClientRun run = runClient(plain);
  (*wrapper)->stop();
  (*server)->stop();
  EXPECT_FALSE(run.scriptOk);
  EXPECT_TRUE(run.received.empty());
  auto sessions = (*wrapper)->sessions();
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].verify.errorName, "X509_V_ERR_HOSTNAME_MISMATCH");
  EXPECT_EQ(sessions[0].peerCertificate, "CN=attacker32.com,O=tlslab");
  EXPECT_FALSE(sessions[0].forwarded);
}

TEST(TlsWrapper, RefusesConfigurationsThatLeaveLoopbackOrCannotVerify) {
  WrapConfig config = serverMode(8080);
  config.connectAddress = "192.0.2.1";
  EXPECT_NE(checkWrapConfig(config).find("--connect 192.0.2.1 is not a loopback address"), std::string::npos);
  config = serverMode(8080);
  config.acceptAddress = "0.0.0.0";
  EXPECT_NE(checkWrapConfig(config).find("--accept 0.0.0.0"), std::string::npos);
  config = serverMode(8080);
  config.chainFile = "/nonexistent/chain.pem";
  EXPECT_NE(checkWrapConfig(config).find("/nonexistent/chain.pem is not a file"), std::string::npos);
  config = serverMode(0);
  EXPECT_NE(checkWrapConfig(config).find("needs a port"), std::string::npos);
  WrapConfig client;
  client.mode = WrapMode::Client;
  client.connectPort = 8443;
  EXPECT_NE(checkWrapConfig(client).find("--name"), std::string::npos);
  client.serverName = "bank32.com";
  EXPECT_NE(checkWrapConfig(client).find("--ca"), std::string::npos);
  client.verify = VerifyMode::None;
  EXPECT_EQ(checkWrapConfig(client), "");
  EXPECT_FALSE(TlsWrapper::start(serverMode(0)));
}
