// The two-endpoint labs the CLI and the GUI both run (scenarios::runPairLab):
// each really connects, says what its tutorial says, and reads back from its
// own wire bytes as the same conversation.
#include <gtest/gtest.h>

#include <algorithm>

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
  EXPECT_NE(trace.trace.connections[1].negotiated.resumption, tlslab::model::Resumption::None);
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

struct TamperCase {
  const char* name;
  const char* tls;
  tlslab::endpoints::Tamper::Action action;
};

class TamperLab : public ::testing::TestWithParam<TamperCase> {};

// The attacker has no keys: whatever it does to the request, the server
// refuses the record and never hands the damaged bytes to its application,
// and the capture of the run shows the same record failing to open.
TEST_P(TamperLab, TlsDetectsTheAttackAndTheCaptureShowsIt) {
  using Action = tlslab::endpoints::Tamper::Action;
  const TamperCase& c = GetParam();
  PairLabOptions options = optionsFor(c.tls);
  options.tamper = c.action;
  PairLabRun run = runPairLab(PairLab::Tamper, options);
  ASSERT_TRUE(run.setupError.empty()) << run.setupError;
  ASSERT_EQ(run.runs.size(), 1u);
  EXPECT_TRUE(run.runs[0].handshakeOk);  // the attack is on the request, after the handshake
  EXPECT_FALSE(run.runs[0].scriptOk);
  EXPECT_FALSE(run.ok());
  const TamperVerdict verdict = tamperVerdict(run);
  EXPECT_EQ(verdict.attack.rfind("tamper: record", 0), 0u) << verdict.attack;
  EXPECT_TRUE(verdict.detected());
  EXPECT_FALSE(verdict.requestDelivered) << verdict.delivered;
  if (c.action == Action::Truncate) {
    // OpenSSL 3 answers an EOF without close_notify with a decode_error alert.
    EXPECT_EQ(verdict.serverAlert, "fatal decode error");
    EXPECT_NE(verdict.serverError.find("without close_notify"), std::string::npos) << verdict.serverError;
  } else {
    EXPECT_EQ(verdict.serverAlert, "fatal bad record mac");
  }
  RunTrace trace = traceOfRun(run.legs(), "lab: tamper");
  ASSERT_TRUE(trace.error.empty()) << trace.error;
  ASSERT_EQ(trace.trace.connections.size(), 1u);
  EXPECT_FALSE(trace.selfCheckOk());  // the wire and the endpoint's intent differ, as they must
  // The first record that fails is the client's (after a replayed copy the
  // dissector's sequence numbers stay one ahead, so later ones fail too).
  const auto& records = trace.trace.connections[0].records;
  const auto failed = std::find_if(records.begin(), records.end(),
                                   [](const auto& r) { return r.undecryptedReason.rfind("MAC/tag failure", 0) == 0; });
  if (c.action == Action::Truncate) {
    EXPECT_EQ(failed, records.end()) << trace.checks[0].message;
  } else {
    ASSERT_NE(failed, records.end()) << trace.checks[0].message;
    EXPECT_EQ(failed->direction, tlslab::model::Direction::ClientToServer);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Attacks, TamperLab,
    ::testing::Values(TamperCase{"FlipTls12", "1.2", tlslab::endpoints::Tamper::Action::FlipByte},
                      TamperCase{"FlipTls13", "1.3", tlslab::endpoints::Tamper::Action::FlipByte},
                      TamperCase{"DropTls12", "1.2", tlslab::endpoints::Tamper::Action::Drop},
                      TamperCase{"DropTls13", "1.3", tlslab::endpoints::Tamper::Action::Drop},
                      TamperCase{"DuplicateTls12", "1.2", tlslab::endpoints::Tamper::Action::Duplicate},
                      TamperCase{"DuplicateTls13", "1.3", tlslab::endpoints::Tamper::Action::Duplicate},
                      TamperCase{"TruncateTls13", "1.3", tlslab::endpoints::Tamper::Action::Truncate}),
    [](const auto& param) { return std::string(param.param.name); });

TEST(PairLab, MissingCertificatesAreASetupErrorNotARun) {
  PairLabOptions options = optionsFor("");
  options.certsDir = "/nonexistent/certs";
  PairLabRun run = runPairLab(PairLab::Handshake, options);
  EXPECT_FALSE(run.ok());
  EXPECT_TRUE(run.runs.empty());
  EXPECT_NE(run.setupError.find("/nonexistent/certs"), std::string::npos) << run.setupError;
}

}  // namespace
