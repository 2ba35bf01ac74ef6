// KeyScheduleView's painting: the title and legend, the arrows (bold into
// the selected box), the boxes in their status colours.
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>

#include <algorithm>
#include <cmath>

#include "views/DerivationView.hpp"
#include "views/KeyScheduleView.hpp"
#include "views/ViewStyle.hpp"

namespace tlslab::gui::views {

namespace {

bool isDark(const QPalette& palette) { return palette.color(QPalette::Base).lightness() < 128; }

QColor muted(const QPalette& palette) {
  const QColor t = palette.color(QPalette::Text), b = palette.color(QPalette::Base);
  return QColor((t.red() * 3 + b.red() * 2) / 5, (t.green() * 3 + b.green() * 2) / 5, (t.blue() * 3 + b.blue() * 2) / 5);
}

// The ladder's colour for records a key protects (LadderView's markColor).
QColor protectColor(const QPalette& palette) {
  return isDark(palette) ? QColor(0x4f, 0xd1, 0xc0) : QColor(0x0f, 0x8f, 0x80);
}

QColor mix(const QColor& a, const QColor& b, double t) {
  return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                          static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                          static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

void arrowHead(QPainter& p, QPointF tip, QPointF from, double size, const QColor& color) {
  const double angle = std::atan2(tip.y() - from.y(), tip.x() - from.x());
  QPainterPath head;
  head.moveTo(tip);
  head.lineTo(tip - QPointF(std::cos(angle - 0.45) * size, std::sin(angle - 0.45) * size));
  head.lineTo(tip - QPointF(std::cos(angle + 0.45) * size, std::sin(angle + 0.45) * size));
  head.closeSubpath();
  p.save();
  p.setPen(Qt::NoPen);
  p.setBrush(color);
  p.drawPath(head);
  p.restore();
}

QString statusGlyph(const ScheduleBox& box) { return box.step < 0 || box.status.isEmpty() ? QString() : box.status.left(1); }

}  // namespace
void KeyScheduleView::paintEvent(QPaintEvent* /*event*/) {
  QPainter p(viewport());
  p.setRenderHint(QPainter::Antialiasing);
  const QPalette& pal = palette();
  p.fillRect(viewport()->rect(), pal.color(QPalette::Base));
  if (layout_.empty()) {
    p.setPen(muted(pal));
    p.drawText(viewport()->rect().adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap,
               steps_.empty() ? tr("No key derivation for this connection (no keys, or not a TLS session).")
                              : tr("These steps have no place in the RFC picture: see the card list."));
    return;
  }
  p.translate(kMargin - horizontalScrollBar()->value(), kMargin - verticalScrollBar()->value());
  p.scale(zoom_, zoom_);
  // Title and legend.
  QFont bold = font();
  bold.setBold(true);
  p.setFont(bold);
  p.setPen(pal.color(QPalette::Text));
  p.drawText(QPointF(0, 14), layout_.title);
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.85);
  p.setFont(small);
  double x = 0;
  for (auto status : {model::StepStatus::Derived, model::StepStatus::FromKeyLog, model::StepStatus::Verified,
                      model::StepStatus::Failed, model::StepStatus::NotDerivable}) {
    const QString text = stepStatusText(status);
    p.setPen(toneColor(DerivationView::tone(status), pal));
    p.drawText(QPointF(x, 32), text);
    x += QFontMetricsF(small).horizontalAdvance(text) + 14;
  }
  p.setPen(muted(pal));
  p.drawText(QPointF(x, 32), tr("- - no step"));
  for (const auto& edge : layout_.edges) paintEdge(p, edge);
  for (int i = 0; i < static_cast<int>(layout_.boxes.size()); ++i) paintBox(p, i);
}

void KeyScheduleView::paintEdge(QPainter& p, const ScheduleEdge& edge) const {
  if (edge.points.size() < 2) return;
  const QPalette& pal = palette();
  // What the selected box is made from stands out; what it feeds, a little.
  const bool into = selected_ >= 0 && edge.to == selected_;
  const bool outOf = selected_ >= 0 && edge.from == selected_;
  QColor color = into || outOf ? pal.color(QPalette::Highlight) : mix(pal.color(QPalette::Mid), pal.color(QPalette::Text), 0.25);
  const double width = into ? 2.6 : outOf ? 1.8 : 1.3;
  p.setPen(QPen(color, width, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
  p.setBrush(Qt::NoBrush);
  QPainterPath path(edge.points.front());
  for (std::size_t i = 1; i < edge.points.size(); ++i) path.lineTo(edge.points[i]);
  p.drawPath(path);
  arrowHead(p, edge.points.back(), edge.points[edge.points.size() - 2], 8, color);
  if (!edge.label.isEmpty()) {
    QFont f = font();
    f.setBold(true);
    p.setFont(f);
    p.setPen(pal.color(QPalette::Text));
    const QPointF at = edge.points.front();
    const bool vertical = std::abs(edge.points[1].x() - at.x()) < 0.5;
    const QFontMetricsF fm(f);
    if (vertical) p.drawText(QPointF(at.x() - fm.horizontalAdvance(edge.label) / 2, at.y() - 3), edge.label);
    else p.drawText(QPointF(std::max(0.0, at.x() - fm.horizontalAdvance(edge.label) - 4), at.y() + fm.ascent() / 2 - 1), edge.label);
  }
}

void KeyScheduleView::paintBox(QPainter& p, int index) const {
  const QPalette& pal = palette();
  const ScheduleBox& box = layout_.boxes[static_cast<std::size_t>(index)];
  const QRectF r = box.rect;
  const bool ghost = box.step < 0;
  const QColor tone = ghost ? muted(pal) : toneColor(DerivationView::tone(*box.stepStatus), pal);
  const auto protecting = protectingBoxes();
  const bool protects = std::find(protecting.begin(), protecting.end(), index) != protecting.end();
  if (protects) {
    p.setPen(QPen(protectColor(pal), 3));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(r.adjusted(-4, -4, 4, 4), 8, 8);
  }
  if (index == selected_) {
    p.setPen(QPen(pal.color(QPalette::Highlight), 3));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(r.adjusted(-2.5, -2.5, 2.5, 2.5), 7, 7);
  }
  QColor fill = ghost ? pal.color(QPalette::Base) : mix(pal.color(QPalette::Base), tone, isDark(pal) ? 0.16 : 0.08);
  if (index == hover_) fill = mix(fill, pal.color(QPalette::Highlight), 0.12);
  p.setPen(QPen(ghost ? pal.color(QPalette::Mid) : tone, ghost ? 1.2 : 1.5, ghost ? Qt::DashLine : Qt::SolidLine));
  p.setBrush(fill);
  p.drawRoundedRect(r, 5, 5);
  if (!ghost) p.fillRect(QRectF(r.left() + 0.75, r.top() + 4, 4, r.height() - 8), tone);  // status stripe

  const QRectF inner = r.adjusted(10, 4, -7, -4);
  QFont title = font();
  title.setBold(true);
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.82);
  QFont mono = monospaceFont();
  mono.setPointSizeF(font().pointSizeF() * 0.9);
  const QColor text = ghost ? muted(pal) : pal.color(QPalette::Text);
  auto line = [&](const QFont& f, const QColor& c, double y, const QString& s, double width, Qt::Alignment align = Qt::AlignLeft) {
    p.setFont(f);
    p.setPen(c);
    const QFontMetricsF fm(f);
    const QString shown = fm.elidedText(s, Qt::ElideRight, width);
    const double dx = align == Qt::AlignRight ? width - fm.horizontalAdvance(shown) : 0;
    p.drawText(QPointF(inner.left() + dx, y + fm.ascent()), shown);
    return fm.height();
  };
  const bool noValue = box.step >= 0 && steps_[static_cast<std::size_t>(box.step)].output.empty();
  QFont valueFont = noValue ? small : mono;
  valueFont.setItalic(noValue);
  if (box.size == BoxSize::Small) {
    const QFontMetricsF fm(title);
    const double glyph = fm.horizontalAdvance(QStringLiteral("✓ ")) + 2;
    double y = inner.top() + 1;
    line(title, text, y, box.title, inner.width() - glyph);
    line(title, tone, y, statusGlyph(box), inner.width(), Qt::AlignRight);
    y += fm.height() + 1;
    line(valueFont, ghost ? muted(pal) : text, y, ghost ? box.caption : box.value, inner.width());
    return;
  }
  double y = inner.top() + 1;
  if (!box.caption.isEmpty()) y += line(small, muted(pal), y, box.caption, inner.width());
  y += line(title, text, y, box.title, inner.width());
  if (ghost) return;  // the dashed outline says "no step"
  y += line(valueFont, text, y, box.value, inner.width()) + 1;
  line(small, tone, y, box.status, inner.width());
}

}  // namespace tlslab::gui::views
