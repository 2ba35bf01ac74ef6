#include <gtest/gtest.h>

#include <QApplication>
#include <QMenu>
#include <QMenuBar>

#include "GuiTestSupport.hpp"
#include "MainWindow.hpp"

namespace {

using tlslab::gui::test::app;

QStringList menuTitles(const tlslab::gui::MainWindow& window) {
  QStringList titles;
  for (QAction* action : window.menuBar()->actions()) titles << action->text().remove('&');
  return titles;
}

}  // namespace

TEST(MainWindow, ShowsTheMenuSkeleton) {
  app();
  tlslab::gui::MainWindow window;
  window.show();
  EXPECT_EQ(menuTitles(window), (QStringList{"File", "Capture", "Labs", "View", "Help"}));
  EXPECT_EQ(window.windowTitle(), "tlslab");
}

TEST(MainWindow, QuitIsAlwaysAvailable) {
  app();
  tlslab::gui::MainWindow window;
  bool found = false;
  for (QAction* action : window.fileMenu()->actions()) {
    if (action->text().remove('&') == "Quit") {
      found = true;
      EXPECT_TRUE(action->isEnabled());
    }
  }
  EXPECT_TRUE(found);
}
