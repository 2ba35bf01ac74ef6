#include "views/MessageDetailView.hpp"

#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

#include "views/FieldTreeView.hpp"
#include "views/HexView.hpp"
#include "views/ViewStyle.hpp"

namespace tlslab::gui::views {

MessageDetailView::MessageDetailView(QWidget* parent)
    : QWidget(parent),
      title_(new QLabel(this)),
      diagnostics_(new QLabel(this)),
      tree_(new FieldTreeView(this)),
      hex_(new HexView(this)),
      splitter_(new QSplitter(Qt::Vertical, this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(4);
  title_->setContentsMargins(6, 4, 6, 0);
  title_->setTextFormat(Qt::RichText);
  diagnostics_->setContentsMargins(6, 0, 6, 0);
  diagnostics_->setWordWrap(true);
  diagnostics_->setTextFormat(Qt::RichText);
  diagnostics_->hide();
  splitter_->addWidget(tree_);
  splitter_->addWidget(hex_);
  splitter_->setStretchFactor(0, 3);
  splitter_->setStretchFactor(1, 2);
  splitter_->setChildrenCollapsible(false);
  layout->addWidget(title_);
  layout->addWidget(diagnostics_);
  layout->addWidget(splitter_, 1);

  connect(tree_, &FieldTreeView::fieldSelected, this, &MessageDetailView::onFieldSelected);
  connect(hex_, &HexView::bytesSelected, this, &MessageDetailView::onBytesSelected);
  // Hovering a byte teaches what it is: the deepest field's own tooltip.
  hex_->setToolTipProvider([this](std::size_t offset) {
    const QModelIndex field = tree_->fieldModel()->deepestContaining(offset, 1);
    return field.isValid() ? field.data(Qt::ToolTipRole).toString() : QString();
  });
  clear();
}

void MessageDetailView::setMessage(ByteView bytes, model::Field tree, const QString& title) {
  hex_->setBytes(bytes);
  title_->setText(title.isEmpty() ? QStringLiteral("<b>%1</b>").arg(QString::fromStdString(tree.name).toHtmlEscaped())
                                  : title);
  tree_->setField(std::move(tree));
  showDiagnostics({});
}

namespace {
QString directionText(model::Direction direction) {
  return direction == model::Direction::ClientToServer ? QObject::tr("client → server")
                                                       : QObject::tr("server → client");
}
}  // namespace

void MessageDetailView::setMessage(const model::TraceMessage& message) {
  const QString where = message.encrypted ? tr(" · decrypted") : QString();
  // The tree knows the length even when the trace left the bytes out.
  const std::size_t length = message.bytes.empty() ? message.tree.length : message.bytes.size();
  setMessage(message.bytes, message.tree,
             tr("<b>%1</b> · %2 · %3%4")
                 .arg(QString::fromStdString(message.name).toHtmlEscaped(), directionText(message.direction),
                      countText(length, tr("byte"), tr("bytes")), where));
  std::vector<model::Diagnostic> notes = message.diagnostics;
  if (message.bytes.empty() && message.tree.length > 0) {
    // Say so rather than show an empty hex pane as if the message had none.
    notes.push_back({model::Severity::Info, message.name, std::nullopt,
                     "this trace does not carry the message's bytes; the fields are shown without them"});
  }
  showDiagnostics(notes);
}

void MessageDetailView::setRecord(const model::TraceRecord& record) {
  QString phase = record.keyPhase.empty() ? QString() : tr(" · %1 keys").arg(QString::fromStdString(record.keyPhase.name()));
  setMessage(record.wire, record.header,
             tr("<b>Record %1</b> · %2 · %3 on the wire%4")
                 .arg(record.index)
                 .arg(directionText(record.direction), countText(record.wire.size(), tr("byte"), tr("bytes")), phase));
}

void MessageDetailView::clear() {
  hex_->setBytes({});
  tree_->clear();
  title_->setText(tr("<i>Select a message to see its fields and bytes.</i>"));
  showDiagnostics({});
}

bool MessageDetailView::selectField(const std::string& nameOrPath) {
  const model::Field& root = tree_->fieldModel()->root();
  const model::Field* field = root.name == nameOrPath ? &root : model::findField(root, nameOrPath);
  return field != nullptr && tree_->selectField(field);
}

void MessageDetailView::showDiagnostics(const std::vector<model::Diagnostic>& diagnostics) {
  if (diagnostics.empty()) {
    diagnostics_->hide();
    return;
  }
  QStringList lines;
  for (const model::Diagnostic& d : diagnostics) {
    QString line = QStringLiteral("⚠ <b>%1</b>").arg(QString::fromStdString(d.where).toHtmlEscaped());
    if (d.offset) line += tr(" at byte %1").arg(*d.offset);
    line += QStringLiteral(": ") + QString::fromStdString(d.message).toHtmlEscaped();
    lines << line;
  }
  const QColor colour = toneColor(Tone::Warn, palette());
  diagnostics_->setText(QStringLiteral("<span style=\"color:%1\">%2</span>").arg(colour.name(), lines.join("<br>")));
  diagnostics_->show();
}

void MessageDetailView::onFieldSelected(const model::Field* field) {
  // No current field (bytes outside every field): keep what the user selected.
  if (field != nullptr) hex_->setSelection(field->offset, field->length);
  emit fieldSelected(field);
}

void MessageDetailView::onBytesSelected(std::size_t offset, std::size_t length) {
  // The tree answers with the enclosing field, which re-highlights its bytes
  // through onFieldSelected; bytes outside every field keep the raw selection.
  if (!tree_->selectDeepest(offset, length)) tree_->selectionModel()->clearCurrentIndex();
}

}  // namespace tlslab::gui::views
