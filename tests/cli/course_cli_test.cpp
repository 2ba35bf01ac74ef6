// The course from the command line, as a student and as a teacher would use
// it: the real `tlslab` binary, real workspaces in temporary folders.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/Process.hpp"
#include "support/TestPaths.hpp"

using namespace tlslab::test;
namespace fs = std::filesystem;

namespace {

fs::path freshDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("tlslab-course-cli-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

CommandResult in(const fs::path& dir, const std::string& args) {
  return run("cd '" + dir.string() + "' && " + tlslabExe().string() + " " + args);
}

std::string readFile(const fs::path& file) {
  std::ifstream f(file);
  std::ostringstream text;
  text << f.rdbuf();
  return text.str();
}

void writeFile(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::trunc);
  out << text;
}

// The teacher's answer key for one student, without its comment line.
std::string answerKey(const fs::path& dir, const std::string& secret, const std::string& student, int lab) {
  auto key = in(dir, "class key --class-secret " + secret + " --student " + student + " --lab " + std::to_string(lab));
  EXPECT_EQ(key.exitCode, 0) << key.out;
  return key.out;
}

// A summary row: the student's name padded to its column, then the cell right-aligned.
std::string lineOf(const std::string& student, const std::string& cell) {
  std::string row = student + std::string(20 - student.size(), ' ');
  return row + std::string(13 - cell.size(), ' ') + cell;
}

}  // namespace

TEST(CourseCli, ListShowsTheLabsInOrderAndTheirStatus) {
  fs::path dir = freshDir("list");
  auto list = in(dir, "lab list");
  EXPECT_EQ(list.exitCode, 0) << list.out;
  EXPECT_NE(list.out.find("   1  Eavesdropping"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("not started"), std::string::npos) << list.out;
  ASSERT_EQ(in(dir, "lab start 1 --student alice 2>/dev/null").exitCode, 0);
  auto json = nlohmann::json::parse(in(dir, "lab list --json").out);
  EXPECT_EQ(json[0]["number"], 1);
  EXPECT_EQ(json[0]["status"], "started");
  in(dir / "tlslab-lab-1", "lab check 1 >/dev/null 2>&1");
  json = nlohmann::json::parse(in(dir, "lab list --json").out);
  EXPECT_EQ(json[0]["status"], "passed 0 of 5 checks");
  fs::remove_all(dir);
}

TEST(CourseCli, CheckExplainsEachAnswerAndExitsZeroOnlyWhenAllPass) {
  fs::path dir = freshDir("check");
  ASSERT_EQ(in(dir, "class secret --out secret.txt").exitCode, 0);
  writeFile(dir / "roster.txt", "alice\n");
  ASSERT_EQ(in(dir, "class roster roster.txt --class-secret secret.txt --out keys").exitCode, 0);
  auto started = in(dir, "lab start 1 --key keys/alice.key");
  ASSERT_EQ(started.exitCode, 0) << started.out;
  EXPECT_NE(started.out.find("for alice (class "), std::string::npos) << started.out;
  const fs::path ws = dir / "tlslab-lab-1";
  writeFile(ws / "answers.txt", "password: wrong\n");
  auto wrong = in(ws, "lab check 1");
  EXPECT_EQ(wrong.exitCode, 1) << wrong.out;
  EXPECT_NE(wrong.out.find("✗ password"), std::string::npos) << wrong.out;
  EXPECT_NE(wrong.out.find("hint: "), std::string::npos) << wrong.out;
  EXPECT_NE(wrong.out.find("0 of 5 checks passed."), std::string::npos) << wrong.out;

  writeFile(ws / "answers.txt", answerKey(dir, "secret.txt", "alice", 1));
  auto right = in(ws, "lab check 1 --json");
  ASSERT_EQ(right.exitCode, 0) << right.out;
  auto json = nlohmann::json::parse(right.out);
  EXPECT_EQ(json["passed"], 5);
  EXPECT_EQ(json["all_passed"], true);
  EXPECT_EQ(json["student"], "alice");
  fs::remove_all(dir);
}

TEST(CourseCli, BadInputGetsAClearMessageAndExitTwo) {
  fs::path dir = freshDir("bad");
  auto noLab = in(dir, "lab start 99 --student alice");
  EXPECT_EQ(noLab.exitCode, 2);
  EXPECT_NE(noLab.out.find("no lab '99'"), std::string::npos) << noLab.out;
  auto badId = in(dir, "lab start 1 --student 'a/b'");
  EXPECT_EQ(badId.exitCode, 2);
  EXPECT_NE(badId.out.find("is not a student ID"), std::string::npos) << badId.out;
  auto noWorkspace = in(dir, "lab check 1");
  EXPECT_EQ(noWorkspace.exitCode, 2);
  EXPECT_NE(noWorkspace.out.find("no workspace for lab 1 here"), std::string::npos) << noWorkspace.out;
  auto devZero = in(dir, "lab check 1 --student alice --answers /dev/zero");
  EXPECT_EQ(devZero.exitCode, 2);
  EXPECT_NE(devZero.out.find("not a regular file"), std::string::npos) << devZero.out;
  auto badKey = in(dir, "lab start 1 --key /etc/hostname");
  EXPECT_EQ(badKey.exitCode, 2);
  EXPECT_NE(badKey.out.find("needs 'student:'"), std::string::npos) << badKey.out;
  ASSERT_EQ(in(dir, "lab start 1 --student alice 2>/dev/null").exitCode, 0);
  auto other = in(dir, "lab start 1 --student bob");
  EXPECT_EQ(other.exitCode, 1);
  EXPECT_NE(other.out.find("already alice's workspace"), std::string::npos) << other.out;
  fs::remove_all(dir);
}

TEST(CourseCli, HintsComeOneAtATime) {
  fs::path dir = freshDir("hints");
  ASSERT_EQ(in(dir, "lab start 1 --student alice 2>/dev/null").exitCode, 0);
  const fs::path ws = dir / "tlslab-lab-1";
  EXPECT_NE(in(ws, "lab hint 1").out.find("Hint 1 of 4"), std::string::npos);
  auto early = in(ws, "lab hint 1 3");
  EXPECT_EQ(early.exitCode, 1);
  EXPECT_NE(early.out.find("Hint 3 comes after hint 2"), std::string::npos) << early.out;
  EXPECT_NE(in(ws, "lab hint 1").out.find("Hint 2 of 4"), std::string::npos);
  EXPECT_NE(in(ws, "lab hint 1 1").out.find("Hint 1 of 4"), std::string::npos);  // seen ones again
  fs::remove_all(dir);
}

// Three students: one right, one who copied the right answers into her own
// workspace, one who handed in a copy of someone else's workspace; and a
// self-study workspace that was never issued by the class.
TEST(CourseCli, ClassGradeDetectsCopiesAndWritesCsvAndSummary) {
  fs::path dir = freshDir("grade");
  ASSERT_EQ(in(dir, "class secret --out secret.txt").exitCode, 0);
  writeFile(dir / "roster.txt", "# class of 2026\nalice\nbob\ncarol\ndave\n");
  auto roster = in(dir, "class roster roster.txt --class-secret secret.txt --out keys");
  ASSERT_EQ(roster.exitCode, 0) << roster.out;
  EXPECT_NE(roster.out.find("wrote 4 student key file(s)"), std::string::npos) << roster.out;
  for (const char* s : {"alice", "bob", "carol", "dave"}) fs::create_directories(dir / "subs" / s);
  ASSERT_EQ(in(dir / "subs/alice", "lab start 1 --key ../../keys/alice.key 2>/dev/null").exitCode, 0);
  const std::string aliceKey = answerKey(dir, "secret.txt", "alice", 1);
  writeFile(dir / "subs/alice/tlslab-lab-1/answers.txt", aliceKey);
  ASSERT_EQ(in(dir / "subs/bob", "lab start 1 --key ../../keys/bob.key 2>/dev/null").exitCode, 0);
  writeFile(dir / "subs/bob/tlslab-lab-1/answers.txt", aliceKey);  // copied answers
  fs::copy(dir / "subs/alice/tlslab-lab-1", dir / "subs/carol/tlslab-lab-1", fs::copy_options::recursive);
  ASSERT_EQ(in(dir / "subs/dave", "lab start 1 --student dave 2>/dev/null").exitCode, 0);  // self-study

  auto graded = in(dir, "class grade subs --class-secret secret.txt --csv grades.csv --summary summary.txt 2>/dev/null");
  ASSERT_EQ(graded.exitCode, 0) << graded.out;
  const std::string csv = readFile(dir / "grades.csv");
  EXPECT_EQ(csv.rfind("student,lab,check,result,detail\r\n", 0), 0u) << csv;
  EXPECT_NE(csv.find("alice,1,workspace,pass,bound to alice"), std::string::npos) << csv;
  EXPECT_NE(csv.find("alice,1,password,pass,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("bob,1,password,fail,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("bob,1,server_name,fail,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("carol,1,workspace,rejected,\"this is alice's workspace"), std::string::npos) << csv;
  EXPECT_NE(csv.find("dave,1,workspace,rejected,made outside this class"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("carol,1,password"), std::string::npos) << "a rejected workspace is not graded";
  const std::string summary = readFile(dir / "summary.txt");
  EXPECT_NE(summary.find("Class grade: 4 student(s), lab(s) 1"), std::string::npos) << summary;
  EXPECT_NE(summary.find(lineOf("alice", "5/5")), std::string::npos) << summary;
  EXPECT_EQ(summary.find(lineOf("bob", "5/5")), std::string::npos) << "copied answers must not pass\n" << summary;
  EXPECT_NE(summary.find(lineOf("carol", "rejected")), std::string::npos) << summary;
  EXPECT_NE(summary.find("Rejected workspaces"), std::string::npos) << summary;
  EXPECT_EQ(graded.out.find("grades.csv"), graded.out.rfind("grades.csv")) << graded.out;
  fs::remove_all(dir);
}
