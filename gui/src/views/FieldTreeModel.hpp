#pragma once
// A QAbstractItemModel over one model::Field tree (a thin adapter, as
// Wireshark's ProtoTreeModel is over its dissector tree): the core did the
// parsing, this only presents it. Columns: Field, Value, Meaning, RFC.
// Malformed nodes are shown in the error colour with a warning icon.
#include <QAbstractItemModel>
#include <unordered_map>

#include "tlslab/model/Field.hpp"

namespace tlslab::gui::views {

class FieldTreeModel : public QAbstractItemModel {
  Q_OBJECT
 public:
  enum Column { NameColumn, ValueColumn, MeaningColumn, RfcColumn, ColumnCount };
  enum Role { OffsetRole = Qt::UserRole + 1, LengthRole, MalformedRole };

  explicit FieldTreeModel(QObject* parent = nullptr);

  // showRoot=false lists the root's children at the top level (for a
  // synthetic root that only groups, e.g. the certificates of a chain).
  void setRoot(model::Field root, bool showRoot = true);
  void clear();
  const model::Field& root() const { return root_; }

  const model::Field* fieldAt(const QModelIndex& index) const;
  QModelIndex indexOf(const model::Field* field, int column = 0) const;
  // The deepest node whose bytes contain [offset, offset+length), or an
  // invalid index. Zero-length nodes never match.
  QModelIndex deepestContaining(std::size_t offset, std::size_t length) const;

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  struct Place {
    const model::Field* parent = nullptr;  // nullptr: a top-level row
    int row = 0;
  };
  void addPlaces(const model::Field& node, const model::Field* parent, int row);
  const model::Field* childOf(const model::Field* parent, int row) const;

  model::Field root_;
  bool showRoot_ = true;
  bool empty_ = true;
  std::unordered_map<const model::Field*, Place> places_;
};

}  // namespace tlslab::gui::views
