// Every lab of the course through the Course panel, as a student meets it:
// Start lab makes the real workspace on the worker, the lab page shows one
// field per question and a button per runnable step of its tutorial, and
// (for the labs judged on answers alone) Check puts a verdict on every field.
#include <gtest/gtest.h>

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>

#include <fstream>
#include <iterator>

#include "GuiTestSupport.hpp"
#include "course/AnswersForm.hpp"
#include "course/AnswersModel.hpp"
#include "course/CourseModel.hpp"
#include "course/CoursePanel.hpp"
#include "course/CourseWorker.hpp"
#include "course/LabPage.hpp"
#include "course/TutorialStepsModel.hpp"
#include "tlslab/scenarios/course/Lab.hpp"
#include "tlslab/scenarios/course/Tutorial.hpp"
#include "tlslab/scenarios/course/Workspace.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::gui {
namespace {

std::vector<int> labNumbers() {
  std::vector<int> numbers;
  for (const auto* lab : course::course()) numbers.push_back(lab->number);
  return numbers;
}

class EveryLab : public ::testing::TestWithParam<int> {};

TEST_P(EveryLab, StartsFromThePanelWithItsQuestionsAndTutorialSteps) {
  test::app();
  const course::LabDefinition* lab = course::findLab(GetParam());
  ASSERT_NE(lab, nullptr);
  QTemporaryDir root;
  CoursePanel panel;
  panel.setRoot(root.path());
  panel.studentEdit()->setText(QStringLiteral("heidi"));
  panel.keyFileEdit()->clear();
  panel.setToolsDir(QStringLiteral(TLSLAB_TEST_BINARY_DIR));
  const int row = panel.courseModel()->rowOf(lab->number);
  ASSERT_GE(row, 0);
  panel.labTable()->selectRow(row);
  ASSERT_TRUE(panel.startButton()->isEnabled());
  QSignalSpy ready(panel.worker(), &CourseWorker::workspaceReady);
  panel.startButton()->click();
  ASSERT_TRUE(ready.wait(180000)) << panel.statusLabel()->text().toStdString();

  const auto workspace =
      std::filesystem::path(root.path().toStdString()) / course::defaultWorkspaceDir(lab->number);
  auto info = course::openWorkspace(workspace);
  ASSERT_TRUE(info) << info.error();
  EXPECT_EQ(info->student, "heidi");
  ASSERT_TRUE(panel.isShowingLab());
  EXPECT_EQ(panel.labPage()->lab(), lab);
  AnswersForm* form = panel.labPage()->answers();
  const int questions = static_cast<int>(lab->questions.size());
  for (int q = 0; q < questions; ++q) ASSERT_NE(form->answerField(q), nullptr) << lab->slug << " question " << q;
  EXPECT_EQ(form->answerField(questions), nullptr);

  // A button per runnable step of the lab's own tutorial, as core parses it.
  std::ifstream in(tlslab::homeDir() / "tutorials" / lab->tutorial);
  ASSERT_TRUE(in) << lab->tutorial;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto steps = course::tutorialSteps(text);
  std::erase_if(steps, [](const course::TutorialStep& step) { return step.testOnly; });  // what the student does by hand
  ASSERT_FALSE(steps.empty()) << lab->tutorial;
  EXPECT_EQ(panel.labPage()->stepsModel()->rowCount(), static_cast<int>(steps.size()));

  // Labs that run the student's program are checked in their own tests;
  // here, Check with nothing answered: every question gets a verdict.
  if (lab->number < 8) return;
  QSignalSpy checked(form, &AnswersForm::checked);
  form->checkButton()->click();
  ASSERT_TRUE(checked.wait(180000));
  for (int q = 0; q < questions; ++q) {
    const QString verdict = form->verdictLabel(q)->text();
    EXPECT_FALSE(verdict.isEmpty()) << lab->slug << " question " << q;
    EXPECT_FALSE(verdict.contains("✔")) << lab->slug << " question " << q << ": " << verdict.toStdString();
  }
  EXPECT_TRUE(panel.labPage()->console()->toPlainText().contains("passed 0 of"))
      << panel.labPage()->console()->toPlainText().toStdString();
}

INSTANTIATE_TEST_SUITE_P(Course, EveryLab, ::testing::ValuesIn(labNumbers()),
                         [](const ::testing::TestParamInfo<int>& param) { return "lab" + std::to_string(param.param); });

}  // namespace
}  // namespace tlslab::gui
