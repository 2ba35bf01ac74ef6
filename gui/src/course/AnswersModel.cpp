#include "course/AnswersModel.hpp"

#include <QApplication>
#include <QFile>
#include <QPalette>
#include <QSaveFile>

#include "tlslab/scenarios/course/AnswersEdit.hpp"

namespace tlslab::gui {

namespace {
QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
constexpr qint64 kMaxAnswersFile = 256 * 1024;  // as course::readAnswers
const std::vector<course::CheckResult> kNoResults;
}  // namespace

QString verdictMark(course::Verdict verdict) {
  switch (verdict) {
    case course::Verdict::Pass: return QStringLiteral("✔");
    case course::Verdict::Fail: return QStringLiteral("✗");
    case course::Verdict::Missing: return QStringLiteral("–");
    case course::Verdict::Skipped: return QStringLiteral("⚠");
    default: return QStringLiteral("?");
  }
}

views::Tone verdictTone(course::Verdict verdict) {
  switch (verdict) {
    case course::Verdict::Pass: return views::Tone::Good;
    case course::Verdict::Fail: return views::Tone::Bad;
    case course::Verdict::Missing:
    case course::Verdict::Skipped:
    default: return views::Tone::Warn;
  }
}

AnswersModel::AnswersModel(QObject* parent) : QAbstractTableModel(parent) {}

void AnswersModel::setLab(const course::LabDefinition* lab) {
  beginResetModel();
  lab_ = lab;
  variant_.reset();
  rows_.assign(lab ? lab->questions.size() : 0, Row{});
  problems_.clear();
  endResetModel();
}

void AnswersModel::setVariant(std::optional<course::Variant> variant) {
  variant_ = std::move(variant);
  if (!rows_.empty()) emit dataChanged(index(0, Prompt), index(rowCount() - 1, Prompt));
}

QString AnswersModel::load(const std::filesystem::path& file) {
  problems_.clear();
  for (Row& row : rows_) row.value.clear();
  QString error;
  if (std::filesystem::exists(file)) {
    auto answers = course::readAnswers(file);
    if (!answers) {
      error = QString::fromStdString(answers.error());
    } else {
      for (std::size_t i = 0; i < rows_.size(); ++i) {
        auto it = answers->values.find(std::string(lab_->questions[i].key));
        if (it != answers->values.end()) rows_[i].value = QString::fromStdString(it->second.value);
      }
      for (const auto& problem : answers->problems) problems_ << QString::fromStdString(problem);
    }
  }
  if (!rows_.empty()) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
  return error;
}

QString AnswersModel::save(const std::filesystem::path& file) {
  const QString name = QString::fromStdString(file.string());
  QByteArray text;
  QFile in(name);
  if (in.exists()) {
    if (in.size() > kMaxAnswersFile) return tr("%1 is larger than an answers file can be (256 KiB)").arg(name);
    if (!in.open(QIODevice::ReadOnly)) return tr("cannot read %1: %2").arg(name, in.errorString());
    text = in.readAll();
  }
  std::vector<std::pair<std::string, std::string>> values;
  for (int row = 0; row < rowCount(); ++row) values.emplace_back(key(row).toStdString(), value(row).toStdString());
  const std::string updated = course::withAnswers(std::string_view(text.constData(), static_cast<std::size_t>(text.size())), values);
  QSaveFile out(name);  // atomic: a full disk never leaves half the answers
  if (!out.open(QIODevice::WriteOnly) || out.write(updated.data(), static_cast<qint64>(updated.size())) < 0 || !out.commit())
    return tr("cannot write %1: %2").arg(name, out.errorString());
  return {};
}

void AnswersModel::setReport(const course::LabReport& report) {
  for (Row& row : rows_) row.results.clear();
  if (lab_ != nullptr && report.lab == lab_) {
    for (std::size_t c = 0; c < report.results.size() && c < lab_->checks.size(); ++c) {
      const std::string_view question = lab_->checks[c].question;
      for (std::size_t q = 0; q < rows_.size(); ++q)
        if (!question.empty() && lab_->questions[q].key == question) rows_[q].results.push_back(report.results[c]);
    }
  }
  if (!rows_.empty()) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

const std::vector<course::CheckResult>& AnswersModel::resultsOf(int row) const {
  return row >= 0 && row < rowCount() ? rows_[static_cast<std::size_t>(row)].results : kNoResults;
}

QString AnswersModel::key(int row) const {
  return row >= 0 && row < rowCount() ? qs(lab_->questions[static_cast<std::size_t>(row)].key) : QString();
}

QString AnswersModel::value(int row) const {
  return row >= 0 && row < rowCount() ? rows_[static_cast<std::size_t>(row)].value : QString();
}

bool AnswersModel::setValue(int row, const QString& value) { return setData(index(row, Answer), value); }

const course::CheckResult* AnswersModel::shown(const Row& row) const {
  for (const auto& result : row.results)
    if (result.verdict != course::Verdict::Pass) return &result;
  return row.results.empty() ? nullptr : &row.results.front();
}

int AnswersModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(rows_.size()); }

int AnswersModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant AnswersModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const auto& question = lab_->questions[static_cast<std::size_t>(index.row())];
  const Row& row = rows_[static_cast<std::size_t>(index.row())];
  const course::CheckResult* result = shown(row);
  switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
      switch (index.column()) {
        case Prompt: return variant_ ? QString::fromStdString(course::promptFor(question, *variant_)) : qs(question.prompt);
        case Format: return qs(question.format);
        case Answer: return row.value;
        case Verdict:
          if (result == nullptr) return {};
          return result->detail.empty() ? verdictMark(result->verdict)
                                        : QStringLiteral("%1 %2").arg(verdictMark(result->verdict), QString::fromStdString(result->detail));
        default: return {};
      }
    case Qt::ToolTipRole:
      if (index.column() == Verdict && result != nullptr && !result->hint.empty()) return QString::fromStdString(result->hint);
      return {};
    case Qt::ForegroundRole:
      if (index.column() != Verdict || result == nullptr) return {};
      return views::toneColor(verdictTone(result->verdict), QApplication::palette());
    case KeyRole: return qs(question.key);
    case DetailRole: return result ? QString::fromStdString(result->detail) : QString();
    case HintRole: return result ? QString::fromStdString(result->hint) : QString();
    case CheckedRole: return result ? static_cast<int>(result->verdict) : -1;
    default: return {};
  }
}

bool AnswersModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (role != Qt::EditRole || !index.isValid() || index.column() != Answer ||
      !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return false;
  QString text = value.toString();
  text.replace(QLatin1Char('\n'), QLatin1Char(' '));  // an answer is one line of answers.txt
  Row& row = rows_[static_cast<std::size_t>(index.row())];
  if (row.value == text) return true;
  row.value = text;
  emit dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
  return true;
}

Qt::ItemFlags AnswersModel::flags(const QModelIndex& index) const {
  if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return Qt::NoItemFlags;
  Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
  if (index.column() == Answer) flags |= Qt::ItemIsEditable;
  return flags;
}

QVariant AnswersModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Prompt: return tr("Question");
    case Format: return tr("Format");
    case Answer: return tr("Your answer");
    case Verdict: return tr("Check");
    default: return {};
  }
}

}  // namespace tlslab::gui
