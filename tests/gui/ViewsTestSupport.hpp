#pragma once
// Shared by the views_*_test.cpp files: one QApplication per test process
// (ctest runs each test in its own process) and a PNG dump for eyeballing.
#include <QApplication>
#include <QDir>
#include <QWidget>

namespace tlslab::gui::views::test {

// Deliberately never destroyed: a function-local static QApplication is torn
// down after Qt's own global statics (the input-device registry among them),
// and ~QInputDevice then crashes at exit once a test has sent a key event.
inline QApplication& app() {
  static int argc = 1;
  static char name[] = "tlslab-views-test";
  static char* argv[] = {name, nullptr};
  if (auto* existing = qobject_cast<QApplication*>(QApplication::instance())) return *existing;
  static QApplication* instance = new QApplication(argc, argv);
  return *instance;
}

// TLSLAB_VIEWS_PNG_DIR=/some/dir saves each rendered view there; unset, nothing is written.
inline void maybeSavePng(QWidget& widget, const QString& name) {
  const QByteArray dir = qgetenv("TLSLAB_VIEWS_PNG_DIR");
  if (dir.isEmpty()) return;
  widget.grab().save(QDir(QString::fromLocal8Bit(dir)).filePath(name + ".png"));
}

}  // namespace tlslab::gui::views::test
