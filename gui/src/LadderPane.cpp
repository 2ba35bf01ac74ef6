#include "LadderPane.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

#include "LadderView.hpp"

namespace tlslab::gui {

namespace {
QToolButton* toolButton(const QString& text, const QString& tip, QWidget* parent) {
  auto* button = new QToolButton(parent);
  button->setText(text);
  button->setToolTip(tip);
  button->setAutoRaise(true);
  return button;
}
}  // namespace

LadderPane::LadderPane(TraceDocument* document, QWidget* parent)
    : QWidget(parent), view_(new LadderView(document, this)), summary_(new QLabel(this)),
      linear_(toolButton(tr("Linear time"), {}, this)) {
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  // Long MITM summaries must not widen the window: the label may be cut.
  summary_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  summary_->setMinimumWidth(50);
  QFont bold = summary_->font();
  bold.setBold(true);
  summary_->setFont(bold);
  summary_->setToolTip(tr("Round trips count the client flights that had to wait for the server before "
                          "application data could flow: TLS 1.3 needs one, a full TLS 1.2 handshake two."));

  linear_->setCheckable(true);
  linear_->setToolTip(tr("Vertical distance proportional to time (off: one row per record, pauses marked)"));
  connect(linear_, &QToolButton::toggled, this,
          [this](bool on) { view_->setTimeAxis(on ? TimeAxis::Linear : TimeAxis::Compressed); });
  auto* zoomOut = toolButton(QStringLiteral("−"), tr("Zoom out (−, Ctrl+wheel)"), this);
  auto* zoomReset = toolButton(QStringLiteral("1:1"), tr("Reset zoom (0)"), this);
  auto* zoomIn = toolButton(QStringLiteral("+"), tr("Zoom in (+, Ctrl+wheel)"), this);
  connect(zoomOut, &QToolButton::clicked, view_, &LadderView::zoomOut);
  connect(zoomReset, &QToolButton::clicked, view_, &LadderView::resetZoom);
  connect(zoomIn, &QToolButton::clicked, view_, &LadderView::zoomIn);

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 2, 2, 2);
  bar->addWidget(summary_, 1);
  bar->addWidget(linear_);
  bar->addSpacing(8);
  bar->addWidget(zoomOut);
  bar->addWidget(zoomReset);
  bar->addWidget(zoomIn);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addLayout(bar);
  layout->addWidget(view_, 1);

  auto refresh = [this] {
    const QString text = view_->layout().summary;
    summary_->setText(text.isEmpty() ? tr("Ladder") : text);
    summary_->setToolTip(text);
  };
  connect(view_, &LadderView::layoutChanged, this, refresh);
  refresh();
}

}  // namespace tlslab::gui
