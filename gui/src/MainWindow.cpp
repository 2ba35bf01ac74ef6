#include "MainWindow.hpp"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace tlslab::gui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("tlslab"));
  resize(1280, 800);
  auto* welcome = new QLabel(tr("<h2>tlslab</h2><p>Learn TLS by watching it happen.</p>"
                                "<p>Open a capture or run a lab to begin.</p>"),
                             this);
  welcome->setAlignment(Qt::AlignCenter);
  setCentralWidget(welcome);
  buildMenus();
  statusBar()->showMessage(tr("Ready"));
}

QAction* MainWindow::addPlanned(QMenu* menu, const QString& text, const QKeySequence& shortcut) {
  QAction* action = menu->addAction(text);
  action->setShortcut(shortcut);
  action->setEnabled(false);
  action->setToolTip(tr("Not available in this build yet"));
  return action;
}

void MainWindow::buildMenus() {
  fileMenu_ = menuBar()->addMenu(tr("&File"));
  addPlanned(fileMenu_, tr("&Open Capture…"), QKeySequence::Open);
  addPlanned(fileMenu_, tr("Open &Key Log…"));
  fileMenu_->addMenu(tr("Open &Recent"))->setEnabled(false);
  fileMenu_->addSeparator();
  addPlanned(fileMenu_, tr("&Save as pcapng with Keys…"), QKeySequence::Save);
  addPlanned(fileMenu_, tr("Export Decrypted &Stream…"));
  addPlanned(fileMenu_, tr("Export &JSON…"));
  fileMenu_->addSeparator();
  QAction* quit = fileMenu_->addAction(tr("&Quit"), qApp, &QApplication::quit);
  quit->setShortcut(QKeySequence::Quit);

  captureMenu_ = menuBar()->addMenu(tr("&Capture"));
  addPlanned(captureMenu_, tr("&Start Live Capture…"), QKeySequence(tr("Ctrl+E")));
  addPlanned(captureMenu_, tr("S&top Capture"));

  labsMenu_ = menuBar()->addMenu(tr("&Labs"));
  addPlanned(labsMenu_, tr("&Run Lab…"), QKeySequence(tr("Ctrl+R")));
  addPlanned(labsMenu_, tr("&Man-in-the-Middle Lab"));
  addPlanned(labsMenu_, tr("&Bad Certificate Gallery"));

  viewMenu_ = menuBar()->addMenu(tr("&View"));
  addPlanned(viewMenu_, tr("&Connections"));
  addPlanned(viewMenu_, tr("&Ladder"));
  addPlanned(viewMenu_, tr("&Message Detail"));
  addPlanned(viewMenu_, tr("&Key Derivation"));
  addPlanned(viewMenu_, tr("Record &Crypto"));
  addPlanned(viewMenu_, tr("Certi&ficates"));
  addPlanned(viewMenu_, tr("&Application Data"));

  helpMenu_ = menuBar()->addMenu(tr("&Help"));
  addPlanned(helpMenu_, tr("&Tutorials"), QKeySequence::HelpContents);
  helpMenu_->addAction(tr("&About tlslab"), this, &MainWindow::showAbout);
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About tlslab"),
                     tr("tlslab: a lab suite for learning TLS by watching real OpenSSL "
                        "handshakes, captures and attacks."));
}

}  // namespace tlslab::gui
