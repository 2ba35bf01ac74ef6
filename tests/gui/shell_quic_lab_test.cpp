// The QUIC lab from the GUI (Labs → Run Lab…, `tlslab-gui --lab quic`): core's
// scenarios::runQuicLab, its capture dissected with the client's key log on
// the ladder, and a copy with the key log inside for File → Save.
#include <gtest/gtest.h>
#include <unistd.h>

#include "GuiTestSupport.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/scenarios/QuicLab.hpp"

namespace tlslab::gui {
namespace {

TEST(GuiQuicLab, IsInTheCatalogAndParsesFromTheCommandLine) {
  bool listed = false;
  for (const auto& lab : labCatalog()) listed |= lab.kind == LabKind::Quic && lab.tutorial == QStringLiteral("15-quic.md");
  EXPECT_TRUE(listed);
  EXPECT_EQ(static_cast<std::size_t>(LabKind::Quic), labCatalog().size() - 1);  // catalog order = enum order
  LabRequest request;
  QString error;
  ASSERT_TRUE(parseLabRequest(QStringLiteral("quic"), {}, request, error)) << error.toStdString();
  EXPECT_EQ(request.kind, LabKind::Quic);
  EXPECT_EQ(request.title(), QStringLiteral("lab: QUIC (ngtcp2)"));
}

TEST(GuiQuicLab, RunsNgtcp2AndShowsTheDecryptedConnection) {
  if (auto missing = scenarios::quicLabPrerequisites(); !missing.empty()) GTEST_SKIP() << missing;
  if (::geteuid() != 0) GTEST_SKIP() << "capturing on lo needs root";
  LabRequest request;
  request.kind = LabKind::Quic;
  const LabResult result = runLab(request, {});
  ASSERT_TRUE(result.error.isEmpty()) << result.error.toStdString();
  ASSERT_EQ(result.trace.connections.size(), 1u);
  const auto& conn = result.trace.connections[0];
  ASSERT_TRUE(conn.quic);
  EXPECT_GT(conn.quic->oneRttDecrypted, 0u);
  EXPECT_TRUE(result.verdict.contains(QStringLiteral("1-RTT packets decrypted"))) << result.verdict.toStdString();
  EXPECT_TRUE(result.verdict.contains(QStringLiteral("Initial"))) << result.verdict.toStdString();
  // What File → Save writes opens without any key file: the key log is inside.
  keys::KeyStore none;
  auto saved = dissect::dissectBytes(asBytes(result.pcapng), none);
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->connections.at(0).quic->oneRttDecrypted, conn.quic->oneRttDecrypted);
}

}  // namespace
}  // namespace tlslab::gui
