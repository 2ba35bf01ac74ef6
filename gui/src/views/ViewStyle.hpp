#pragma once
// Shared look of the detail views: monospace font, hex text, colours that
// work on light and dark palettes, and a selectable, copyable value label.
// Nothing here knows TLS; it only formats bytes the core already produced.
#include <QColor>
#include <QFont>
#include <QLabel>
#include <QString>

#include "tlslab/util/Bytes.hpp"

namespace tlslab::gui::views {

QFont monospaceFont();

// "16 03 01 00 f8", grouped for reading; `groupEvery` puts a wider gap
// every n bytes (0 = never).
QString hexText(ByteView bytes, int groupEvery = 8);
// Printable ASCII with '.' for anything else, as in a hex dump.
QString asciiText(ByteView bytes);
// "1 byte", "3 bytes": English plurals without a translator installed.
QString countText(std::size_t n, const QString& one, const QString& many);

// Semantic colours, tuned for contrast on either palette.
enum class Tone { Good, Bad, Warn, Neutral, Info };
QColor toneColor(Tone tone, const QPalette& palette);
// Rounded badge ("✓ verified") as rich text, for QLabels.
QString badgeHtml(const QString& text, Tone tone, const QPalette& palette);

// A monospace value a learner will want to copy: selectable with the mouse,
// Ctrl+C or the context menu copies the whole value (not just what is
// visible), word-wrapped so long secrets do not widen the view.
class ValueLabel : public QLabel {
  Q_OBJECT
 public:
  explicit ValueLabel(QWidget* parent = nullptr);
  // Shows the bytes as grouped hex; copies them as plain hex.
  void setBytes(ByteView bytes);
  // Shows and copies arbitrary text.
  void setValue(const QString& shown, const QString& copied);
  QString copyText() const { return copyText_; }
  void copyToClipboard() const;

 protected:
  void contextMenuEvent(QContextMenuEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;

 private:
  QString copyText_;
};

}  // namespace tlslab::gui::views
