#include "views/DerivationView.hpp"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>

#include "KeyScheduleLayout.hpp"
#include "views/StepCard.hpp"
#include "views/ViewStyle.hpp"

namespace tlslab::gui::views {

namespace {

Tone toneOf(model::StepStatus status) { return DerivationView::tone(status); }

}  // namespace

DerivationView::DerivationView(QWidget* parent)
    : QWidget(parent),
      summary_(new QLabel(this)),
      filter_(new QLineEdit(this)),
      scroll_(new QScrollArea(this)),
      list_(new QWidget),
      listLayout_(new QVBoxLayout(list_)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 4, 6, 0);
  summary_->setTextFormat(Qt::RichText);
  filter_->setPlaceholderText(tr("Filter steps (name or function)…"));
  filter_->setClearButtonEnabled(true);
  filter_->setMinimumWidth(240);
  auto* copyAll = new QPushButton(tr("Copy all"), this);
  copyAll->setToolTip(tr("Copy the whole chain as text (names, functions, inputs, outputs)"));
  bar->addWidget(summary_, 1);
  bar->addWidget(filter_);
  bar->addWidget(copyAll);
  layout->addLayout(bar);
  layout->addWidget(scroll_, 1);

  listLayout_->setContentsMargins(8, 6, 8, 8);
  listLayout_->setSpacing(8);
  scroll_->setWidget(list_);
  scroll_->setWidgetResizable(true);
  scroll_->setFrameShape(QFrame::NoFrame);

  connect(filter_, &QLineEdit::textChanged, this, &DerivationView::setFilter);
  connect(copyAll, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(stepsAsText()); });
  rebuild();
}

QString DerivationView::badgeText(model::StepStatus status) { return stepStatusText(status); }

Tone DerivationView::tone(model::StepStatus status) {
  switch (status) {
    case model::StepStatus::Derived: return Tone::Info;
    case model::StepStatus::FromKeyLog: return Tone::Neutral;
    case model::StepStatus::Verified: return Tone::Good;
    case model::StepStatus::Failed: return Tone::Bad;
    case model::StepStatus::NotDerivable: return Tone::Warn;
    default: return Tone::Neutral;
  }
}

void DerivationView::setSteps(std::vector<model::DerivationStep> steps) {
  steps_ = std::move(steps);
  rebuild();
}

void DerivationView::setConnection(const model::TraceConnection& connection) { setSteps(connection.derivation); }

QWidget* DerivationView::card(int index) const {
  return index >= 0 && static_cast<std::size_t>(index) < cards_.size() ? cards_[static_cast<std::size_t>(index)] : nullptr;
}

int DerivationView::visibleStepCount() const {
  int visible = 0;
  for (QWidget* c : cards_) visible += c->isVisibleTo(list_) ? 1 : 0;
  return visible;
}

QString DerivationView::summaryText() const { return summary_->text(); }

void DerivationView::rebuild() {
  for (QWidget* c : cards_) delete c;
  cards_.clear();
  marked_ = -1;
  while (QLayoutItem* item = listLayout_->takeAt(0)) delete item;
  int counts[5] = {};
  for (int i = 0; i < stepCount(); ++i) {
    cards_.push_back(makeCard(i));
    listLayout_->addWidget(cards_.back());
    const auto s = static_cast<int>(steps_[static_cast<std::size_t>(i)].status);
    if (s >= 0 && s < 5) ++counts[s];
  }
  listLayout_->addStretch(1);

  if (steps_.empty()) {
    summary_->setText(tr("<i>No key derivation for this connection (no keys, or not a TLS session).</i>"));
  } else {
    const QPalette& pal = palette();
    QStringList parts{QStringLiteral("<b>%1</b>").arg(countText(steps_.size(), tr("step"), tr("steps")))};
    auto add = [&](model::StepStatus status, const QString& text) {
      const int n = counts[static_cast<int>(status)];
      if (n > 0) parts << badgeHtml(text.arg(n), toneOf(status), pal);
    };
    add(model::StepStatus::Verified, tr("%1 verified ✓"));
    add(model::StepStatus::Failed, tr("%1 failed ✗"));
    add(model::StepStatus::FromKeyLog, tr("%1 from key log"));
    add(model::StepStatus::NotDerivable, tr("%1 not derivable"));
    summary_->setText(parts.join(QStringLiteral(" · ")));
  }
  setFilter(filter_->text());
}

QWidget* DerivationView::makeCard(int index) {
  QFrame* card = makeStepCard(steps_[static_cast<std::size_t>(index)], list_);
  card->setProperty("stepIndex", index);
  card->installEventFilter(this);
  // A click anywhere in the card (values included) selects its step.
  for (QWidget* child : card->findChildren<QWidget*>()) {
    child->setProperty("stepIndex", index);
    child->installEventFilter(this);
  }
  return card;
}

void DerivationView::setFilter(const QString& text) {
  if (filter_->text() != text) filter_->setText(text);  // re-enters once through textChanged
  const QString needle = text.trimmed();
  for (int i = 0; i < stepCount(); ++i) {
    const model::DerivationStep& s = steps_[static_cast<std::size_t>(i)];
    const bool match = needle.isEmpty() || QString::fromStdString(s.name).contains(needle, Qt::CaseInsensitive) ||
                       QString::fromStdString(s.function).contains(needle, Qt::CaseInsensitive);
    cards_[static_cast<std::size_t>(i)]->setVisible(match);
  }
}

bool DerivationView::showStep(const QString& name) {
  for (int i = 0; i < stepCount(); ++i)
    if (QString::fromStdString(steps_[static_cast<std::size_t>(i)].name) == name) return showStepAt(i);
  return false;
}

bool DerivationView::showStepAt(int i) {
  if (i < 0 || i >= stepCount()) return false;
  if (!cards_[static_cast<std::size_t>(i)]->isVisibleTo(list_)) setFilter({});
  markCard(i);
  list_->adjustSize();
  scroll_->ensureWidgetVisible(cards_[static_cast<std::size_t>(i)], 0, 40);
  return true;
}

void DerivationView::markCard(int index) {
  // The marked card gets a highlight outline; the previous one loses it.
  auto style = [this](int i, bool marked) {
    styleStepCard(static_cast<QFrame*>(cards_[static_cast<std::size_t>(i)]), steps_[static_cast<std::size_t>(i)].status, marked);
  };
  if (marked_ >= 0 && marked_ < stepCount()) style(marked_, false);
  marked_ = index;
  if (index >= 0) style(index, true);
}

bool DerivationView::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::MouseButtonPress) {
    const QVariant index = watched->property("stepIndex");
    if (index.isValid()) {
      markCard(index.toInt());
      emit stepSelected(index.toInt());
    }
  }
  return QWidget::eventFilter(watched, event);
}

void DerivationView::changeEvent(QEvent* event) {
  // Cards bake palette colours into their style sheets: rebuild on a switch
  // between light and dark.
  if (event->type() == QEvent::PaletteChange) rebuild();
  QWidget::changeEvent(event);
}

QString DerivationView::stepsAsText() const {
  QString out;
  for (const model::DerivationStep& s : steps_) {
    out += QStringLiteral("%1  [%2]  %3\n")
               .arg(QString::fromStdString(s.name), QString::fromLatin1(model::stepStatusName(s.status)),
                    QString::fromStdString(s.rfc));
    if (!s.function.empty()) out += QStringLiteral("  %1\n").arg(QString::fromStdString(s.function));
    for (const model::DerivationInput& in : s.inputs)
      out += QStringLiteral("  %1: %2\n").arg(QString::fromStdString(in.label), QString::fromStdString(toHex(in.bytes)));
    out += QStringLiteral("  -> %1\n").arg(s.output.empty() ? QStringLiteral("(none)") : QString::fromStdString(toHex(s.output)));
    if (!s.note.empty()) out += QStringLiteral("  note: %1\n").arg(QString::fromStdString(s.note));
    out += QLatin1Char('\n');
  }
  return out;
}

}  // namespace tlslab::gui::views
