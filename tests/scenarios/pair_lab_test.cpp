// The two-endpoint labs the CLI and the GUI both run (scenarios::runPairLab):
// each really connects, says what its tutorial says, and reads back from its
// own wire bytes as the same conversation.
#include <gtest/gtest.h>

#include "support/LabConfigs.hpp"
#include "tlslab/scenarios/PairLab.hpp"

using namespace tlslab::scenarios;

namespace {

PairLabOptions optionsFor(const std::string& tls) {
  PairLabOptions options;
  options.certsDir = tlslab::test::labCerts();
  options.tls = tls;
  return options;
}

RunTrace checkedTrace(const PairLabRun& run) {
  RunTrace trace = traceOfRun(run.legs(), std::string("lab: ") + pairLabName(run.lab));
  EXPECT_TRUE(trace.error.empty()) << trace.error;
  EXPECT_TRUE(trace.selfCheckOk());
  return trace;
}

class PairLabVersions : public ::testing::TestWithParam<const char*> {};

TEST_P(PairLabVersions, HandshakeFetchesThePageAtTheAskedVersion) {
  const std::string tls = GetParam();
  PairLabRun run = runPairLab(PairLab::Handshake, optionsFor(tls));
  ASSERT_TRUE(run.ok()) << run.setupError << (run.runs.empty() ? "" : run.runs.back().error);
  ASSERT_EQ(run.runs.size(), 1u);
  EXPECT_EQ(run.runs[0].negotiated.version, "TLSv" + tls);
  EXPECT_NE(run.runs[0].received.find("</html>"), std::string::npos);
  RunTrace trace = checkedTrace(run);
  ASSERT_EQ(trace.trace.connections.size(), 1u);
  EXPECT_EQ(trace.trace.connections[0].negotiated.version, tls == "1.3" ? 0x0304 : 0x0303);
  EXPECT_EQ(trace.trace.connections[0].negotiated.sni, "bank32.com");
}

TEST_P(PairLabVersions, ResumptionResumesTheFirstSession) {
  const std::string tls = GetParam();
  std::vector<std::size_t> done;
  PairLabOptions options = optionsFor(tls);
  options.onClientDone = [&](const tlslab::endpoints::ClientRun&, std::size_t index) { done.push_back(index); };
  PairLabRun run = runPairLab(PairLab::Resumption, options);
  ASSERT_TRUE(run.ok());
  ASSERT_EQ(run.runs.size(), 2u);
  EXPECT_EQ(done, (std::vector<std::size_t>{0, 1}));
  EXPECT_FALSE(run.runs[0].negotiated.resumed);
  EXPECT_TRUE(run.runs[1].negotiated.resumed);
  auto legs = run.legs();
  ASSERT_EQ(legs.size(), 2u);
  EXPECT_EQ(legs[1].clientLabel, "client (resuming)");
  RunTrace trace = checkedTrace(run);
  ASSERT_EQ(trace.trace.connections.size(), 2u);
  EXPECT_FALSE(trace.trace.connections[1].negotiated.resumption.empty());
  EXPECT_EQ(trace.trace.connections[1].negotiated.resumedFrom, std::optional<std::size_t>(0));
}

INSTANTIATE_TEST_SUITE_P(Tls, PairLabVersions, ::testing::Values("1.2", "1.3"),
                         [](const auto& param) { return std::string(param.param) == "1.2" ? "Tls12" : "Tls13"; });

TEST(PairLab, StarttlsLogsInInsideTls) {
  PairLabRun run = runPairLab(PairLab::Starttls, optionsFor(""));
  ASSERT_TRUE(run.ok()) << (run.runs.empty() ? run.setupError : run.runs.back().error);
  EXPECT_EQ(run.serverName, "mail.bank32.com");
  EXPECT_NE(run.runs[0].received.find("235 "), std::string::npos);
  RunTrace trace = checkedTrace(run);
  ASSERT_EQ(trace.trace.connections.size(), 1u);
  EXPECT_FALSE(trace.trace.connections[0].preamble[0].empty());  // EHLO/STARTTLS in clear
}

TEST(PairLab, MissingCertificatesAreASetupErrorNotARun) {
  PairLabOptions options = optionsFor("");
  options.certsDir = "/nonexistent/certs";
  PairLabRun run = runPairLab(PairLab::Handshake, options);
  EXPECT_FALSE(run.ok());
  EXPECT_TRUE(run.runs.empty());
  EXPECT_NE(run.setupError.find("/nonexistent/certs"), std::string::npos) << run.setupError;
}

}  // namespace
