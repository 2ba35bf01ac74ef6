#include "ConnectionsPane.hpp"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "ConnectionsModel.hpp"
#include "TraceDocument.hpp"

namespace tlslab::gui {

ConnectionsPane::ConnectionsPane(TraceDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), model_(new ConnectionsModel(this)),
      proxy_(new QSortFilterProxyModel(this)), filter_(new QLineEdit(this)), table_(new QTableView(this)) {
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(ConnectionsModel::SortRole);
  proxy_->setFilterKeyColumn(-1);  // match any column: addresses, SNI, suite or state
  proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);

  filter_->setPlaceholderText(tr("Filter connections (address, SNI, version, suite, state)…"));
  filter_->setClearButtonEnabled(true);
  filter_->setToolTip(tr("Shows only connections whose row contains this text, e.g. \"1.2\", \"alert\" or \"bank32\""));
  connect(filter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);

  table_->setModel(proxy_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setSortingEnabled(true);
  table_->sortByColumn(ConnectionsModel::Index, Qt::AscendingOrder);
  table_->setAlternatingRowColors(true);
  table_->setShowGrid(false);
  table_->setWordWrap(false);
  table_->verticalHeader()->hide();
  table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->horizontalHeader()->setHighlightSections(false);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(4);
  layout->addWidget(filter_);
  layout->addWidget(table_);

  connect(document_, &TraceDocument::traceChanged, this, &ConnectionsPane::onTraceChanged);
  connect(document_, &TraceDocument::connectionSelected, this, &ConnectionsPane::onDocumentSelection);
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ConnectionsPane::onRowSelected);
  onTraceChanged();
}

void ConnectionsPane::onTraceChanged() {
  model_->setTrace(document_->sharedTrace());
  table_->resizeColumnsToContents();
  onDocumentSelection(document_->connection());
}

void ConnectionsPane::onDocumentSelection(int connection) {
  QModelIndex source = model_->index(connection, 0);
  QModelIndex row = proxy_->mapFromSource(source);
  if (!row.isValid()) {
    table_->clearSelection();
    return;
  }
  if (table_->selectionModel()->isRowSelected(row.row(), {})) return;
  table_->selectionModel()->select(row, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  table_->scrollTo(row);
}

void ConnectionsPane::onRowSelected() {
  const QModelIndexList rows = table_->selectionModel()->selectedRows();
  if (rows.isEmpty()) return;  // keep the document's selection when the filter hides it
  document_->selectConnection(proxy_->mapToSource(rows.first()).row());
}

}  // namespace tlslab::gui
