// The certificates view on real runs: a gallery entry served by a real lab
// server (scenarios::runGalleryEntry), a gallery chain verified by pki, and a
// MITM run whose two legs' leaf certificates are compared.
// The scenario headers come first: endpoints/Events.hpp has a member named
// emit(), which Qt's `emit` keyword macro would otherwise swallow.
#include "tlslab/scenarios/GalleryLab.hpp"
#include "tlslab/scenarios/MitmLab.hpp"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

#include "ViewsTestSupport.hpp"
#include "support/TestPaths.hpp"
#include "tlslab/pki/Catalog.hpp"
#include "tlslab/pki/Verify.hpp"
#include "tlslab/util/Paths.hpp"
#include "views/CertificatesView.hpp"
#include "views/FieldTreeView.hpp"
#include "views/VerifyStepsModel.hpp"

namespace tlslab::gui::views {
namespace {

using test::app;

const scenarios::GalleryResult& wrongHostRun() {
  // wrong-host: a valid chain for another name. The chain-only client
  // connects (and so has the chain); the correct client rejects it.
  static const scenarios::GalleryResult result =
      scenarios::runGalleryEntry(*pki::findEntry("wrong-host"), tlslab::certsDir());
  return result;
}

TEST(VerifyStepsModel, PassesTheModelTester) {
  app();
  VerifyStepsModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  const auto& run = wrongHostRun();
  ASSERT_EQ(run.setupError, "");
  model.setVerdict(run.correct.verify);
  EXPECT_EQ(static_cast<std::size_t>(model.rowCount()), run.correct.verify.steps.size());
  model.setShowEvents(true);
  EXPECT_EQ(static_cast<std::size_t>(model.rowCount()), run.correct.verify.events.size());
  model.setVerdict(std::nullopt);
  EXPECT_EQ(model.rowCount(), 0);
}

TEST(CertificatesView, ShowsAGalleryChainAndTheFailedCheckStepByStep) {
  app();
  const auto& run = wrongHostRun();
  ASSERT_EQ(run.setupError, "");
  ASSERT_FALSE(run.correct.verify.ok);
  const auto& chain = run.chainOnly.negotiated.peerChainDer;
  ASSERT_FALSE(chain.empty());
  CertificatesView view;
  view.resize(1000, 800);
  view.setChain(chain);
  view.setVerification(run.correct.verify);
  view.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));

  const model::VerifyVerdict& verdict = run.correct.verify;
  EXPECT_TRUE(view.verdictText().contains(QString::fromStdString(verdict.errorName))) << view.verdictText().toStdString();
  EXPECT_TRUE(view.verdictText().contains(QStringLiteral("depth %1").arg(verdict.errorDepth)));
  EXPECT_TRUE(view.verdictText().contains(QString::fromStdString(verdict.errorText)));

  // The step at the error's depth is marked failed with OpenSSL's name and text.
  VerifyStepsModel* steps = view.verifyModel();
  ASSERT_EQ(static_cast<std::size_t>(steps->rowCount()), verdict.steps.size());
  bool sawFailure = false;
  for (int r = 0; r < steps->rowCount(); ++r) {
    const QString result = steps->index(r, VerifyStepsModel::ResultColumn).data().toString();
    if (steps->index(r, 0).data(VerifyStepsModel::DepthRole).toInt() == verdict.errorDepth && result.startsWith("✗")) {
      sawFailure = true;
      EXPECT_TRUE(result.contains(QString::fromStdString(verdict.errorName)));
      EXPECT_EQ(steps->index(r, VerifyStepsModel::ReasonColumn).data().toString().toStdString(), verdict.errorText);
    }
  }
  EXPECT_TRUE(sawFailure);

  // The chain: one top-level row per certificate, decoded by pki.
  FieldTreeModel* certs = view.chainView()->fieldModel();
  ASSERT_EQ(static_cast<std::size_t>(certs->rowCount()), chain.size());
  EXPECT_TRUE(certs->index(0, 0).data().toString().startsWith("Certificate 0 · leaf"));
  EXPECT_GT(certs->rowCount(certs->index(0, 0)), 0);

  // Selecting the last verify step selects that depth's certificate.
  const int last = steps->rowCount() - 1;
  const int depth = steps->index(last, 0).data(VerifyStepsModel::DepthRole).toInt();
  view.verifyTable()->setCurrentIndex(steps->index(last, 0));
  if (static_cast<std::size_t>(depth) < chain.size()) {
    EXPECT_EQ(view.chainView()->currentField(), &certs->root().children[static_cast<std::size_t>(depth)]);
  }
  // Every callback call, in order.
  view.eventsToggle()->setChecked(true);
  EXPECT_EQ(static_cast<std::size_t>(steps->rowCount()), verdict.events.size());
  view.eventsToggle()->setChecked(false);
  EXPECT_EQ(view.differenceCount(), -1);
  test::maybeSavePng(view, "certificates");
}

TEST(CertificatesView, AnExpiredGalleryCertificateNamesTheOpenSslError) {
  app();
  const pki::CatalogEntry* entry = pki::findEntry("expired");
  ASSERT_NE(entry, nullptr);
  auto verdict = pki::verifyEntry(tlslab::certsDir(), *entry, pki::clientOptions(*entry));
  ASSERT_TRUE(verdict) << verdict.error();
  CertificatesView view;
  view.setVerification(*verdict);
  EXPECT_TRUE(view.verdictText().contains("X509_V_ERR_CERT_HAS_EXPIRED")) << view.verdictText().toStdString();
  const QModelIndex leafResult = view.verifyModel()->index(0, VerifyStepsModel::ResultColumn);
  EXPECT_EQ(leafResult.data().toString(), "✗ X509_V_ERR_CERT_HAS_EXPIRED");
  EXPECT_EQ(view.verifyModel()->index(0, VerifyStepsModel::ReasonColumn).data().toString(), "certificate has expired");
}

TEST(CertificatesView, NoVerificationForACaptureSaysSo) {
  app();
  CertificatesView view;
  view.setVerification(std::nullopt);
  EXPECT_TRUE(view.verdictText().contains("No verification recorded"));
  EXPECT_EQ(view.verifyModel()->rowCount(), 0);
}

TEST(CertificatesView, MitmRunComparesBothLegsLeaves) {
  app();
  scenarios::MitmLabOptions options;
  options.certsDir = tlslab::certsDir();
  const scenarios::MitmOutcome outcome =
      scenarios::runMitm(scenarios::AttackerCertificate::AttackerOwn, scenarios::VictimMode::NoVerification, options);
  ASSERT_EQ(outcome.setupError, "");
  ASSERT_FALSE(outcome.victimRun.negotiated.peerChainDer.empty()) << outcome.victimRun.error;
  ASSERT_FALSE(outcome.proxySessions.empty());
  const auto& upstream = outcome.proxySessions.front().upstream.negotiated.peerChainDer;
  ASSERT_FALSE(upstream.empty());
  const Bytes& victimLeaf = outcome.victimRun.negotiated.peerChainDer.front();

  CertificatesView view;
  view.resize(1000, 900);
  view.setChain(outcome.victimRun.negotiated.peerChainDer, "Chain the victim received");
  view.setVerification(outcome.victimRun.verify);
  view.setMitmComparison(victimLeaf, upstream.front());
  view.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
  EXPECT_GT(view.differenceCount(), 0);
  QTableWidget* table = view.comparisonTable();
  ASSERT_EQ(table->rowCount(), 5);
  // attacker32.com's own certificate: the subject differs from bank32.com's.
  EXPECT_EQ(table->item(0, 0)->text(), "≠ subject");
  EXPECT_TRUE(table->item(0, 1)->text().contains("attacker32")) << table->item(0, 1)->text().toStdString();
  EXPECT_TRUE(table->item(0, 2)->text().contains("bank32")) << table->item(0, 2)->text().toStdString();
  test::maybeSavePng(view, "certificates_mitm");

  // The same leaf on both sides: nothing differs.
  view.setMitmComparison(upstream.front(), upstream.front());
  EXPECT_EQ(view.differenceCount(), 0);
  EXPECT_EQ(table->item(0, 0)->text(), "subject");
}

}  // namespace
}  // namespace tlslab::gui::views
