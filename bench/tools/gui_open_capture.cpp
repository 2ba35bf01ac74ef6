// How a large capture opens in the GUI (issue 8: "a 200 MB capture opens with
// a progress bar and the first connections visible within a second or two;
// memory stays bounded; never blocks"). Runs the real MainWindow (offscreen
// unless QT_QPA_PLATFORM says otherwise), opens the file as File → Open does,
// and prints: when the first connections were listed, when loading finished,
// when the selected connection's application data was loaded back (files over
// 64 MB open without it), the longest the event loop went without running (the
// window's responsiveness), and the process's peak RSS. scripts/bench-gui-open.sh.
#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

#include "MainWindow.hpp"
#include "TraceDocument.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CAPTURE\n", argv[0]);
    return 2;
  }
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  tlslab::gui::MainWindow window;
  window.resize(1440, 900);
  window.show();

  QElapsedTimer clock;
  qint64 firstConnections = -1, longestStall = 0, lastTick = 0;
  std::size_t firstCount = 0;
  QTimer tick;  // every 10 ms while the event loop runs: a late tick is a stall
  tick.setInterval(10);
  QObject::connect(&tick, &QTimer::timeout, [&] {
    const qint64 now = clock.elapsed();
    longestStall = std::max(longestStall, now - lastTick);
    lastTick = now;
    if (firstConnections < 0 && !window.document()->isEmpty()) {
      firstConnections = now;
      firstCount = window.document()->trace().connections.size();
    }
  });
  bool ok = false;
  qint64 loadedAt = -1;
  auto report = [&](qint64 payloadsAt) {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("first_connections_ms %lld\nfirst_connections_count %zu\nloaded_ms %lld\nconnections %zu\n"
                "payloads_ms %lld\nlongest_stall_ms %lld\npeak_rss_kb %ld\n",
                static_cast<long long>(firstConnections), firstCount, static_cast<long long>(loadedAt),
                window.document()->trace().connections.size(), static_cast<long long>(payloadsAt),
                static_cast<long long>(longestStall), usage.ru_maxrss);
    QTimer::singleShot(0, &app, &QApplication::quit);
  };
  QObject::connect(&window, &tlslab::gui::MainWindow::loadFinished, [&](bool loaded) {
    ok = loaded;
    loadedAt = clock.elapsed();
    // A small file has its payloads already: nothing more to wait for.
    if (!loaded || QFileInfo(QString::fromLocal8Bit(argv[1])).size() < tlslab::gui::kKeepPayloadsBelow) report(loadedAt);
  });
  QObject::connect(&window, &tlslab::gui::MainWindow::connectionPayloadsLoaded, [&](int, bool loaded) {
    ok = ok && loaded;
    report(clock.elapsed());
  });
  clock.start();
  tick.start();
  window.openCaptureFile(QString::fromLocal8Bit(argv[1]));
  app.exec();
  return ok ? 0 : 1;
}
