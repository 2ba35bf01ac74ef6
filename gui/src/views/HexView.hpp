#pragma once
// A hex dump widget: offset column, 16 bytes of hex per line, ASCII column.
//
//   setBytes(bytes)                 what to show (copied; the view owns it)
//   setSelection(offset, length)    highlight a range and scroll to it, e.g.
//                                   a field's bytes; does not emit
//   selection()                     the highlighted range
//   bytesSelected(offset, length)   emitted when the user selects bytes with
//                                   the mouse (click, drag) or the keyboard
//                                   (arrows, Shift+arrows, Home/End, PgUp/PgDn)
//   copyAsHex() / Ctrl+C            the selected bytes (all when none) as hex
//   setToolTipProvider(f)           hovering byte n shows f(n) (e.g. its field)
//
// Offsets are indices into the shown bytes.
#include <QAbstractScrollArea>
#include <functional>

#include "tlslab/util/Bytes.hpp"

namespace tlslab::gui::views {

struct ByteRange {
  std::size_t offset = 0;
  std::size_t length = 0;
  bool empty() const { return length == 0; }
  bool operator==(const ByteRange&) const = default;
};

class HexView : public QAbstractScrollArea {
  Q_OBJECT
 public:
  static constexpr int kBytesPerLine = 16;

  explicit HexView(QWidget* parent = nullptr);

  void setBytes(ByteView bytes);
  const Bytes& bytes() const { return bytes_; }

  void setSelection(std::size_t offset, std::size_t length);
  void clearSelection();
  ByteRange selection() const;

  // Copies the selected bytes (or all) as lower-case hex without spaces.
  void copyAsHex() const;
  void copyAsText() const;
  QString selectedHex() const;

  // The byte under a viewport point, or -1 (for tests and tooltips).
  qsizetype byteAt(const QPoint& viewportPos) const;
  // Where byte `offset` is drawn in the hex column (viewport coordinates).
  QRect hexCellRect(std::size_t offset) const;

  QSize sizeHint() const override;

  void setToolTipProvider(std::function<QString(std::size_t offset)> provider) { toolTips_ = std::move(provider); }
  // What hovering byte `offset` shows: its offset and value, then the provider's text.
  QString toolTipFor(std::size_t offset) const;

 signals:
  void bytesSelected(std::size_t offset, std::size_t length);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;
  void changeEvent(QEvent* event) override;
  bool viewportEvent(QEvent* event) override;

 private:
  int lineCount() const;
  int lineHeight() const;
  int charWidth() const;
  int hexColumnX() const;
  int asciiColumnX() const;
  int hexCellX(int column) const;  // column 0..15 within a line
  void updateScrollBars();
  void ensureVisible(std::size_t offset);
  // User-driven selection from anchor to cursor (inclusive), emitted.
  void selectByUser(std::size_t anchor, std::size_t cursor);

  Bytes bytes_;
  std::size_t anchor_ = 0;  // where a drag / Shift-selection started
  std::size_t cursor_ = 0;  // the byte the keyboard moves
  ByteRange selection_;
  bool dragging_ = false;
  std::function<QString(std::size_t)> toolTips_;
};

}  // namespace tlslab::gui::views
