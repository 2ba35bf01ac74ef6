// Lab 13's scenarios (scenarios/StarttlsLab.hpp): the direct run the
// workspace's capture comes from, STARTTLS stripped in front of four victims
// (tlslab's client and curl), and a command injected after STARTTLS against
// a buggy and a fixed server. Real server, attacker and clients on loopback.
#include <gtest/gtest.h>

#include "support/TestPaths.hpp"
#include "tlslab/scenarios/StarttlsLab.hpp"

using namespace tlslab;
using namespace tlslab::scenarios;

namespace {

StarttlsAttackOptions options(const std::string& subject = "Subject: payroll 1234 for heron team",
                              const std::string& injected = "RCPT TO:<eve.heron12@attacker32.com>") {
  StarttlsAttackOptions o;
  o.certsDir = test::sourceDir() / "certs";
  o.subject = subject;
  o.injected = injected;
  return o;
}

std::string clientData(const model::TraceConnection& conn) {
  std::string text;
  for (const auto& chunk : conn.appData)
    if (chunk.direction == model::Direction::ClientToServer) text.append(chunk.data.begin(), chunk.data.end());
  return text;
}

}  // namespace

TEST(StarttlsLab, TheDirectRunSendsTheMailInsideTlsAndItsCaptureChecks) {
  const StarttlsAttackRun run = runStarttlsDirect(options());
  ASSERT_TRUE(run.setupError.empty()) << run.setupError;
  EXPECT_TRUE(run.victimError.empty()) << run.victimError;
  EXPECT_TRUE(run.victimSentMail);
  EXPECT_TRUE(run.victimUsedTls);
  EXPECT_TRUE(run.attacker.empty());  // no attacker on this path
  const RunTrace traced = traceOfRun(legsOf(run), "starttls test");
  ASSERT_TRUE(traced.error.empty()) << traced.error;
  EXPECT_TRUE(traced.selfCheckOk());
  ASSERT_EQ(traced.trace.connections.size(), 1u);
  const auto& conn = traced.trace.connections[0];
  EXPECT_EQ(std::string(conn.preamble[0].begin(), conn.preamble[0].end()), "EHLO client.lab\r\nSTARTTLS\r\n");
  EXPECT_NE(clientData(conn).find("Subject: payroll 1234 for heron team"), std::string::npos);
}

TEST(StarttlsLab, StrippingFoolsTheClientsThatOnlyTryTls) {
  for (StripVictim victim : allStripVictims()) {
    const StarttlsAttackRun run = runStarttlsStrip(victim, options());
    const std::string name = stripVictimName(victim);
    if (run.setupError.find("curl is not installed") != std::string::npos) {
      ADD_FAILURE() << "curl is missing (scripts/setup-deps.sh installs it)";
      continue;
    }
    ASSERT_TRUE(run.setupError.empty()) << name << ": " << run.setupError;
    const bool fallsBack = victim == StripVictim::Opportunistic || victim == StripVictim::CurlSsl;
    EXPECT_EQ(run.victimSentMail, fallsBack) << name << ": " << run.victimError;
    EXPECT_FALSE(run.victimUsedTls) << name;
    EXPECT_EQ(run.attackerRead().find("Subject: payroll 1234 for heron team") != std::string::npos, fallsBack) << name;
    const std::string verdict = stripReport(run, options().subject).back();
    EXPECT_EQ(verdict.rfind(fallsBack ? "✗" : "✔", 0), 0u) << name << ": " << verdict;
    if (victim == StripVictim::CurlSslReqd) {
      EXPECT_NE(run.victimError.find("curl exited with 64"), std::string::npos) << run.victimError;
    }
  }
}

TEST(StarttlsLab, TheBuggyServerRunsTheInjectedCommandAndTheFixedOneDiscardsIt) {
  StarttlsAttackOptions buggy = options();
  buggy.starttlsBug = true;
  const StarttlsAttackRun bad = runStarttlsInjection(buggy);
  ASSERT_TRUE(bad.setupError.empty()) << bad.setupError;
  EXPECT_TRUE(bad.victimUsedTls);
  EXPECT_EQ(bad.victimReceived.rfind("250 2.1.0 Ok\r\n250-mail.bank32.com", 0), 0u) << bad.victimReceived;
  bool executed = false;
  for (const auto& line : bad.serverLog())
    executed |= line.rfind("STARTTLS bug: executed 'RCPT TO:<eve.heron12@attacker32.com>'", 0) == 0;
  EXPECT_TRUE(executed);
  EXPECT_EQ(injectionReport(bad, true).back().rfind("✗", 0), 0u);

  const StarttlsAttackRun fixed = runStarttlsInjection(options());
  ASSERT_TRUE(fixed.setupError.empty()) << fixed.setupError;
  EXPECT_EQ(fixed.victimReceived.rfind("250-mail.bank32.com", 0), 0u) << fixed.victimReceived;
  const std::string discarded = "discarded " + std::to_string(options().injected.size() + 2) + " plaintext bytes";
  bool said = false;
  for (const auto& line : fixed.serverLog()) said |= line.rfind(discarded, 0) == 0;
  EXPECT_TRUE(said) << discarded;
  EXPECT_EQ(injectionReport(fixed, false).back().rfind("✔", 0), 0u);
}
