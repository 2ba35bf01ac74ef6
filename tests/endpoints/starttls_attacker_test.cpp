// Lab 13's STARTTLS attacker between the lab's real mail server and a real
// client (or a raw socket where the client must misbehave), on loopback.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "support/LabConfigs.hpp"
#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/endpoints/StarttlsAttacker.hpp"

using namespace tlslab::endpoints;

namespace {

struct Stage {
  std::unique_ptr<LabServer> server;
  std::unique_ptr<StarttlsAttacker> attacker;
};

Stage stage(Service service, Starttls protocol, StarttlsAttackConfig::Mode mode, bool buggyServer = false,
            const std::string& injected = "") {
  Stage s;
  ServerConfig serverConfig = tlslab::test::labServerFor("mail-bank32", service);
  serverConfig.starttlsInjectionBug = buggyServer;
  auto server = LabServer::start(serverConfig);
  if (!server) {
    ADD_FAILURE() << server.error();
    return s;
  }
  s.server = std::move(server.value());
  StarttlsAttackConfig attack;
  attack.mode = mode;
  attack.protocol = protocol;
  attack.targetPort = s.server->port();
  attack.injected = injected;
  attack.ioTimeoutMs = 3000;
  auto attacker = StarttlsAttacker::start(attack);
  if (!attacker) ADD_FAILURE() << attacker.error();
  else s.attacker = std::move(attacker.value());
  return s;
}

// The victim: resolves mail.bank32.com to the attacker, as a poisoned resolver would.
ClientConfig victim(const Stage& s, Starttls protocol, bool required, std::vector<ScriptStep> script) {
  ClientConfig config = tlslab::test::labClientFor(*s.server);
  config.host = "mail.bank32.com";
  config.resolver.set("mail.bank32.com", "127.0.0.66");
  config.port = s.attacker->port();
  config.starttls = protocol;
  config.starttlsRequired = required;
  config.ioTimeoutMs = 3000;
  config.script = std::move(script);
  return config;
}

std::vector<StarttlsAttackSession> sessionsOf(const Stage& s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (s.attacker->sessions().empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  s.attacker->stop();
  s.server->stop();
  return s.attacker->sessions();
}

struct StripCase {
  Service service;
  Starttls protocol;
  std::vector<ScriptStep> cleartextScript;  // what an opportunistic client goes on with
  std::string readByAttacker;               // ...and the attacker reads
};

class StarttlsStrip : public ::testing::TestWithParam<StripCase> {};

}  // namespace

TEST_P(StarttlsStrip, TheRequiringClientRefusesAndTheOpportunisticOneGoesOnInCleartext) {
  const StripCase& c = GetParam();
  Stage required = stage(c.service, c.protocol, StarttlsAttackConfig::Mode::Strip);
  ASSERT_TRUE(required.attacker);
  ClientRun refused = runClient(victim(required, c.protocol, true, c.cleartextScript));
  EXPECT_FALSE(refused.handshakeOk);
  EXPECT_NE(refused.error.find("does not offer STARTTLS (stripped on the way?)"), std::string::npos) << refused.error;
  auto sessions = sessionsOf(required);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_FALSE(sessions[0].upgraded);
  ASSERT_FALSE(sessions[0].actions.empty());
  EXPECT_EQ(sessions[0].actions[0].rfind("removed ", 0), 0u) << sessions[0].actions[0];
  EXPECT_EQ(sessions[0].fromClient.find(c.readByAttacker), std::string::npos);

  Stage opportunistic = stage(c.service, c.protocol, StarttlsAttackConfig::Mode::Strip);
  ASSERT_TRUE(opportunistic.attacker);
  ClientRun fellBack = runClient(victim(opportunistic, c.protocol, false, c.cleartextScript));
  EXPECT_TRUE(fellBack.scriptOk) << fellBack.error << fellBack.received;
  EXPECT_TRUE(fellBack.starttlsSkipped);  // it went on in cleartext
  sessions = sessionsOf(opportunistic);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_NE(sessions[0].fromClient.find(c.readByAttacker), std::string::npos) << sessions[0].fromClient;
}

INSTANTIATE_TEST_SUITE_P(
    Mail, StarttlsStrip,
    ::testing::Values(StripCase{Service::Smtp, Starttls::Smtp,
                                {ScriptStep::send("EHLO me\r\n"), ScriptStep::expect("250 "),
                                 ScriptStep::send("MAIL FROM:<alice@bank32.com>\r\n"), ScriptStep::expect("250 ")},
                                "MAIL FROM:<alice@bank32.com>"},
                      StripCase{Service::Pop3, Starttls::Pop3,
                                // The lab's POP3 server takes no login before STLS; the name has leaked anyway.
                                {ScriptStep::send("USER student01\r\n"), ScriptStep::expect("-ERR use STLS first")},
                                "USER student01"},
                      StripCase{Service::Imap, Starttls::Imap,
                                {ScriptStep::send("a002 CAPABILITY\r\n"), ScriptStep::expect("a002 OK")},
                                "a002 CAPABILITY"}),
    [](const auto& p) { return std::string(starttlsName(p.param.protocol)); });

// A client that sends STARTTLS although it was not offered: the attacker
// garbles the command so the server never agrees, and the talk stays in cleartext.
TEST(StarttlsAttacker, GarblesAStarttlsTheClientSendsAnyway) {
  Stage s = stage(Service::Smtp, Starttls::Smtp, StarttlsAttackConfig::Mode::Strip);
  ASSERT_TRUE(s.attacker);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  timeval timeout{3, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(s.attacker->port());
  ::inet_pton(AF_INET, "127.0.0.66", &to.sin_addr);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
  // Reads until `until` arrives (or the 3-second timeout ends the read).
  auto readUntil = [fd](const std::string& until) {
    std::string got;
    char buf[512];
    while (got.find(until) == std::string::npos && got.size() < 8192) {
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
    }
    return got;
  };
  const std::string greeting = readUntil("\r\n");
  EXPECT_EQ(greeting.rfind("220 ", 0), 0u) << greeting;
  ASSERT_EQ(::send(fd, "EHLO me\r\n", 9, 0), 9);
  const std::string ehlo = readUntil("250 ");
  EXPECT_EQ(ehlo.find("STARTTLS"), std::string::npos) << ehlo;
  ASSERT_EQ(::send(fd, "STARTTLS\r\n", 10, 0), 10);
  const std::string reply = readUntil("\r\n");
  EXPECT_EQ(reply.rfind("220", 0), std::string::npos) << reply;  // no go-ahead for TLS
  EXPECT_EQ(reply.rfind("5", 0), 0u) << reply;                    // the server did not know the command
  ::close(fd);
  auto sessions = sessionsOf(s);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_FALSE(sessions[0].upgraded);
  bool garbled = false;
  for (const auto& action : sessions[0].actions) garbled |= action.rfind("garbled the client's STARTTLS into XXXXXXXX", 0) == 0;
  EXPECT_TRUE(garbled);
}

TEST(StarttlsAttacker, InjectsItsCommandThenOnlyRelaysCiphertext) {
  Stage s = stage(Service::Smtp, Starttls::Smtp, StarttlsAttackConfig::Mode::Inject, true, "RSET\r\n");
  ASSERT_TRUE(s.attacker);
  ClientRun run = runClient(victim(s, Starttls::Smtp, true,
                                   {ScriptStep::send("EHLO me\r\n"), ScriptStep::expect("250 "),
                                    ScriptStep::send("QUIT\r\n"), ScriptStep::expect("221 ")}));
  EXPECT_TRUE(run.handshakeOk) << run.error;
  EXPECT_TRUE(run.verify.ok);  // the victim's checks all pass: the attack is not on TLS
  EXPECT_EQ(run.received.rfind("502 5.5.2", 0), 0u) << run.received;  // the buggy server's answer to RSET, first
  auto sessions = sessionsOf(s);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_TRUE(sessions[0].upgraded);
  EXPECT_GT(sessions[0].tlsBytesRelayed, 1000u);
  // It read the cleartext up to STARTTLS, and not one byte after it as text.
  const std::string& read = sessions[0].fromClient;
  ASSERT_GE(read.size(), 10u);
  EXPECT_EQ(read.substr(read.size() - 10), "STARTTLS\r\n") << read;
}

// A long `mitm --starttls` run frees each victim once it has printed it (issue 16, item 3).
TEST(StarttlsAttacker, TakenSessionsAreForgottenAndStillCounted) {
  Stage s = stage(Service::Smtp, Starttls::Smtp, StarttlsAttackConfig::Mode::Strip);
  ASSERT_TRUE(s.attacker);
  std::size_t taken = 0;
  for (std::size_t i = 1; i <= 3; ++i) {
    EXPECT_FALSE(runClient(victim(s, Starttls::Smtp, true, {})).handshakeOk);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (s.attacker->sessionCount() < i && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const auto sessions = s.attacker->takeSessions();
    ASSERT_EQ(sessions.size(), 1u);
    EXPECT_FALSE(sessions[0].events.empty());
    EXPECT_FALSE(sessions[0].dropped.any());  // a short session fits the default window
    taken += sessions.size();
  }
  EXPECT_EQ(taken, 3u);
  EXPECT_EQ(s.attacker->sessionCount(), 3u);
  EXPECT_TRUE(s.attacker->sessions().empty());
  s.attacker->stop();
  s.server->stop();
}
