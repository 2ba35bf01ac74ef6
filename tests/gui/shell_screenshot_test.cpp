// The real tlslab-gui binary under Xvfb: renders a MITM lab run to a PNG and
// checks the picture is a rich ladder, not a blank window. Skipped when
// xvfb-run is not installed.
#include <gtest/gtest.h>

#include <QColor>
#include <QImage>
#include <QSet>
#include <QTemporaryDir>

#include <cstdlib>
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

}  // namespace
}  // namespace tlslab::gui
