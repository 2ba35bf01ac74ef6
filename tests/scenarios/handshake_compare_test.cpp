// The resumption lab's comparison of the full and the abbreviated handshake,
// from real runs read back from their own captures.
#include <gtest/gtest.h>

#include <algorithm>

#include "support/LabConfigs.hpp"
#include "tlslab/scenarios/HandshakeCompare.hpp"
#include "tlslab/scenarios/PairLab.hpp"

using namespace tlslab::scenarios;

namespace {

HandshakeComparison resumedRun(const std::string& tls, bool tickets = true) {
  PairLabOptions options;
  options.certsDir = tlslab::test::labCerts();
  options.tls = tls;
  options.tickets = tickets;
  PairLabRun run = runPairLab(PairLab::Resumption, options);
  EXPECT_TRUE(run.ok()) << run.setupError;
  EXPECT_EQ(run.runs.size(), 2u);
  RunTrace traced = traceOfRun(run.legs(), "lab: resumption");
  EXPECT_EQ(traced.trace.connections.size(), 2u);
  if (traced.trace.connections.size() != 2) return {};
  return compareHandshakes(traced.trace.connections[0], traced.trace.connections[1]);
}

const HandshakeRow* rowFor(const HandshakeComparison& c, const std::string& fullMessage) {
  auto it = std::find_if(c.rows.begin(), c.rows.end(), [&](const auto& r) { return r.full == fullMessage; });
  return it == c.rows.end() ? nullptr : &*it;
}

}  // namespace

TEST(HandshakeCompare, Tls12TicketResumptionHasNoCertificateAndNoKeyExchange) {
  HandshakeComparison c = resumedRun("1.2");
  EXPECT_EQ(c.resumedBy.rfind("a session ticket (RFC 5077)", 0), 0u) << c.resumedBy;
  EXPECT_NE(c.keyExchange.find("none"), std::string::npos) << c.keyExchange;
  for (const char* gone : {"← Certificate", "← ServerKeyExchange", "← ServerHelloDone", "→ ClientKeyExchange"}) {
    const HandshakeRow* row = rowFor(c, gone);
    ASSERT_NE(row, nullptr) << gone;
    EXPECT_EQ(row->resumed, "") << gone;
    EXPECT_FALSE(row->note.empty()) << gone;
  }
  EXPECT_NE(rowFor(c, "← ServerKeyExchange")->note.find("master secret"), std::string::npos);
  // The client's Finished moves after the server's: marked as a move, not a loss.
  EXPECT_EQ(rowFor(c, "→ Finished")->resumed, "(below)");
  EXPECT_EQ(rowFor(c, "← Finished")->resumed, "← Finished");
}

TEST(HandshakeCompare, Tls12WithoutTicketsResumesBySessionId) {
  HandshakeComparison c = resumedRun("1.2", false);
  EXPECT_EQ(c.resumedBy.rfind("the session ID", 0), 0u) << c.resumedBy;
}

TEST(HandshakeCompare, Tls13PskResumptionDropsCertificateAndSignatureButKeepsTheKeyExchange) {
  HandshakeComparison c = resumedRun("1.3");
  EXPECT_EQ(c.resumedBy.rfind("a PSK", 0), 0u) << c.resumedBy;
  EXPECT_NE(c.keyExchange.find("psk_dhe_ke"), std::string::npos) << c.keyExchange;
  ASSERT_NE(rowFor(c, "← CertificateVerify"), nullptr);
  EXPECT_EQ(rowFor(c, "← CertificateVerify")->resumed, "");
  EXPECT_EQ(rowFor(c, "← EncryptedExtensions")->resumed, "← EncryptedExtensions");
}
