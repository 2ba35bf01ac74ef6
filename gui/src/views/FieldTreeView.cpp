#include "views/FieldTreeView.hpp"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QHeaderView>
#include <QKeyEvent>
#include <QMenu>

namespace tlslab::gui::views {

FieldTreeView::FieldTreeView(QWidget* parent) : QTreeView(parent), model_(new FieldTreeModel(this)) {
  setModel(model_);
  setUniformRowHeights(true);
  setAlternatingRowColors(true);
  setSelectionBehavior(QAbstractItemView::SelectRows);
  setSelectionMode(QAbstractItemView::SingleSelection);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setAllColumnsShowFocus(true);
  header()->setStretchLastSection(false);
  header()->setSectionResizeMode(FieldTreeModel::MeaningColumn, QHeaderView::Stretch);
  connect(selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) { emit fieldSelected(model_->fieldAt(current)); });
}

void FieldTreeView::setField(model::Field tree, bool showRoot) {
  model_->setRoot(std::move(tree), showRoot);
  // Two levels open: the message and its top-level fields; deeper structure
  // (extensions' insides) unfolds on demand so the first screen stays calm.
  expandToDepth(showRoot ? 1 : 0);
  resizeColumnToContents(FieldTreeModel::NameColumn);
  setColumnWidth(FieldTreeModel::NameColumn, std::min(columnWidth(FieldTreeModel::NameColumn) + 16, 320));
  setColumnWidth(FieldTreeModel::ValueColumn, 260);
  resizeColumnToContents(FieldTreeModel::RfcColumn);
}

void FieldTreeView::clear() { model_->clear(); }

bool FieldTreeView::selectField(const model::Field* field) {
  const QModelIndex index = model_->indexOf(field);
  if (!index.isValid()) return false;
  scrollTo(index);
  selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  return true;
}

bool FieldTreeView::selectDeepest(std::size_t offset, std::size_t length) {
  return selectField(model_->fieldAt(model_->deepestContaining(offset, length)));
}

const model::Field* FieldTreeView::currentField() const { return model_->fieldAt(currentIndex()); }

void FieldTreeView::copyCurrent(int column) const {
  const QModelIndex index = currentIndex().siblingAtColumn(column);
  QApplication::clipboard()->setText(index.data().toString());
}

void FieldTreeView::keyPressEvent(QKeyEvent* event) {
  if (event->matches(QKeySequence::Copy) && currentField() != nullptr) {
    const model::Field* f = currentField();
    QApplication::clipboard()->setText(QString::fromStdString(f->name + ": " + f->value));
    return;
  }
  QTreeView::keyPressEvent(event);
}

void FieldTreeView::contextMenuEvent(QContextMenuEvent* event) {
  if (!currentIndex().isValid()) return;
  QMenu menu(this);
  menu.addAction(tr("Copy field name"), this, [this] { copyCurrent(FieldTreeModel::NameColumn); });
  menu.addAction(tr("Copy value"), this, [this] { copyCurrent(FieldTreeModel::ValueColumn); });
  menu.addAction(tr("Copy meaning"), this, [this] { copyCurrent(FieldTreeModel::MeaningColumn); });
  menu.addSeparator();
  menu.addAction(tr("Expand subtree"), this, [this] { expandRecursively(currentIndex()); });
  menu.addAction(tr("Collapse all"), this, &QTreeView::collapseAll);
  menu.exec(event->globalPos());
}

}  // namespace tlslab::gui::views
