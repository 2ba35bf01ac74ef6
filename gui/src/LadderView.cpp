#include "LadderView.hpp"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

#include "TraceDocument.hpp"

namespace tlslab::gui {

namespace {

constexpr double kGutter = 86;      // time column
constexpr double kRttColumn = 52;   // round-trip brackets
constexpr double kLaneBox = 190;    // width of a lane's title box
constexpr double kSideMargin = kLaneBox / 2 + 10;  // beyond the outer lifelines
constexpr double kMinZoom = 0.25, kMaxZoom = 6.0;

bool isDark(const QPalette& palette) { return palette.color(QPalette::Base).lightness() < 128; }

// Secondary text (times, sizes, addresses): between text and background, so
// it reads on any palette, whatever the theme says about placeholders.
QColor muted(const QPalette& palette) {
  const QColor t = palette.color(QPalette::Text), b = palette.color(QPalette::Base);
  return QColor((t.red() * 3 + b.red() * 2) / 5, (t.green() * 3 + b.green() * 2) / 5, (t.blue() * 3 + b.blue() * 2) / 5);
}

// One colour per kind of record, chosen to read on light and dark palettes.
QColor arrowColor(ArrowKind kind, const QPalette& palette) {
  const bool dark = isDark(palette);
  switch (kind) {
    case ArrowKind::Handshake: return dark ? QColor(0x6c, 0xa8, 0xff) : QColor(0x1a, 0x5f, 0xd0);
    case ArrowKind::EncryptedHandshake: return dark ? QColor(0xc0, 0x8c, 0xff) : QColor(0x7b, 0x3f, 0xd6);
    case ArrowKind::ChangeCipherSpec: return dark ? QColor(0xf0, 0xb0, 0x60) : QColor(0xb8, 0x6a, 0x00);
    case ArrowKind::ApplicationData: return dark ? QColor(0x6e, 0xd6, 0x8c) : QColor(0x1b, 0x8a, 0x3e);
    case ArrowKind::Alert: return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xd0, 0x1f, 0x1f);
    case ArrowKind::Opaque:
    default: return dark ? QColor(0x9a, 0x9a, 0xa6) : QColor(0x77, 0x77, 0x84);
  }
}

// A key-schedule node's marks: amber for the messages it hashes, teal for the
// records its key protects (the same colours as in the key schedule view).
QColor markColor(ArrowMark mark, const QPalette& palette) {
  const bool dark = isDark(palette);
  if (mark == ArrowMark::Protected) return dark ? QColor(0x4f, 0xd1, 0xc0) : QColor(0x0f, 0x8f, 0x80);
  return dark ? QColor(0xf0, 0xc0, 0x50) : QColor(0xd0, 0x90, 0x00);
}

QColor laneColor(int lane, int lanes, const QPalette& palette) {
  // A man in the middle gets its own colour: the lesson is who sits where.
  const bool dark = isDark(palette);
  if (lanes == 3 && lane == 1) return dark ? QColor(0x7a, 0x2e, 0x2e) : QColor(0xfb, 0xe3, 0xe1);
  return dark ? QColor(0x2e, 0x3a, 0x4f) : QColor(0xe3, 0xec, 0xfa);
}

// A small padlock: encrypted records carry it next to their key phase.
void drawLock(QPainter& p, QPointF centre, double size, const QColor& color) {
  p.save();
  p.setRenderHint(QPainter::Antialiasing);
  QRectF body(centre.x() - size / 2, centre.y() - size * 0.1, size, size * 0.6);
  QRectF shackle(centre.x() - size * 0.3, centre.y() - size * 0.55, size * 0.6, size * 0.8);
  p.setPen(QPen(color, std::max(1.2, size / 7)));
  p.setBrush(Qt::NoBrush);
  p.drawArc(shackle, 0, 180 * 16);
  p.setPen(Qt::NoPen);
  p.setBrush(color);
  p.drawRoundedRect(body, size * 0.12, size * 0.12);
  p.restore();
}

QString timeText(double seconds) {
  if (seconds < 1) return QStringLiteral("%1 ms").arg(seconds * 1000, 0, 'f', 3);
  return QStringLiteral("%1 s").arg(seconds, 0, 'f', 3);
}

}  // namespace

LadderView::LadderView(TraceDocument* document, QWidget* parent) : QAbstractScrollArea(parent), document_(document) {
  setFocusPolicy(Qt::StrongFocus);
  viewport()->setMouseTracking(true);
  viewport()->setBackgroundRole(QPalette::Base);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setToolTip(tr("Click an arrow to inspect its record, a message name to inspect that message; "
                "↑/↓ move between records, ←/→ between messages, Ctrl+wheel or +/− zoom"));
  connect(document_, &TraceDocument::traceChanged, this, &LadderView::rebuild);
  connect(document_, &TraceDocument::connectionSelected, this, &LadderView::onConnectionSelected);
  connect(document_, &TraceDocument::recordSelected, this, &LadderView::onRecordSelected);
  connect(document_, &TraceDocument::messageSelected, viewport(), qOverload<>(&QWidget::update));
  connect(document_, &TraceDocument::marksChanged, this, &LadderView::onMarksChanged);
  connect(verticalScrollBar(), &QScrollBar::valueChanged, viewport(), qOverload<>(&QWidget::update));
  rebuild();
}

void LadderView::rebuild() {
  const int connection = document_->connection();
  layout_ = connection < 0 ? LadderLayout{} : layoutLadder(document_->trace(), connection, axis_);
  selected_ = layout_.find(connection, document_->record());
  hover_ = -1;
  updateScrollBar();
  viewport()->update();
  emit layoutChanged();
}

void LadderView::onConnectionSelected(int connection) {
  // The other leg of a man in the middle is already on screen: keep the view.
  for (const auto& a : layout_.arrows)
    if (a.connection == connection) return;
  rebuild();
}

void LadderView::onRecordSelected(int connection, int record) {
  int arrow = layout_.find(connection, record);
  if (arrow == selected_) return;
  selected_ = arrow;
  if (arrow >= 0) ensureVisible(arrow);
  viewport()->update();
}

ArrowMark LadderView::markOf(int arrow) const {
  if (arrow < 0 || arrow >= static_cast<int>(layout_.arrows.size())) return ArrowMark::None;
  return arrowMark(layout_.arrows[static_cast<std::size_t>(arrow)], document_->marks());
}

void LadderView::onMarksChanged() {
  // Bring the first marked record into view: the student just asked where it is.
  for (int i = 0; i < static_cast<int>(layout_.arrows.size()); ++i) {
    if (markOf(i) == ArrowMark::None) continue;
    ensureVisible(i);
    break;
  }
  viewport()->update();
}

void LadderView::setTimeAxis(TimeAxis axis) {
  if (axis == axis_) return;
  axis_ = axis;
  rebuild();
  if (selected_ >= 0) ensureVisible(selected_);
}

void LadderView::setZoom(double zoom) {
  zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
  if (std::abs(zoom - zoom_) < 1e-9) return;
  // Keep the row under the middle of the viewport where it is.
  const double middle = (viewport()->height() / 2.0 - rowTop()) / zoom_;
  zoom_ = zoom;
  updateScrollBar();
  verticalScrollBar()->setValue(static_cast<int>(headerHeight() + middle * zoom_ - viewport()->height() / 2.0));
  viewport()->update();
}

double LadderView::headerHeight() const { return fontMetrics().height() * 3.2 + 16; }

double LadderView::rowTop() const { return headerHeight() + 8 - verticalScrollBar()->value(); }

double LadderView::laneX(int lane) const {
  const double left = kGutter + kRttColumn + kSideMargin;
  const double right = std::max(left + 240.0, viewport()->width() - kSideMargin);
  const int lanes = static_cast<int>(layout_.lanes.size());
  if (lanes < 2) return left;
  return left + (right - left) * lane / (lanes - 1);
}

void LadderView::updateScrollBar() {
  const double content = headerHeight() + 8 + layout_.height * zoom_ + 24;
  const int range = std::max(0, static_cast<int>(std::ceil(content - viewport()->height())));
  verticalScrollBar()->setRange(0, range);
  verticalScrollBar()->setPageStep(viewport()->height());
  verticalScrollBar()->setSingleStep(std::max(4, static_cast<int>(layout_.rowHeight * zoom_ / 2)));
}

void LadderView::scrollToSelection() { ensureVisible(selected_, true); }

void LadderView::ensureVisible(int arrow, bool always) {
  if (arrow < 0 || arrow >= static_cast<int>(layout_.arrows.size())) return;
  const double y = screenY(layout_.arrows[static_cast<std::size_t>(arrow)]);
  const double margin = layout_.rowHeight * zoom_;
  const double top = headerHeight() + margin, bottom = viewport()->height() - margin;
  // Out of view: bring it to a third of the height, with context below it.
  if (!always && y >= top && y <= bottom) return;
  const double target = headerHeight() + (viewport()->height() - headerHeight()) / 3.0;
  auto* bar = verticalScrollBar();
  bar->setValue(bar->value() + static_cast<int>(y - target));
}

QPoint LadderView::arrowPoint(int arrow) {
  if (arrow < 0 || arrow >= static_cast<int>(layout_.arrows.size())) return {};
  ensureVisible(arrow);
  const auto& a = layout_.arrows[static_cast<std::size_t>(arrow)];
  return QPointF((laneX(a.fromLane) + laneX(a.toLane)) / 2, screenY(a)).toPoint();
}

QFont LadderView::labelFont(int arrow) const {
  QFont f = font();
  if (layout_.arrows[static_cast<std::size_t>(arrow)].kind == ArrowKind::Alert || arrow == selected_) f.setBold(true);
  return f;
}

QRectF LadderView::labelBox(int arrow) const {
  const auto& a = layout_.arrows[static_cast<std::size_t>(arrow)];
  const double x1 = laneX(a.fromLane), x2 = laneX(a.toLane);
  const double height = QFontMetricsF(labelFont(arrow)).height();
  return QRectF(std::min(x1, x2) + 12, screenY(a) - height - 3, std::abs(x2 - x1) - 24, height);
}

std::vector<QRectF> LadderView::labelParts(int arrow) const {
  const auto& a = layout_.arrows[static_cast<std::size_t>(arrow)];
  const QFontMetricsF fm(labelFont(arrow));
  const QRectF box = labelBox(arrow);
  const double full = fm.horizontalAdvance(a.label);
  // Centred when it fits; elided on the right when it does not.
  const double left = full <= box.width() ? box.center().x() - full / 2 : box.left();
  const double visibleRight = full <= box.width() ? left + full : box.right() - fm.horizontalAdvance(QStringLiteral("…"));
  std::vector<QRectF> parts;
  QString prefix;
  for (const QString& part : a.parts) {
    const double x0 = left + fm.horizontalAdvance(prefix);
    const double x1 = x0 + fm.horizontalAdvance(part);
    parts.push_back(x1 <= visibleRight ? QRectF(x0, box.top(), x1 - x0, box.height()) : QRectF());
    prefix += part + QStringLiteral(", ");
  }
  return parts;
}

QPoint LadderView::messagePoint(int arrow, int part) {
  if (arrow < 0 || arrow >= static_cast<int>(layout_.arrows.size())) return {};
  ensureVisible(arrow);
  const auto parts = labelParts(arrow);
  if (part < 0 || part >= static_cast<int>(parts.size()) || parts[static_cast<std::size_t>(part)].isEmpty()) return {};
  return parts[static_cast<std::size_t>(part)].center().toPoint();
}

int LadderView::arrowAt(QPoint pos) const {
  if (pos.y() < headerHeight() || layout_.empty()) return -1;
  return layout_.arrowAtY((pos.y() - rowTop()) / zoom_);
}

void LadderView::selectArrow(int arrow) {
  if (arrow < 0 || arrow >= static_cast<int>(layout_.arrows.size())) return;
  const auto& a = layout_.arrows[static_cast<std::size_t>(arrow)];
  selected_ = arrow;
  ensureVisible(arrow);
  viewport()->update();
  document_->selectRecord(a.connection, a.record);
}

void LadderView::step(int delta) {
  if (layout_.empty()) return;
  const int last = static_cast<int>(layout_.arrows.size()) - 1;
  selectArrow(selected_ < 0 ? (delta > 0 ? 0 : last) : std::clamp(selected_ + delta, 0, last));
}

void LadderView::stepMessage(int delta) {
  if (selected_ < 0) return step(delta);
  const auto& a = layout_.arrows[static_cast<std::size_t>(selected_)];
  const auto current = std::find(a.messages.begin(), a.messages.end(), document_->message());
  const auto at = current == a.messages.end() ? -1 : static_cast<int>(current - a.messages.begin());
  const int next = at + delta;
  if (at >= 0 && next >= 0 && next < static_cast<int>(a.messages.size())) {
    document_->selectMessage(a.connection, a.messages[static_cast<std::size_t>(next)]);
    viewport()->update();
    return;
  }
  const int before = selected_;
  step(delta);
  if (selected_ == before) return;
  // Entering a record backwards lands on its last message.
  const auto& entered = layout_.arrows[static_cast<std::size_t>(selected_)];
  if (delta < 0 && entered.messages.size() > 1) document_->selectMessage(entered.connection, entered.messages.back());
}

void LadderView::resizeEvent(QResizeEvent* event) {
  QAbstractScrollArea::resizeEvent(event);
  updateScrollBar();
}

void LadderView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return QAbstractScrollArea::mousePressEvent(event);
  setFocus(Qt::MouseFocusReason);
  const int arrow = arrowAt(event->position().toPoint());
  if (arrow < 0) return;
  // Hit-test the label before selecting: selection makes it bold and wider.
  const auto parts = labelParts(arrow);
  const auto& a = layout_.arrows[static_cast<std::size_t>(arrow)];
  selectArrow(arrow);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!parts[i].adjusted(-3, -4, 3, 4).contains(event->position())) continue;
    document_->selectMessage(a.connection, a.messages[i]);
    viewport()->update();
  }
}

void LadderView::mouseMoveEvent(QMouseEvent* event) {
  const int arrow = arrowAt(event->position().toPoint());
  if (arrow != hover_) {
    hover_ = arrow;
    viewport()->setCursor(arrow >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
    viewport()->update();
  }
  QAbstractScrollArea::mouseMoveEvent(event);
}

void LadderView::leaveEvent(QEvent* event) {
  hover_ = -1;
  viewport()->update();
  QAbstractScrollArea::leaveEvent(event);
}

void LadderView::wheelEvent(QWheelEvent* event) {
  if (event->modifiers() & Qt::ControlModifier) {
    const int delta = event->angleDelta().y();
    if (delta > 0) zoomIn();
    else if (delta < 0) zoomOut();
    event->accept();
    return;
  }
  QAbstractScrollArea::wheelEvent(event);
}

void LadderView::keyPressEvent(QKeyEvent* event) {
  switch (event->key()) {
    case Qt::Key_Up: step(-1); break;
    case Qt::Key_Down: step(1); break;
    case Qt::Key_Left: stepMessage(-1); break;
    case Qt::Key_Right: stepMessage(1); break;
    case Qt::Key_Home: if (!layout_.empty()) selectArrow(0); break;
    case Qt::Key_End: if (!layout_.empty()) selectArrow(static_cast<int>(layout_.arrows.size()) - 1); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomIn(); break;
    case Qt::Key_Minus: zoomOut(); break;
    case Qt::Key_0: resetZoom(); break;
    default: QAbstractScrollArea::keyPressEvent(event); return;
  }
  event->accept();
}

bool LadderView::viewportEvent(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const int arrow = arrowAt(help->pos());
    if (arrow < 0) {
      QToolTip::showText(help->globalPos(), toolTip(), viewport());
      return true;
    }
    const auto& a = layout_.arrows[static_cast<std::size_t>(arrow)];
    QString tip = QStringLiteral("<b>%1</b><br>%2 → %3, record %4, at %5")
                      .arg(a.label.toHtmlEscaped(), layout_.lanes[static_cast<std::size_t>(a.fromLane)].title,
                           layout_.lanes[static_cast<std::size_t>(a.toLane)].title, a.detail, timeText(a.time));
    if (a.encrypted)
      tip += a.undecrypted ? tr("<br>Encrypted; not opened: %1").arg(a.undecryptedReason.toHtmlEscaped())
                           : tr("<br>Encrypted under the %1 keys; decrypted for you").arg(a.keyPhase.toHtmlEscaped());
    if (a.roundTrip > 0) tip += tr("<br>Handshake round trip %1").arg(a.roundTrip);
    QToolTip::showText(help->globalPos(), tip, viewport());
    return true;
  }
  return QAbstractScrollArea::viewportEvent(event);
}

void LadderView::paintEvent(QPaintEvent* /*event*/) {
  QPainter p(viewport());
  p.setRenderHint(QPainter::Antialiasing);
  const QPalette& pal = palette();
  p.fillRect(viewport()->rect(), pal.color(QPalette::Base));
  if (layout_.lanes.empty()) {
    p.setPen(muted(pal));
    p.drawText(viewport()->rect(), Qt::AlignCenter | Qt::TextWordWrap,
               tr("No connection selected.\nOpen a capture (Ctrl+O) or run a lab (Ctrl+R)."));
    return;
  }
  // Lifelines behind everything.
  QPen lifeline(pal.color(QPalette::Mid), 1.5, Qt::DashLine);
  p.setPen(lifeline);
  for (std::size_t lane = 0; lane < layout_.lanes.size(); ++lane) {
    const double x = laneX(static_cast<int>(lane));
    p.drawLine(QPointF(x, headerHeight()), QPointF(x, viewport()->height()));
  }
  if (layout_.empty()) {
    p.setPen(muted(pal));
    p.drawText(QRectF(0, headerHeight() + 20, viewport()->width(), 40), Qt::AlignHCenter, tr("No TLS records yet"));
  }
  paintRoundTrips(p);
  // Only the rows in view: binary search for the first one.
  const double topY = (headerHeight() - rowTop()) / zoom_ - layout_.rowHeight;
  const double bottomY = (viewport()->height() - rowTop()) / zoom_ + layout_.rowHeight;
  auto first = std::lower_bound(layout_.arrows.begin(), layout_.arrows.end(), topY,
                                [](const LadderArrow& a, double y) { return a.y < y; });
  double lastLabel = -1e9;
  const double labelRoom = fontMetrics().height() * 1.9;
  for (auto it = first; it != layout_.arrows.end() && it->y <= bottomY; ++it) {
    const int index = static_cast<int>(it - layout_.arrows.begin());
    const double y = screenY(*it);
    // In a dense burst (linear axis, zoomed out) only arrows with room get a label.
    const bool room = y - lastLabel >= labelRoom || index == selected_;
    if (room) lastLabel = y;
    paintArrow(p, index, room);
  }
  paintHeader(p);
}

void LadderView::paintHeader(QPainter& p) const {
  const QPalette& pal = palette();
  const double h = headerHeight();
  p.fillRect(QRectF(0, 0, viewport()->width(), h), pal.color(QPalette::Base));
  p.setPen(QPen(pal.color(QPalette::Mid), 1));
  p.drawLine(QPointF(0, h - 0.5), QPointF(viewport()->width(), h - 0.5));
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.85);
  QFont bold = font();
  bold.setBold(true);
  const int lanes = static_cast<int>(layout_.lanes.size());
  for (int lane = 0; lane < lanes; ++lane) {
    const auto& info = layout_.lanes[static_cast<std::size_t>(lane)];
    const double x = laneX(lane);
    const double w = std::min(kLaneBox, (laneX(1) - laneX(0)) * 0.9);
    QRectF box(x - w / 2, 8, w, h - 16);
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.setBrush(laneColor(lane, lanes, pal));
    p.drawRoundedRect(box, 8, 8);
    p.setPen(pal.color(QPalette::Text));
    p.setFont(bold);
    p.drawText(box.adjusted(6, 4, -6, -box.height() / 2), Qt::AlignHCenter | Qt::AlignBottom, info.title);
    p.setFont(small);
    p.setPen(muted(pal));
    p.drawText(box.adjusted(6, box.height() / 2 + 2, -6, -2), Qt::AlignHCenter | Qt::AlignTop,
               fontMetrics().elidedText(info.address, Qt::ElideMiddle, static_cast<int>(w - 12)));
  }
  p.setFont(small);
  p.setPen(muted(pal));
  p.drawText(QRectF(4, 8, kGutter - 8, h - 12), Qt::AlignRight | Qt::AlignBottom, tr("time"));
  p.drawText(QRectF(kGutter + 4, 8, kRttColumn, h - 12), Qt::AlignLeft | Qt::AlignBottom, tr("RTT"));
  p.setFont(font());
}

void LadderView::paintRoundTrips(QPainter& p) const {
  const QPalette& pal = palette();
  const QColor color = arrowColor(ArrowKind::Handshake, pal);
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.85);
  small.setBold(true);
  p.setFont(small);
  // Several legs (MITM): each leg's brackets get their own column.
  for (const RoundTrip& rt : layout_.roundTrips) {
    const auto& a = layout_.arrows[static_cast<std::size_t>(rt.firstArrow)];
    const auto& b = layout_.arrows[static_cast<std::size_t>(rt.lastArrow)];
    const int column = layout_.arrows[static_cast<std::size_t>(rt.firstArrow)].connection == layout_.arrows.front().connection ? 0 : 1;
    const double x = kGutter + 10 + column * 22;
    const double y0 = screenY(a) - 8, y1 = screenY(b) + 8;
    p.setPen(QPen(color, 2));
    p.drawLine(QPointF(x, y0), QPointF(x, y1));
    p.drawLine(QPointF(x, y0), QPointF(x + 6, y0));
    p.drawLine(QPointF(x, y1), QPointF(x + 6, y1));
    p.save();
    p.translate(x - 4, (y0 + y1) / 2);
    p.rotate(-90);
    p.setPen(color);
    p.drawText(QRectF(-60, -14, 120, 14), Qt::AlignCenter, QStringLiteral("RTT %1").arg(rt.number));
    p.restore();
  }
  p.setFont(font());
}

void LadderView::paintArrow(QPainter& p, int index, bool withLabel) const {
  const QPalette& pal = palette();
  const auto& a = layout_.arrows[static_cast<std::size_t>(index)];
  const double y = screenY(a);
  const double x1 = laneX(a.fromLane), x2 = laneX(a.toLane);
  const double dir = x2 > x1 ? 1 : -1;
  const QColor color = arrowColor(a.kind, pal);
  const double half = std::max(6.0, layout_.rowHeight * zoom_ / 2);
  const ArrowMark marked = markOf(index);
  if (marked != ArrowMark::None) {
    // A tinted row and an edge stripe per kind (both for a record that is hashed and protected).
    const QColor first = markColor(marked == ArrowMark::Protected ? ArrowMark::Protected : ArrowMark::Input, pal);
    QColor band = first;
    band.setAlpha(38);
    p.fillRect(QRectF(0, y - half, viewport()->width(), 2 * half), band);
    p.fillRect(QRectF(0, y - half, 5, 2 * half), first);
    if (marked == ArrowMark::Both) p.fillRect(QRectF(5, y - half, 5, 2 * half), markColor(ArrowMark::Protected, pal));
  }
  if (index == selected_ || index == hover_) {
    QColor band = pal.color(QPalette::Highlight);
    band.setAlpha(index == selected_ ? 60 : 25);
    p.fillRect(QRectF(0, y - half, viewport()->width(), 2 * half), band);
  }
  if (a.gapBefore) {
    p.setPen(QPen(muted(pal), 1, Qt::DotLine));
    p.drawLine(QPointF(kGutter, y - half - 2), QPointF(viewport()->width() - 8, y - half - 2));
  }
  // Time in the gutter.
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.85);
  if (withLabel) {
    p.setFont(small);
    p.setPen(muted(pal));
    p.drawText(QRectF(4, y - 10, kGutter - 8, 20), Qt::AlignRight | Qt::AlignVCenter, timeText(a.time));
  }
  // The arrow: dashed when it could not be decrypted.
  const double width = index == selected_ ? 3.0 : 2.0;
  p.setPen(QPen(color, width, a.undecrypted ? Qt::DashLine : Qt::SolidLine, Qt::RoundCap));
  const double tip = x2 - dir * 2;
  p.drawLine(QPointF(x1, y), QPointF(tip - dir * 9, y));
  QPainterPath head;
  head.moveTo(tip, y);
  head.lineTo(tip - dir * 12, y - 5.5);
  head.lineTo(tip - dir * 12, y + 5.5);
  head.closeSubpath();
  p.setPen(Qt::NoPen);
  p.setBrush(color);
  p.drawPath(head);
  p.drawEllipse(QPointF(x1, y), 3, 3);
  if (!withLabel) return;
  // Label above the line; record number, size and key phase below it.
  const QFont labelText = labelFont(index);
  const QRectF box = labelBox(index);
  if (index == selected_ && a.parts.size() > 1) {
    // Several messages in one record: mark the one the detail views show.
    const auto parts = labelParts(index);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (a.messages[i] != document_->message() || parts[i].isEmpty()) continue;
      QColor mark = pal.color(QPalette::Highlight);
      mark.setAlpha(90);
      p.setPen(Qt::NoPen);
      p.setBrush(mark);
      p.drawRoundedRect(parts[i].adjusted(-3, -1, 3, 1), 4, 4);
    }
  }
  if (marked == ArrowMark::Input || marked == ArrowMark::Both) {
    // Underline the very messages the node hashes (a record may carry several).
    const auto parts = labelParts(index);
    const auto& hashed = document_->marks().messages;
    p.setPen(QPen(markColor(ArrowMark::Input, pal), 2.5, Qt::SolidLine, Qt::RoundCap));
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (parts[i].isEmpty() || std::find(hashed.begin(), hashed.end(), a.messages[i]) == hashed.end()) continue;
      p.drawLine(QPointF(parts[i].left(), parts[i].bottom() + 1), QPointF(parts[i].right(), parts[i].bottom() + 1));
    }
  }
  p.setFont(labelText);
  p.setPen(a.kind == ArrowKind::Alert ? color : pal.color(QPalette::Text));
  const QFontMetrics fm(labelText);
  p.drawText(box, Qt::AlignHCenter | Qt::AlignBottom, fm.elidedText(a.label, Qt::ElideRight, static_cast<int>(box.width())));
  p.setFont(small);
  const QFontMetrics sm(small);
  QString below = a.detail;
  double lockX = -1;
  if (a.encrypted) {
    below += QStringLiteral(" ·    %1").arg(a.keyPhase.isEmpty() ? tr("encrypted") : a.keyPhase);
    if (a.failedAuthentication) below += tr(" (✗ tag)");
    else if (a.undecrypted) below += tr(" (no key)");
  }
  const double belowWidth = sm.horizontalAdvance(below);
  const double belowX = (x1 + x2) / 2 - belowWidth / 2;
  p.setPen(muted(pal));
  p.drawText(QPointF(belowX, y + 4 + sm.ascent()), below);
  if (a.encrypted) {
    // The lock sits in the gap left after "· ", before the key phase.
    lockX = belowX + sm.horizontalAdvance(a.detail + QStringLiteral(" · ")) + sm.horizontalAdvance(QStringLiteral("  ")) / 2.0;
    drawLock(p, QPointF(lockX, y + 4 + sm.ascent() * 0.55), sm.ascent() * 0.8, arrowColor(a.kind, pal));
  }
  p.setFont(font());
}

}  // namespace tlslab::gui
