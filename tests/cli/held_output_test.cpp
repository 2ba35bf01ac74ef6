// HeldOutput: connections finish in any order, output goes in index order,
// and what waits is kept in a temporary file, not in memory.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "cli/HeldOutput.hpp"

namespace tlslab::cli {
namespace {

struct Collector {
  std::string out;
  std::size_t direct = 0, copied = 0;
  HeldOutput held{[this](const HeldOutput::Render& render) {
                    std::ostringstream text;
                    render(text);
                    out += text.str();
                    ++direct;
                  },
                  [this](std::istream& text, std::size_t length) {
                    std::ostringstream copy;
                    copyText(text, length, copy);
                    out += copy.str();
                    ++copied;
                  }};
};

HeldOutput::Render says(const std::string& text) {
  return [text](std::ostream& out) { out << text; };
}

TEST(HeldOutput, WritesInIndexOrderWhateverTheClosingOrder) {
  Collector c;
  EXPECT_TRUE(c.held.finished(2, says("two;")));
  EXPECT_TRUE(c.held.finished(1, says("one;")));
  EXPECT_EQ(c.out, "");  // 0 is still open
  EXPECT_TRUE(c.held.finished(0, says("zero;")));
  EXPECT_EQ(c.out, "zero;one;two;");
  EXPECT_EQ(c.direct, 1u);  // 0 went straight out; 1 and 2 came back from the file
  EXPECT_EQ(c.copied, 2u);
  EXPECT_TRUE(c.held.finished(3, says("three;")));
  EXPECT_EQ(c.out, "zero;one;two;three;");
  EXPECT_TRUE(c.held.rest());
  EXPECT_EQ(c.held.error(), "");
}

TEST(HeldOutput, AConnectionThatShowsNothingStillKeepsItsPlace) {
  Collector c;
  EXPECT_TRUE(c.held.finished(1, says("one;")));
  EXPECT_TRUE(c.held.finished(0, {}));  // filtered out
  EXPECT_EQ(c.out, "one;");
  EXPECT_TRUE(c.held.finished(3, says("three;")));
  EXPECT_TRUE(c.held.finished(4, {}));
  EXPECT_TRUE(c.held.finished(5, says("five;")));
  // 2 never finishes (the capture ended): the rest come out in index order.
  EXPECT_TRUE(c.held.rest());
  EXPECT_EQ(c.out, "one;three;five;");
}

TEST(HeldOutput, LargeHeldTextComesBackByteForByte) {
  Collector c;
  std::string big;
  for (int i = 0; i < 200000; ++i) big += static_cast<char>('a' + i % 26);
  big += std::string(1, '\0') + "tail";
  EXPECT_TRUE(c.held.finished(1, says(big)));
  EXPECT_TRUE(c.held.finished(2, says("after")));
  EXPECT_TRUE(c.held.finished(0, says("first")));
  EXPECT_EQ(c.out, "first" + big + "after");
}

}  // namespace
}  // namespace tlslab::cli
