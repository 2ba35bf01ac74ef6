#include "views/KeyScheduleView.hpp"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>


namespace tlslab::gui::views {

namespace {

constexpr double kMinZoom = 0.4, kMaxZoom = 3.0;

}  // namespace

KeyScheduleView::KeyScheduleView(QWidget* parent) : QAbstractScrollArea(parent) {
  setFocusPolicy(Qt::StrongFocus);
  viewport()->setMouseTracking(true);
  viewport()->setBackgroundRole(QPalette::Base);
  connect(verticalScrollBar(), &QScrollBar::valueChanged, viewport(), qOverload<>(&QWidget::update));
  connect(horizontalScrollBar(), &QScrollBar::valueChanged, viewport(), qOverload<>(&QWidget::update));
}

void KeyScheduleView::setSteps(std::vector<model::DerivationStep> steps, std::uint16_t version, bool extendedMasterSecret) {
  steps_ = std::move(steps);
  layout_ = layoutKeySchedule(steps_, version, extendedMasterSecret);
  selected_ = hover_ = -1;
  updateScrollBars();
  viewport()->update();
}

void KeyScheduleView::setConnection(const model::TraceConnection& connection) {
  setSteps(connection.derivation, connection.negotiated.version, connection.negotiated.extendedMasterSecret);
}

QPointF KeyScheduleView::toLayout(QPoint pos) const {
  return QPointF((pos.x() + horizontalScrollBar()->value() - kMargin) / zoom_,
                 (pos.y() + verticalScrollBar()->value() - kMargin) / zoom_);
}

QPointF KeyScheduleView::toViewport(QPointF at) const {
  return QPointF(at.x() * zoom_ + kMargin - horizontalScrollBar()->value(),
                 at.y() * zoom_ + kMargin - verticalScrollBar()->value());
}

void KeyScheduleView::updateScrollBars() {
  const QSize content(static_cast<int>(std::ceil(layout_.size.width() * zoom_ + 2 * kMargin)),
                      static_cast<int>(std::ceil(layout_.size.height() * zoom_ + 2 * kMargin)));
  horizontalScrollBar()->setRange(0, std::max(0, content.width() - viewport()->width()));
  horizontalScrollBar()->setPageStep(viewport()->width());
  verticalScrollBar()->setRange(0, std::max(0, content.height() - viewport()->height()));
  verticalScrollBar()->setPageStep(viewport()->height());
  verticalScrollBar()->setSingleStep(20);
}

void KeyScheduleView::resizeEvent(QResizeEvent* event) {
  QAbstractScrollArea::resizeEvent(event);
  updateScrollBars();
}

void KeyScheduleView::setZoom(double zoom) {
  zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
  if (std::abs(zoom - zoom_) < 1e-9) return;
  zoom_ = zoom;
  updateScrollBars();
  if (selected_ >= 0) ensureVisible(selected_);
  viewport()->update();
}

void KeyScheduleView::fitWidth() {
  if (layout_.empty()) return;
  const double available = viewport()->width() - 2 * kMargin - verticalScrollBar()->sizeHint().width();
  setZoom(std::min(1.0, available / layout_.size.width()));
}

void KeyScheduleView::ensureVisible(int box) {
  if (box < 0 || box >= static_cast<int>(layout_.boxes.size())) return;
  const QRectF r = layout_.boxes[static_cast<std::size_t>(box)].rect;
  const QRectF shown(toViewport(r.topLeft()), toViewport(r.bottomRight()));
  auto* v = verticalScrollBar();
  auto* h = horizontalScrollBar();
  if (shown.top() < 0) v->setValue(v->value() + static_cast<int>(shown.top()) - 12);
  else if (shown.bottom() > viewport()->height()) v->setValue(v->value() + static_cast<int>(shown.bottom() - viewport()->height()) + 12);
  if (shown.left() < 0) h->setValue(h->value() + static_cast<int>(shown.left()) - 12);
  else if (shown.right() > viewport()->width()) h->setValue(h->value() + static_cast<int>(shown.right() - viewport()->width()) + 12);
}

QPoint KeyScheduleView::boxPoint(int box) {
  if (box < 0 || box >= static_cast<int>(layout_.boxes.size())) return {};
  ensureVisible(box);
  return toViewport(layout_.boxes[static_cast<std::size_t>(box)].rect.center()).toPoint();
}

void KeyScheduleView::selectBox(int box) {
  if (box >= static_cast<int>(layout_.boxes.size())) box = -1;
  selected_ = box;
  if (box >= 0) ensureVisible(box);
  viewport()->update();
}

void KeyScheduleView::selectStep(int step) { selectBox(layout_.findStep(step)); }

void KeyScheduleView::setProtectedRecord(int record) {
  if (record == protectedRecord_) return;
  protectedRecord_ = record;
  viewport()->update();
}

std::vector<int> KeyScheduleView::protectingBoxes() const {
  std::vector<int> out;
  if (protectedRecord_ < 0) return out;
  for (std::size_t i = 0; i < layout_.boxes.size(); ++i) {
    const int step = layout_.boxes[i].step;
    if (step < 0) continue;
    const auto& records = steps_[static_cast<std::size_t>(step)].records;
    if (std::find(records.begin(), records.end(), static_cast<std::size_t>(protectedRecord_)) != records.end())
      out.push_back(static_cast<int>(i));
  }
  return out;
}

void KeyScheduleView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return QAbstractScrollArea::mousePressEvent(event);
  setFocus(Qt::MouseFocusReason);
  const int box = layout_.boxAt(toLayout(event->position().toPoint()));
  if (box < 0) return;
  selectBox(box);
  emit boxClicked(box);
}

void KeyScheduleView::mouseMoveEvent(QMouseEvent* event) {
  const int box = layout_.boxAt(toLayout(event->position().toPoint()));
  if (box != hover_) {
    hover_ = box;
    viewport()->setCursor(box >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
    viewport()->update();
  }
  QAbstractScrollArea::mouseMoveEvent(event);
}

void KeyScheduleView::keyPressEvent(QKeyEvent* event) {
  const int last = static_cast<int>(layout_.boxes.size()) - 1;
  auto go = [&](int box) {
    if (last < 0) return;
    box = std::clamp(box, 0, last);
    selectBox(box);
    emit boxClicked(box);
  };
  switch (event->key()) {
    case Qt::Key_Down: go(selected_ < 0 ? 0 : selected_ + 1); break;
    case Qt::Key_Up: go(selected_ < 0 ? last : selected_ - 1); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomIn(); break;
    case Qt::Key_Minus: zoomOut(); break;
    case Qt::Key_0: setZoom(1.0); break;
    default: QAbstractScrollArea::keyPressEvent(event); return;
  }
  event->accept();
}

void KeyScheduleView::wheelEvent(QWheelEvent* event) {
  if (event->modifiers() & Qt::ControlModifier) {
    if (event->angleDelta().y() > 0) zoomIn();
    else if (event->angleDelta().y() < 0) zoomOut();
    event->accept();
    return;
  }
  QAbstractScrollArea::wheelEvent(event);
}

bool KeyScheduleView::viewportEvent(QEvent* event) {
  if (event->type() != QEvent::ToolTip) return QAbstractScrollArea::viewportEvent(event);
  auto* help = static_cast<QHelpEvent*>(event);
  const int index = layout_.boxAt(toLayout(help->pos()));
  if (index < 0) {
    QToolTip::hideText();
    return true;
  }
  const ScheduleBox& box = layout_.boxes[static_cast<std::size_t>(index)];
  QString tip = QStringLiteral("<b>%1</b> — %2").arg(box.title.toHtmlEscaped(), box.status.toHtmlEscaped());
  if (box.step >= 0) {
    const auto& s = steps_[static_cast<std::size_t>(box.step)];
    tip += QStringLiteral("<br>%1").arg(QString::fromStdString(s.function).toHtmlEscaped());
    if (!s.note.empty()) tip += QStringLiteral("<br><i>%1</i>").arg(QString::fromStdString(s.note).toHtmlEscaped());
    tip += tr("<br>Click: its inputs and the records it protects, on the ladder");
  } else {
    tip += tr("<br>This connection's derivation has no step for it.");
  }
  QToolTip::showText(help->globalPos(), tip, viewport());
  return true;
}

}  // namespace tlslab::gui::views
