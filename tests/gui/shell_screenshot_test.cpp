// The real tlslab-gui binary under Xvfb: renders a MITM lab run to a PNG and
// checks the picture is a rich ladder, not a blank window. Skipped when
// xvfb-run is not installed.
#include <gtest/gtest.h>

#include <QColor>
#include <QImage>
#include <QSet>
#include <QTemporaryDir>

#include <cstdlib>
#include <sys/wait.h>
#include <string>

#include "GuiTestSupport.hpp"

namespace tlslab::gui {
namespace {

TEST(Screenshot, MitmLabRendersUnderXvfb) {
  if (std::system("command -v xvfb-run >/dev/null 2>&1") != 0) GTEST_SKIP() << "xvfb-run is not installed";
  test::app();
  QTemporaryDir dir;
  const QString png = dir.filePath("mitm.png");
  const std::string command = std::string("env -u QT_QPA_PLATFORM xvfb-run -a -s '-screen 0 1600x1000x24' '") +
                              TLSLAB_TEST_BINARY_DIR + "/tlslab-gui' --lab mitm --screenshot '" + png.toStdString() +
                              "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  QImage image(png);
  ASSERT_FALSE(image.isNull());
  EXPECT_GE(image.width(), 1000);
  EXPECT_GE(image.height(), 600);
  // The ladder (left middle of the window) is drawn in many colours: lanes,
  // arrows per record kind, locks, selection.
  QSet<QRgb> colours;
  const QRect ladder(0, image.height() / 4, image.width() / 2, image.height() / 2);
  for (int y = ladder.top(); y < ladder.bottom(); y += 2)
    for (int x = ladder.left(); x < ladder.right(); x += 2) colours.insert(image.pixel(x, y));
  EXPECT_GE(colours.size(), 40);
}

// `tlslab-gui --course 1`: the Course panel opens on lab 1, its tutorial
// rendered beside the (empty) ladder; an unknown lab is refused with a message.
TEST(Screenshot, CourseLabOneRendersUnderXvfb) {
  if (std::system("command -v xvfb-run >/dev/null 2>&1") != 0) GTEST_SKIP() << "xvfb-run is not installed";
  test::app();
  QTemporaryDir dir;
  const QString png = dir.filePath("course.png");
  // A scratch settings folder: the workspace root is then this folder, not a remembered one.
  const std::string gui = std::string("cd '") + dir.path().toStdString() + "' && env -u QT_QPA_PLATFORM XDG_CONFIG_HOME='" +
                          dir.filePath("config").toStdString() + "' xvfb-run -a -s '-screen 0 1600x1000x24' '" +
                          TLSLAB_TEST_BINARY_DIR + "/tlslab-gui' --course ";
  const std::string command = gui + "1 --screenshot '" + png.toStdString() + "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  QImage image(png);
  ASSERT_FALSE(image.isNull());
  // The course dock is the left third: the tutorial's text, headings and step buttons.
  QSet<QRgb> colours;
  int dark = 0;
  for (int y = image.height() / 5; y < image.height() * 3 / 4; y += 2)
    for (int x = 0; x < image.width() / 3; x += 2) {
      colours.insert(image.pixel(x, y));
      dark += qGray(image.pixel(x, y)) < 100 ? 1 : 0;
    }
  EXPECT_GE(colours.size(), 30);
  EXPECT_GE(dark, 500);  // text, not an empty panel
  const std::string unknown = gui + "99 --screenshot '" + png.toStdString() + "' >/dev/null 2>&1";
  const int status = std::system(unknown.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) << status;
}

}  // namespace
}  // namespace tlslab::gui
