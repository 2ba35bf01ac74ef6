#pragma once
// A tree of a message's fields (FieldTreeModel): name, value, meaning, RFC.
//
//   setField(tree)               shows a field tree (expanded two levels)
//   selectField(field)           selects a node of the shown tree
//   selectDeepest(offset, len)   selects the deepest field containing a byte range
//   Ctrl+C                       copies "name: value" of the current field
//   fieldSelected(field)         emitted whenever the current field changes
//                                (by the user or by the calls above); the
//                                pointer is valid until the next setField
#include <QTreeView>

#include "tlslab/model/Field.hpp"
#include "views/FieldTreeModel.hpp"

namespace tlslab::gui::views {

class FieldTreeView : public QTreeView {
  Q_OBJECT
 public:
  explicit FieldTreeView(QWidget* parent = nullptr);

  void setField(model::Field tree, bool showRoot = true);
  void clear();
  FieldTreeModel* fieldModel() const { return model_; }

  bool selectField(const model::Field* field);
  bool selectDeepest(std::size_t offset, std::size_t length);
  const model::Field* currentField() const;

 signals:
  void fieldSelected(const tlslab::model::Field* field);

 protected:
  void contextMenuEvent(QContextMenuEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;

 private:
  void copyCurrent(int column) const;

  FieldTreeModel* model_;
};

}  // namespace tlslab::gui::views
