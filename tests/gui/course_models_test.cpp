// The Course panel's models over core's course framework: the labs with a
// student's progress, the answers of a workspace, the checks that judge no
// single answer, and a tutorial's runnable steps. Every model passes
// QAbstractItemModelTester.
#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QFile>
#include <QTemporaryDir>

#include <unistd.h>

#include "CourseTestSupport.hpp"
#include "GuiTestSupport.hpp"
#include "course/AnswersModel.hpp"
#include "course/ChecksModel.hpp"
#include "course/CourseModel.hpp"
#include "course/TutorialStepsModel.hpp"

namespace tlslab::gui {
namespace {

std::filesystem::path dirOf(const QTemporaryDir& dir) { return dir.path().toStdString(); }

QString readFile(const std::filesystem::path& file) {
  QFile in(QString::fromStdString(file.string()));
  return in.open(QIODevice::ReadOnly) ? QString::fromUtf8(in.readAll()) : QString();
}

TEST(CourseModel, ListsEveryLabInCourseOrderAndAStartedWorkspacesProgress) {
  test::app();
  QTemporaryDir root;
  CourseModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRoot(dirOf(root));
  const auto labs = course::course();
  ASSERT_EQ(model.rowCount(), static_cast<int>(labs.size()));
  for (int row = 0; row < model.rowCount(); ++row) {
    EXPECT_EQ(model.index(row, CourseModel::Number).data().toInt(), labs[static_cast<std::size_t>(row)]->number);
    EXPECT_EQ(model.index(row, CourseModel::Title).data().toString().toStdString(), labs[static_cast<std::size_t>(row)]->title);
    EXPECT_EQ(model.index(row, CourseModel::Status).data().toString(), "not started");
  }

  const auto workspace = test::startLab1(dirOf(root), "carol");
  model.refresh();
  const int row = model.rowOf(1);
  ASSERT_GE(row, 0);
  EXPECT_EQ(model.index(row, CourseModel::Status).data().toString(), "started");
  ASSERT_TRUE(model.workspaceAt(row).has_value());
  EXPECT_TRUE(std::filesystem::equivalent(*model.workspaceAt(row), workspace));

  // A check of the template's empty answers: saved, then shown as progress.
  auto info = course::openWorkspace(workspace);
  ASSERT_TRUE(info);
  const course::Variant variant = info->variant();
  auto answers = course::readAnswers(workspace / course::kAnswersFile);
  ASSERT_TRUE(answers);
  course::CheckEnv env;
  env.variant = &variant;
  env.answers = &answers.value();
  env.workspace = workspace;
  env.certsDir = certsDir();
  const course::LabReport report = course::checkLab(test::lab1(), env);
  ASSERT_TRUE(course::saveResults(workspace, report));
  model.refresh();
  EXPECT_EQ(model.index(row, CourseModel::Status).data().toString(),
            QString("passed %1 of %2 checks").arg(report.passed()).arg(test::lab1().checks.size()));
}

TEST(AnswersModel, LoadsEditsAndSavesAnswersKeepingTheFilesLayout) {
  test::app();
  QTemporaryDir root;
  const auto workspace = test::startLab1(dirOf(root), "dave");
  const auto file = workspace / course::kAnswersFile;
  const QString before = readFile(file);
  ASSERT_FALSE(before.isEmpty());

  AnswersModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setLab(&test::lab1());
  ASSERT_EQ(model.rowCount(), static_cast<int>(test::lab1().questions.size()));
  EXPECT_EQ(model.load(file), "");
  EXPECT_EQ(model.value(0), "");
  EXPECT_EQ(model.index(0, AnswersModel::Prompt).data().toString().toStdString(), test::lab1().questions[0].prompt);
  EXPECT_EQ(model.index(0, AnswersModel::Format).data().toString().toStdString(), test::lab1().questions[0].format);
  EXPECT_TRUE(model.flags(model.index(0, AnswersModel::Answer)) & Qt::ItemIsEditable);
  EXPECT_FALSE(model.flags(model.index(0, AnswersModel::Prompt)) & Qt::ItemIsEditable);

  ASSERT_TRUE(model.setValue(0, "my\nguess"));
  EXPECT_EQ(model.save(file), "");
  const QString after = readFile(file);
  // Only the first answer's line changed: every comment and other line is as before.
  const QStringList a = before.split('\n'), b = after.split('\n');
  ASSERT_EQ(a.size(), b.size());
  int changed = 0;
  for (int i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) continue;
    ++changed;
    EXPECT_EQ(b[i], model.key(0) + ": my guess");
  }
  EXPECT_EQ(changed, 1);

  // Read back by core, as the checker reads it.
  AnswersModel again;
  again.setLab(&test::lab1());
  EXPECT_EQ(again.load(file), "");
  EXPECT_EQ(again.value(0), "my guess");
}

TEST(AnswersModel, PutsEachChecksVerdictOnTheQuestionItJudges) {
  test::app();
  QTemporaryDir root;
  const auto workspace = test::startLab1(dirOf(root), "erin");
  AnswersModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setLab(&test::lab1());
  course::LabReport report;
  report.lab = &test::lab1();
  for (const auto& spec : test::lab1().checks)
    report.results.push_back({std::string(spec.id), std::string(spec.title), course::Verdict::Fail,
                              "detail of " + std::string(spec.id), "hint of " + std::string(spec.id), {}});
  report.results.front().verdict = course::Verdict::Pass;
  model.setReport(report);
  for (int row = 0; row < model.rowCount(); ++row) {
    const std::string key = model.key(row).toStdString();
    const auto& results = model.resultsOf(row);
    ASSERT_EQ(results.size(), 1u) << key;
    EXPECT_EQ(model.index(row, AnswersModel::Verdict).data(AnswersModel::DetailRole).toString().toStdString(),
              "detail of " + results.front().id);
    for (const auto& spec : test::lab1().checks) {
      if (spec.id == results.front().id) {
        EXPECT_EQ(spec.question, key);
      }
    }
  }
  EXPECT_TRUE(model.index(0, AnswersModel::Verdict).data().toString().startsWith("✔"));
  EXPECT_TRUE(model.index(1, AnswersModel::Verdict).data().toString().startsWith("✗"));
  EXPECT_EQ(model.index(1, AnswersModel::Verdict).data(Qt::ToolTipRole).toString().toStdString(),
            "hint of " + model.resultsOf(1).front().id);
  model.setReport({});
  EXPECT_TRUE(model.resultsOf(0).empty());
}

TEST(AnswersModel, ShowsEachStudentsOwnPromptWhereTheQuestionDiffersPerStudent) {
  test::app();
  const course::LabDefinition* lab = nullptr;
  int personal = -1;
  for (const auto* candidate : course::course())
    for (std::size_t q = 0; q < candidate->questions.size() && lab == nullptr; ++q)
      if (candidate->questions[q].personalPrompt) {
        lab = candidate;
        personal = static_cast<int>(q);
      }
  if (lab == nullptr) GTEST_SKIP() << "no lab of the course has a per-student question";
  AnswersModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setLab(lab);
  const auto& question = lab->questions[static_cast<std::size_t>(personal)];
  EXPECT_EQ(model.index(personal, AnswersModel::Prompt).data().toString().toStdString(), question.prompt);
  for (const char* student : {"alice", "bob"}) {
    const course::Variant variant = course::Variant::selfStudy(student, lab->number);
    model.setVariant(variant);
    EXPECT_EQ(model.index(personal, AnswersModel::Prompt).data().toString().toStdString(), course::promptFor(question, variant));
  }
}

// A lab of this test's own: one answer check and two program checks whose
// evidence lines are child rows (lab 1 has no program).
course::LabDefinition programLab() {
  course::LabDefinition lab;
  lab.number = 99;
  lab.title = "Program";
  lab.questions = {{"word", "A word?", "a word", [](const course::Variant&) { return std::string("otter"); }}};
  lab.checks = {
      {"word", "the word", "word", false, [](const course::CheckEnv&) { return course::CheckResult{}; }},
      {"client-gallery", "your client against the gallery", "", true,
       [](const course::CheckEnv& env) {
         course::CheckResult r;
         r.verdict = env.program.empty() ? course::Verdict::Missing : course::Verdict::Fail;
         r.detail = env.program.empty() ? "no program" : "accepted expired";
         r.evidence = {"expired: accepted (wrong)", "wrong-host: rejected"};
         return r;
       }},
      {"server", "your server", "", true, [](const course::CheckEnv&) -> course::CheckResult { throw std::runtime_error("boom"); }},
  };
  return lab;
}

TEST(ChecksModel, ListsProgramChecksWithTheirEvidenceAsChildren) {
  test::app();
  const course::LabDefinition lab = programLab();
  ChecksModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setLab(&lab);
  ASSERT_EQ(model.rowCount(), 2);  // the answer check is the answers form's
  EXPECT_TRUE(model.index(0, ChecksModel::Check).data().toString().contains("your client against the gallery"));
  EXPECT_TRUE(model.index(0, ChecksModel::Detail).data().toString().contains("not checked yet"));
  EXPECT_TRUE(model.index(0, 0).data(ChecksModel::NeedsProgramRole).toBool());
  EXPECT_EQ(model.rowCount(model.index(0, 0)), 0);

  const course::Variant variant = course::Variant::selfStudy("frank", 99);
  const course::Answers answers;
  course::CheckEnv env;
  env.variant = &variant;
  env.answers = &answers;
  env.program = "/bin/true";
  model.setReport(course::checkLab(lab, env));
  EXPECT_TRUE(model.index(0, ChecksModel::Check).data().toString().startsWith("✗"));
  EXPECT_EQ(model.index(0, ChecksModel::Detail).data().toString(), "accepted expired");
  const QModelIndex client = model.index(0, 0);
  ASSERT_EQ(model.rowCount(client), 2);
  EXPECT_EQ(model.index(1, 0, client).data().toString(), "wrong-host: rejected");
  EXPECT_EQ(model.parent(model.index(1, 0, client)), client);
  // A check that throws is a failure naming the exception (core's rule), not a hole in the list.
  EXPECT_TRUE(model.index(1, ChecksModel::Check).data().toString().startsWith("✗"));
  EXPECT_TRUE(model.index(1, ChecksModel::Detail).data().toString().contains("boom"));
}

TEST(TutorialStepsModel, PlansEachStepFromCoresParser) {
  test::app();
  const QString markdown =
      "# Lab\n\n## Watch it\n\n"
      "```sh runnable\ntlslab lab run mitm --victim correct\n```\n\n"
      "```sh runnable\ntlslab lab run handshake --save run.pcapng\n```\n\n"
      "## Look\n\n"
      "```sh runnable\ncd tlslab-lab-1\ntlslab dissect plain-login.pcapng --keylog keys.log\n```\n\n"
      "```sh runnable needs=root exit=3 timeout=7\ntlslab capture -i lo -w live.pcapng\n```\n\n"
      "```sh\nnot runnable\n```\n";
  TutorialStepsModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setMarkdown(markdown);
  ASSERT_EQ(model.rowCount(), 4);
  // A lab run with only options the GUI's runner knows runs on the ladder; one that must write a file runs as itself.
  EXPECT_EQ(model.plan(0).labArguments, "lab run mitm --victim correct");
  EXPECT_TRUE(model.index(0).data(TutorialStepsModel::LabRunRole).toBool());
  EXPECT_EQ(model.plan(1).labArguments, "");
  EXPECT_EQ(model.plan(1).capture, "run.pcapng");
  EXPECT_EQ(model.index(0).data(TutorialStepsModel::SectionRole).toString(), "Watch it");
  EXPECT_EQ(model.plan(2).label, "cd tlslab-lab-1 …");
  EXPECT_EQ(model.plan(2).capture, "plain-login.pcapng");
  EXPECT_EQ(model.plan(2).keyLog, "keys.log");
  EXPECT_EQ(model.index(2).data(TutorialStepsModel::SectionRole).toString(), "Look");
  EXPECT_EQ(model.step(3).exitCode, 3);
  EXPECT_EQ(model.step(3).timeoutSeconds, 7);
  EXPECT_TRUE(model.index(3).data().toString().contains("needs root"));
  EXPECT_EQ(model.plan(3).missing.contains("root"), ::geteuid() != 0);
}

}  // namespace
}  // namespace tlslab::gui
