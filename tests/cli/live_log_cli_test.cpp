// The live log of connect, serve and the labs: a ladder with one line per
// message, drawn once, in the column of its sender; the full log on request.
#include <gtest/gtest.h>

#include <sstream>

#include "support/Process.hpp"
#include "support/TestPaths.hpp"

using namespace tlslab::test;

namespace {

std::string cli(const std::string& args) { return tlslabExe().string() + " " + args; }

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

// The first line that contains `what`.
std::string lineWith(const std::string& text, const std::string& what) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.find(what) != std::string::npos) return line;
  return {};
}

}  // namespace

TEST(LiveLog, LabLadderDrawsEachMessageOnceFromItsSender) {
  auto result = run(cli("lab run handshake --tls 1.3"));
  ASSERT_EQ(result.exitCode, 0) << result.out;
  // Client and server both report every message; the ladder shows it once.
  EXPECT_EQ(count(result.out, "client_hello"), 1u) << result.out;
  EXPECT_EQ(count(result.out, "certificate_verify"), 1u) << result.out;
  EXPECT_EQ(count(result.out, "new_session_ticket"), 2u) << result.out;  // OpenSSL sends two
  // client left, server right: the client's hello points right, the server's answer left.
  const std::string hello = lineWith(result.out, "client_hello");
  EXPECT_LT(hello.find("client_hello"), hello.find("▶")) << hello;
  const std::string answer = lineWith(result.out, "server_hello");
  EXPECT_LT(answer.find("◀"), answer.find("server_hello")) << answer;
  EXPECT_NE(result.out.find("client                                        server"), std::string::npos) << result.out;
  // No OpenSSL state strings, no key log lines, no [role] tags.
  for (const char* raw : {"SSLv3/TLS", "key log:", "[client]", "[server]", "SSL negotiation finished"})
    EXPECT_EQ(result.out.find(raw), std::string::npos) << raw << "\n" << result.out;
}

TEST(LiveLog, FullLogFlagGivesEveryEventOfBothSides) {
  auto result = run(cli("lab run handshake --tls 1.3 --full-log"));
  ASSERT_EQ(result.exitCode, 0) << result.out;
  EXPECT_EQ(count(result.out, "client_hello"), 2u) << result.out;  // the client's send and the server's receipt
  EXPECT_NE(result.out.find("[client]  key log: CLIENT_HANDSHAKE_TRAFFIC_SECRET"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("[server]  handshake done: "), std::string::npos) << result.out;
}

// OpenSSL stops at the first refused error; the ladder says which depths it never checked.
TEST(LiveLog, RefusedCertificateSaysWhichDepthsWereNeverChecked) {
  auto result = run(cli("lab run mitm --victim correct"));
  ASSERT_EQ(result.exitCode, 0) << result.out;
  EXPECT_NE(result.out.find("✗ depth 0 CN=attacker32.com,O=tlslab: X509_V_ERR_HOSTNAME_MISMATCH, abort"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("depth 1..2 not checked: OpenSSL stops at the first error its callback refuses"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("victim                            proxy                             bank32.com"), std::string::npos)
      << result.out;
}

// One side observed (connect to a server in another process): what it sent
// and what it received, each once.
TEST(LiveLog, ConnectShowsBothDirectionsOfTheOneSideItSees) {
  auto port = freeLoopbackPort();
  BackgroundProcess server({tlslabExe().string(), "serve", "--port", std::to_string(port), "--connections", "1"});
  ASSERT_TRUE(server.waitForOutput("serving", 10000)) << server.output();
  auto client = run(cli("connect bank32.com:" + std::to_string(port)));
  ASSERT_EQ(client.exitCode, 0) << client.out;
  EXPECT_EQ(count(client.out, "client_hello"), 1u) << client.out;
  EXPECT_EQ(count(client.out, "server_hello"), 1u) << client.out;
  EXPECT_EQ(server.wait(10000), 0);
  EXPECT_EQ(count(server.output(), "client_hello"), 1u) << server.output();
}

// tutorials/13-starttls.md: the cleartext part is labelled as what it is.
TEST(LiveLog, StarttlsCleartextIsLabelledAsSmtp) {
  auto result = run(cli("lab run starttls"));
  ASSERT_EQ(result.exitCode, 0) << result.out;
  EXPECT_NE(result.out.find("cleartext SMTP \"220 mail.bank32.com ESMTP tlslab\\r\\n\""), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("cleartext SMTP \"STARTTLS\\r\\n\""), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("data \"AUTH PLAIN"), std::string::npos) << result.out;  // inside TLS
  EXPECT_EQ(result.out.find("cleartext SMTP \"AUTH"), std::string::npos) << result.out;
}

// The STARTTLS command-injection bug, performed by a tool and logged by the server.
TEST(StarttlsCli, InjectedCommandIsExecutedAndLoggedByTheBuggyServer) {
  auto port = freeLoopbackPort();
  BackgroundProcess server({tlslabExe().string(), "serve", "--service", "smtp", "--starttls-bug", "--port",
                            std::to_string(port), "--connections", "1"});
  ASSERT_TRUE(server.waitForOutput("try:", 10000)) << server.output();
  auto client = run(cli("connect mail.bank32.com:" + std::to_string(port) +
                        " --starttls smtp --inject-with-starttls 'MAIL FROM:<eve@attacker32.com>\\r\\n'"
                        " --send 'QUIT\\r\\n' --expect 221"));
  EXPECT_EQ(client.exitCode, 0) << client.out;
  EXPECT_NE(client.out.find("cleartext SMTP \"STARTTLS\\r\\nMAIL FROM:<e"), std::string::npos) << client.out;
  EXPECT_NE(client.out.find("250 2.1.0 Ok"), std::string::npos) << client.out;  // the reply to the smuggled command
  EXPECT_EQ(server.wait(10000), 0);
  EXPECT_NE(server.output().find("STARTTLS bug: executed 'MAIL FROM:<eve@attacker32.com>', which arrived in cleartext "
                                 "before the TLS handshake"),
            std::string::npos)
      << server.output();
}

TEST(StarttlsCli, CorrectServerDiscardsTheInjectionAndInjectionNeedsStarttls) {
  auto port = freeLoopbackPort();
  BackgroundProcess server({tlslabExe().string(), "serve", "--service", "smtp", "--port", std::to_string(port),
                            "--connections", "1"});
  ASSERT_TRUE(server.waitForOutput("try:", 10000)) << server.output();
  auto client = run(cli("connect mail.bank32.com:" + std::to_string(port) +
                        " --starttls smtp --inject-with-starttls 'RSET\\r\\n' --send 'QUIT\\r\\n' --expect 221"));
  EXPECT_EQ(client.exitCode, 0) << client.out;
  EXPECT_EQ(server.wait(10000), 0);
  EXPECT_NE(server.output().find("discarded 6 plaintext bytes that arrived with STARTTLS"), std::string::npos)
      << server.output();
  auto noStarttls = run(cli("connect bank32.com:" + std::to_string(port) + " --inject-with-starttls 'RSET\\r\\n'"));
  EXPECT_EQ(noStarttls.exitCode, 2) << noStarttls.out;
  EXPECT_NE(noStarttls.out.find("--inject-with-starttls needs --starttls"), std::string::npos) << noStarttls.out;
}

// Lab 13 by hand: `tlslab mitm --starttls smtp --strip` in front of the real
// server; the client that requires TLS refuses, the opportunistic one does not.
TEST(StarttlsCli, StrippingProxyStopsTheRequiringClientAndReadsTheOpportunisticOne) {
  auto port = freeLoopbackPort();
  BackgroundProcess server({tlslabExe().string(), "serve", "--service", "smtp", "--port", std::to_string(port),
                            "--connections", "2", "--seconds", "30"});
  ASSERT_TRUE(server.waitForOutput("try:", 10000)) << server.output();
  BackgroundProcess proxy({tlslabExe().string(), "mitm", "--starttls", "smtp", "--strip", "--port", std::to_string(port),
                           "--target-port", std::to_string(port), "--connections", "2", "--seconds", "30"});
  ASSERT_TRUE(proxy.waitForOutput("stripping STARTTLS", 10000)) << proxy.output();
  const std::string connect = "connect mail.bank32.com:" + std::to_string(port) +
                              " --resolve mail.bank32.com=127.0.0.66 --starttls smtp --send 'EHLO me\\r\\n' --expect 250";
  auto required = run(cli(connect));
  EXPECT_EQ(required.exitCode, 1) << required.out;
  EXPECT_NE(required.out.find("refusing to go on without TLS"), std::string::npos) << required.out;
  auto opportunistic = run(cli(connect + " --opportunistic --send 'MAIL FROM:<alice@bank32.com>\\r\\n' --expect 250"));
  EXPECT_EQ(opportunistic.exitCode, 0) << opportunistic.out;
  EXPECT_NE(opportunistic.out.find("going on in CLEARTEXT (opportunistic)"), std::string::npos) << opportunistic.out;
  EXPECT_EQ(proxy.wait(20000), 0);
  EXPECT_NE(proxy.output().find("read from the victim in cleartext: \"EHLO client.lab\\r\\nEHLO me\\r\\nMAIL FROM:<alice@bank32.com>"),
            std::string::npos)
      << proxy.output();
  EXPECT_EQ(server.wait(20000), 0);
}

TEST(StarttlsCli, MitmStarttlsNeedsExactlyOneAttack) {
  for (const char* args : {"mitm --starttls smtp", "mitm --starttls smtp --strip --inject 'RSET'", "mitm --starttls ftp --strip"}) {
    auto result = run(cli(std::string(args) + " --seconds 1 2>&1"));
    EXPECT_EQ(result.exitCode, 2) << args << "\n" << result.out;
    EXPECT_NE(result.out.find("--starttls smtp|pop3|imap with exactly one of --strip and --inject CMD"), std::string::npos)
        << result.out;
  }
}
