#include "course/ChecksModel.hpp"

#include <QApplication>
#include <QPalette>

#include "course/AnswersModel.hpp"

namespace tlslab::gui {

namespace {
QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
// internalId: 0 for a check, 1 + its row for one of its evidence lines.
constexpr quintptr kTopLevel = 0;
}  // namespace

ChecksModel::ChecksModel(QObject* parent) : QAbstractItemModel(parent) {}

void ChecksModel::setLab(const course::LabDefinition* lab) {
  beginResetModel();
  lab_ = lab;
  rows_.clear();
  if (lab != nullptr)
    for (const auto& spec : lab->checks)
      if (spec.question.empty()) rows_.push_back({&spec, std::nullopt});
  endResetModel();
}

void ChecksModel::setReport(const course::LabReport& report) {
  beginResetModel();  // evidence rows come and go
  for (Row& row : rows_) {
    row.result.reset();
    if (lab_ == nullptr || report.lab != lab_) continue;
    const auto at = static_cast<std::size_t>(row.spec - lab_->checks.data());
    if (at < report.results.size()) row.result = report.results[at];
  }
  endResetModel();
}

const course::CheckResult* ChecksModel::resultAt(int row) const {
  if (row < 0 || row >= static_cast<int>(rows_.size())) return nullptr;
  const auto& result = rows_[static_cast<std::size_t>(row)].result;
  return result ? &*result : nullptr;
}

QModelIndex ChecksModel::index(int row, int column, const QModelIndex& parent) const {
  if (!hasIndex(row, column, parent)) return {};
  return createIndex(row, column, parent.isValid() ? static_cast<quintptr>(parent.row()) + 1 : kTopLevel);
}

QModelIndex ChecksModel::parent(const QModelIndex& child) const {
  if (!child.isValid() || child.internalId() == kTopLevel) return {};
  return createIndex(static_cast<int>(child.internalId() - 1), 0, kTopLevel);
}

int ChecksModel::rowCount(const QModelIndex& parent) const {
  if (!parent.isValid()) return static_cast<int>(rows_.size());
  if (parent.internalId() != kTopLevel || parent.column() != 0) return 0;
  const course::CheckResult* result = resultAt(parent.row());
  return result ? static_cast<int>(result->evidence.size()) : 0;
}

int ChecksModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant ChecksModel::checkData(const Row& row, int column, int role) const {
  const course::CheckResult* result = row.result ? &*row.result : nullptr;
  switch (role) {
    case Qt::DisplayRole:
      switch (column) {
        case Check: return QStringLiteral("%1 %2").arg(result ? verdictMark(result->verdict) : QStringLiteral("·"), qs(row.spec->title));
        case Detail:
          if (result) return QString::fromStdString(result->detail);
          return row.spec->needsProgram ? tr("not checked yet (runs your program)") : tr("not checked yet");
        case Hint: return result ? QString::fromStdString(result->hint) : QString();
        default: return {};
      }
    case Qt::ToolTipRole:
      if (column == Detail && result) return QString::fromStdString(result->detail);
      if (column == Hint && result) return QString::fromStdString(result->hint);
      return {};
    case Qt::ForegroundRole:
      if (column != Check || result == nullptr) return {};
      return views::toneColor(verdictTone(result->verdict), QApplication::palette());
    case NeedsProgramRole: return row.spec->needsProgram;
    default: return {};
  }
}

QVariant ChecksModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  if (index.internalId() == kTopLevel) return checkData(rows_[static_cast<std::size_t>(index.row())], index.column(), role);
  const course::CheckResult* result = resultAt(static_cast<int>(index.internalId() - 1));
  if (result == nullptr || index.column() != Check) return {};
  if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
    return QString::fromStdString(result->evidence.at(static_cast<std::size_t>(index.row())));
  return {};
}

QVariant ChecksModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Check: return tr("Check");
    case Detail: return tr("Result");
    case Hint: return tr("Hint");
    default: return {};
  }
}

}  // namespace tlslab::gui
