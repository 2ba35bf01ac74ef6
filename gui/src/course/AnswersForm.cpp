#include "course/AnswersForm.hpp"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

#include "course/AnswersModel.hpp"
#include "course/ChecksModel.hpp"
#include "course/CourseModel.hpp"
#include "course/CourseText.hpp"
#include "course/CourseWorker.hpp"

namespace tlslab::gui {

namespace {
QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
QString path(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }
}  // namespace

AnswersForm::AnswersForm(CourseWorker* worker, QWidget* parent)
    : QWidget(parent), worker_(worker), answers_(new AnswersModel(this)), checks_(new ChecksModel(this)),
      intro_(new QLabel(this)), problems_(new QLabel(this)), check_(new QPushButton(tr("✔ Check"), this)),
      hint_(new QPushButton(tr("Hint"), this)), hints_(new QLabel(this)), checksTitle_(new QLabel(this)),
      checksView_(new QTreeView(this)), exercise_(new QWidget(this)), program_(new QLineEdit(exercise_)),
      build_(new QPushButton(tr("Build"), exercise_)) {
  auto* layout = new QVBoxLayout(this);
  intro_->setWordWrap(true);
  problems_->setWordWrap(true);
  problems_->hide();
  layout->addWidget(intro_);
  layout->addWidget(problems_);
  fieldsLayout_ = new QVBoxLayout;
  layout->addLayout(fieldsLayout_);

  auto* buttons = new QHBoxLayout;
  check_->setToolTip(tr("Save answers.txt and run this lab's checks (as `tlslab lab check`)"));
  hint_->setToolTip(tr("Show the next hint (as `tlslab lab hint`)"));
  buttons->addWidget(check_);
  buttons->addWidget(hint_);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  hints_->setWordWrap(true);
  hints_->setTextFormat(Qt::RichText);
  hints_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  hints_->hide();
  layout->addWidget(hints_);

  // The exercise: which program the checks run, and building it.
  auto* exerciseLayout = new QHBoxLayout(exercise_);
  exerciseLayout->setContentsMargins(0, 6, 0, 0);
  exerciseLayout->addWidget(new QLabel(tr("Your program:"), exercise_));
  exerciseLayout->addWidget(program_, 1);
  auto* browse = new QPushButton(tr("Choose…"), exercise_);
  exerciseLayout->addWidget(browse);
  exerciseLayout->addWidget(build_);
  program_->setToolTip(tr("The program the checks run: yours from this workspace, or any other with the same interface"));
  build_->setToolTip(tr("Compile the exercise in the workspace (as `tlslab lab build`)"));
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString file = QFileDialog::getOpenFileName(this, tr("Program to check"), program_->text());
    if (!file.isEmpty()) program_->setText(file);
  });
  layout->addWidget(exercise_);

  checksTitle_->setText(tr("<b>Checks of your program and workspace</b>"));
  layout->addWidget(checksTitle_);
  checksView_->setModel(checks_);
  checksView_->setRootIsDecorated(true);
  checksView_->setWordWrap(true);
  checksView_->header()->setStretchLastSection(true);
  checksView_->setMinimumHeight(120);
  layout->addWidget(checksView_, 1);
  layout->addStretch(0);

  connect(check_, &QPushButton::clicked, this, &AnswersForm::check);
  connect(hint_, &QPushButton::clicked, this, &AnswersForm::showNextHint);
  connect(build_, &QPushButton::clicked, this, &AnswersForm::build);
  connect(answers_, &AnswersModel::dataChanged, this, &AnswersForm::showVerdicts);
  connect(worker_, &CourseWorker::checked, this, [this](std::shared_ptr<const course::LabReport> report) {
    if (report->lab != lab_) return updateEnabled();
    answers_->setReport(*report);
    checks_->setReport(*report);
    checksView_->expandAll();
    emit consoleLine(tr("■ passed %1 of %2 checks").arg(report->passed()).arg(report->results.size()));
    emit checked();
    updateEnabled();
  });
  connect(worker_, &CourseWorker::built, this, [this](bool ok, const QString& output) {
    emit consoleLine(output.trimmed());
    emit consoleLine(ok ? tr("■ built: Check runs it") : tr("■ the build failed: fix the first error above"));
    updateEnabled();
  });
  connect(worker_, &CourseWorker::failed, this, &AnswersForm::updateEnabled);
  setLab(nullptr, std::nullopt);
}

QLineEdit* AnswersForm::answerField(int question) const {
  return question >= 0 && question < static_cast<int>(fieldEdits_.size()) ? fieldEdits_[static_cast<std::size_t>(question)] : nullptr;
}

QLabel* AnswersForm::verdictLabel(int question) const {
  return question >= 0 && question < static_cast<int>(verdicts_.size()) ? verdicts_[static_cast<std::size_t>(question)] : nullptr;
}

void AnswersForm::setLab(const course::LabDefinition* lab, const std::optional<std::filesystem::path>& workspace) {
  lab_ = lab;
  workspace_ = workspace;
  answers_->setLab(lab);
  checks_->setLab(lab);
  loadWorkspace();
  const bool exercises = lab != nullptr && !lab->exercises.empty();
  exercise_->setVisible(exercises);
  program_->setText(exercises && workspace ? path(*workspace / std::string(lab->exercises.front().program)) : QString());
  checksTitle_->setVisible(checks_->rowCount() > 0);
  checksView_->setVisible(checks_->rowCount() > 0);
  rebuildFields();
  showHints();
  updateEnabled();
}

// Answers, their problems, hints shown and the last check's progress, from the workspace's files.
void AnswersForm::loadWorkspace() {
  hintsShown_ = 0;
  problems_->hide();
  if (lab_ != nullptr && workspace_) {
    const QString error = answers_->load(*workspace_ / course::kAnswersFile);
    const QStringList problems = error.isEmpty() ? answers_->problems() : QStringList{error};
    problems_->setText(tr("<b>answers.txt:</b> %1").arg(problems.join(QStringLiteral("; ")).toHtmlEscaped()));
    problems_->setVisible(!problems.isEmpty());
    if (auto info = course::openWorkspace(*workspace_)) {
      hintsShown_ = info->hintsShown;
      answers_->setVariant(info->variant());
    }
  }
  if (lab_ == nullptr) intro_->clear();
  else if (!workspace_) intro_->setText(tr("Start this lab (above) to answer its questions: your answers go into its workspace."));
  else {
    const course::Progress progress = course::progressOf(workspace_, *lab_);
    intro_->setText(tr("Answer in the fields, then Check. They are saved in %1.%2")
                        .arg(path(*workspace_ / course::kAnswersFile).toHtmlEscaped(),
                             progress.state == course::Progress::State::Checked
                                 ? tr(" Last check (%1): %2.").arg(QString::fromStdString(progress.checkedAt), CourseModel::statusText(progress))
                                 : QString()));
  }
}

void AnswersForm::reloadFromWorkspace() {
  loadWorkspace();
  showVerdicts();
  showHints();
  updateEnabled();
}

void AnswersForm::rebuildFields() {
  delete fields_;
  fieldEdits_.clear();
  verdicts_.clear();
  fields_ = new QWidget(this);
  auto* layout = new QVBoxLayout(fields_);
  layout->setContentsMargins(0, 0, 0, 0);
  for (int row = 0; row < answers_->rowCount(); ++row) {
    const QString format = answers_->index(row, AnswersModel::Format).data().toString();
    auto* prompt = new QLabel(QStringLiteral("<b>Q%1.</b> %2 <span style=\"color:%3\">(%4)</span>")
                                  .arg(row + 1)
                                  .arg(courseRichText(answers_->index(row, AnswersModel::Prompt).data().toString()),
                                       palette().color(QPalette::PlaceholderText).name(), courseRichText(format)),
                              fields_);
    prompt->setWordWrap(true);
    layout->addWidget(prompt);
    auto* field = new QLineEdit(answers_->value(row), fields_);
    field->setPlaceholderText(format);
    field->setToolTip(tr("answers.txt, key \"%1\"; answer: %2").arg(answers_->key(row), format));
    field->setObjectName(QStringLiteral("answer-%1").arg(answers_->key(row)));
    connect(field, &QLineEdit::textEdited, this, [this, row](const QString& text) { answers_->setValue(row, text); });
    connect(field, &QLineEdit::editingFinished, this, [this] {
      if (const QString error = saveAnswers(); !error.isEmpty()) emit errorOccurred(tr("Cannot save your answers"), error);
    });
    auto* verdict = new QLabel(fields_);
    verdict->setWordWrap(true);
    verdict->setTextFormat(Qt::RichText);
    verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    verdict->setContentsMargins(12, 0, 0, 6);
    layout->addWidget(field);
    layout->addWidget(verdict);
    fieldEdits_.push_back(field);
    verdicts_.push_back(verdict);
  }
  fieldsLayout_->addWidget(fields_);
  showVerdicts();
}

void AnswersForm::showVerdicts() {
  for (int row = 0; row < static_cast<int>(verdicts_.size()); ++row) {
    QLineEdit* field = fieldEdits_[static_cast<std::size_t>(row)];
    if (field->text() != answers_->value(row)) field->setText(answers_->value(row));
    QStringList lines;
    for (const auto& result : answers_->resultsOf(row)) lines << verdictHtml(result, palette());
    QLabel* verdict = verdicts_[static_cast<std::size_t>(row)];
    verdict->setText(lines.join(QStringLiteral("<br>")));
    verdict->setVisible(!lines.isEmpty());
  }
}

void AnswersForm::showHints() {
  const int total = lab_ ? static_cast<int>(lab_->hints.size()) : 0;
  QStringList items;
  for (int i = 0; i < hintsShown_ && i < total; ++i)
    items << QStringLiteral("<li>%1</li>").arg(courseRichText(qs(lab_->hints[static_cast<std::size_t>(i)])));
  hints_->setText(QStringLiteral("<b>Hints</b><ol>%1</ol>").arg(items.join(QString())));
  hints_->setVisible(!items.isEmpty());
  hint_->setText(hintsShown_ < total ? tr("Hint %1 of %2").arg(hintsShown_ + 1).arg(total) : tr("No more hints"));
}

void AnswersForm::updateEnabled() {
  const bool started = lab_ != nullptr && workspace_.has_value();
  const bool idle = !worker_->isRunning();
  for (QLineEdit* field : fieldEdits_) field->setEnabled(started);
  check_->setEnabled(started && idle);
  build_->setEnabled(started && idle);
  hint_->setEnabled(lab_ != nullptr && hintsShown_ < static_cast<int>(lab_->hints.size()));
}

QString AnswersForm::saveAnswers() {
  if (lab_ == nullptr || !workspace_ || answers_->rowCount() == 0) return {};
  return answers_->save(*workspace_ / course::kAnswersFile);
}

void AnswersForm::check() {
  if (lab_ == nullptr || !workspace_ || worker_->isRunning()) return;
  if (const QString error = saveAnswers(); !error.isEmpty()) return emit errorOccurred(tr("Cannot save your answers"), error);
  CheckRequest request{lab_, *workspace_, {}};
  const std::filesystem::path program = program_->text().trimmed().toStdString();
  if (!lab_->exercises.empty() && !program.empty() && std::filesystem::exists(program)) request.program = program;
  emit consoleLine(tr("▶ checking lab %1%2").arg(lab_->number).arg(request.program.empty() ? QString() : tr(" with %1").arg(path(request.program))));
  worker_->check(request);
  updateEnabled();
}

void AnswersForm::showNextHint() {
  if (lab_ == nullptr || hintsShown_ >= static_cast<int>(lab_->hints.size())) return;
  ++hintsShown_;
  // Remembered in the workspace, as `tlslab lab hint` does, so the next session shows the same hints.
  if (workspace_ && !course::saveHintsShown(*workspace_, hintsShown_))
    emit consoleLine(tr("could not record the hint in %1").arg(path(*workspace_ / course::kMetaFile)));
  showHints();
  updateEnabled();
}

void AnswersForm::build() {
  if (lab_ == nullptr || !workspace_ || worker_->isRunning()) return;
  emit consoleLine(tr("▶ building in %1").arg(path(*workspace_)));
  worker_->build(lab_, *workspace_);
  updateEnabled();
}

}  // namespace tlslab::gui
