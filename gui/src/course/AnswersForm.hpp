#pragma once
// A lab's questions as a form: one field per course::Question (its prompt and
// answer format above it) with the checker's verdict beside it (✔/✗, detail,
// hint); Check saves answers.txt and runs course::checkLab on the worker;
// Hint reveals the lab's graded hints one at a time (course::saveHintsShown);
// the checks that judge no single answer (a program's, the workspace's) are
// listed below with their evidence. Labs with exercises get Build and the
// program the checks run.
#include <QWidget>

#include <filesystem>
#include <optional>
#include <vector>

#include "tlslab/scenarios/course/Lab.hpp"

class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeView;
class QVBoxLayout;

namespace tlslab::gui {

class AnswersModel;
class ChecksModel;
class CourseWorker;

class AnswersForm : public QWidget {
  Q_OBJECT
 public:
  AnswersForm(CourseWorker* worker, QWidget* parent = nullptr);

  // The lab and its workspace (nullopt: not started, the form is read-only).
  void setLab(const course::LabDefinition* lab, const std::optional<std::filesystem::path>& workspace);

  AnswersModel* answersModel() const { return answers_; }
  ChecksModel* checksModel() const { return checks_; }
  QLineEdit* answerField(int question) const;
  QLabel* verdictLabel(int question) const;
  QPushButton* checkButton() const { return check_; }
  QPushButton* hintButton() const { return hint_; }
  QPushButton* buildButton() const { return build_; }
  QLineEdit* programField() const { return program_; }
  QLabel* hintsLabel() const { return hints_; }
  int hintsShown() const { return hintsShown_; }

  // Reads answers.txt and the hints shown again (a tutorial step may have
  // changed them: `sed … answers.txt`, `tlslab lab hint`); verdicts stay.
  void reloadFromWorkspace();
  // Saves the fields into answers.txt ("" when it worked, else why not).
  QString saveAnswers();
  void check();
  void showNextHint();
  void build();

 signals:
  // For the console: what the checker or the compiler is doing.
  void consoleLine(const QString& line);
  // A check finished and its results were saved (the lab list's progress changed).
  void checked();
  void errorOccurred(const QString& title, const QString& text);

 private:
  void rebuildFields();
  void loadWorkspace();
  void showVerdicts();
  void showHints();
  void updateEnabled();

  CourseWorker* worker_;
  AnswersModel* answers_;
  ChecksModel* checks_;
  const course::LabDefinition* lab_ = nullptr;
  std::optional<std::filesystem::path> workspace_;
  int hintsShown_ = 0;

  QLabel* intro_;
  QLabel* problems_;
  QVBoxLayout* fieldsLayout_;
  QWidget* fields_ = nullptr;
  std::vector<QLineEdit*> fieldEdits_;
  std::vector<QLabel*> verdicts_;
  QPushButton* check_;
  QPushButton* hint_;
  QLabel* hints_;
  QLabel* checksTitle_;
  QTreeView* checksView_;
  QWidget* exercise_;
  QLineEdit* program_;
  QPushButton* build_;
};

}  // namespace tlslab::gui
