// The real tlslab-gui binary under Xvfb: renders a MITM lab run to a PNG and
// checks the picture is a rich ladder, not a blank window. Skipped when
// xvfb-run is not installed.
#include <gtest/gtest.h>

#include <QColor>
#include <QImage>
#include <QSet>
#include <QTemporaryDir>

#include <cstdlib>
#include <fstream>
#include <sstream>
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

// Pixels of `colour` (either palette's variant) in `area`: the ladder's mark stripes are solid fills.
int countColour(const QImage& image, const QRect& area, std::initializer_list<QRgb> colours) {
  int n = 0;
  for (int y = area.top(); y <= area.bottom(); ++y)
    for (int x = area.left(); x <= area.right(); ++x)
      for (QRgb c : colours) n += (image.pixel(x, y) & 0xffffff) == (c & 0xffffff) ? 1 : 0;
  return n;
}

// `tlslab-gui --tab "Key derivation" --key-step NODE` (how docs/screenshots/key-schedule.png is made):
// the picture selects the node and the ladder beside it shows the node's
// hashed messages (amber stripes) and protected records (teal); without a
// selection there are none; an unknown node is named on stderr.
TEST(Screenshot, KeyScheduleNodeMarksTheLadderUnderXvfb) {
  if (std::system("command -v xvfb-run >/dev/null 2>&1") != 0) GTEST_SKIP() << "xvfb-run is not installed";
  test::app();
  QTemporaryDir dir;
  const QString png = dir.filePath("keys.png"), err = dir.filePath("stderr.txt");
  auto run = [&](const std::string& node) {
    const std::string command = std::string("env -u QT_QPA_PLATFORM xvfb-run -a -s '-screen 0 1600x1000x24' '") +
                                TLSLAB_TEST_BINARY_DIR + "/tlslab-gui' --lab handshake --tls 1.3 --tab 'Key derivation'" +
                                (node.empty() ? "" : " --key-step " + node) + " --screenshot '" + png.toStdString() +
                                "' >/dev/null 2>'" + err.toStdString() + "'";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return QImage(png);
  };
  const std::initializer_list<QRgb> amber = {qRgb(0xd0, 0x90, 0x00), qRgb(0xf0, 0xc0, 0x50)};
  const std::initializer_list<QRgb> teal = {qRgb(0x0f, 0x8f, 0x80), qRgb(0x4f, 0xd1, 0xc0)};
  const QImage marked = run("server_handshake_traffic_secret");
  ASSERT_FALSE(marked.isNull());
  // The ladder is the left part of the window, the picture the right.
  const QRect ladder(0, marked.height() / 5, marked.width() * 2 / 5, marked.height() * 3 / 5);
  // ClientHello and ServerHello are hashed into it; the server's encrypted handshake records use its key.
  EXPECT_GE(countColour(marked, ladder, amber), 300);
  EXPECT_GE(countColour(marked, ladder, teal), 400);
  QSet<QRgb> colours;
  for (int y = marked.height() / 5; y < marked.height() * 3 / 4; y += 2)
    for (int x = marked.width() / 2; x < marked.width(); x += 2) colours.insert(marked.pixel(x, y));
  EXPECT_GE(colours.size(), 40);  // boxes in status colours, values, arrows

  const QImage plain = run("");
  ASSERT_FALSE(plain.isNull());
  EXPECT_LT(countColour(plain, ladder, amber), 50);
  EXPECT_LT(countColour(plain, ladder, teal), 50);

  run("no_such_secret");
  std::ifstream in(err.toStdString());
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("the key schedule has no step at no_such_secret"), std::string::npos) << text.str();
}

}  // namespace
}  // namespace tlslab::gui
