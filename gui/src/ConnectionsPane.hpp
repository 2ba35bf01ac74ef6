#pragma once
// The connections list: a filter box over a sortable table, linked to the
// document's selection both ways.
#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace tlslab::gui {

class ConnectionsModel;
class TraceDocument;

class ConnectionsPane : public QWidget {
  Q_OBJECT
 public:
  explicit ConnectionsPane(TraceDocument* document, QWidget* parent = nullptr);

  QTableView* table() const { return table_; }
  QLineEdit* filterEdit() const { return filter_; }
  ConnectionsModel* model() const { return model_; }
  QSortFilterProxyModel* proxy() const { return proxy_; }

 private:
  void onTraceChanged();
  void onDocumentSelection(int connection);
  void onRowSelected();

  TraceDocument* document_;
  ConnectionsModel* model_;
  QSortFilterProxyModel* proxy_;
  QLineEdit* filter_;
  QTableView* table_;
};

}  // namespace tlslab::gui
