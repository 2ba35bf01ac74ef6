#include "course/CourseModel.hpp"

#include <QApplication>
#include <QPalette>

#include "views/ViewStyle.hpp"

namespace tlslab::gui {

namespace {
QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
}  // namespace

CourseModel::CourseModel(QObject* parent) : QAbstractTableModel(parent) {
  for (const course::LabDefinition* lab : course::course()) rows_.push_back({lab, std::nullopt, {}});
}

void CourseModel::setRoot(const std::filesystem::path& root) {
  root_ = root;
  refresh();
}

void CourseModel::refresh() {
  for (Row& row : rows_) {
    row.workspace = root_.empty() ? std::nullopt : course::findWorkspace(root_, row.lab->number);
    row.progress = course::progressOf(row.workspace, *row.lab);
  }
  if (!rows_.empty()) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

const course::LabDefinition* CourseModel::labAt(int row) const {
  return row >= 0 && row < rowCount() ? rows_[static_cast<std::size_t>(row)].lab : nullptr;
}

int CourseModel::rowOf(int labNumber) const {
  for (std::size_t i = 0; i < rows_.size(); ++i)
    if (rows_[i].lab->number == labNumber) return static_cast<int>(i);
  return -1;
}

const course::Progress& CourseModel::progressAt(int row) const { return rows_.at(static_cast<std::size_t>(row)).progress; }

const std::optional<std::filesystem::path>& CourseModel::workspaceAt(int row) const {
  return rows_.at(static_cast<std::size_t>(row)).workspace;
}

QString CourseModel::statusText(const course::Progress& progress) {
  switch (progress.state) {
    case course::Progress::State::NotStarted: return tr("not started");
    case course::Progress::State::Started: return tr("started");
    case course::Progress::State::Checked:
      return tr("passed %1 of %2 %3").arg(progress.passed).arg(progress.total).arg(progress.total == 1 ? tr("check") : tr("checks"));
    default: return {};
  }
}

int CourseModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(rows_.size()); }

int CourseModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant CourseModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const Row& row = rows_[static_cast<std::size_t>(index.row())];
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case Number: return row.lab->number;
        case Title: return qs(row.lab->title);
        case Minutes: return tr("%1 min").arg(row.lab->minutes);
        case Status: return statusText(row.progress);
        default: return {};
      }
    case Qt::ToolTipRole:
      if (index.column() == Status && row.workspace)
        return tr("Workspace: %1").arg(QString::fromStdString(row.workspace->string()));
      return qs(row.lab->goal);
    case Qt::ForegroundRole: {
      if (index.column() != Status || row.progress.state != course::Progress::State::Checked) return {};
      const bool all = row.progress.passed == row.progress.total;
      return views::toneColor(all ? views::Tone::Good : views::Tone::Warn, QApplication::palette());
    }
    case Qt::TextAlignmentRole:
      if (index.column() == Number || index.column() == Minutes) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    case LabNumberRole: return row.lab->number;
    default: return {};
  }
}

QVariant CourseModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Number: return tr("#");
    case Title: return tr("Lab");
    case Minutes: return tr("Time");
    case Status: return tr("Progress");
    default: return {};
  }
}

}  // namespace tlslab::gui
