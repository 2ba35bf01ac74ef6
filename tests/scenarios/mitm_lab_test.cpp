// The MITM lab's outcome matrix, each cell asserted on its own, with real
// OpenSSL endpoints: the real server on 127.0.0.1, the proxy on 127.0.0.66.
#include <gtest/gtest.h>

#include "support/TestPaths.hpp"
#include <algorithm>

#include "tlslab/scenarios/MitmLab.hpp"

using namespace tlslab::scenarios;
using tlslab::endpoints::AttackerCertificate;

namespace {

struct Cell {
  AttackerCertificate strategy;
  VictimMode victim;
};

std::vector<Cell> allCells() {
  std::vector<Cell> cells;
  for (auto s : tlslab::endpoints::allAttackerCertificates())
    for (auto v : allVictimModes()) cells.push_back({s, v});
  return cells;
}

std::string cellName(const Cell& c) {
  std::string name = std::string(tlslab::endpoints::attackerCertificateName(c.strategy)) + "_vs_" + victimModeName(c.victim);
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

MitmLabOptions options() {
  MitmLabOptions o;
  o.certsDir = tlslab::test::sourceDir() / "certs";
  return o;
}

}  // namespace

class MitmMatrix : public ::testing::TestWithParam<Cell> {};

TEST_P(MitmMatrix, OutcomeMatchesTheLab) {
  const auto [strategy, victim] = GetParam();
  const MitmExpectation& expected = expectedOutcome(strategy, victim);
  MitmOutcome outcome = runMitm(strategy, victim, options());
  ASSERT_EQ(outcome.setupError, "");
  EXPECT_EQ(outcome.connected, expected.attackSucceeds) << outcome.victimRun.error;
  EXPECT_EQ(outcome.error, expected.error) << outcome.errorText;
  EXPECT_EQ(outcome.errorDepth, expected.depth);
  // The attacker reads the password exactly when the victim went through with it.
  EXPECT_EQ(outcome.passwordStolen, expected.attackSucceeds);
  if (expected.attackSucceeds) {
    EXPECT_EQ(outcome.stolen, "user=alice&password=hunter2");
    ASSERT_FALSE(outcome.proxySessions.empty());
    EXPECT_TRUE(outcome.proxySessions.front().upstream.verify.ok);  // the proxy's own leg is genuine
  }
}

INSTANTIATE_TEST_SUITE_P(AllCells, MitmMatrix, ::testing::ValuesIn(allCells()),
                         [](const auto& p) { return cellName(p.param); });

TEST(MitmLab, ForgedCertificateCopiesTheRealNamesUnderTheRogueCa) {
  MitmOutcome outcome = runMitm(AttackerCertificate::ForgedOnTheFly, VictimMode::NoVerification, options());
  ASSERT_EQ(outcome.setupError, "");
  ASSERT_FALSE(outcome.victimRun.negotiated.peerChainSubjects.empty());
  EXPECT_EQ(outcome.victimRun.negotiated.peerChainSubjects.front(), "CN=bank32.com,O=tlslab");
  EXPECT_NE(outcome.presentedChainPem.find("BEGIN CERTIFICATE"), std::string::npos);
}

// The victim aborts after the proxy's Certificate, so it never reads the
// proxy's CertificateVerify and Finished; they crossed the wire all the same,
// and the run's capture (built from both sides' writes) has them.
TEST(MitmLab, CaptureOfAnAbortedVictimHasEveryMessageTheProxySent) {
  MitmOutcome outcome = runMitm(AttackerCertificate::AttackerOwn, VictimMode::Correct, options());
  ASSERT_EQ(outcome.setupError, "");
  auto legs = outcome.legs();
  ASSERT_EQ(legs.size(), 1u);  // the proxy never reached the bank
  ASSERT_NE(legs[0].serverEvents, nullptr);
  RunTrace traced = traceOfRun(legs, "lab: mitm");
  ASSERT_TRUE(traced.error.empty()) << traced.error;
  ASSERT_EQ(traced.trace.connections.size(), 1u);
  std::vector<std::string> fromProxy;
  for (const auto& m : traced.trace.connections[0].messages)
    if (m.direction == tlslab::model::Direction::ServerToClient) fromProxy.push_back(m.name);
  EXPECT_NE(std::find(fromProxy.begin(), fromProxy.end(), "CertificateVerify"), fromProxy.end());
  EXPECT_NE(std::find(fromProxy.begin(), fromProxy.end(), "Finished"), fromProxy.end());
  EXPECT_TRUE(traced.selfCheckOk()) << traced.checks[0].message;
}

// A successful attack is two legs with the names the CLI prints and the GUI
// draws as three lanes: victim -> proxy, proxy -> bank32.com, each with the
// far side's writes, and the proxy's leg carries the password it relayed.
TEST(MitmLab, LegsOfASuccessfulAttackAreVictimToProxyAndProxyToTheBank) {
  MitmOutcome outcome = runMitm(AttackerCertificate::AttackerOwn, VictimMode::NoVerification, options());
  ASSERT_EQ(outcome.setupError, "");
  ASSERT_TRUE(outcome.passwordStolen);
  auto legs = outcome.legs();
  ASSERT_EQ(legs.size(), 2u);
  EXPECT_EQ(legs[0].run, &outcome.victimRun);
  EXPECT_EQ(legs[0].clientLabel, "victim");
  EXPECT_EQ(legs[0].serverLabel, "proxy");
  EXPECT_EQ(legs[1].run, &outcome.proxySessions.front().upstream);
  EXPECT_EQ(legs[1].clientLabel, "proxy");
  EXPECT_EQ(legs[1].serverLabel, "bank32.com");
  for (const auto& leg : legs) EXPECT_NE(leg.serverEvents, nullptr);
  RunTrace traced = traceOfRun(legs, "lab: mitm");
  ASSERT_TRUE(traced.error.empty()) << traced.error;
  ASSERT_EQ(traced.trace.connections.size(), 2u);
  EXPECT_EQ(traced.trace.connections[1].clientLabel, "proxy");
  EXPECT_EQ(traced.trace.connections[1].serverLabel, "bank32.com");
  std::string relayed;
  for (const auto& chunk : traced.trace.connections[1].appData)
    if (chunk.direction == tlslab::model::Direction::ClientToServer) relayed.append(chunk.data.begin(), chunk.data.end());
  EXPECT_NE(relayed.find("password=hunter2"), std::string::npos);
  EXPECT_TRUE(traced.selfCheckOk()) << traced.checks[0].message;
}

// What the victim was shown, even though it aborted: the comparison needs it.
TEST(MitmLab, AbortedVictimStillKnowsTheChainItWasShownAndWhereItStopped) {
  MitmOutcome outcome = runMitm(AttackerCertificate::AttackerOwn, VictimMode::Correct, options());
  ASSERT_FALSE(outcome.victimRun.negotiated.peerChainSubjects.empty());
  EXPECT_EQ(outcome.victimRun.negotiated.peerChainSubjects.front(), "CN=attacker32.com,O=tlslab");
  EXPECT_FALSE(outcome.realServerLeafDer.empty());
  const auto& verify = outcome.victimRun.verify;
  EXPECT_EQ(verify.steps.size(), 1u);       // OpenSSL stopped at depth 0...
  EXPECT_EQ(verify.builtChain.size(), 3u);  // ...of the three-certificate chain it had built
}
