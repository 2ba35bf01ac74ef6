// The main window end to end: a lab run in-process fills every view, a saved
// run reopens as a capture, and a corrupt file gives an error dialog.
#include <gtest/gtest.h>

#include <QFile>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTemporaryDir>

#include "ConnectionsPane.hpp"
#include "GuiTestSupport.hpp"
#include "LadderPane.hpp"
#include "LadderView.hpp"
#include "MainWindow.hpp"
#include "TraceDocument.hpp"
#include "views/HexView.hpp"
#include "views/MessageDetailView.hpp"

namespace tlslab::gui {
namespace {

// Waits for the window's worker without blocking its event loop.
bool waitForLoad(MainWindow& window, bool& ok) {
  QSignalSpy spy(&window, &MainWindow::loadFinished);
  if (!spy.wait(60000)) return false;
  ok = spy.first().first().toBool();
  return true;
}

TEST(MainWindowShell, MitmLabStreamsIntoTheLogThenFillsEveryView) {
  test::app();
  MainWindow window;
  window.show();
  window.runLab(test::mitmRequest());
  EXPECT_TRUE(window.isBusy());
  bool ok = false;
  ASSERT_TRUE(waitForLoad(window, ok));
  EXPECT_TRUE(ok);
  EXPECT_FALSE(window.isBusy());
  EXPECT_EQ(window.connectionsPane()->proxy()->rowCount(), 2);
  EXPECT_EQ(window.ladderPane()->view()->layout().lanes.size(), 3u);
  const QString log = window.runLog()->toPlainText();
  EXPECT_TRUE(log.contains("client_hello")) << log.toStdString();
  EXPECT_TRUE(log.contains("attack succeeded")) << log.toStdString();
  // The lesson is in focus: the victim's login record on the ladder, the
  // certificate comparison in the details.
  ASSERT_NE(window.document()->currentRecord(), nullptr);
  EXPECT_EQ(window.document()->connection(), 0);
  EXPECT_EQ(window.document()->currentRecord()->innerContentType, 23);
  EXPECT_EQ(window.detailTabs()->tabText(window.detailTabs()->currentIndex()), "Certificates");
  EXPECT_TRUE(window.windowTitle().contains("mitm"));
}

TEST(MainWindowShell, SavedLabRunReopensAsACaptureWithTheSameConnections) {
  test::app();
  LabResult run = runLab(test::handshakeRequest("1.2"), {});
  ASSERT_TRUE(run.error.isEmpty());
  QTemporaryDir dir;
  const QString path = dir.filePath("run.pcapng");
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write(run.pcapng.data(), static_cast<qint64>(run.pcapng.size()));
  file.close();

  MainWindow window;
  window.openCaptureFile(path);
  bool ok = false;
  ASSERT_TRUE(waitForLoad(window, ok));
  ASSERT_TRUE(ok);
  ASSERT_EQ(window.document()->trace().connections.size(), run.trace.connections.size());
  EXPECT_EQ(window.document()->trace().connections[0].records.size(), run.trace.connections[0].records.size());
  EXPECT_TRUE(window.ladderPane()->view()->layout().summary.contains("2-RTT"));
}

TEST(MainWindowShell, CorruptCaptureShowsAnErrorDialogNotACrash) {
  test::app();
  QTemporaryDir dir;
  const QString path = dir.filePath("corrupt.pcapng");
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write(QByteArrayLiteral("\x0a\x0d\x0d\x0a this is not a capture at all"));  // a pcapng magic, then text
  file.close();

  MainWindow window;
  window.show();
  window.openCaptureFile(path);
  bool ok = true;
  ASSERT_TRUE(waitForLoad(window, ok));
  EXPECT_FALSE(ok);
  QMessageBox* box = window.lastError();
  ASSERT_NE(box, nullptr);
  EXPECT_TRUE(box->isVisible());
  EXPECT_EQ(box->windowTitle(), "Cannot open capture");
  EXPECT_FALSE(box->text().isEmpty());
  EXPECT_TRUE(window.document()->isEmpty());
  box->close();
}

TEST(MainWindowShell, MissingFileShowsAnErrorDialog) {
  test::app();
  MainWindow window;
  window.openCaptureFile("/nonexistent/tlslab/missing.pcap");
  bool ok = true;
  ASSERT_TRUE(waitForLoad(window, ok));
  EXPECT_FALSE(ok);
  ASSERT_NE(window.lastError(), nullptr);
  EXPECT_TRUE(window.lastError()->text().contains("missing.pcap")) << window.lastError()->text().toStdString();
}

}  // namespace
}  // namespace tlslab::gui

namespace tlslab::gui {
namespace {

// The project's own sample capture (captures/, keys embedded): one TLS 1.3
// connection, and the message detail linked to the document's selection.
TEST(MainWindowShell, SampleCaptureOpensDecryptedAndLinksFieldsToBytes) {
  test::app();
  MainWindow window;
  window.show();
  window.openCaptureFile(QStringLiteral(TLSLAB_TEST_SOURCE_DIR "/captures/tls13-https-hello.pcapng"));
  bool ok = false;
  ASSERT_TRUE(waitForLoad(window, ok));
  ASSERT_TRUE(ok);
  const auto& trace = window.document()->trace();
  ASSERT_EQ(trace.connections.size(), 1u);
  EXPECT_EQ(window.connectionsPane()->proxy()->rowCount(), 1);
  EXPECT_TRUE(window.ladderPane()->view()->layout().summary.contains("1-RTT"));
  // Select the ClientHello through the document: the message tab follows,
  // and a field selected there highlights exactly its bytes.
  window.document()->selectMessage(0, 0);
  const model::Field* suites = model::findField(trace.connections[0].messages[0].tree, "cipher_suites");
  ASSERT_NE(suites, nullptr);
  // The hex half shows the message's own bytes (TraceMessage::bytes).
  ASSERT_FALSE(trace.connections[0].messages[0].bytes.empty());
  ASSERT_TRUE(window.messageView()->selectField("cipher_suites"));
  const auto range = window.messageView()->hexView()->selection();
  EXPECT_EQ(range.offset, suites->offset);
  EXPECT_EQ(range.length, suites->length);
}

TEST(MainWindowShell, OpenRecentListsTheLastCapture) {
  test::app();
  MainWindow window;
  const QString path = QStringLiteral(TLSLAB_TEST_SOURCE_DIR "/captures/tls12-ecdhe.pcapng");
  window.openCaptureFile(path);
  bool ok = false;
  ASSERT_TRUE(waitForLoad(window, ok));
  ASSERT_TRUE(ok);
  QMenu* recent = nullptr;
  for (QAction* a : window.fileMenu()->actions())
    if (a->menu() != nullptr && a->text().remove('&') == "Open Recent") recent = a->menu();
  ASSERT_NE(recent, nullptr);
  ASSERT_FALSE(recent->actions().isEmpty());
  EXPECT_EQ(recent->actions().first()->text(), "tls12-ecdhe.pcapng");
}

}  // namespace
}  // namespace tlslab::gui
