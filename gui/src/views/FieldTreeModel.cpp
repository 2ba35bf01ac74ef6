#include "views/FieldTreeModel.hpp"

#include <QApplication>
#include <QPalette>
#include <QStyle>

#include "views/ViewStyle.hpp"

namespace tlslab::gui::views {

FieldTreeModel::FieldTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

void FieldTreeModel::setRoot(model::Field root, bool showRoot) {
  beginResetModel();
  root_ = std::move(root);
  showRoot_ = showRoot;
  empty_ = false;
  places_.clear();
  // Pointers into root_ stay valid until the next reset: the tree is not
  // modified in between.
  if (showRoot_) {
    addPlaces(root_, nullptr, 0);
  } else {
    for (std::size_t i = 0; i < root_.children.size(); ++i) addPlaces(root_.children[i], nullptr, static_cast<int>(i));
  }
  endResetModel();
}

void FieldTreeModel::clear() {
  beginResetModel();
  root_ = {};
  empty_ = true;
  places_.clear();
  endResetModel();
}

void FieldTreeModel::addPlaces(const model::Field& node, const model::Field* parent, int row) {
  places_[&node] = {parent, row};
  for (std::size_t i = 0; i < node.children.size(); ++i) addPlaces(node.children[i], &node, static_cast<int>(i));
}

const model::Field* FieldTreeModel::childOf(const model::Field* parent, int row) const {
  if (row < 0) return nullptr;
  const auto r = static_cast<std::size_t>(row);
  if (parent == nullptr) {
    if (empty_) return nullptr;
    if (showRoot_) return row == 0 ? &root_ : nullptr;
    return r < root_.children.size() ? &root_.children[r] : nullptr;
  }
  return r < parent->children.size() ? &parent->children[r] : nullptr;
}

const model::Field* FieldTreeModel::fieldAt(const QModelIndex& index) const {
  if (!index.isValid() || index.model() != this) return nullptr;
  return static_cast<const model::Field*>(index.internalPointer());
}

QModelIndex FieldTreeModel::indexOf(const model::Field* field, int column) const {
  auto it = places_.find(field);
  if (it == places_.end()) return {};
  return createIndex(it->second.row, column, const_cast<model::Field*>(field));
}

QModelIndex FieldTreeModel::deepestContaining(std::size_t offset, std::size_t length) const {
  const std::size_t end = offset + std::max<std::size_t>(length, 1);
  auto contains = [&](const model::Field& f) { return f.length > 0 && f.offset <= offset && end <= f.offset + f.length; };
  const model::Field* best = nullptr;
  // Descend while a child still contains the range; siblings may overlap in
  // odd trees, so take the first containing child at each level.
  const std::vector<model::Field>* level = nullptr;
  if (empty_) return {};
  if (showRoot_) {
    if (!contains(root_)) return {};
    best = &root_;
    level = &root_.children;
  } else {
    level = &root_.children;
  }
  bool descended = true;
  while (descended) {
    descended = false;
    for (const model::Field& child : *level) {
      if (contains(child)) {
        best = &child;
        level = &child.children;
        descended = true;
        break;
      }
    }
  }
  return best != nullptr ? indexOf(best) : QModelIndex{};
}

QModelIndex FieldTreeModel::index(int row, int column, const QModelIndex& parent) const {
  if (column < 0 || column >= ColumnCount) return {};
  if (parent.isValid() && parent.column() != 0) return {};
  const model::Field* child = childOf(fieldAt(parent), row);
  if (child == nullptr) return {};
  return createIndex(row, column, const_cast<model::Field*>(child));
}

QModelIndex FieldTreeModel::parent(const QModelIndex& child) const {
  const model::Field* field = fieldAt(child);
  if (field == nullptr) return {};
  auto it = places_.find(field);
  if (it == places_.end() || it->second.parent == nullptr) return {};
  return indexOf(it->second.parent);
}

int FieldTreeModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() && parent.column() != 0) return 0;
  const model::Field* field = fieldAt(parent);
  if (field == nullptr) {
    if (empty_) return 0;
    return showRoot_ ? 1 : static_cast<int>(root_.children.size());
  }
  return static_cast<int>(field->children.size());
}

int FieldTreeModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant FieldTreeModel::data(const QModelIndex& index, int role) const {
  const model::Field* f = fieldAt(index);
  if (f == nullptr) return {};
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case NameColumn: return QString::fromStdString(f->name);
        case ValueColumn: return QString::fromStdString(f->value);
        case MeaningColumn: return QString::fromStdString(f->meaning.str());
        case RfcColumn: return QString::fromStdString(f->rfc.str());
        default: return {};
      }
    case Qt::ToolTipRole: {
      // Hovering a field teaches: what it means, where it is, where it is specified.
      QString tip = QStringLiteral("<b>%1</b>").arg(QString::fromStdString(f->name).toHtmlEscaped());
      if (!f->meaning.empty()) tip += QStringLiteral("<br>%1").arg(QString::fromStdString(f->meaning.str()).toHtmlEscaped());
      tip += tr("<br>bytes %1..%2 (%3)")
                 .arg(f->offset)
                 .arg(f->length > 0 ? f->offset + f->length - 1 : f->offset)
                 .arg(countText(f->length, tr("byte"), tr("bytes")));
      if (!f->rfc.empty()) tip += QStringLiteral("<br><i>%1</i>").arg(QString::fromStdString(f->rfc.str()).toHtmlEscaped());
      if (f->diagnostic)
        tip += tr("<br><b>%1:</b> %2")
                   .arg(f->malformed ? tr("Malformed") : QString::fromUtf8(model::severityName(f->diagnostic->severity)),
                        QString::fromStdString(f->diagnostic->message).toHtmlEscaped());
      else if (f->malformed)
        tip += tr("<br><b>Malformed:</b> see the diagnostics");
      return tip;
    }
    case Qt::ForegroundRole:
      if (f->malformed) return toneColor(Tone::Bad, QApplication::palette());
      if (index.column() == RfcColumn || index.column() == MeaningColumn)
        return QApplication::palette().color(QPalette::PlaceholderText);
      return {};
    case Qt::DecorationRole:
      if (f->malformed && index.column() == NameColumn)
        return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
      return {};
    case OffsetRole: return QVariant::fromValue<qulonglong>(f->offset);
    case LengthRole: return QVariant::fromValue<qulonglong>(f->length);
    case MalformedRole: return f->malformed;
    default: return {};
  }
}

QVariant FieldTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case NameColumn: return tr("Field");
    case ValueColumn: return tr("Value");
    case MeaningColumn: return tr("Meaning");
    case RfcColumn: return tr("RFC");
    default: return {};
  }
}

}  // namespace tlslab::gui::views
