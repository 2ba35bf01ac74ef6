// A tutorial's runnable steps as buttons of the lab page: a step runs the real
// `tlslab` in a shell whose folder persists from step to step, Stop ends it,
// a step naming a capture opens it in the main window, and a `tlslab lab run`
// step runs on the main window's ladder.
#include <gtest/gtest.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QThread>

#include <csignal>

#include "CourseTestSupport.hpp"
#include "GuiTestSupport.hpp"
#include "MainWindow.hpp"
#include "TraceDocument.hpp"
#include "course/AnswersForm.hpp"
#include "course/CoursePanel.hpp"
#include "course/LabPage.hpp"
#include "course/StepProcess.hpp"
#include "course/TutorialStepsModel.hpp"
#include "tlslab/scenarios/course/Tutorial.hpp"

namespace tlslab::gui {
namespace {

std::filesystem::path dirOf(const QTemporaryDir& dir) { return dir.path().toStdString(); }

// A tutorials folder holding `markdown` as lab 1's tutorial.
void writeTutorial(const QTemporaryDir& dir, const QString& markdown) {
  QFile file(dir.filePath(QString::fromUtf8(test::lab1().tutorial.data(), static_cast<qsizetype>(test::lab1().tutorial.size()))));
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write(markdown.toUtf8());
}

void prepare(CoursePanel& panel, const QTemporaryDir& root, const QTemporaryDir& tutorials, const QString& student) {
  panel.setRoot(root.path());
  panel.studentEdit()->setText(student);
  panel.keyFileEdit()->clear();
  panel.setTutorialsDir(dirOf(tutorials));
  panel.setToolsDir(QStringLiteral(TLSLAB_TEST_BINARY_DIR));
}

// Clicks step `row`'s button and waits for the step to end.
bool runStep(LabPage& page, int row, bool* ok = nullptr) {
  QSignalSpy finished(page.stepProcess(), &StepProcess::finished);
  page.stepButtons().at(static_cast<std::size_t>(row))->click();
  if (!finished.wait(60000)) return false;
  if (ok) *ok = finished.first().first().toBool();
  return true;
}

TEST(CourseSteps, AStepRunsTheRealTlslabAndItsFolderCarriesToTheNextStep) {
  test::app();
  QTemporaryDir root, tutorials;
  const auto workspace = test::startLab1(dirOf(root), "leo");
  writeTutorial(tutorials,
                "# Lab 1\n\n## Start\n\n"
                "```sh runnable\ncommand -v tlslab\ntlslab --help\n```\n\n"
                "```sh runnable\ncd tlslab-lab-1\n```\n\n"
                "## Inside\n\n"
                "```sh runnable\nls answers.txt && tlslab dissect tls-login.pcapng\n```\n");
  CoursePanel panel;
  prepare(panel, root, tutorials, "leo");
  ASSERT_TRUE(panel.showLab(1));
  LabPage& page = *panel.labPage();
  ASSERT_EQ(page.stepButtons().size(), 3u);
  EXPECT_TRUE(page.stepButtons()[0]->text().contains("command -v tlslab"));
  EXPECT_TRUE(page.tutorial()->toPlainText().contains("Inside"));

  bool ok = false;
  ASSERT_TRUE(runStep(page, 0, &ok));
  EXPECT_TRUE(ok) << page.console()->toPlainText().toStdString();
  const QString console = page.console()->toPlainText();
  // The binary next to the GUI (here: the build folder's), not whatever PATH has.
  EXPECT_TRUE(console.contains(QStringLiteral(TLSLAB_TEST_BINARY_DIR "/tlslab"))) << console.toStdString();
  EXPECT_TRUE(console.contains("learn TLS by watching it happen")) << console.toStdString();
  EXPECT_EQ(QDir(page.stepDir()), QDir(root.path()));

  ASSERT_TRUE(runStep(page, 1, &ok));
  EXPECT_TRUE(ok);
  EXPECT_EQ(QDir(page.stepDir()), QDir(root.filePath("tlslab-lab-1")));
  page.console()->clear();
  ASSERT_TRUE(runStep(page, 2, &ok));
  EXPECT_TRUE(ok) << page.console()->toPlainText().toStdString();
  EXPECT_TRUE(page.console()->toPlainText().contains("answers.txt"));
  // This student's own capture, dissected: the server name of leo's variant.
  const QString host = QString::fromStdString(test::referenceAnswers(workspace).at("server_name"));
  EXPECT_TRUE(page.console()->toPlainText().contains(host)) << host.toStdString() << "\n" << page.console()->toPlainText().toStdString();
}

// Gone, or a zombie waiting for its new parent to reap it (it no longer runs).
bool stillRunning(pid_t pid) {
  for (int i = 0; i < 40; ++i) {
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly)) return false;
    const QByteArray fields = stat.readAll();
    const qsizetype paren = fields.lastIndexOf(')');
    if (paren < 0 || fields.mid(paren + 2, 1) == "Z") return false;
    QThread::msleep(50);
  }
  return true;
}

TEST(CourseSteps, StopEndsAStepAndWhatItStartedInTheBackground) {
  test::app();
  QTemporaryDir root, tutorials;
  writeTutorial(tutorials, "```sh runnable timeout=60\nsleep 50 &\necho started $!\nwait\n```\n");
  CoursePanel panel;
  prepare(panel, root, tutorials, "mia");
  ASSERT_TRUE(panel.showLab(1));
  LabPage& page = *panel.labPage();
  ASSERT_EQ(page.stepButtons().size(), 1u);
  QSignalSpy finished(page.stepProcess(), &StepProcess::finished);
  page.stepButtons()[0]->click();
  ASSERT_TRUE(page.stopButton()->isEnabled());
  QSignalSpy output(page.stepProcess(), &StepProcess::output);
  ASSERT_TRUE(output.wait(10000));
  QRegularExpressionMatch started;
  for (int i = 0; i < 50 && !(started = QRegularExpression("^started (\\d+)$", QRegularExpression::MultilineOption)
                                             .match(page.console()->toPlainText())).hasMatch(); ++i)
    output.wait(200);
  const pid_t sleeper = static_cast<pid_t>(started.captured(1).toInt());
  ASSERT_GT(sleeper, 0) << page.console()->toPlainText().toStdString();
  page.stopButton()->click();
  ASSERT_TRUE(finished.wait(10000));
  EXPECT_FALSE(finished.first().first().toBool());
  EXPECT_EQ(finished.first().at(1).toString(), "stopped");
  EXPECT_FALSE(page.stopButton()->isEnabled());
  EXPECT_FALSE(stillRunning(sleeper)) << "the background sleep is still running";
}

// A step's stdin is empty (a command reading it ends instead of waiting for
// the deadline), and a character split across two reads of its output stays whole.
TEST(CourseSteps, AStepReadsAnEmptyStdinAndItsOutputKeepsSplitCharacters) {
  test::app();
  QTemporaryDir root, tutorials;
  writeTutorial(tutorials, "```sh runnable timeout=20\ncat\nprintf 'wait\\342'; sleep 0.3; printf '\\200\\246 done\\n'\n```\n");
  CoursePanel panel;
  prepare(panel, root, tutorials, "rita");
  ASSERT_TRUE(panel.showLab(1));
  QElapsedTimer timer;
  timer.start();
  bool ok = false;
  ASSERT_TRUE(runStep(*panel.labPage(), 0, &ok));
  EXPECT_TRUE(ok) << panel.labPage()->console()->toPlainText().toStdString();
  EXPECT_LT(timer.elapsed(), 10000);
  EXPECT_TRUE(panel.labPage()->console()->toPlainText().contains("wait… done")) << panel.labPage()->console()->toPlainText().toStdString();
}

TEST(CourseSteps, AStepNamingACaptureOpensItInTheMainWindow) {
  test::app();
  QTemporaryDir root, tutorials;
  test::startLab1(dirOf(root), "noah");
  writeTutorial(tutorials, "```sh runnable\ncd tlslab-lab-1\ntlslab dissect plain-login.pcapng\n```\n");
  MainWindow window;
  window.show();
  window.showCourse(0);
  CoursePanel& panel = *window.coursePanel();
  prepare(panel, root, tutorials, "noah");
  window.showCourse(1);
  ASSERT_TRUE(panel.isShowingLab());
  QSignalSpy loaded(&window, &MainWindow::loadFinished);
  ASSERT_EQ(panel.labPage()->stepButtons().size(), 1u);
  panel.labPage()->stepButtons()[0]->click();
  ASSERT_TRUE(loaded.wait(60000)) << panel.labPage()->console()->toPlainText().toStdString();
  EXPECT_TRUE(loaded.first().first().toBool());
  EXPECT_TRUE(QString::fromStdString(window.document()->trace().source).contains("plain-login.pcapng"));
  EXPECT_FALSE(window.document()->isEmpty());
  // The step's own output is in the console too.
  EXPECT_TRUE(panel.labPage()->console()->toPlainText().contains("opened plain-login.pcapng"));
}

TEST(CourseSteps, ALabRunStepRunsOnTheMainWindowsLadder) {
  test::app();
  QTemporaryDir root, tutorials;
  writeTutorial(tutorials, "```sh runnable\ntlslab lab run handshake --tls 1.3\n```\n");
  MainWindow window;
  window.show();
  CoursePanel& panel = *window.coursePanel();
  prepare(panel, root, tutorials, "olga");
  window.showCourse(1);
  ASSERT_EQ(panel.labPage()->stepButtons().size(), 1u);
  EXPECT_TRUE(panel.labPage()->stepsModel()->index(0).data(TutorialStepsModel::LabRunRole).toBool());
  QSignalSpy loaded(&window, &MainWindow::loadFinished);
  panel.labPage()->stepButtons()[0]->click();
  EXPECT_TRUE(window.isBusy());  // the GUI's own lab runner, not a process
  ASSERT_TRUE(loaded.wait(60000));
  EXPECT_TRUE(loaded.first().first().toBool());
  ASSERT_EQ(window.document()->trace().connections.size(), 1u);
  EXPECT_EQ(window.document()->trace().connections[0].negotiated.version, 0x0304);
}

// The real tutorial of lab 1: one button per runnable step, as the tutorial test runs them.
TEST(CourseSteps, LabOnesTutorialHasAButtonPerRunnableStep) {
  test::app();
  const auto file = homeDir() / "tutorials" / std::string(test::lab1().tutorial);
  if (!std::filesystem::exists(file)) GTEST_SKIP() << file << " is not written yet";
  QFile in(QString::fromStdString(file.string()));
  ASSERT_TRUE(in.open(QIODevice::ReadOnly));
  const QByteArray text = in.readAll();
  const auto steps = course::tutorialSteps(std::string_view(text.constData(), static_cast<std::size_t>(text.size())));
  QTemporaryDir root;
  CoursePanel panel;
  panel.setRoot(root.path());
  ASSERT_TRUE(panel.showLab(1));
  ASSERT_FALSE(steps.empty());
  // A test-only step stands for what the student does by hand: it gets no button.
  const auto shown = std::count_if(steps.begin(), steps.end(), [](const auto& step) { return !step.testOnly; });
  EXPECT_EQ(panel.labPage()->stepButtons().size(), static_cast<std::size_t>(shown));
}

// Lab 1's own first steps, clicked by a student who is not the tutorial's
// alice: the workspace is theirs, and `tlslab follow` shows their password.
TEST(CourseSteps, LabOnesTutorialStepsRunAsTheStudentsOwn) {
  test::app();
  QTemporaryDir root;
  CoursePanel panel;
  panel.setRoot(root.path());
  panel.studentEdit()->setText("quinn");
  panel.keyFileEdit()->clear();
  panel.setToolsDir(QStringLiteral(TLSLAB_TEST_BINARY_DIR));
  ASSERT_TRUE(panel.showLab(1));
  LabPage& page = *panel.labPage();
  ASSERT_GE(page.stepButtons().size(), 2u);
  ASSERT_TRUE(page.stepsModel()->step(0).script.find("tlslab lab start 1") != std::string::npos);
  bool ok = false;
  ASSERT_TRUE(runStep(page, 0, &ok));
  ASSERT_TRUE(ok) << page.console()->toPlainText().toStdString();
  const auto workspace = dirOf(root) / "tlslab-lab-1";
  auto info = course::openWorkspace(workspace);
  ASSERT_TRUE(info) << info.error();
  EXPECT_EQ(info->student, "quinn");
  EXPECT_EQ(QDir(page.stepDir()), QDir(QString::fromStdString(workspace.string()))) << page.stepDir().toStdString() << "\n" << page.console()->toPlainText().toStdString();  // its `cd` holds
  EXPECT_TRUE(page.answers()->checkButton()->isEnabled());  // the page noticed the new workspace

  QStringList opened;
  QObject::connect(&panel, &CoursePanel::captureOpenRequested, &panel, [&opened](const OpenRequest& r) { opened << r.capture; });
  ASSERT_TRUE(runStep(page, 1, &ok));
  EXPECT_TRUE(ok) << page.console()->toPlainText().toStdString();
  const QString password = QString::fromStdString(test::referenceAnswers(workspace).at("password"));
  EXPECT_TRUE(page.console()->toPlainText().contains("password=" + password)) << page.console()->toPlainText().toStdString();
  ASSERT_EQ(opened.size(), 1);
  EXPECT_EQ(opened.first(), QString::fromStdString((workspace / "plain-login.pcapng").string()));
}

}  // namespace
}  // namespace tlslab::gui
