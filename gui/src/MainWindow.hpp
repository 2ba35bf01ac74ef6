#pragma once
#include <QMainWindow>

class QAction;
class QMenu;

namespace tlslab::gui {

// The top-level window: menus and the dock layout the views plug into.
class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);

  QMenu* fileMenu() const { return fileMenu_; }
  QMenu* captureMenu() const { return captureMenu_; }
  QMenu* labsMenu() const { return labsMenu_; }
  QMenu* viewMenu() const { return viewMenu_; }
  QMenu* helpMenu() const { return helpMenu_; }

 private:
  void buildMenus();
  void showAbout();
  // Menu entries whose feature has not landed yet are shown disabled, so the
  // menu already reads as the finished product without pretending to work.
  QAction* addPlanned(QMenu* menu, const QString& text, const QKeySequence& shortcut = {});

  QMenu* fileMenu_ = nullptr;
  QMenu* captureMenu_ = nullptr;
  QMenu* labsMenu_ = nullptr;
  QMenu* viewMenu_ = nullptr;
  QMenu* helpMenu_ = nullptr;
};

}  // namespace tlslab::gui
