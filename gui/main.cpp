#include <QApplication>

#include "MainWindow.hpp"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("tlslab");
  QApplication::setOrganizationName("tlslab");
  tlslab::gui::MainWindow window;
  window.show();
  return QApplication::exec();
}
