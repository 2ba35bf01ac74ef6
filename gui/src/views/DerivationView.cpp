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

#include "views/ViewStyle.hpp"

namespace tlslab::gui::views {

namespace {

Tone toneOf(model::StepStatus status) {
  switch (status) {
    case model::StepStatus::Derived: return Tone::Info;
    case model::StepStatus::FromKeyLog: return Tone::Neutral;
    case model::StepStatus::Verified: return Tone::Good;
    case model::StepStatus::Failed: return Tone::Bad;
    case model::StepStatus::NotDerivable: return Tone::Warn;
    default: return Tone::Neutral;
  }
}

bool printable(ByteView bytes) {
  if (bytes.empty() || bytes.size() > 64) return false;
  for (std::uint8_t b : bytes) {
    if (b < 0x20 || b >= 0x7f) return false;
  }
  return true;
}

// Labels ("tls13 c hs traffic") are bytes too; showing them as text first is
// what makes the HKDF-Expand-Label inputs readable.
void showBytes(ValueLabel* label, ByteView bytes) {
  if (printable(bytes)) {
    label->setValue(QStringLiteral("\"%1\"\n%2").arg(asciiText(bytes), hexText(bytes)), QString::fromStdString(toHex(bytes)));
  } else {
    label->setBytes(bytes);
  }
}

QLabel* dimLabel(const QString& text, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  // Long input names ("Transcript-Hash(ClientHello..ServerHello)") wrap
  // instead of pushing the values out of view.
  label->setWordWrap(true);
  label->setMaximumWidth(190);
  label->setAlignment(Qt::AlignRight | Qt::AlignTop);
  QPalette pal = label->palette();
  pal.setColor(QPalette::WindowText, pal.color(QPalette::PlaceholderText));
  label->setPalette(pal);
  return label;
}

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

QString DerivationView::badgeText(model::StepStatus status) {
  switch (status) {
    case model::StepStatus::Derived: return tr("● derived");
    case model::StepStatus::FromKeyLog: return tr("⬇ from key log");
    case model::StepStatus::Verified: return tr("✓ verified");
    case model::StepStatus::Failed: return tr("✗ failed");
    case model::StepStatus::NotDerivable: return tr("∅ not derivable");
    default: return tr("?");
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
  const model::DerivationStep& s = steps_[static_cast<std::size_t>(index)];
  const QPalette& pal = palette();
  const QColor accent = toneColor(toneOf(s.status), pal);
  auto* card = new QFrame(list_);
  card->setObjectName(QStringLiteral("stepCard"));
  card->setProperty("stepIndex", index);
  // A coloured left edge carries the status even when the badge is scrolled
  // past horizontally or the reader skims.
  card->setStyleSheet(QStringLiteral("QFrame#stepCard { background: %1; border: 1px solid %2; border-left: 4px solid %3;"
                                     " border-radius: 4px; }")
                          .arg(pal.color(QPalette::Base).name(), pal.color(QPalette::Mid).name(), accent.name()));
  card->installEventFilter(this);

  auto* grid = new QGridLayout(card);
  grid->setContentsMargins(10, 8, 10, 8);
  grid->setHorizontalSpacing(10);
  grid->setVerticalSpacing(4);
  grid->setColumnStretch(1, 1);

  auto* head = new QHBoxLayout;
  auto* badge = new QLabel(badgeHtml(badgeText(s.status), toneOf(s.status), pal), card);
  badge->setObjectName(QStringLiteral("badge"));
  auto* name = new QLabel(QStringLiteral("<b>%1</b>").arg(QString::fromStdString(s.name).toHtmlEscaped()), card);
  name->setObjectName(QStringLiteral("name"));
  name->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* rfc = dimLabel(QString::fromStdString(s.rfc), card);
  rfc->setMaximumWidth(QWIDGETSIZE_MAX);
  rfc->setWordWrap(false);
  rfc->setObjectName(QStringLiteral("rfc"));
  head->addWidget(name);
  head->addSpacing(8);
  head->addWidget(badge);
  head->addStretch(1);
  head->addWidget(rfc);
  grid->addLayout(head, 0, 0, 1, 2);

  int row = 1;
  if (!s.function.empty()) {
    auto* function = new ValueLabel(card);
    function->setObjectName(QStringLiteral("function"));
    function->setValue(QStringLiteral("ƒ  ") + QString::fromStdString(s.function), QString::fromStdString(s.function));
    grid->addWidget(dimLabel(tr("function"), card), row, 0, Qt::AlignTop | Qt::AlignRight);
    grid->addWidget(function, row++, 1);
  }
  for (std::size_t i = 0; i < s.inputs.size(); ++i) {
    auto* value = new ValueLabel(card);
    value->setObjectName(QStringLiteral("input%1").arg(i));
    showBytes(value, s.inputs[i].bytes);
    grid->addWidget(dimLabel(QString::fromStdString(s.inputs[i].label), card), row, 0, Qt::AlignTop | Qt::AlignRight);
    grid->addWidget(value, row++, 1);
  }
  auto* output = new ValueLabel(card);
  output->setObjectName(QStringLiteral("output"));
  if (s.output.empty()) output->setValue(tr("—"), QString());
  else showBytes(output, s.output);
  QFont bold = output->font();
  bold.setBold(true);
  output->setFont(bold);
  auto* arrow = new QLabel(tr("→ output"), card);
  arrow->setStyleSheet(QStringLiteral("color: %1; font-weight: 600;").arg(accent.name()));
  grid->addWidget(arrow, row, 0, Qt::AlignTop | Qt::AlignRight);
  grid->addWidget(output, row++, 1);

  if (!s.note.empty()) {
    auto* note = new QLabel(QString::fromStdString(s.note), card);
    note->setObjectName(QStringLiteral("note"));
    note->setWordWrap(true);
    note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    note->setStyleSheet(QStringLiteral("color: %1; font-style: italic;").arg(accent.name()));
    grid->addWidget(note, row++, 0, 1, 2);
  }
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
  for (int i = 0; i < stepCount(); ++i) {
    if (QString::fromStdString(steps_[static_cast<std::size_t>(i)].name) != name) continue;
    if (!cards_[static_cast<std::size_t>(i)]->isVisibleTo(list_)) setFilter({});
    markCard(i);
    list_->adjustSize();
    scroll_->ensureWidgetVisible(cards_[static_cast<std::size_t>(i)], 0, 40);
    return true;
  }
  return false;
}

void DerivationView::markCard(int index) {
  // The marked card gets a highlight outline; the previous one loses it.
  auto style = [this](int i, bool marked) {
    QWidget* c = cards_[static_cast<std::size_t>(i)];
    const QPalette& pal = palette();
    const QColor accent = toneColor(toneOf(steps_[static_cast<std::size_t>(i)].status), pal);
    const QColor border = marked ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid);
    c->setStyleSheet(QStringLiteral("QFrame#stepCard { background: %1; border: %4px solid %2; border-left: 4px solid %3;"
                                    " border-radius: 4px; }")
                         .arg(pal.color(QPalette::Base).name(), border.name(), accent.name())
                         .arg(marked ? 2 : 1));
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
