#include <gtest/gtest.h>

#include <QApplication>
#include <QMenu>
#include <QMenuBar>

#include "GuiTestSupport.hpp"
#include "MainWindow.hpp"
#include "course/CoursePanel.hpp"

#include <QDockWidget>

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

TEST(MainWindow, ViewCourseOpensTheCoursePanelBesideTheLadder) {
  app();
  tlslab::gui::MainWindow window;
  window.show();
  QAction* course = nullptr;
  for (QAction* action : window.viewMenu()->actions())
    if (action->text().remove('&') == "Course") course = action;
  ASSERT_NE(course, nullptr);
  EXPECT_EQ(course->shortcut(), QKeySequence("Ctrl+L"));
  // No other action of the window may claim the same shortcut (it would fire neither).
  int claims = 0;
  for (QAction* action : window.findChildren<QAction*>()) claims += action->shortcut() == course->shortcut() ? 1 : 0;
  EXPECT_EQ(claims, 1);
  EXPECT_FALSE(window.courseDock()->isVisible());
  course->trigger();
  EXPECT_TRUE(window.courseDock()->isVisible());
  EXPECT_EQ(window.dockWidgetArea(window.courseDock()), Qt::LeftDockWidgetArea);
  window.showCourse(1);
  EXPECT_TRUE(window.coursePanel()->isShowingLab());
}
