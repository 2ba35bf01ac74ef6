// The key-derivation view on real RFC 8448 §3 values: the TLS 1.3 schedule
// computed by crypto::deriveTls13Schedule, and the chain keys::explainSession
// builds from a key log plus the handshake (Finished verified, the secrets
// above the traffic secrets not derivable: forward secrecy).
#include <gtest/gtest.h>

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>

#include "ViewsTestSupport.hpp"
#include "support/Rfc8448.hpp"
#include "tlslab/crypto/Hash.hpp"
#include "tlslab/crypto/Tls13KeySchedule.hpp"
#include "tlslab/keys/Explain.hpp"
#include "tlslab/keys/KeyStore.hpp"
#include "views/DerivationView.hpp"
#include "views/ViewStyle.hpp"

namespace tlslab::gui::views {
namespace {

namespace r = tlslab::test::rfc8448;
using test::app;

std::vector<model::DerivationStep> rfc8448Schedule() {
  const r::Trace& t = r::simple1Rtt();
  crypto::Tls13Inputs in;
  in.sharedSecret = t.sharedSecret;
  in.transcript.serverHello = t.helloHash;
  in.transcript.serverFinished = t.applicationHash;
  in.transcript.clientFinished = t.resumptionHash;
  return crypto::deriveTls13Schedule(in).steps;
}

std::vector<model::DerivationStep> rfc8448KeyLogExplanation() {
  const r::Trace& t = r::simple1Rtt();
  const Bytes clientRandom(t.clientHello.begin() + 6, t.clientHello.begin() + 38);
  const std::string cr = toHex(clientRandom);
  keys::KeyStore store;
  store.addKeyLogText("CLIENT_HANDSHAKE_TRAFFIC_SECRET " + cr + " " + toHex(t.clientHandshakeTrafficSecret) +
                      "\nSERVER_HANDSHAKE_TRAFFIC_SECRET " + cr + " " + toHex(t.serverHandshakeTrafficSecret) +
                      "\nCLIENT_TRAFFIC_SECRET_0 " + cr + " " + toHex(t.clientApplicationTrafficSecret) +
                      "\nSERVER_TRAFFIC_SECRET_0 " + cr + " " + toHex(t.serverApplicationTrafficSecret) + "\n");
  const keys::SessionSecrets* secrets = store.findByClientRandom(clientRandom);
  EXPECT_NE(secrets, nullptr);
  crypto::Hasher hasher(crypto::HashAlg::Sha256);
  for (const Bytes* m : {&t.clientHello, &t.serverHello, &t.encryptedExtensions, &t.certificate, &t.certificateVerify})
    hasher.update(*m);
  keys::SessionContext ctx;
  ctx.suite = 0x1301;
  ctx.serverFinishedHash = hasher.peek();
  ctx.clientFinishedHash = t.applicationHash;
  ctx.serverVerifyData = Bytes(t.serverFinished.begin() + 4, t.serverFinished.end());
  ctx.clientVerifyData = Bytes(t.clientFinished.begin() + 4, t.clientFinished.end());
  return keys::explainSession(*secrets, ctx).steps;
}

int indexOfStep(const DerivationView& view, const std::string& name) {
  for (int i = 0; i < view.stepCount(); ++i) {
    if (view.step(i).name == name) return i;
  }
  return -1;
}

TEST(DerivationView, ShowsEveryStepWithTheRfc8448Values) {
  app();
  DerivationView view;
  const auto steps = rfc8448Schedule();
  view.setSteps(steps);
  ASSERT_EQ(view.stepCount(), static_cast<int>(steps.size()));
  const int hs = indexOfStep(view, "handshake_secret");
  ASSERT_GE(hs, 0);
  auto* output = view.card(hs)->findChild<ValueLabel*>("output");
  ASSERT_NE(output, nullptr);
  EXPECT_EQ(output->copyText().toStdString(), toHex(r::simple1Rtt().handshakeSecret));
  // Shown grouped for reading: "1d c8 26 e9 ..." (RFC 8448 §3 handshake secret).
  EXPECT_TRUE(output->text().startsWith("1d c8 26 e9")) << output->text().toStdString();
  EXPECT_TRUE(view.card(hs)->findChild<QLabel*>("badge")->text().contains("derived"));
  EXPECT_TRUE(view.card(hs)->findChild<QLabel*>("rfc")->text().contains("RFC 8446"));
  // Every input of the step has its own copyable value.
  for (std::size_t i = 0; i < view.step(hs).inputs.size(); ++i) {
    auto* input = view.card(hs)->findChild<ValueLabel*>(QStringLiteral("input%1").arg(i));
    ASSERT_NE(input, nullptr);
    EXPECT_EQ(input->copyText().toStdString(), toHex(view.step(hs).inputs[i].bytes));
  }
}

TEST(DerivationView, MarksVerifiedFinishedAndExplainsWhatIsNotDerivable) {
  app();
  DerivationView view;
  view.setSteps(rfc8448KeyLogExplanation());
  int verified = 0, notDerivable = 0;
  for (int i = 0; i < view.stepCount(); ++i) {
    const QString badge = view.card(i)->findChild<QLabel*>("badge")->text();
    if (view.step(i).status == model::StepStatus::Verified) {
      ++verified;
      EXPECT_TRUE(badge.contains("✓ verified")) << badge.toStdString();
    }
    if (view.step(i).status == model::StepStatus::NotDerivable) {
      ++notDerivable;
      EXPECT_TRUE(badge.contains("not derivable"));
      auto* note = view.card(i)->findChild<QLabel*>("note");
      ASSERT_NE(note, nullptr) << view.step(i).name;
      EXPECT_TRUE(note->text().contains("forward secrecy")) << note->text().toStdString();
    }
  }
  EXPECT_EQ(verified, 2);
  EXPECT_EQ(notDerivable, 3);
  EXPECT_TRUE(view.summaryText().contains("2 verified ✓"));
  EXPECT_TRUE(view.summaryText().contains("3 not derivable"));
}

TEST(DerivationView, CtrlCOnAValueCopiesTheFullHex) {
  app();
  DerivationView view;
  view.setSteps(rfc8448Schedule());
  const int i = indexOfStep(view, "master_secret");
  ASSERT_GE(i, 0);
  auto* output = view.card(i)->findChild<ValueLabel*>("output");
  QTest::keySequence(output, QKeySequence::Copy);
  EXPECT_EQ(QApplication::clipboard()->text().toStdString(), toHex(r::simple1Rtt().masterSecret));
  // "Copy all" text has every step.
  const QString all = view.stepsAsText();
  EXPECT_TRUE(all.contains(QString::fromStdString(toHex(r::simple1Rtt().masterSecret))));
  EXPECT_EQ(all.count("\n\n"), view.stepCount());
}

TEST(DerivationView, FilterShowsOnlyMatchingSteps) {
  app();
  DerivationView view;
  view.setSteps(rfc8448Schedule());
  view.setFilter("traffic");
  EXPECT_GT(view.visibleStepCount(), 0);
  EXPECT_LT(view.visibleStepCount(), view.stepCount());
  for (int i = 0; i < view.stepCount(); ++i) {
    const auto& s = view.step(i);
    const bool matches = (s.name + s.function).find("traffic") != std::string::npos;
    EXPECT_EQ(view.card(i)->isVisibleTo(view.card(i)->parentWidget()), matches) << s.name;
  }
  view.setFilter({});
  EXPECT_EQ(view.visibleStepCount(), view.stepCount());
}

TEST(DerivationView, ClickingACardSelectsItsStepAndShowStepFindsByName) {
  app();
  DerivationView view;
  view.resize(900, 600);
  view.setSteps(rfc8448Schedule());
  view.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
  QSignalSpy spy(&view, &DerivationView::stepSelected);
  const int i = indexOfStep(view, "early_secret");
  ASSERT_GE(i, 0);
  QTest::mouseClick(view.card(i), Qt::LeftButton, {}, QPoint(5, 5));
  ASSERT_EQ(spy.count(), 1);
  EXPECT_EQ(spy.at(0).at(0).toInt(), i);
  // Clicking a value inside another card selects that card's step too.
  const int hs = indexOfStep(view, "handshake_secret");
  QTest::mouseClick(view.card(hs)->findChild<ValueLabel*>("output"), Qt::LeftButton, {}, QPoint(3, 3));
  ASSERT_EQ(spy.count(), 2);
  EXPECT_EQ(spy.at(1).at(0).toInt(), hs);
  EXPECT_TRUE(view.showStep("master_secret"));
  EXPECT_FALSE(view.showStep("no such step"));
}

TEST(DerivationView, RendersForALookAtIt) {
  app();
  DerivationView view;
  view.resize(900, 900);
  view.setSteps(rfc8448KeyLogExplanation());
  view.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
  test::maybeSavePng(view, "derivation");
  view.setSteps(rfc8448Schedule());
  test::maybeSavePng(view, "derivation_full");
  SUCCEED();
}

}  // namespace
}  // namespace tlslab::gui::views
