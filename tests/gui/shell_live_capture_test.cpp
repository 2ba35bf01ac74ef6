// Live capture from the main window: a real lab handshake on lo captured by
// libpcap and dissected as it arrives, decrypted with a key log written after
// the run; a clear error without an interface.
#include <gtest/gtest.h>

#include "support/Process.hpp"

#include <QMessageBox>
#include <QSignalSpy>
#include <QTest>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "GuiTestSupport.hpp"
#include "MainWindow.hpp"
#include "TraceDocument.hpp"

namespace tlslab::gui {
namespace {

TEST(LiveCapture, UnknownInterfaceShowsAnErrorDialog) {
  test::app();
  MainWindow window;
  QSignalSpy spy(&window, &MainWindow::loadFinished);
  window.startLiveCapture({QStringLiteral("tlslab-no-such-if0"), QStringLiteral("tcp"), {}});
  ASSERT_TRUE(spy.wait(20000));
  EXPECT_FALSE(spy.first().first().toBool());
  ASSERT_NE(window.lastError(), nullptr);
  EXPECT_EQ(window.lastError()->windowTitle(), "Cannot capture");
  EXPECT_FALSE(window.lastError()->informativeText().isEmpty());
  EXPECT_FALSE(window.isBusy());
}

TEST(LiveCapture, LabHandshakeOnLoopbackAppearsAsAConnection) {
  test::app();
  MainWindow window;
  QSignalSpy spy(&window, &MainWindow::loadFinished);
  // The key log is written only after the run, as OpenSSL's lines land after
  // the records they open: the capture opens them once it reads the file.
  const auto keyLog = std::filesystem::temp_directory_path() / ("tlslab-gui-live-" + std::to_string(::getpid()) + ".keys");
  std::filesystem::remove(keyLog);
  // Only this run's port: other tests move megabytes over lo meanwhile, and a
  // capture of all of it can drop this run's packets in the kernel's buffer.
  LabRequest request = test::handshakeRequest("1.3");
  request.port = tlslab::test::freeLoopbackPort();
  window.startLiveCapture({QStringLiteral("lo"), QStringLiteral("tcp port %1").arg(request.port),
                           QString::fromStdString(keyLog.string())});
  // Without CAP_NET_RAW the capture fails at once, with the permission dialog.
  if (spy.wait(1500)) {
    ASSERT_NE(window.lastError(), nullptr);
    GTEST_SKIP() << "no capture permission here: " << window.lastError()->text().toStdString();
  }
  // A real lab handshake while the capture runs (its own threads; this one waits).
  LabResult run = runLab(request, {});
  ASSERT_TRUE(run.error.isEmpty()) << run.error.toStdString();
  {
    std::ofstream out(keyLog);
    for (const auto& c : run.trace.connections) out << c.keyLog;
  }
  QTest::qWait(600);  // the last packets reach libpcap's buffer
  window.stopLiveCapture();
  ASSERT_TRUE(spy.wait(20000));
  EXPECT_TRUE(spy.first().first().toBool());
  std::filesystem::remove(keyLog);
  // Other tests may talk TLS on lo meanwhile: this run's connection is the one
  // with its client random.
  ASSERT_FALSE(run.trace.connections.empty());
  const Bytes random = run.trace.connections.front().clientRandom;
  bool found = false;
  for (const auto& c : window.document()->trace().connections) {
    if (c.clientRandom != random) continue;
    found = true;
    EXPECT_EQ(c.negotiated.sni, "bank32.com");
    EXPECT_EQ(c.negotiated.version, 0x0304);
    EXPECT_EQ(c.decryption.kind, model::Decryption::Kind::Decrypted);
    EXPECT_FALSE(c.appData.empty());
  }
  EXPECT_TRUE(found) << window.document()->trace().connections.size() << " connections";
}

}  // namespace
}  // namespace tlslab::gui
