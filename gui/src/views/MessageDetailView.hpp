#pragma once
// Message detail: a field tree above a hex view of the same bytes, linked
// both ways (Wireshark's packet details + bytes panes).
//
//   setMessage(bytes, tree)     any unit whose tree offsets are relative to bytes
//   setMessage(TraceMessage)    a handshake message / alert / CCS of a Trace
//   setRecord(TraceRecord)      a record's wire bytes with its header tree
//   selectField("path/name")    selects a field by name or path (model::findField)
//
// Selecting a field highlights its bytes; selecting bytes (mouse or keys)
// selects the deepest field containing them, and then highlights that whole
// field. fieldSelected is emitted for either direction.
#include <QWidget>

#include "tlslab/model/Field.hpp"
#include "tlslab/model/Trace.hpp"

class QLabel;
class QSplitter;

namespace tlslab::gui::views {

class FieldTreeView;
class HexView;

class MessageDetailView : public QWidget {
  Q_OBJECT
 public:
  explicit MessageDetailView(QWidget* parent = nullptr);

  void setMessage(ByteView bytes, model::Field tree, const QString& title = {});
  void setMessage(const model::TraceMessage& message);
  void setRecord(const model::TraceRecord& record);
  void clear();

  bool selectField(const std::string& nameOrPath);

  FieldTreeView* treeView() const { return tree_; }
  HexView* hexView() const { return hex_; }

 signals:
  void fieldSelected(const tlslab::model::Field* field);

 private:
  void showDiagnostics(const std::vector<model::Diagnostic>& diagnostics);
  void onFieldSelected(const model::Field* field);
  void onBytesSelected(std::size_t offset, std::size_t length);

  QLabel* title_;
  QLabel* diagnostics_;
  FieldTreeView* tree_;
  HexView* hex_;
  QSplitter* splitter_;
};

}  // namespace tlslab::gui::views
