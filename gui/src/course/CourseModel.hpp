#pragma once
// The labs of the course in order (course::course()), one row each, with this
// student's progress read from the workspaces under a root folder
// (course::progressOf(course::findWorkspace(root, n), lab)). A thin adapter:
// what a lab is and how far a student got both come from core.
#include <QAbstractTableModel>

#include <filesystem>
#include <optional>
#include <vector>

#include "tlslab/scenarios/course/Workspace.hpp"

namespace tlslab::gui {

class CourseModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Number, Title, Minutes, Status, ColumnCount };
  static constexpr int LabNumberRole = Qt::UserRole + 1;

  explicit CourseModel(QObject* parent = nullptr);

  // Reads every lab's progress again from the workspaces under `root`.
  void setRoot(const std::filesystem::path& root);
  void refresh();
  const std::filesystem::path& root() const { return root_; }

  const course::LabDefinition* labAt(int row) const;
  int rowOf(int labNumber) const;  // -1 when the course has no such lab
  const course::Progress& progressAt(int row) const;
  const std::optional<std::filesystem::path>& workspaceAt(int row) const;

  // "not started", "started", "passed 3 of 5 checks"
  static QString statusText(const course::Progress& progress);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  struct Row {
    const course::LabDefinition* lab = nullptr;
    std::optional<std::filesystem::path> workspace;
    course::Progress progress;
  };
  std::filesystem::path root_;
  std::vector<Row> rows_;
};

}  // namespace tlslab::gui
