#include "views/HexView.hpp"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QHelpEvent>
#include <QScrollBar>
#include <QToolTip>

#include <algorithm>

#include "views/ViewStyle.hpp"

namespace tlslab::gui::views {

namespace {
constexpr int kMargin = 6;
constexpr int kOffsetDigits = 8;
}  // namespace

HexView::HexView(QWidget* parent) : QAbstractScrollArea(parent) {
  setFont(monospaceFont());
  setFocusPolicy(Qt::StrongFocus);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
  viewport()->setCursor(Qt::IBeamCursor);
  viewport()->setMouseTracking(false);
}

void HexView::setBytes(ByteView bytes) {
  bytes_.assign(bytes.begin(), bytes.end());
  selection_ = {};
  anchor_ = cursor_ = 0;
  verticalScrollBar()->setValue(0);
  updateScrollBars();
  viewport()->update();
}

void HexView::setSelection(std::size_t offset, std::size_t length) {
  if (offset >= bytes_.size()) {
    clearSelection();
    return;
  }
  length = std::min(length, bytes_.size() - offset);
  selection_ = {offset, length};
  // Keep the keyboard cursor (and a drag's anchor) when they are inside the
  // new range: a linked view answers a click with the enclosing field, and the
  // next arrow key must move on from where the user was, not from the
  // field's start.
  const bool cursorInside = cursor_ >= offset && cursor_ < offset + std::max<std::size_t>(length, 1);
  if (!cursorInside && !dragging_) anchor_ = cursor_ = offset;
  ensureVisible(offset + length > 0 ? offset + length - 1 : offset);
  ensureVisible(offset);  // the start wins when the range is taller than the view
  viewport()->update();
}

void HexView::clearSelection() {
  selection_ = {};
  viewport()->update();
}

ByteRange HexView::selection() const { return selection_; }

QString HexView::selectedHex() const {
  ByteView all(bytes_);
  ByteView part = selection_.empty() ? all : all.subspan(selection_.offset, selection_.length);
  return QString::fromStdString(toHex(part));
}

void HexView::copyAsHex() const { QApplication::clipboard()->setText(selectedHex()); }

void HexView::copyAsText() const {
  ByteView all(bytes_);
  ByteView part = selection_.empty() ? all : all.subspan(selection_.offset, selection_.length);
  QApplication::clipboard()->setText(asciiText(part));
}

int HexView::lineCount() const {
  return static_cast<int>((bytes_.size() + kBytesPerLine - 1) / kBytesPerLine);
}
int HexView::lineHeight() const { return fontMetrics().height() + 2; }
int HexView::charWidth() const { return fontMetrics().horizontalAdvance(QLatin1Char('0')); }
int HexView::hexColumnX() const { return kMargin + (kOffsetDigits + 2) * charWidth(); }
// Each byte takes three characters ("ab "), plus one extra after the 8th.
int HexView::hexCellX(int column) const { return hexColumnX() + (column * 3 + (column >= 8 ? 1 : 0)) * charWidth(); }
int HexView::asciiColumnX() const { return hexCellX(kBytesPerLine) + 2 * charWidth(); }

QSize HexView::sizeHint() const {
  const int width = asciiColumnX() + kBytesPerLine * charWidth() + kMargin + verticalScrollBar()->sizeHint().width();
  return {width + 2 * frameWidth(), 12 * lineHeight()};
}

QRect HexView::hexCellRect(std::size_t offset) const {
  const int line = static_cast<int>(offset / kBytesPerLine);
  const int column = static_cast<int>(offset % kBytesPerLine);
  const int y = kMargin / 2 + (line - verticalScrollBar()->value()) * lineHeight();
  return {hexCellX(column) - horizontalScrollBar()->value(), y, 2 * charWidth(), lineHeight()};
}

qsizetype HexView::byteAt(const QPoint& pos) const {
  if (bytes_.empty()) return -1;
  const int x = pos.x() + horizontalScrollBar()->value();
  const int line = (pos.y() - kMargin / 2) / lineHeight() + verticalScrollBar()->value();
  if (pos.y() < kMargin / 2 || line >= lineCount()) return -1;
  int column = -1;
  if (x >= asciiColumnX()) {
    column = (x - asciiColumnX()) / charWidth();
  } else if (x >= hexColumnX()) {
    // Nearest cell whose start is left of x: the gap after a byte belongs to it.
    for (int c = kBytesPerLine - 1; c >= 0; --c) {
      if (x >= hexCellX(c)) {
        column = c;
        break;
      }
    }
  }
  if (column < 0 || column >= kBytesPerLine) return -1;
  const auto offset = static_cast<std::size_t>(line) * kBytesPerLine + static_cast<std::size_t>(column);
  return offset < bytes_.size() ? static_cast<qsizetype>(offset) : -1;
}

void HexView::updateScrollBars() {
  const int visibleLines = std::max(1, viewport()->height() / lineHeight());
  verticalScrollBar()->setRange(0, std::max(0, lineCount() - visibleLines + 1));
  verticalScrollBar()->setPageStep(visibleLines);
  const int contentWidth = asciiColumnX() + kBytesPerLine * charWidth() + kMargin;
  horizontalScrollBar()->setRange(0, std::max(0, contentWidth - viewport()->width()));
  horizontalScrollBar()->setPageStep(viewport()->width());
}

void HexView::ensureVisible(std::size_t offset) {
  const int line = static_cast<int>(offset / kBytesPerLine);
  const int visibleLines = std::max(1, viewport()->height() / lineHeight() - 1);
  QScrollBar* bar = verticalScrollBar();
  if (line < bar->value()) bar->setValue(line);
  else if (line >= bar->value() + visibleLines) bar->setValue(line - visibleLines + 1);
}

void HexView::resizeEvent(QResizeEvent* event) {
  QAbstractScrollArea::resizeEvent(event);
  updateScrollBars();
}

void HexView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange) {
    updateScrollBars();
    viewport()->update();
  }
  QAbstractScrollArea::changeEvent(event);
}

void HexView::paintEvent(QPaintEvent*) {
  QPainter painter(viewport());
  const QPalette& pal = palette();
  painter.fillRect(viewport()->rect(), pal.color(QPalette::Base));
  painter.translate(-horizontalScrollBar()->value(), 0);
  const int lh = lineHeight();
  const int cw = charWidth();
  const int ascent = fontMetrics().ascent();
  const int first = verticalScrollBar()->value();
  const int last = std::min(lineCount(), first + viewport()->height() / lh + 2);

  // The offset gutter is shaded so it reads as a ruler, not as data.
  const QColor gutter = pal.color(QPalette::AlternateBase);
  if (!bytes_.empty()) painter.fillRect(QRect(0, 0, hexColumnX() - cw, viewport()->height()), gutter);
  const QColor dim = pal.color(QPalette::PlaceholderText);
  const QColor text = pal.color(QPalette::Text);
  const QColor selBg = hasFocus() ? pal.color(QPalette::Highlight)
                                  : pal.color(QPalette::Inactive, QPalette::Highlight);
  const QColor selFg = pal.color(QPalette::HighlightedText);
  const std::size_t selEnd = selection_.offset + selection_.length;

  for (int line = first; line < last; ++line) {
    const int y = kMargin / 2 + (line - first) * lh;
    const int baseline = y + ascent + 1;
    const auto lineStart = static_cast<std::size_t>(line) * kBytesPerLine;
    painter.setPen(dim);
    painter.drawText(kMargin, baseline, QStringLiteral("%1").arg(lineStart, kOffsetDigits, 16, QLatin1Char('0')));
    for (int c = 0; c < kBytesPerLine; ++c) {
      const std::size_t offset = lineStart + static_cast<std::size_t>(c);
      if (offset >= bytes_.size()) break;
      const std::uint8_t b = bytes_[offset];
      const bool selected = !selection_.empty() && offset >= selection_.offset && offset < selEnd;
      const int hx = hexCellX(c);
      const int ax = asciiColumnX() + c * cw;
      if (selected) {
        // Extend the hex highlight over the gap when the next byte is selected
        // too, so a field reads as one block.
        const bool nextSelected = offset + 1 < selEnd && c + 1 < kBytesPerLine;
        const int width = nextSelected ? hexCellX(c + 1) - hx : 2 * cw;
        painter.fillRect(QRect(hx, y, width, lh), selBg);
        painter.fillRect(QRect(ax, y, cw, lh), selBg);
      }
      if (offset == cursor_ && hasFocus()) {
        painter.setPen(selected ? selFg : text);
        painter.drawRect(QRect(hx - 1, y, 2 * cw + 1, lh - 1));
      }
      painter.setPen(selected ? selFg : (b == 0 ? dim : text));
      painter.drawText(hx, baseline, hexText(ByteView(&b, 1)));
      const bool printable = b >= 0x20 && b < 0x7f;
      if (!selected) painter.setPen(printable ? text : dim);
      painter.drawText(ax, baseline, QString(printable ? QLatin1Char(static_cast<char>(b)) : QLatin1Char('.')));
    }
  }
  if (bytes_.empty()) {
    painter.setPen(dim);
    painter.drawText(viewport()->rect().adjusted(kMargin, kMargin, 0, 0), Qt::AlignLeft | Qt::AlignTop,
                     tr("No bytes to show"));
  }
}

void HexView::selectByUser(std::size_t anchor, std::size_t cursor) {
  anchor_ = anchor;
  cursor_ = cursor;
  const std::size_t lo = std::min(anchor, cursor);
  const std::size_t hi = std::max(anchor, cursor);
  selection_ = {lo, hi - lo + 1};
  ensureVisible(cursor);
  viewport()->update();
  emit bytesSelected(selection_.offset, selection_.length);
}

void HexView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return QAbstractScrollArea::mousePressEvent(event);
  const qsizetype at = byteAt(event->position().toPoint());
  if (at < 0) return;
  const auto offset = static_cast<std::size_t>(at);
  dragging_ = true;
  if (event->modifiers() & Qt::ShiftModifier) selectByUser(anchor_, offset);
  else selectByUser(offset, offset);
}

void HexView::mouseMoveEvent(QMouseEvent* event) {
  if (!dragging_) return;
  const qsizetype at = byteAt(event->position().toPoint());
  if (at < 0 || static_cast<std::size_t>(at) == cursor_) return;
  selectByUser(anchor_, static_cast<std::size_t>(at));
}

void HexView::mouseReleaseEvent(QMouseEvent*) { dragging_ = false; }

void HexView::keyPressEvent(QKeyEvent* event) {
  if (event->matches(QKeySequence::Copy)) {
    copyAsHex();
    return;
  }
  if (bytes_.empty()) return QAbstractScrollArea::keyPressEvent(event);
  const auto last = static_cast<std::int64_t>(bytes_.size()) - 1;
  auto target = static_cast<std::int64_t>(cursor_);
  const std::int64_t page = std::int64_t{kBytesPerLine} * std::max(1, verticalScrollBar()->pageStep() - 1);
  switch (event->key()) {
    case Qt::Key_Left: target -= 1; break;
    case Qt::Key_Right: target += 1; break;
    case Qt::Key_Up: target -= kBytesPerLine; break;
    case Qt::Key_Down: target += kBytesPerLine; break;
    case Qt::Key_PageUp: target -= page; break;
    case Qt::Key_PageDown: target += page; break;
    case Qt::Key_Home:
      target = (event->modifiers() & Qt::ControlModifier) ? 0 : target - target % kBytesPerLine;
      break;
    case Qt::Key_End:
      target = (event->modifiers() & Qt::ControlModifier) ? last : target - target % kBytesPerLine + kBytesPerLine - 1;
      break;
    default: return QAbstractScrollArea::keyPressEvent(event);
  }
  const auto offset = static_cast<std::size_t>(std::clamp<std::int64_t>(target, 0, last));
  if (event->modifiers() & Qt::ShiftModifier) selectByUser(anchor_, offset);
  else selectByUser(offset, offset);
}

QString HexView::toolTipFor(std::size_t offset) const {
  if (offset >= bytes_.size()) return {};
  const std::uint8_t b = bytes_[offset];
  QString tip = tr("byte %1 (0x%2) = 0x%3 = %4").arg(offset).arg(offset, 0, 16).arg(b, 2, 16, QLatin1Char('0')).arg(b);
  if (toolTips_) {
    const QString more = toolTips_(offset);
    if (!more.isEmpty()) tip = more + QStringLiteral("<hr>") + tip;
  }
  return tip;
}

bool HexView::viewportEvent(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const qsizetype at = byteAt(help->pos());
    if (at < 0) QToolTip::hideText();
    else QToolTip::showText(help->globalPos(), toolTipFor(static_cast<std::size_t>(at)), viewport());
    return true;
  }
  return QAbstractScrollArea::viewportEvent(event);
}

void HexView::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  const QString what = selection_.empty() ? tr("all") : countText(selection_.length, tr("byte"), tr("bytes"));
  menu.addAction(tr("Copy as hex (%1)").arg(what), this, &HexView::copyAsHex)->setShortcut(QKeySequence::Copy);
  menu.addAction(tr("Copy as text (%1)").arg(what), this, &HexView::copyAsText);
  menu.addSeparator();
  menu.addAction(tr("Select all"), this, [this] {
    if (!bytes_.empty()) selectByUser(0, bytes_.size() - 1);
  });
  menu.exec(event->globalPos());
}

}  // namespace tlslab::gui::views
