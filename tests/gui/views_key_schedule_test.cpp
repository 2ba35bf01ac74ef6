// The key schedule picture (KeyScheduleLayout + KeyScheduleView) on RFC 8448
// §3's values: every node of the RFC 8446 §7.1 diagram is laid out in its
// place with the value the RFC lists, the geometry holds together (no boxes
// overlap, every arrow ends on the box it feeds), and a click on a box hits it.
#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QTest>

#include "KeyScheduleLayout.hpp"
#include "ViewsTestSupport.hpp"
#include "support/Rfc8448.hpp"
#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/Tls13KeySchedule.hpp"
#include "views/KeyScheduleView.hpp"

namespace tlslab::gui {
namespace {

namespace r = tlslab::test::rfc8448;
using model::ScheduleNode;
using N = model::ScheduleNode;

// RFC 8448 §3 run through the core's schedule, traffic keys and Finished, as
// the dissector would for a connection whose (EC)DHE secret is known.
std::vector<model::DerivationStep> rfc8448Steps() {
  const r::Trace& t = r::simple1Rtt();
  crypto::Tls13Inputs in;
  in.sharedSecret = t.sharedSecret;
  in.transcript.serverHello = t.helloHash;
  in.transcript.serverFinished = t.applicationHash;
  in.transcript.clientFinished = t.resumptionHash;
  auto schedule = crypto::deriveTls13Schedule(in);
  auto steps = schedule.steps;
  const crypto::CipherSuite* suite = crypto::findSuite(0x1301);
  const std::pair<crypto::SecretKind, const Bytes*> traffic[] = {
      {crypto::SecretKind::ClientHandshakeTrafficSecret, &schedule.secrets.clientHandshakeTraffic},
      {crypto::SecretKind::ServerHandshakeTrafficSecret, &schedule.secrets.serverHandshakeTraffic},
      {crypto::SecretKind::ClientApplicationTrafficSecret0, &schedule.secrets.clientApplicationTraffic},
      {crypto::SecretKind::ServerApplicationTrafficSecret0, &schedule.secrets.serverApplicationTraffic}};
  for (const auto& [kind, secret] : traffic)
    for (auto& step : crypto::tls13TrafficKeys(*suite, *secret, kind).steps) steps.push_back(step);
  return steps;
}

const ScheduleBox& boxOf(const KeyScheduleLayout& layout, N node) {
  const int i = layout.find(node);
  EXPECT_GE(i, 0) << model::scheduleNodeName(node);
  static const ScheduleBox none;
  return i < 0 ? none : layout.boxes[static_cast<std::size_t>(i)];
}

TEST(KeyScheduleLayout, Rfc8448EveryNodeHasTheValueTheRfcLists) {
  const auto steps = rfc8448Steps();
  const KeyScheduleLayout layout = layoutKeySchedule(steps);
  ASSERT_EQ(layout.kind, ScheduleKind::Tls13);
  const r::Trace& t = r::simple1Rtt();
  const std::pair<N, const Bytes*> expected[] = {
      {N::EarlySecret, &t.earlySecret},
      {N::DerivedForHandshake, &t.derivedForHandshake},
      {N::HandshakeSecret, &t.handshakeSecret},
      {N::ClientHandshakeTraffic, &t.clientHandshakeTrafficSecret},
      {N::ServerHandshakeTraffic, &t.serverHandshakeTrafficSecret},
      {N::DerivedForMaster, &t.derivedForMaster},
      {N::MasterSecret, &t.masterSecret},
      {N::ClientApplicationTraffic, &t.clientApplicationTrafficSecret},
      {N::ServerApplicationTraffic, &t.serverApplicationTrafficSecret},
      {N::ExporterMaster, &t.exporterMasterSecret},
      {N::ResumptionMaster, &t.resumptionMasterSecret},
      {N::ServerHandshakeKey, &t.serverHandshakeKey},
      {N::ServerHandshakeIv, &t.serverHandshakeIv},
      {N::ClientHandshakeKey, &t.clientHandshakeKey},
      {N::ClientHandshakeIv, &t.clientHandshakeIv},
      {N::ServerApplicationKey, &t.serverApplicationKey},
      {N::ServerApplicationIv, &t.serverApplicationIv},
      {N::ClientApplicationKey, &t.clientApplicationKey},
      {N::ClientApplicationIv, &t.clientApplicationIv},
  };
  for (const auto& [node, bytes] : expected) {
    SCOPED_TRACE(model::scheduleNodeName(node));
    const ScheduleBox& box = boxOf(layout, node);
    ASSERT_GE(box.step, 0);
    EXPECT_EQ(steps[static_cast<std::size_t>(box.step)].output, *bytes);
    EXPECT_EQ(box.value, shortHex(*bytes));
    EXPECT_EQ(box.status, stepStatusText(model::StepStatus::Derived));
  }
  // "1dc826e9…" is RFC 8448 §3's handshake secret, shortened for the box.
  EXPECT_TRUE(boxOf(layout, N::HandshakeSecret).value.startsWith("1dc826e9…")) << boxOf(layout, N::HandshakeSecret).value.toStdString();
  // No PSK in §3: the RFC's PSK input and the binder branch are outlines without a step.
  EXPECT_EQ(boxOf(layout, N::Psk).step, -1);
  EXPECT_EQ(boxOf(layout, N::BinderKey).step, -1);
  EXPECT_EQ(layout.unplaced, 0);
}

TEST(KeyScheduleLayout, DrawsTheRfcShapeSpineBranchesAndValuesBesideTheirSecret) {
  const KeyScheduleLayout layout = layoutKeySchedule(rfc8448Steps());
  const QRectF early = boxOf(layout, N::EarlySecret).rect, hs = boxOf(layout, N::HandshakeSecret).rect,
               ms = boxOf(layout, N::MasterSecret).rect;
  // The spine: one column, top to bottom, "derived" between the extracts.
  EXPECT_DOUBLE_EQ(early.left(), hs.left());
  EXPECT_DOUBLE_EQ(hs.left(), ms.left());
  EXPECT_LT(early.bottom(), boxOf(layout, N::DerivedForHandshake).rect.top());
  EXPECT_LT(boxOf(layout, N::DerivedForHandshake).rect.bottom(), hs.top());
  EXPECT_LT(hs.bottom(), boxOf(layout, N::DerivedForMaster).rect.top());
  EXPECT_LT(boxOf(layout, N::DerivedForMaster).rect.bottom(), ms.top());
  // (EC)DHE feeds the Handshake Secret from the left, on its row.
  const QRectF dhe = boxOf(layout, N::SharedSecret).rect;
  EXPECT_LT(dhe.right(), hs.left());
  EXPECT_DOUBLE_EQ(dhe.top(), hs.top());
  // Branches to the right of their extract, traffic keys to the right of their secret.
  const QRectF chs = boxOf(layout, N::ClientHandshakeTraffic).rect;
  EXPECT_GT(chs.left(), hs.right());
  EXPECT_DOUBLE_EQ(chs.top(), hs.top());
  EXPECT_GT(boxOf(layout, N::ClientHandshakeKey).rect.left(), chs.right());
  EXPECT_GE(boxOf(layout, N::ClientApplicationTraffic).rect.top(), ms.top());
  EXPECT_GT(boxOf(layout, N::ResumptionMaster).rect.top(), boxOf(layout, N::ExporterMaster).rect.top());

  // No two boxes overlap; every box is hit at its centre; every arrow ends on the box it feeds.
  for (std::size_t i = 0; i < layout.boxes.size(); ++i) {
    EXPECT_EQ(layout.boxAt(layout.boxes[i].rect.center()), static_cast<int>(i));
    for (std::size_t j = i + 1; j < layout.boxes.size(); ++j)
      EXPECT_FALSE(layout.boxes[i].rect.intersects(layout.boxes[j].rect))
          << layout.boxes[i].title.toStdString() << " / " << layout.boxes[j].title.toStdString();
  }
  EXPECT_EQ(layout.boxAt({-50, -50}), -1);
  ASSERT_FALSE(layout.edges.empty());
  for (const auto& edge : layout.edges) {
    ASSERT_GE(edge.to, 0);
    const QRectF to = layout.boxes[static_cast<std::size_t>(edge.to)].rect.adjusted(-0.5, -0.5, 0.5, 0.5);
    EXPECT_TRUE(to.contains(edge.points.back())) << layout.boxes[static_cast<std::size_t>(edge.to)].title.toStdString();
    EXPECT_TRUE(edge.from >= 0 || !edge.label.isEmpty());
  }
  // The Handshake Secret is made from "derived" and (EC)DHE, and makes both handshake traffic secrets.
  int into = 0, outOf = 0;
  const int hsBox = layout.find(N::HandshakeSecret);
  for (const auto& edge : layout.edges) {
    into += edge.to == hsBox;
    outOf += edge.from == hsBox;
  }
  EXPECT_EQ(into, 2);
  EXPECT_EQ(outOf, 3);  // c hs traffic, s hs traffic, the next "derived"
}

TEST(KeyScheduleLayout, WithoutStepsThereIsNoPicture) {
  EXPECT_TRUE(layoutKeySchedule({}).empty());
  model::DerivationStep loose;
  loose.name = "something else";
  const auto layout = layoutKeySchedule({loose});
  EXPECT_TRUE(layout.empty());
  EXPECT_EQ(layout.unplaced, 1);
}

TEST(KeyScheduleView, ClickingABoxSelectsItAndEmitsItsIndex) {
  views::test::app();
  views::KeyScheduleView view;
  view.resize(900, 700);
  view.setSteps(rfc8448Steps());
  view.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
  QSignalSpy spy(&view, &views::KeyScheduleView::boxClicked);
  // A box low in the picture: the view scrolls it into reach first.
  const int box = view.layout().find(N::ResumptionMaster);
  ASSERT_GE(box, 0);
  QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.boxPoint(box));
  ASSERT_EQ(spy.count(), 1);
  EXPECT_EQ(spy.at(0).at(0).toInt(), box);
  EXPECT_EQ(view.selectedBox(), box);
  // Zoomed out, the same box is still hit where it is drawn.
  view.setZoom(0.6);
  const int hs = view.layout().find(N::HandshakeSecret);
  QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.boxPoint(hs));
  ASSERT_EQ(spy.count(), 2);
  EXPECT_EQ(spy.at(1).at(0).toInt(), hs);
  // Keyboard: Down moves to the next box.
  QTest::keyClick(&view, Qt::Key_Down);
  EXPECT_EQ(view.selectedBox(), hs + 1);
  view.setZoom(1.0);
  views::test::maybeSavePng(view, "key_schedule_rfc8448");
}

}  // namespace
}  // namespace tlslab::gui
