// A lab with an exercise program: Build compiles the student's source with
// the real C compiler (course::buildExercise), and Check runs the built
// program in the lab's program checks, whose evidence the form lists.
#include <gtest/gtest.h>

#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>

#include "GuiTestSupport.hpp"
#include "course/AnswersForm.hpp"
#include "course/ChecksModel.hpp"
#include "course/CourseWorker.hpp"
#include "tlslab/scenarios/course/Program.hpp"
#include "tlslab/scenarios/course/Workspace.hpp"

namespace tlslab::gui {
namespace {

void writeFile(const std::filesystem::path& file, const char* text) {
  std::filesystem::create_directories(file.parent_path());
  QFile out(QString::fromStdString(file.string()));
  ASSERT_TRUE(out.open(QIODevice::WriteOnly));
  out.write(text);
}

// This test's own lab: its exercise greets, and its one check runs the program.
course::LabDefinition greetingLab() {
  course::LabDefinition lab;
  lab.number = 98;
  lab.slug = "greeting";
  lab.title = "Greeting";
  lab.tutorial = "98-greeting.md";
  lab.exercises = {{"hello.c", "hello", course::Exercise::Kind::Client, "PROGRAM NAME"}};
  lab.checks = {{"greets", "your program greets by name", "", true, [](const course::CheckEnv& env) {
                   course::CheckResult r;
                   if (env.program.empty()) {
                     r.verdict = course::Verdict::Missing;
                     r.detail = "no program";
                     return r;
                   }
                   course::ProgramSpec spec;
                   spec.argv = {env.program.string(), env.variant->student()};
                   spec.timeout = std::chrono::seconds(5);
                   const course::ProgramResult run = course::runProgram(spec);
                   const bool greets = run.exitedCleanly() && run.out == "hello " + env.variant->student() + "\n";
                   r.verdict = greets ? course::Verdict::Pass : course::Verdict::Fail;
                   r.detail = greets ? "it greets you" : "it " + run.describe();
                   r.evidence = {"printed: " + run.out.substr(0, run.out.find('\n'))};
                   return r;
                 }}};
  return lab;
}

struct Greeting {
  QTemporaryDir home, root;
  course::LabDefinition lab = greetingLab();
  std::filesystem::path workspace;
  Greeting() {
    const std::filesystem::path h = home.path().toStdString();
    writeFile(h / "labs/exercises/Makefile", "hello: hello.c\n\tcc -o hello hello.c\n");
    writeFile(h / "labs/exercises/hello.c",
              "#include <stdio.h>\nint main(int argc, char** argv) { if (argc > 1) printf(\"hello %s\\n\", argv[1]); return 0; }\n");
    course::StartOptions options;
    options.lab = &lab;
    options.student = "pat";
    options.dir = std::filesystem::path(root.path().toStdString()) / "tlslab-lab-98";
    options.homeDir = h;
    auto made = course::startWorkspace(options);
    EXPECT_TRUE(made) << made.error();
    workspace = options.dir;
  }
};

bool waitFor(CourseWorker& worker, bool checkNotBuild) {
  if (checkNotBuild) {
    QSignalSpy spy(&worker, &CourseWorker::checked);
    return spy.wait(60000);
  }
  QSignalSpy spy(&worker, &CourseWorker::built);
  return spy.wait(120000);
}

TEST(CourseExercise, BuildCompilesTheProgramAndCheckRunsIt) {
  test::app();
  Greeting g;
  CourseWorker worker;
  AnswersForm form(&worker);
  QPlainTextEdit console;
  QObject::connect(&form, &AnswersForm::consoleLine, &console, &QPlainTextEdit::appendPlainText);
  form.setLab(&g.lab, g.workspace);
  EXPECT_FALSE(form.buildButton()->isHidden());
  EXPECT_EQ(form.programField()->text().toStdString(), (g.workspace / "hello").string());

  // Not built yet: the check says there is no program.
  form.checkButton()->click();
  ASSERT_TRUE(waitFor(worker, true));
  EXPECT_TRUE(form.checksModel()->index(0, ChecksModel::Check).data().toString().startsWith("–"));

  form.buildButton()->click();
  ASSERT_TRUE(waitFor(worker, false));
  EXPECT_TRUE(std::filesystem::exists(g.workspace / "hello")) << console.toPlainText().toStdString();
  EXPECT_TRUE(console.toPlainText().contains("built hello")) << console.toPlainText().toStdString();

  form.checkButton()->click();
  ASSERT_TRUE(waitFor(worker, true));
  ChecksModel* checks = form.checksModel();
  EXPECT_TRUE(checks->index(0, ChecksModel::Check).data().toString().startsWith("✔")) << console.toPlainText().toStdString();
  ASSERT_EQ(checks->rowCount(checks->index(0, 0)), 1);
  EXPECT_EQ(checks->index(0, 0, checks->index(0, 0)).data().toString(), "printed: hello pat");
}

TEST(CourseExercise, ABuildErrorShowsTheCompilersMessage) {
  test::app();
  Greeting g;
  writeFile(g.workspace / "hello.c", "int main(void) { return missing_name; }\n");
  CourseWorker worker;
  AnswersForm form(&worker);
  QPlainTextEdit console;
  QObject::connect(&form, &AnswersForm::consoleLine, &console, &QPlainTextEdit::appendPlainText);
  form.setLab(&g.lab, g.workspace);
  form.buildButton()->click();
  ASSERT_TRUE(waitFor(worker, false));
  const QString text = console.toPlainText();
  EXPECT_TRUE(text.contains("missing_name")) << text.toStdString();
  EXPECT_TRUE(text.contains("the build failed")) << text.toStdString();
  EXPECT_FALSE(std::filesystem::exists(g.workspace / "hello"));
}

}  // namespace
}  // namespace tlslab::gui
