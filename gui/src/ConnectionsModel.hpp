#pragma once
// One row per connection of the document's Trace: endpoints, SNI, version,
// suite, records and state. A thin adapter (STYLE practice 12): every value
// comes from the Trace as the core filled it.
#include <QAbstractTableModel>

#include <memory>

#include "tlslab/model/Trace.hpp"

namespace tlslab::gui {

class ConnectionsModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Index, Client, Server, Sni, Version, Suite, Records, State, ColumnCount };
  // Sorting by this role sorts numbers as numbers (the display text is for people).
  static constexpr int SortRole = Qt::UserRole + 1;

  explicit ConnectionsModel(QObject* parent = nullptr);

  void setTrace(std::shared_ptr<const model::Trace> trace);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  QVariant display(const model::TraceConnection& c, int column) const;
  QVariant tooltip(const model::TraceConnection& c, int column) const;

  std::shared_ptr<const model::Trace> trace_;
};

}  // namespace tlslab::gui
