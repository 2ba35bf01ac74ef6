// withAnswers: the Course panel saves answers without rewriting the file.
#include <gtest/gtest.h>

#include "tlslab/scenarios/course/Answers.hpp"
#include "tlslab/scenarios/course/AnswersEdit.hpp"

namespace tlslab::course {
namespace {

TEST(AnswersEdit, ChangesOnlyTheValueAfterTheKeyAndLeavesUnchangedLinesAlone) {
  const std::string text =
      "# Lab 1: your answers\n"
      "# What password did the client send? (a word)\n"
      "password: \n"
      "\n"
      "  found_in_tls: maybe   \n"
      "user: alice \n"
      "# the end\n";
  const std::string out = withAnswers(text, {{"password", "velvet-otter-4812"}, {"found_in_tls", "no"}, {"user", "alice"}});
  EXPECT_EQ(out,
            "# Lab 1: your answers\n"
            "# What password did the client send? (a word)\n"
            "password: velvet-otter-4812\n"
            "\n"
            "  found_in_tls: no\n"
            "user: alice \n"
            "# the end\n");
  const Answers back = parseAnswers(out);
  ASSERT_NE(back.find("password"), nullptr);
  EXPECT_EQ(back.find("password")->value, "velvet-otter-4812");
  EXPECT_EQ(back.find("password")->line, 3);
}

TEST(AnswersEdit, AddsMissingKeysAtTheEndAndKeepsLineEndings) {
  const std::string out = withAnswers("a: 1\r\n# note", {{"b", "two\nlines"}, {"a", ""}});
  EXPECT_EQ(out, "a: \r\n# note\nb: two lines\n");
  const Answers back = parseAnswers(out);
  EXPECT_EQ(back.find("a"), nullptr);  // emptied
  ASSERT_NE(back.find("b"), nullptr);
  EXPECT_EQ(back.find("b")->value, "two lines");
  EXPECT_TRUE(back.problems.empty());
}

TEST(AnswersEdit, AValueWithAColonStaysWhole) {
  const std::string out = withAnswers("hex: aa:bb\n", {{"hex", "cc:dd:ee"}});
  EXPECT_EQ(out, "hex: cc:dd:ee\n");
  EXPECT_EQ(withAnswers("", {{"k", "v"}}), "k: v\n");
}

}  // namespace
}  // namespace tlslab::course
