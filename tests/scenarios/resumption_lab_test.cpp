// The 0-RTT replay and the PSK binder check against real OpenSSL endpoints.
#include <gtest/gtest.h>

#include "support/TestPaths.hpp"
#include "tlslab/scenarios/PairLab.hpp"
#include "tlslab/scenarios/ResumptionLab.hpp"

using namespace tlslab;
using namespace tlslab::scenarios;

namespace {

ZeroRttReplayRun replay(bool antiReplay) {
  ZeroRttReplayOptions options;
  options.certsDir = test::sourceDir() / "certs";
  options.earlyData = "GET /transfer?to=test&amount=1 HTTP/1.1\r\nHost: bank32.com\r\n\r\n";
  options.antiReplay = antiReplay;
  return runZeroRttReplay(options);
}

}  // namespace

TEST(ZeroRttReplay, AServerWithoutAntiReplayTakesTheReplayedEarlyDataAgain) {
  ZeroRttReplayRun run = replay(false);
  ASSERT_EQ(run.setupError, "");
  ASSERT_NE(run.genuine(), nullptr);
  ASSERT_NE(run.replayed(), nullptr);
  EXPECT_EQ(run.genuine()->earlyDataStatus, "accepted");
  EXPECT_EQ(run.replayed()->earlyData, run.earlyData);
  EXPECT_FALSE(run.replayed()->error.empty());  // the replayer cannot finish the handshake
  EXPECT_EQ(run.timesDelivered(), 2);
  EXPECT_EQ(describeFlight(run.replay.sent), "ClientHello, ChangeCipherSpec, 1 application-data record (the 0-RTT data)");
  EXPECT_NE(replayReport(run).back().find("2 times"), std::string::npos);
}

TEST(ZeroRttReplay, SingleUseTicketsMakeTheServerRejectTheReplayedEarlyData) {
  ZeroRttReplayRun run = replay(true);
  ASSERT_EQ(run.setupError, "");
  ASSERT_NE(run.replayed(), nullptr);
  EXPECT_EQ(run.genuine()->earlyData, run.earlyData);
  EXPECT_EQ(run.replayed()->earlyData, "");
  EXPECT_EQ(run.replayed()->earlyDataStatus, "rejected");
  EXPECT_EQ(run.timesDelivered(), 1);
}

TEST(PskBinder, TheClientsPskMakesTheBinderOnTheWireAndAnyOtherDoesNot) {
  PairLabOptions options;
  options.certsDir = test::sourceDir() / "certs";
  options.tls = "1.3";
  options.earlyData = "GET /early HTTP/1.1\r\nHost: bank32.com\r\n\r\n";
  PairLabRun run = runPairLab(PairLab::Resumption, options);
  ASSERT_TRUE(run.ok()) << run.setupError;
  const RunTrace traced = traceOfRun(run.legs(), "test");
  ASSERT_TRUE(traced.selfCheckOk());
  ASSERT_EQ(traced.trace.connections.size(), 2u);
  Bytes psk = run.runs[1].offeredPsk;
  BinderCheck good = checkPskBinder(traced.trace.connections[1], psk);
  EXPECT_EQ(good.error, "");
  EXPECT_TRUE(good.verified);
  EXPECT_EQ(good.truncatedLength + good.bindersLength, good.clientHelloLength);
  EXPECT_EQ(good.earlyTrafficMatchesKeyLog, std::optional<bool>(true));
  psk[0] ^= 0x01;
  EXPECT_FALSE(checkPskBinder(traced.trace.connections[1], psk).verified);
  EXPECT_NE(checkPskBinder(traced.trace.connections[0], psk).error.find("offers no PSK"), std::string::npos);
}

TEST(Renegotiation, TheSecondHellosCarryTheFirstHandshakesVerifyData) {
  PairLabOptions options;
  options.certsDir = test::sourceDir() / "certs";
  options.tls = "1.2";
  options.renegotiate = true;
  PairLabRun run = runPairLab(PairLab::Handshake, options);
  ASSERT_TRUE(run.ok()) << run.setupError << (run.runs.empty() ? "" : run.runs.back().error);
  const RunTrace traced = traceOfRun(run.legs(), "test");
  ASSERT_EQ(traced.trace.connections.size(), 1u);
  const auto lines = renegotiationReport(traced.trace.connections[0]);
  EXPECT_EQ(lines.back().rfind("✔", 0), 0u) << lines.back();
  options.tls = "1.3";  // TLS 1.3 has no renegotiation
  EXPECT_NE(checkPairLabOptions(PairLab::Handshake, options).find("TLS 1.2 only"), std::string::npos);
}
