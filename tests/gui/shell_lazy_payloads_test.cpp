// A large capture opens without application data (memory stays bounded); a
// connection's data loads from the file when the user opens that connection.
// The size limit is lowered so a two-connection lab capture counts as large.
#include <gtest/gtest.h>

#include <QFile>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTemporaryDir>

#include "GuiTestSupport.hpp"
#include "MainWindow.hpp"
#include "TraceDocument.hpp"

namespace tlslab::gui {
namespace {

std::string appData(const model::TraceConnection& c) {
  std::string out;
  for (const auto& chunk : c.appData) out.append(chunk.data.begin(), chunk.data.end());
  return out;
}

struct LargeFileFixture {
  QApplication& application = test::app();
  QTemporaryDir dir;
  QString path = dir.filePath(QStringLiteral("resumption.pcapng"));
  LabResult run;
  MainWindow window;
  LargeFileFixture() {
    LabRequest request;
    request.kind = LabKind::Resumption;
    request.tls = "1.3";
    run = runLab(request, {});
    EXPECT_TRUE(run.error.isEmpty());
    QFile file(path);
    EXPECT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(run.pcapng.data(), static_cast<qint64>(run.pcapng.size()));
    file.close();
    window.setKeepPayloadsBelow(0);  // every file is "large"
    window.show();
  }
  // Opens the file; true when it loaded and connection 0's data followed.
  bool open(std::string& dataAtLoad) {
    QSignalSpy loaded(&window, &MainWindow::loadFinished);
    QSignalSpy payloads(&window, &MainWindow::connectionPayloadsLoaded);
    QObject::connect(&window, &MainWindow::loadFinished, &window, [&](bool) {
      dataAtLoad = appData(window.document()->trace().connections.at(0));
    });
    window.openCaptureFile(path);
    if (!loaded.wait(60000) || !loaded.first().first().toBool()) return false;
    if (payloads.isEmpty() && !payloads.wait(60000)) return false;
    return payloads.first().at(0).toInt() == 0 && payloads.first().at(1).toBool();
  }
};

TEST(LazyPayloads, AConnectionsDataLoadsWhenItIsOpened) {
  LargeFileFixture f;
  ASSERT_EQ(f.run.trace.connections.size(), 2u);
  std::string atLoad;
  ASSERT_TRUE(f.open(atLoad));
  EXPECT_EQ(atLoad, "");  // opened without payloads
  const auto& trace = f.window.document()->trace();
  ASSERT_EQ(trace.connections.size(), 2u);
  EXPECT_EQ(appData(trace.connections[0]), appData(f.run.trace.connections[0]));
  EXPECT_NE(appData(trace.connections[0]).find("GET / HTTP/1.1"), std::string::npos);
  EXPECT_EQ(appData(trace.connections[1]), "");  // not opened yet
  EXPECT_EQ(f.window.document()->connection(), 0);  // the selection survived the reload

  // In place (issue 17): the window changes its one trace, it does not
  // build a second one beside it.
  const model::Trace* shown = f.window.document()->sharedTrace().get();
  const model::TraceConnection* first = &f.window.document()->trace().connections[0];
  QSignalSpy payloads(&f.window, &MainWindow::connectionPayloadsLoaded);
  f.window.document()->selectConnection(1);
  ASSERT_TRUE(payloads.wait(60000));
  EXPECT_EQ(payloads.first().at(0).toInt(), 1);
  EXPECT_EQ(f.window.document()->sharedTrace().get(), shown);
  EXPECT_EQ(&f.window.document()->trace().connections[0], first);
  EXPECT_EQ(appData(f.window.document()->trace().connections[1]), appData(f.run.trace.connections[1]));
  EXPECT_EQ(appData(f.window.document()->trace().connections[0]), appData(f.run.trace.connections[0]));  // kept
  EXPECT_EQ(f.window.document()->connection(), 1);
}

TEST(LazyPayloads, AFileChangedSinceOpeningGivesADialog) {
  LargeFileFixture f;
  std::string atLoad;
  ASSERT_TRUE(f.open(atLoad));
  QFile file(f.path);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
  file.write(QByteArrayLiteral("not a capture any more"));
  file.close();
  QSignalSpy payloads(&f.window, &MainWindow::connectionPayloadsLoaded);
  f.window.document()->selectConnection(1);
  ASSERT_TRUE(payloads.wait(60000));
  EXPECT_EQ(payloads.first().at(0).toInt(), 1);
  EXPECT_FALSE(payloads.first().at(1).toBool());
  ASSERT_NE(f.window.lastError(), nullptr);
  EXPECT_TRUE(f.window.lastError()->isVisible());
  EXPECT_TRUE(f.window.lastError()->text().contains("resumption.pcapng")) << f.window.lastError()->text().toStdString();
  EXPECT_EQ(f.window.document()->trace().connections.size(), 2u);  // what was shown stays
}

}  // namespace
}  // namespace tlslab::gui
