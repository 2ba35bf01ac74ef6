// The Course panel end to end on lab 1: the lab list with progress, Start lab
// making a real workspace on the worker, answers checked by core's checker
// with the verdict beside each field, and hints one at a time.
#include <gtest/gtest.h>

#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>

#include "CourseTestSupport.hpp"
#include "GuiTestSupport.hpp"
#include "course/AnswersForm.hpp"
#include "course/AnswersModel.hpp"
#include "course/CourseModel.hpp"
#include "course/CoursePanel.hpp"
#include "course/CourseWorker.hpp"
#include "course/LabPage.hpp"

namespace tlslab::gui {
namespace {

std::filesystem::path dirOf(const QTemporaryDir& dir) { return dir.path().toStdString(); }

// A panel on a fresh root, as a student with this ID would see it.
void prepare(CoursePanel& panel, const QTemporaryDir& root, const QString& student) {
  panel.setRoot(root.path());
  panel.studentEdit()->setText(student);
  panel.keyFileEdit()->clear();
  panel.setToolsDir(QStringLiteral(TLSLAB_TEST_BINARY_DIR));
}

int rowOfKey(const AnswersModel& model, const char* key) {
  for (int row = 0; row < model.rowCount(); ++row)
    if (model.key(row) == QLatin1String(key)) return row;
  return -1;
}

// Types every answer into its field (as a student does), then presses Check and waits.
bool checkWith(CoursePanel& panel, const std::map<std::string, std::string>& answers) {
  AnswersForm* form = panel.labPage()->answers();
  for (int row = 0; row < form->answersModel()->rowCount(); ++row) {
    QLineEdit* field = form->answerField(row);
    if (field == nullptr) return false;
    field->clear();
    const auto it = answers.find(form->answersModel()->key(row).toStdString());
    field->insert(it == answers.end() ? QString() : QString::fromStdString(it->second));  // emits textEdited
  }
  QSignalSpy checked(form, &AnswersForm::checked);
  form->checkButton()->click();
  return checked.wait(120000);
}

// What core's checker says about these answers, run directly.
course::LabReport coreVerdicts(const std::filesystem::path& workspace, const std::map<std::string, std::string>& values) {
  std::string text;
  for (const auto& [key, value] : values) text += key + ": " + value + "\n";
  static course::Answers answers;
  answers = course::parseAnswers(text);
  auto info = course::openWorkspace(workspace);
  EXPECT_TRUE(info);
  static std::optional<course::Variant> variant;
  variant.emplace(info->variant());
  course::CheckEnv env;
  env.variant = &*variant;
  env.answers = &answers;
  env.workspace = workspace;
  env.certsDir = certsDir();
  return course::checkLab(test::lab1(), env);
}

TEST(CoursePanel, ListsEveryLabAndStartLabMakesTheWorkspace) {
  test::app();
  QTemporaryDir root;
  CoursePanel panel;
  prepare(panel, root, "grace");
  EXPECT_EQ(panel.labTable()->model()->rowCount(), static_cast<int>(course::course().size()));
  EXPECT_FALSE(panel.isShowingLab());
  const int row = panel.courseModel()->rowOf(1);
  ASSERT_GE(row, 0);
  EXPECT_EQ(panel.courseModel()->index(row, CourseModel::Status).data().toString(), "not started");

  panel.labTable()->selectRow(row);
  ASSERT_TRUE(panel.startButton()->isEnabled());
  QSignalSpy ready(panel.worker(), &CourseWorker::workspaceReady);
  panel.startButton()->click();
  EXPECT_TRUE(panel.worker()->isRunning());
  ASSERT_TRUE(ready.wait(120000)) << panel.statusLabel()->text().toStdString();

  const auto workspace = dirOf(root) / "tlslab-lab-1";
  auto info = course::openWorkspace(workspace);
  ASSERT_TRUE(info) << info.error();
  EXPECT_EQ(info->student, "grace");
  EXPECT_TRUE(std::filesystem::exists(workspace / "plain-login.pcapng"));
  EXPECT_TRUE(std::filesystem::exists(workspace / course::kAnswersFile));
  EXPECT_EQ(panel.courseModel()->index(row, CourseModel::Status).data().toString(), "started");
  // The lab's page opens on it: one field per question, none answered yet.
  ASSERT_TRUE(panel.isShowingLab());
  EXPECT_EQ(panel.labPage()->lab(), &test::lab1());
  ASSERT_TRUE(panel.labPage()->workspace().has_value());
  AnswersForm* form = panel.labPage()->answers();
  for (int q = 0; q < static_cast<int>(test::lab1().questions.size()); ++q) {
    ASSERT_NE(form->answerField(q), nullptr);
    EXPECT_TRUE(form->answerField(q)->isEnabled());
    EXPECT_EQ(form->answerField(q)->text(), "");
  }
  EXPECT_EQ(form->answerField(static_cast<int>(test::lab1().questions.size())), nullptr);
  EXPECT_TRUE(form->checkButton()->isEnabled());
}

TEST(CoursePanel, StartingWithABadIdOrIntoAnotherStudentsWorkspaceShowsWhy) {
  test::app();
  QTemporaryDir root;
  test::startLab1(dirOf(root), "heidi");
  CoursePanel panel;
  prepare(panel, root, "not an id!");
  panel.startLab(1);
  ASSERT_NE(panel.lastError(), nullptr);
  EXPECT_TRUE(panel.lastError()->text().contains("not a student ID")) << panel.lastError()->text().toStdString();
  EXPECT_FALSE(panel.worker()->isRunning());

  panel.studentEdit()->setText("ivan");
  QSignalSpy failed(panel.worker(), &CourseWorker::failed);
  panel.startLab(1);
  ASSERT_TRUE(failed.wait(60000));
  ASSERT_NE(panel.lastError(), nullptr);
  // Core's own words: whose workspace it is, and what to do.
  EXPECT_TRUE(panel.lastError()->text().contains("heidi")) << panel.lastError()->text().toStdString();
  EXPECT_EQ(course::openWorkspace(dirOf(root) / "tlslab-lab-1")->student, "heidi");
}

TEST(CoursePanel, AWrongAnswerShowsTheCheckersDetailAndTheRightOnesPass) {
  test::app();
  QTemporaryDir root;
  const auto workspace = test::startLab1(dirOf(root), "judy");
  CoursePanel panel;
  prepare(panel, root, "judy");
  ASSERT_TRUE(panel.showLab(1));
  AnswersForm* form = panel.labPage()->answers();
  const int password = rowOfKey(*form->answersModel(), "password");
  const int suite = rowOfKey(*form->answersModel(), "cipher_suite");
  ASSERT_GE(password, 0);
  ASSERT_GE(suite, 0);

  // Three kinds of wrong: the user name for the password, another suite, a missing answer.
  std::map<std::string, std::string> answers = test::referenceAnswers(workspace);
  answers["password"] = "judy";
  answers["cipher_suite"] = "TLS_NULL_WITH_NULL_NULL";
  answers.erase("password_length");
  ASSERT_TRUE(checkWith(panel, answers));
  const course::LabReport expected = coreVerdicts(workspace, answers);
  auto detailOf = [&](const char* id) {
    for (const auto& r : expected.results)
      if (r.id == id) return QString::fromStdString(r.detail).toHtmlEscaped();
    return QString();
  };
  const QString wrong = form->verdictLabel(password)->text();
  EXPECT_TRUE(wrong.contains("✗")) << wrong.toStdString();
  EXPECT_FALSE(detailOf("password").isEmpty());
  EXPECT_TRUE(wrong.contains(detailOf("password"))) << wrong.toStdString();
  EXPECT_TRUE(wrong.contains("Hint:")) << wrong.toStdString();
  EXPECT_TRUE(form->verdictLabel(suite)->text().contains(detailOf("cipher_suite"))) << form->verdictLabel(suite)->text().toStdString();
  const int length = rowOfKey(*form->answersModel(), "password_length");
  EXPECT_TRUE(form->verdictLabel(length)->text().contains(verdictMark(course::Verdict::Missing)));
  EXPECT_TRUE(form->verdictLabel(rowOfKey(*form->answersModel(), "server_name"))->text().contains("✔"));
  // The results are saved: the lab list shows the progress.
  const int row = panel.courseModel()->rowOf(1);
  EXPECT_EQ(panel.courseModel()->progressAt(row).passed, expected.passed());
  EXPECT_TRUE(panel.labPage()->console()->toPlainText().contains(QString("passed %1 of").arg(expected.passed())));

  // The reference answers of this student's own variant all pass.
  ASSERT_TRUE(checkWith(panel, test::referenceAnswers(workspace)));
  for (int q = 0; q < form->answersModel()->rowCount(); ++q)
    EXPECT_TRUE(form->verdictLabel(q)->text().contains("✔")) << form->verdictLabel(q)->text().toStdString();
  EXPECT_EQ(panel.courseModel()->index(row, CourseModel::Status).data().toString(),
            QString("passed %1 of %1 checks").arg(test::lab1().checks.size()));
  // What the fields held is what answers.txt now says.
  auto saved = course::readAnswers(workspace / course::kAnswersFile);
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->find("password")->value, test::referenceAnswers(workspace).at("password"));
}

TEST(CoursePanel, HintButtonRevealsHintsOneAtATimeAndRemembersThem) {
  test::app();
  QTemporaryDir root;
  const auto workspace = test::startLab1(dirOf(root), "kim");
  const auto& hints = test::lab1().hints;
  ASSERT_GE(hints.size(), 2u);
  auto shown = [](const QLabel* label, std::string_view hint) {
    // The label shows `code` as <code>: compare the words before the first backtick.
    const std::string head(hint.substr(0, std::min<std::size_t>(hint.find('`'), 30)));
    return label->text().contains(QString::fromStdString(head).toHtmlEscaped());
  };
  {
    CoursePanel panel;
    prepare(panel, root, "kim");
    ASSERT_TRUE(panel.showLab(1));
    AnswersForm* form = panel.labPage()->answers();
    EXPECT_EQ(form->hintsShown(), 0);
    EXPECT_FALSE(shown(form->hintsLabel(), hints[0]));
    form->hintButton()->click();
    EXPECT_TRUE(shown(form->hintsLabel(), hints[0]));
    EXPECT_FALSE(shown(form->hintsLabel(), hints[1]));
    form->hintButton()->click();
    EXPECT_TRUE(shown(form->hintsLabel(), hints[1]));
    EXPECT_EQ(course::openWorkspace(workspace)->hintsShown, 2);
  }
  // A new session shows the same two, and the button offers the third.
  CoursePanel again;
  prepare(again, root, "kim");
  ASSERT_TRUE(again.showLab(1));
  AnswersForm* form = again.labPage()->answers();
  EXPECT_EQ(form->hintsShown(), 2);
  EXPECT_TRUE(shown(form->hintsLabel(), hints[1]));
  for (std::size_t i = 2; i < hints.size(); ++i) form->hintButton()->click();
  EXPECT_EQ(form->hintsShown(), static_cast<int>(hints.size()));
  EXPECT_FALSE(form->hintButton()->isEnabled());
}

}  // namespace
}  // namespace tlslab::gui
