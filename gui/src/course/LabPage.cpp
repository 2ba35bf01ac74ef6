#include "course/LabPage.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "course/AnswersForm.hpp"
#include "course/StepProcess.hpp"
#include "course/TutorialStepsModel.hpp"
#include "tlslab/scenarios/course/Workspace.hpp"
#include "tlslab/util/Paths.hpp"
#include "views/ViewStyle.hpp"

namespace tlslab::gui {

namespace {
QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
QString path(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }
constexpr qint64 kMaxTutorialBytes = 1 << 20;
}  // namespace

LabPage::LabPage(CourseWorker* worker, QWidget* parent)
    : QWidget(parent), worker_(worker), tutorialsDir_(homeDir() / "tutorials"), title_(new QLabel(this)),
      where_(new QLabel(this)), start_(new QPushButton(tr("Start lab"), this)), tabs_(new QTabWidget(this)),
      tutorial_(new QTextBrowser(this)), steps_(new TutorialStepsModel(this)), answers_(new AnswersForm(worker, this)),
      console_(new QPlainTextEdit(this)), stop_(new QPushButton(tr("■ Stop"), this)), consoleStatus_(new QLabel(this)),
      process_(new StepProcess(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* header = new QHBoxLayout;
  auto* back = new QPushButton(tr("← All labs"), this);
  connect(back, &QPushButton::clicked, this, &LabPage::backRequested);
  header->addWidget(back);
  header->addWidget(title_, 1);
  header->addWidget(start_);
  connect(start_, &QPushButton::clicked, this, [this] {
    if (lab_ != nullptr) emit startRequested(lab_->number);
  });
  layout->addLayout(header);
  where_->setWordWrap(true);
  where_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(where_);

  // The tutorial with its steps below it; the steps are what runs.
  auto* tutorialSplit = new QSplitter(Qt::Vertical, this);
  tutorial_->setOpenExternalLinks(true);
  tutorial_->document()->setDocumentMargin(10);
  tutorialSplit->addWidget(tutorial_);
  auto* stepsScroll = new QScrollArea(this);
  stepsScroll->setWidgetResizable(true);
  auto* stepsHost = new QWidget(stepsScroll);
  stepsLayout_ = new QVBoxLayout(stepsHost);
  stepsLayout_->setContentsMargins(4, 4, 4, 4);
  stepsScroll->setWidget(stepsHost);
  tutorialSplit->addWidget(stepsScroll);
  stepsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // long commands are cut; the tooltip has them whole
  tutorialSplit->setStretchFactor(0, 3);
  tutorialSplit->setStretchFactor(1, 2);
  tutorialSplit->setSizes({420, 260});
  tabs_->addTab(tutorialSplit, tr("Tutorial"));
  auto* answersScroll = new QScrollArea(this);
  answersScroll->setWidgetResizable(true);
  answersScroll->setWidget(answers_);
  tabs_->addTab(answersScroll, tr("Answers"));

  auto* consoleBox = new QWidget(this);
  auto* consoleLayout = new QVBoxLayout(consoleBox);
  consoleLayout->setContentsMargins(0, 0, 0, 0);
  auto* consoleBar = new QHBoxLayout;
  consoleBar->addWidget(consoleStatus_, 1);
  consoleBar->addWidget(stop_);
  consoleLayout->addLayout(consoleBar);
  console_->setReadOnly(true);
  console_->setFont(views::monospaceFont());
  console_->setMaximumBlockCount(20000);
  console_->setPlaceholderText(tr("What the tutorial's steps, the compiler and the checker print appears here."));
  consoleLayout->addWidget(console_);
  stop_->setEnabled(false);
  stop_->setToolTip(tr("Stop the running step (and whatever it started)"));
  connect(stop_, &QPushButton::clicked, process_, &StepProcess::stop);

  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(tabs_);
  split->addWidget(consoleBox);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 1);
  split->setSizes({640, 160});
  layout->addWidget(split, 1);

  // Whole lines only: a chunk of output may end mid-line (or mid-character, which StepProcess keeps whole).
  connect(process_, &StepProcess::output, this, [this](const QString& text) {
    partialLine_ += text;
    const qsizetype end = partialLine_.lastIndexOf(QLatin1Char('\n'));
    if (end < 0) return;
    appendConsole(partialLine_.left(end));
    partialLine_.remove(0, end + 1);
  });
  connect(process_, &StepProcess::finished, this, &LabPage::stepFinished);
  connect(answers_, &AnswersForm::consoleLine, this, &LabPage::appendConsole);
  connect(answers_, &AnswersForm::checked, this, &LabPage::checked);
  connect(answers_, &AnswersForm::errorOccurred, this, &LabPage::errorOccurred);
}

void LabPage::setToolsDir(const QString& dir) { process_->setToolsDir(dir); }

void LabPage::appendConsole(const QString& text) { console_->appendPlainText(text); }

void LabPage::setLab(const course::LabDefinition* lab, const std::optional<std::filesystem::path>& workspace,
                     const std::filesystem::path& root, const QString& student, const QString& keyFile) {
  const bool sameLab = lab == lab_;
  // Steps start over in the root for another lab or root; the same lab's steps go on where they were.
  if (!sameLab || root != root_) stepDir_ = path(root);
  root_ = root;
  lab_ = lab;
  workspace_ = workspace;
  student_ = student;
  keyFile_ = keyFile;
  title_->setText(lab ? tr("<b>Lab %1 · %2</b>").arg(lab->number).arg(qs(lab->title)) : QString());
  title_->setToolTip(lab ? qs(lab->goal) : QString());
  auto owner = workspace ? course::openWorkspace(*workspace) : pki::Result<course::WorkspaceInfo>::failure({});
  where_->setText(workspace ? tr("Workspace of %1: %2").arg(owner ? QString::fromStdString(owner->student) : tr("(unreadable)"), path(*workspace).toHtmlEscaped())
                            : tr("Not started: <b>Start lab</b> makes your workspace in %1").arg(path(root).toHtmlEscaped()));
  start_->setVisible(lab != nullptr && !workspace);
  answers_->setLab(lab, workspace);
  if (!sameLab) {
    loadTutorial();
    console_->clear();
    consoleStatus_->clear();
  }
}

void LabPage::loadTutorial() {
  QString markdown;
  if (lab_ != nullptr) {
    const QString file = path(tutorialsDir_ / std::string(lab_->tutorial));
    QFile in(file);
    if (in.size() > kMaxTutorialBytes) markdown = tr("*The tutorial* `%1` *is too large to show.*").arg(file);
    else if (in.open(QIODevice::ReadOnly)) markdown = QString::fromUtf8(in.readAll());
    else markdown = tr("*No tutorial at* `%1` *yet.*").arg(file);
    tutorial_->setSearchPaths({path(tutorialsDir_)});
  }
  tutorial_->setMarkdown(markdown);
  steps_->setMarkdown(markdown);
  rebuildSteps();
}

void LabPage::rebuildSteps() {
  delete stepsBox_;
  stepButtons_.clear();
  stepsBox_ = new QWidget(this);
  auto* layout = new QVBoxLayout(stepsBox_);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(3);
  if (steps_->rowCount() > 0) layout->addWidget(new QLabel(tr("<b>Run the tutorial's steps here:</b>"), stepsBox_));
  QString section;
  for (int row = 0; row < steps_->rowCount(); ++row) {
    const QModelIndex index = steps_->index(row);
    if (const QString s = index.data(TutorialStepsModel::SectionRole).toString(); s != section && !s.isEmpty()) {
      section = s;
      auto* heading = new QLabel(section, stepsBox_);
      heading->setStyleSheet(QStringLiteral("color: palette(mid); margin-top: 4px;"));
      layout->addWidget(heading);
    }
    const bool onLadder = index.data(TutorialStepsModel::LabRunRole).toBool();
    auto* button = new QPushButton(QStringLiteral("%1 %2").arg(onLadder ? QStringLiteral("◆") : QStringLiteral("▶"),
                                                               index.data().toString()), stepsBox_);
    button->setToolTip(index.data(Qt::ToolTipRole).toString());
    button->setStyleSheet(QStringLiteral("text-align: left; padding: 3px 8px;"));
    button->setFont(views::monospaceFont());
    button->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    const QStringList missing = index.data(TutorialStepsModel::MissingRole).toStringList();
    button->setEnabled(missing.isEmpty());
    connect(button, &QPushButton::clicked, this, [this, row] { runStep(row); });
    layout->addWidget(button);
    stepButtons_.push_back(button);
  }
  layout->addStretch(1);
  stepsLayout_->addWidget(stepsBox_);
}

// The tutorials are written for the student `alice`; here the steps are the
// student's own (with their key file, so a re-run keeps the class binding).
QString LabPage::scriptFor(int row) const {
  QString script = QString::fromStdString(steps_->step(row).script);
  static const QRegularExpression alice(QStringLiteral("--student[ =]alice\\b"));
  auto quoted = [](QString text) { return QStringLiteral("'%1'").arg(text.replace(QLatin1Char('\''), QStringLiteral("'\\''"))); };
  QString who = student_.isEmpty() ? QString() : QStringLiteral("--student ") + student_;  // IDs need no quotes
  if (!keyFile_.isEmpty()) who += (who.isEmpty() ? QString() : QStringLiteral(" ")) + QStringLiteral("--key ") + quoted(keyFile_);
  if (!who.isEmpty()) script.replace(alice, who);
  return script;
}

void LabPage::runStep(int row) {
  if (row < 0 || row >= steps_->rowCount() || process_->isRunning()) return;
  const StepPlan& plan = steps_->plan(row);
  if (!plan.missing.isEmpty())
    return appendConsole(tr("✗ this step needs %1, which this machine lacks: run it in a terminal where you have it")
                             .arg(plan.missing.join(QStringLiteral(", "))));
  if (!plan.labArguments.isEmpty()) {
    appendConsole(tr("◆ tlslab %1 — running here: watch the ladder and the run log").arg(plan.labArguments));
    return emit labRunRequested(plan.labArguments);
  }
  const course::TutorialStep& step = steps_->step(row);
  // Steps share one folder, as the tutorial's one shell does: a `cd` in a step
  // holds for the next. A step past the workspace's own start starts inside it.
  QString dir = stepDir_;
  if (workspace_ && QDir(dir) == QDir(path(workspace_->parent_path())) && row > 0 &&
      !plan.label.startsWith(QLatin1String("cd ")) && !plan.label.startsWith(QLatin1String("tlslab lab start")))
    dir = path(*workspace_);
  if (!QFileInfo(dir).isDir()) dir = QDir::currentPath();
  runningStep_ = row;
  appendConsole(QStringLiteral("$ %1").arg(scriptFor(row).trimmed().replace(QLatin1Char('\n'), QStringLiteral("\n$ "))));
  consoleStatus_->setText(tr("running in %1…").arg(dir));
  stop_->setEnabled(true);
  for (QPushButton* button : stepButtons_) button->setEnabled(false);
  process_->start(scriptFor(row), dir, step.timeoutSeconds, step.exitCode);
}

void LabPage::stepFinished(bool ok, const QString& how) {
  stop_->setEnabled(false);
  const int row = runningStep_;
  runningStep_ = -1;
  stepDir_ = process_->finalDir();
  if (!partialLine_.isEmpty()) appendConsole(partialLine_);
  partialLine_.clear();
  appendConsole(QStringLiteral("%1 %2").arg(ok ? QStringLiteral("■") : QStringLiteral("✗"), how));
  consoleStatus_->setText(ok ? tr("done; next step starts in %1").arg(stepDir_) : tr("the step %1").arg(how));
  for (int i = 0; i < static_cast<int>(stepButtons_.size()); ++i)
    stepButtons_[static_cast<std::size_t>(i)]->setEnabled(steps_->plan(i).missing.isEmpty());
  answers_->reloadFromWorkspace();  // the step may have edited answers.txt or asked for a hint
  emit stepRan();  // `tlslab lab start` or `lab check` in a step changes the workspace
  if (!ok || row < 0) return;
  const StepPlan& plan = steps_->plan(row);
  if (plan.capture.isEmpty()) return;
  const QString capture = QDir(stepDir_).absoluteFilePath(plan.capture);
  if (!QFileInfo::exists(capture)) return;
  OpenRequest request{capture, plan.keyLog.isEmpty() ? QString() : QDir(stepDir_).absoluteFilePath(plan.keyLog), {}, {}, {}, {}};
  appendConsole(tr("◆ opened %1 beside the tutorial").arg(plan.capture));
  emit captureOpenRequested(request);
}

}  // namespace tlslab::gui
