// The lab launcher's form, drag and drop of a capture, and round trips of a
// resumed session.
#include <gtest/gtest.h>

#include <QComboBox>
#include <QDropEvent>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QSignalSpy>
#include <QUrl>

#include "Dialogs.hpp"
#include "GuiTestSupport.hpp"
#include "LadderLayout.hpp"
#include "MainWindow.hpp"
#include "TraceDocument.hpp"

namespace tlslab::gui {
namespace {

QComboBox* comboWithItem(const QWidget& parent, const QString& item) {
  for (auto* combo : parent.findChildren<QComboBox*>())
    if (combo->findText(item) >= 0) return combo;
  return nullptr;
}

TEST(LabDialog, ListsEveryLabAndTurnsTheFormIntoARequest) {
  test::app();
  LabDialog dialog(LabKind::Mitm);
  ASSERT_EQ(dialog.labList()->count(), static_cast<int>(labCatalog().size()));
  QComboBox* strategy = comboWithItem(dialog, "forged");
  QComboBox* victim = comboWithItem(dialog, "correct+rogue");
  ASSERT_NE(strategy, nullptr);
  ASSERT_NE(victim, nullptr);
  strategy->setCurrentText("forged");
  victim->setCurrentText("correct+rogue");
  LabRequest r = dialog.request();
  EXPECT_EQ(r.kind, LabKind::Mitm);
  EXPECT_EQ(r.strategy, endpoints::AttackerCertificate::ForgedOnTheFly);
  EXPECT_EQ(r.victim, scenarios::VictimMode::CorrectRogueTrusted);
  // The form says what the lab expects (trust store compromise: the attack works).
  bool saysSucceeds = false;
  for (auto* label : dialog.findChildren<QLabel*>()) saysSucceeds = saysSucceeds || label->text().contains("attack succeeds");
  EXPECT_TRUE(saysSucceeds);

  dialog.labList()->setCurrentRow(static_cast<int>(LabKind::Gallery));
  QComboBox* entry = comboWithItem(dialog, "expired");
  ASSERT_NE(entry, nullptr);
  entry->setCurrentText("expired");
  EXPECT_EQ(dialog.request().kind, LabKind::Gallery);
  EXPECT_EQ(dialog.request().galleryEntry, "expired");

  dialog.labList()->setCurrentRow(static_cast<int>(LabKind::Tamper));
  QComboBox* attack = comboWithItem(dialog, "duplicate");
  ASSERT_NE(attack, nullptr);
  attack->setCurrentText("duplicate");
  EXPECT_EQ(dialog.request().kind, LabKind::Tamper);
  EXPECT_EQ(dialog.request().attack, endpoints::Tamper::Action::Duplicate);
  bool saysAlert = false;
  for (auto* label : dialog.findChildren<QLabel*>()) saysAlert = saysAlert || label->text().contains("bad_record_mac");
  EXPECT_TRUE(saysAlert);
}

TEST(LabRequest, CommandLineNamesParseAndUnknownOnesAreRejected) {
  LabRequest r;
  QString error;
  EXPECT_TRUE(parseLabRequest("mitm", {"self-signed", "none", "", "", ""}, r, error));
  EXPECT_EQ(r.strategy, endpoints::AttackerCertificate::SelfSigned);
  EXPECT_EQ(r.victim, scenarios::VictimMode::NoVerification);
  EXPECT_FALSE(parseLabRequest("mitm", {"teleport", "", "", "", ""}, r, error));
  EXPECT_TRUE(error.contains("teleport"));
  EXPECT_FALSE(parseLabRequest("handshake", {"", "", "1.1", "", ""}, r, error));
  EXPECT_FALSE(parseLabRequest("nope", {}, r, error));
  EXPECT_TRUE(parseLabRequest("tamper", {"", "", "1.2", "", "drop"}, r, error));
  EXPECT_EQ(r.kind, LabKind::Tamper);
  EXPECT_EQ(r.attack, endpoints::Tamper::Action::Drop);
  EXPECT_EQ(r.tls, "1.2");
  EXPECT_FALSE(parseLabRequest("tamper", {"", "", "", "", "none"}, r, error));  // "none" is no attack
  EXPECT_TRUE(error.contains("--attack")) << error.toStdString();
}

TEST(MainWindowShell, DroppingACaptureOpensIt) {
  test::app();
  MainWindow window;
  auto* mime = new QMimeData;
  mime->setUrls({QUrl::fromLocalFile(QStringLiteral(TLSLAB_TEST_SOURCE_DIR "/captures/tls12-rsa.pcapng"))});
  QSignalSpy spy(&window, &MainWindow::loadFinished);
  // As a drag from a file manager arrives: enter (the window accepts files), then drop.
  QDragEnterEvent enter(QPoint(200, 200), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&window, &enter);
  EXPECT_TRUE(enter.isAccepted());
  QDropEvent drop(QPointF(200, 200), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&window, &drop);
  ASSERT_TRUE(spy.wait(30000));
  EXPECT_TRUE(spy.first().first().toBool());
  ASSERT_EQ(window.document()->trace().connections.size(), 1u);
  EXPECT_EQ(window.document()->trace().connections[0].negotiated.version, 0x0303);
  delete mime;
}

TEST(LadderLayout, ResumedSessionNeedsOneRoundTrip) {
  LabRequest r = test::handshakeRequest("1.2");
  r.kind = LabKind::Resumption;
  auto trace = test::labTrace(r);
  ASSERT_EQ(trace->connections.size(), 2u);
  EXPECT_TRUE(layoutLadder(*trace, 0, TimeAxis::Compressed).summary.contains("2-RTT"));
  const QString resumed = layoutLadder(*trace, 1, TimeAxis::Compressed).summary;
  EXPECT_TRUE(resumed.contains("1-RTT")) << resumed.toStdString();
  EXPECT_TRUE(resumed.contains("resumed")) << resumed.toStdString();
}

}  // namespace
}  // namespace tlslab::gui

namespace tlslab::gui {
namespace {

TEST(MainWindowShell, TutorialCommandLinksRunTheirLab) {
  test::app();
  MainWindow window;
  QSignalSpy spy(&window, &MainWindow::loadFinished);
  window.runTutorialCommand(QStringLiteral("tlslab lab run handshake --tls 1.2"));
  ASSERT_TRUE(spy.wait(60000));
  EXPECT_TRUE(spy.first().first().toBool());
  ASSERT_EQ(window.document()->trace().connections.size(), 1u);
  EXPECT_EQ(window.document()->trace().connections[0].negotiated.version, 0x0303);
  // Not a lab: nothing runs, the command is offered for a terminal.
  window.runTutorialCommand(QStringLiteral("tlslab certs verify expired"));
  EXPECT_FALSE(window.isBusy());
}

}  // namespace
}  // namespace tlslab::gui
