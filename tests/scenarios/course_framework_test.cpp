// The course framework: variants, answers files, workspaces, tutorial steps.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "support/TestPaths.hpp"
#include "tlslab/scenarios/course/Answers.hpp"
#include "tlslab/scenarios/course/Tutorial.hpp"
#include "tlslab/scenarios/course/Variant.hpp"
#include "tlslab/scenarios/course/Workspace.hpp"

using namespace tlslab;
using namespace tlslab::course;
namespace fs = std::filesystem;

namespace {

fs::path freshDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("tlslab-course-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  return dir;
}

void writeFile(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::trunc);
  out << text;
}

}  // namespace

TEST(CourseVariant, IsTheSameForTheSameStudentAndDiffersOtherwise) {
  const Bytes secret = toBytes("a class secret of the teacher");
  Variant alice(std::string("alice"), 1, studentKey(secret, "alice"));
  Variant again(std::string("alice"), 1, studentKey(secret, "alice"));
  Variant bob(std::string("bob"), 1, studentKey(secret, "bob"));
  Variant aliceLab2(std::string("alice"), 2, studentKey(secret, "alice"));
  Variant otherClass(std::string("alice"), 1, studentKey(toBytes("another class"), "alice"));
  EXPECT_EQ(alice.password(), again.password());
  EXPECT_NE(alice.seed(), bob.seed());
  EXPECT_NE(alice.seed(), aliceLab2.seed());
  EXPECT_NE(alice.seed(), otherClass.seed());
  EXPECT_NE(alice.hex("x", 16), alice.hex("y", 16));
}

TEST(CourseVariant, PasswordsAndNumbersStayInTheirRanges) {
  std::set<std::string> passwords;
  for (int i = 0; i < 200; ++i) {
    Variant v = Variant::selfStudy("student" + std::to_string(i), 1);
    auto n = v.number("n", 10, 20);
    EXPECT_GE(n, 10u);
    EXPECT_LE(n, 20u);
    const std::string pw = v.password();
    EXPECT_EQ(std::count(pw.begin(), pw.end(), '-'), 2) << pw;
    passwords.insert(pw);
  }
  EXPECT_GT(passwords.size(), 190u);  // 32 x 32 x 9000 combinations: collisions are rare
}

TEST(CourseVariant, StudentIdsAreFileNameSafe) {
  EXPECT_TRUE(validStudentId("alice"));
  EXPECT_TRUE(validStudentId("s-2026.07_x"));
  EXPECT_FALSE(validStudentId(""));
  EXPECT_FALSE(validStudentId(".."));
  EXPECT_FALSE(validStudentId("a/b"));
  EXPECT_FALSE(validStudentId("al ice"));
  EXPECT_FALSE(validStudentId(std::string(65, 'a')));
}

TEST(CourseAnswers, ReadsKeysAndValuesAndReportsWhatItCannotRead) {
  Answers a = parseAnswers(
      "# a comment\r\npassword: dusty-lemur-3340\r\n\n  server_name :  www.x.test  \nno colon here\n"
      "bad key!: 3\nempty:\nlength: 1\nlength: 2\n");
  ASSERT_NE(a.find("password"), nullptr);
  EXPECT_EQ(a.find("password")->value, "dusty-lemur-3340");
  EXPECT_EQ(a.find("password")->line, 2);
  EXPECT_EQ(a.find("server_name")->value, "www.x.test");
  EXPECT_EQ(a.find("empty"), nullptr);
  EXPECT_EQ(a.find("length"), nullptr);  // answered twice: judged as neither
  ASSERT_EQ(a.problems.size(), 3u);
  EXPECT_NE(a.problems[0].find("line 5: no ':'"), std::string::npos) << a.problems[0];
  EXPECT_NE(a.problems[1].find("line 6"), std::string::npos) << a.problems[1];
  EXPECT_NE(a.problems[2].find("already answered on line 8"), std::string::npos) << a.problems[2];
}

TEST(CourseAnswers, RefusesFilesThatAreNotSmallRegularFiles) {
  auto dev = readAnswers("/dev/zero");
  ASSERT_FALSE(dev);
  EXPECT_NE(dev.error().find("not a regular file"), std::string::npos);
  fs::path big = freshDir("big-answers");
  writeFile(big, std::string(300 * 1024, 'x'));
  auto tooBig = readAnswers(big);
  ASSERT_FALSE(tooBig);
  EXPECT_NE(tooBig.error().find("too large"), std::string::npos);
  fs::remove(big);
}

TEST(CourseAnswers, NormalisesHexAndWords) {
  EXPECT_EQ(normalizedHex("AA:bb 01"), "aabb01");
  EXPECT_EQ(normalizedHex("0x13 0x01"), "1301");
  EXPECT_EQ(normalizedHex("not hex"), "");
  EXPECT_EQ(normalizedWords("  Bad_Record-MAC "), "bad record mac");
}

TEST(CourseTutorial, FindsRunnableStepsTheirTagsAndExpectedOutput) {
  const std::string md =
      "# Lab\n## Step one\n```sh runnable\ntlslab lab start 1\n```\n\n```text output\nWorkspace …\n```\n"
      "```sh\nnot run\n```\n## Two\n```sh runnable exit=1 needs=root timeout=5\nfalse\n```\nprose\n```text output\n"
      "not adjacent\n```\n";
  auto steps = tutorialSteps(md);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].script, "tlslab lab start 1\n");
  EXPECT_EQ(steps[0].section, "Step one");
  EXPECT_EQ(steps[0].expected, std::vector<std::string>{"Workspace …"});
  EXPECT_EQ(steps[1].exitCode, 1);
  EXPECT_EQ(steps[1].timeoutSeconds, 5);
  EXPECT_EQ(steps[1].needs, std::vector<std::string>{"root"});
  EXPECT_TRUE(steps[1].expected.empty());  // prose between: not its output
}

TEST(CourseTutorial, TestOnlyCommentsBecomeHiddenStepsInTheirPlace) {
  const std::string md =
      "```sh runnable\nmake\n```\n<!-- test-only\ncp solution.c mine.c\n-->\n```sh runnable\n./mine\n```\n";
  auto steps = tutorialSteps(md);
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_FALSE(steps[0].testOnly);
  EXPECT_TRUE(steps[1].testOnly);
  EXPECT_EQ(steps[1].script, "cp solution.c mine.c\n");
  EXPECT_EQ(steps[2].script, "./mine\n");
}

TEST(CourseTutorial, OutputMatchingFollowsTheDocumentedRules) {
  const std::string out = "header\n  TLS 1.3 AES, SNI x.test  \nline a\nline b\nend 42\n";
  EXPECT_TRUE(outputMatches(out, {"line a", "line b"}));
  EXPECT_FALSE(outputMatches(out, {"line b", "line a"}));           // order
  EXPECT_FALSE(outputMatches(out, {"header", "line a"}));           // consecutive unless …
  EXPECT_TRUE(outputMatches(out, {"header", "…", "line a"}));
  EXPECT_TRUE(outputMatches(out, {"… SNI x.test …"}));               // contains
  EXPECT_TRUE(outputMatches(out, {"end …"}));                       // prefix
  EXPECT_TRUE(outputMatches(out, {"… 42"}));                        // suffix
  std::string why;
  EXPECT_FALSE(outputMatches(out, {"line a", "line c"}, &why));
  EXPECT_NE(why.find("line c"), std::string::npos) << why;
}

TEST(CourseWorkspace, StartMakesTheFilesAndBindsTheStudent) {
  const LabDefinition* lab = findLab(1);
  ASSERT_NE(lab, nullptr);
  fs::path dir = freshDir("ws-start");
  StartOptions options;
  options.lab = lab;
  options.student = "alice";
  options.dir = dir;
  options.homeDir = test::sourceDir();
  auto made = startWorkspace(options);
  ASSERT_TRUE(made) << made.error();
  for (const char* f : {"README.md", "answers.txt", "plain-login.pcapng", "tls-login.pcapng", ".tlslab/workspace.json"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  auto info = openWorkspace(dir);
  ASSERT_TRUE(info) << info.error();
  EXPECT_EQ(info->student, "alice");
  EXPECT_EQ(info->lab, 1);
  EXPECT_EQ(info->variant().seed(), Variant::selfStudy("alice", 1).seed());
  EXPECT_EQ(findWorkspace(dir.parent_path() / dir.filename(), 1), dir);
  EXPECT_FALSE(findWorkspace(dir, 2).has_value());

  // The same student again keeps the answers; another student is refused.
  writeFile(dir / "answers.txt", "password: mine\n");
  ASSERT_TRUE(startWorkspace(options));
  EXPECT_EQ(readAnswers(dir / "answers.txt").value().find("password")->value, "mine");
  options.student = "bob";
  auto refused = startWorkspace(options);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().find("already alice's workspace for lab 1"), std::string::npos) << refused.error();
  fs::remove_all(dir);
}

TEST(CourseWorkspace, ReportsDamageInsteadOfGuessing) {
  fs::path dir = freshDir("ws-damaged");
  fs::create_directories(dir / ".tlslab");
  writeFile(dir / ".tlslab/workspace.json", "{ not json");
  auto info = openWorkspace(dir);
  ASSERT_FALSE(info);
  EXPECT_NE(info.error().find("not a workspace file tlslab can read"), std::string::npos) << info.error();
  writeFile(dir / ".tlslab/workspace.json",
            R"({"format":1,"lab":1,"student":"../etc","student_key":"00","class_tag":"x"})");
  EXPECT_FALSE(openWorkspace(dir));
  auto notOne = openWorkspace(freshDir("nothing-here"));
  ASSERT_FALSE(notOne);
  EXPECT_NE(notOne.error().find("is not a lab workspace"), std::string::npos);
  fs::remove_all(dir);
}

TEST(CourseWorkspace, ProgressFollowsTheLastCheck) {
  const LabDefinition* lab = findLab(1);
  fs::path dir = freshDir("ws-progress");
  EXPECT_EQ(progressOf(std::nullopt, *lab).state, Progress::State::NotStarted);
  StartOptions options;
  options.lab = lab;
  options.student = "carol";
  options.dir = dir;
  options.homeDir = test::sourceDir();
  ASSERT_TRUE(startWorkspace(options));
  EXPECT_EQ(progressOf(dir, *lab).state, Progress::State::Started);
  LabReport report{lab, {{"a", "", Verdict::Pass, "", "", {}}, {"b", "", Verdict::Fail, "", "", {}}}};
  ASSERT_TRUE(saveResults(dir, report));
  Progress p = progressOf(dir, *lab);
  EXPECT_EQ(p.state, Progress::State::Checked);
  EXPECT_EQ(p.passed, 1);
  EXPECT_EQ(p.total, static_cast<int>(lab->checks.size()));
  fs::remove_all(dir);
}
