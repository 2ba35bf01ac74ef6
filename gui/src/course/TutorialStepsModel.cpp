#include "course/TutorialStepsModel.hpp"

#include <QRegularExpression>
#include <QStandardPaths>

#include <unistd.h>

#include "tlslab/scenarios/QuicLab.hpp"

namespace tlslab::gui {

namespace {

QStringList commandLines(const std::string& script) {
  QStringList lines;
  for (const QString& line : QString::fromStdString(script).split(QLatin1Char('\n'))) {
    const QString trimmed = line.trimmed();
    if (!trimmed.isEmpty() && !trimmed.startsWith(QLatin1Char('#'))) lines << trimmed;
  }
  return lines;
}

bool isCapture(const QString& word) {
  for (const char* ext : {".pcapng", ".pcap", ".pcapng.gz", ".pcap.gz", ".cap"})
    if (word.endsWith(QLatin1String(ext))) return true;
  return false;
}

// The options MainWindow::runTutorialCommand turns into a LabRequest; a lab
// run with any other option (--save FILE…) must run as the real command.
bool labRunnerUnderstands(const QStringList& words) {
  static const QStringList known{"--strategy", "--victim", "--tls", "--entry", "--attack"};
  for (int i = 3; i < words.size(); i += 2)
    if (!known.contains(words[i]) || i + 1 >= words.size()) return false;
  return true;
}

bool meets(const QString& need) {
  if (need == QLatin1String("root")) return ::geteuid() == 0;
  if (need == QLatin1String("chromium"))
    return !QStandardPaths::findExecutable(QStringLiteral("chromium")).isEmpty() ||
           !QStandardPaths::findExecutable(QStringLiteral("chromium-browser")).isEmpty();
  if (need == QLatin1String("ngtcp2")) return scenarios::quicLabPrerequisites().empty();  // lab 15's programs
  return true;  // a need this panel does not know: let the step say what it lacks
}

}  // namespace

StepPlan planStep(const course::TutorialStep& step) {
  StepPlan plan;
  const QStringList lines = commandLines(step.script);
  plan.label = lines.isEmpty() ? QString() : lines.first() + (lines.size() > 1 ? QStringLiteral(" …") : QString());
  static const QRegularExpression shell(QStringLiteral("[&|;<>$`()]"));
  if (lines.size() == 1 && !lines.first().contains(shell)) {
    const QStringList words = lines.first().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.size() >= 4 && words[0] == QLatin1String("tlslab") && words[1] == QLatin1String("lab") &&
        words[2] == QLatin1String("run") && labRunnerUnderstands(words.mid(1)))
      plan.labArguments = words.mid(1).join(QLatin1Char(' '));
  }
  for (const QString& line : lines) {
    const QStringList words = line.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    if (words.isEmpty() || words.first() != QLatin1String("tlslab")) continue;
    for (int i = 1; i < words.size(); ++i) {
      const QString word = words[i];
      if (word == QLatin1String("--keylog") && i + 1 < words.size()) plan.keyLog = words[i + 1];
      else if (word.startsWith(QLatin1String("--keylog="))) plan.keyLog = word.mid(9);
      else if (isCapture(word)) plan.capture = word.section(QLatin1Char('='), -1);  // "--save=x.pcapng" too
    }
  }
  for (const auto& need : step.needs) {
    plan.needs << QString::fromStdString(need);
    if (!meets(plan.needs.last())) plan.missing << plan.needs.last();
  }
  return plan;
}

TutorialStepsModel::TutorialStepsModel(QObject* parent) : QAbstractListModel(parent) {}

void TutorialStepsModel::setMarkdown(const QString& markdown) {
  beginResetModel();
  const QByteArray utf8 = markdown.toUtf8();
  steps_ = course::tutorialSteps(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())));
  // Test-only steps stand in for what the student does by hand: no button.
  std::erase_if(steps_, [](const course::TutorialStep& step) { return step.testOnly; });
  plans_.clear();
  for (const auto& step : steps_) plans_.push_back(planStep(step));
  endResetModel();
}

int TutorialStepsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(steps_.size()); }

QVariant TutorialStepsModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const auto& step = steps_[static_cast<std::size_t>(index.row())];
  const StepPlan& plan = plans_[static_cast<std::size_t>(index.row())];
  switch (role) {
    case Qt::DisplayRole:
      return plan.needs.isEmpty() ? plan.label : tr("%1  (needs %2)").arg(plan.label, plan.needs.join(QStringLiteral(", ")));
    case Qt::ToolTipRole: {
      QString tip = QString::fromStdString(step.script).trimmed();
      if (!step.expected.empty()) {
        QStringList expected;
        for (const auto& line : step.expected) expected << QString::fromStdString(line);
        tip += tr("\n\nYou should see:\n%1").arg(expected.join(QLatin1Char('\n')));
      }
      if (!plan.labArguments.isEmpty()) tip += tr("\n\nRuns here: the run is drawn on the ladder as it happens.");
      if (!plan.capture.isEmpty()) tip += tr("\n\nOpens %1 when it is done.").arg(plan.capture);
      if (!plan.missing.isEmpty()) tip += tr("\n\nThis machine lacks: %1").arg(plan.missing.join(QStringLiteral(", ")));
      return tip;
    }
    case SectionRole: return QString::fromStdString(step.section);
    case ScriptRole: return QString::fromStdString(step.script);
    case LabRunRole: return !plan.labArguments.isEmpty();
    case MissingRole: return plan.missing;
    default: return {};
  }
}

}  // namespace tlslab::gui
