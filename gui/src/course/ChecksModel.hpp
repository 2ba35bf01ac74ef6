#pragma once
// The checks of a lab that judge no single answer (CheckSpec::question empty):
// a program's behaviour against real servers (CheckSpec::needsProgram) and the
// workspace's own files. One row per check with its verdict, detail and hint;
// its evidence lines (one per gallery entry, per server…) are child rows.
#include <QAbstractItemModel>

#include <optional>
#include <vector>

#include "tlslab/scenarios/course/Lab.hpp"

namespace tlslab::gui {

class ChecksModel : public QAbstractItemModel {
  Q_OBJECT
 public:
  enum Column { Check, Detail, Hint, ColumnCount };
  static constexpr int NeedsProgramRole = Qt::UserRole + 1;

  explicit ChecksModel(QObject* parent = nullptr);

  // Lists the lab's unattached checks, none judged yet.
  void setLab(const course::LabDefinition* lab);
  // Their results from a report of the same lab (anything else clears them).
  void setReport(const course::LabReport& report);
  const course::CheckResult* resultAt(int row) const;

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  struct Row {
    const course::CheckSpec* spec = nullptr;
    std::optional<course::CheckResult> result;
  };
  QVariant checkData(const Row& row, int column, int role) const;

  const course::LabDefinition* lab_ = nullptr;
  std::vector<Row> rows_;
};

}  // namespace tlslab::gui
