#pragma once
// One lab of the course: its tutorial (tutorials/<lab.tutorial>, rendered
// with QTextBrowser::setMarkdown) with a button per runnable step, its
// answers form, and a console for what the steps, the compiler and the
// checker print. The main window's ladder stays beside it: a step that runs a
// lab or names a capture sends it there (labRunRequested, captureOpenRequested).
#include <QWidget>

#include <filesystem>
#include <optional>
#include <vector>

#include "Workers.hpp"
#include "tlslab/scenarios/course/Lab.hpp"

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTextBrowser;
class QVBoxLayout;

namespace tlslab::gui {

class AnswersForm;
class CourseWorker;
class StepProcess;
class TutorialStepsModel;

class LabPage : public QWidget {
  Q_OBJECT
 public:
  LabPage(CourseWorker* worker, QWidget* parent = nullptr);

  // `root`: where steps start (the workspace root folder); `student` (and
  // the teacher's `keyFile`, if any): who the tutorial's `--student alice` is.
  void setLab(const course::LabDefinition* lab, const std::optional<std::filesystem::path>& workspace,
              const std::filesystem::path& root, const QString& student, const QString& keyFile = {});
  const course::LabDefinition* lab() const { return lab_; }
  const std::optional<std::filesystem::path>& workspace() const { return workspace_; }
  void setTutorialsDir(const std::filesystem::path& dir) { tutorialsDir_ = dir; }
  void setToolsDir(const QString& dir);

  QTabWidget* tabs() const { return tabs_; }
  QTextBrowser* tutorial() const { return tutorial_; }
  TutorialStepsModel* stepsModel() const { return steps_; }
  const std::vector<QPushButton*>& stepButtons() const { return stepButtons_; }
  AnswersForm* answers() const { return answers_; }
  QPlainTextEdit* console() const { return console_; }
  QPushButton* stopButton() const { return stop_; }
  QPushButton* startButton() const { return start_; }
  StepProcess* stepProcess() const { return process_; }
  // The folder the next step starts in (steps share it, as one shell would).
  QString stepDir() const { return stepDir_; }

  void runStep(int row);
  void appendConsole(const QString& text);

 signals:
  void backRequested();
  void startRequested(int lab);
  void labRunRequested(const QString& arguments);
  void captureOpenRequested(const tlslab::gui::OpenRequest& request);
  void checked();
  // A step ran in a shell: it may have made the workspace or checked it.
  void stepRan();
  void errorOccurred(const QString& title, const QString& text);

 private:
  void loadTutorial();
  void rebuildSteps();
  void stepFinished(bool ok, const QString& how);
  // The step's script as this student runs it.
  QString scriptFor(int row) const;

  CourseWorker* worker_;
  const course::LabDefinition* lab_ = nullptr;
  std::optional<std::filesystem::path> workspace_;
  std::filesystem::path tutorialsDir_;
  std::filesystem::path root_;
  QString student_;
  QString keyFile_;
  QString stepDir_;
  QString partialLine_;  // the running step's output after its last line break
  int runningStep_ = -1;

  QLabel* title_;
  QLabel* where_;
  QPushButton* start_;
  QTabWidget* tabs_;
  QTextBrowser* tutorial_;
  TutorialStepsModel* steps_;
  QVBoxLayout* stepsLayout_;
  QWidget* stepsBox_ = nullptr;
  std::vector<QPushButton*> stepButtons_;
  AnswersForm* answers_;
  QPlainTextEdit* console_;
  QPushButton* stop_;
  QLabel* consoleStatus_;
  StepProcess* process_;
};

}  // namespace tlslab::gui
