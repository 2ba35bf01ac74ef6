// A DTLS association in the main window (issue 18): the GUI renders
// TraceConnections, so Wireshark's DTLS 1.2 capture with its embedded keys
// must open, and every record and message must be selectable without a crash.
#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QSortFilterProxyModel>

#include "ConnectionsPane.hpp"
#include "GuiTestSupport.hpp"
#include "LadderPane.hpp"
#include "LadderView.hpp"
#include "MainWindow.hpp"
#include "TraceDocument.hpp"
#include "support/TestPaths.hpp"

namespace tlslab::gui {
namespace {

TEST(DtlsShell, DtlsCaptureOpensAndEveryRecordAndMessageCanBeSelected) {
  const auto file = tlslab::test::conformanceDir() / "wireshark/captures/dtls12-aes128ccm8-dsb.pcapng";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << "no conformance capture " << file;
  test::app();
  MainWindow window;
  window.show();
  QSignalSpy spy(&window, &MainWindow::loadFinished);
  window.openCaptureFile(QString::fromStdString(file.string()));
  ASSERT_TRUE(spy.wait(60000));
  ASSERT_TRUE(spy.first().first().toBool());
  EXPECT_EQ(window.connectionsPane()->proxy()->rowCount(), 1);
  const model::TraceConnection& c = window.document()->trace().connections.at(0);
  ASSERT_TRUE(c.dtls);
  EXPECT_EQ(c.decryption.kind, model::Decryption::Kind::Decrypted) << c.decryption.text;
  for (int r = 0; r < static_cast<int>(c.records.size()); ++r) window.document()->selectRecord(0, r);
  for (int m = 0; m < static_cast<int>(c.messages.size()); ++m) window.document()->selectMessage(0, m);
  EXPECT_EQ(window.ladderPane()->view()->layout().lanes.size(), 2u);
}

}  // namespace
}  // namespace tlslab::gui
