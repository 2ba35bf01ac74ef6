// The live ladder (RunPrinter) with a peer that repeats one message without
// end: a few rows, then one line counting the rest (issue 16, item 1).
#include <gtest/gtest.h>

#include <sstream>

#include "cli/RunPrinter.hpp"

using namespace tlslab;
using namespace tlslab::cli;

namespace {

endpoints::Event helloRequest(endpoints::TimeUs time) {
  endpoints::MessageEvent m;
  m.time = time;
  m.sent = false;
  m.contentType = 22;
  m.bytes = {0, 0, 0, 0};
  return m;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST(RunPrinter, ARepeatedMessagePrintsThreeTimesThenOneCountingLine) {
  std::ostringstream out;
  {
    RunPrinter printer(out, LogStyle::Ladder, RunLanes::pair(false));
    for (int i = 0; i < 10000; ++i) printer.print(endpoints::Role::Client, helloRequest(1000 + i));
    printer.print(endpoints::Role::Client, endpoints::NoteEvent{20000, "stopped"});
  }
  const std::string text = out.str();
  EXPECT_EQ(count(text, "hello_request"), 3u) << text;
  EXPECT_NE(text.find("… the same line 9997 more times"), std::string::npos) << text;
  EXPECT_LT(text.find("more times"), text.find("stopped")) << "the count comes before the next, different row";
  EXPECT_LT(text.size(), 2000u);
}

TEST(RunPrinter, TwoEqualMessagesInARowBothPrint) {
  std::ostringstream out;
  {
    RunPrinter printer(out, LogStyle::Ladder, RunLanes::pair(false));
    printer.print(endpoints::Role::Client, helloRequest(1));
    printer.print(endpoints::Role::Client, helloRequest(2));
  }
  EXPECT_EQ(count(out.str(), "hello_request"), 2u) << out.str();
  EXPECT_EQ(out.str().find("the same line"), std::string::npos);
}

TEST(RunPrinter, RepeatsAtTheEndAreCountedToo) {
  std::ostringstream out;
  {
    RunPrinter printer(out, LogStyle::Ladder, RunLanes::pair(false));
    for (int i = 0; i < 5; ++i) printer.print(endpoints::Role::Client, helloRequest(i));
  }
  EXPECT_NE(out.str().find("… the same line 2 more times"), std::string::npos) << out.str();
}
