#include "views/StepCard.hpp"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>

#include "views/DerivationView.hpp"
#include "views/ViewStyle.hpp"

namespace tlslab::gui::views {

namespace {

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

void styleStepCard(QFrame* card, model::StepStatus status, bool marked) {
  // A coloured left edge carries the status even when the badge is scrolled
  // past horizontally or the reader skims.
  const QPalette& pal = card->palette();
  const QColor accent = toneColor(DerivationView::tone(status), pal);
  const QColor border = marked ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid);
  card->setStyleSheet(QStringLiteral("QFrame#stepCard { background: %1; border: %4px solid %2; border-left: 4px solid %3;"
                                     " border-radius: 4px; }")
                          .arg(pal.color(QPalette::Base).name(), border.name(), accent.name())
                          .arg(marked ? 2 : 1));
}

QFrame* makeStepCard(const model::DerivationStep& s, QWidget* parent) {
  const QPalette& pal = parent->palette();
  const Tone tone = DerivationView::tone(s.status);
  const QColor accent = toneColor(tone, pal);
  auto* card = new QFrame(parent);
  card->setObjectName(QStringLiteral("stepCard"));
  styleStepCard(card, s.status, false);

  auto* grid = new QGridLayout(card);
  grid->setContentsMargins(10, 8, 10, 8);
  grid->setHorizontalSpacing(10);
  grid->setVerticalSpacing(4);
  grid->setColumnStretch(1, 1);

  auto* head = new QHBoxLayout;
  auto* badge = new QLabel(badgeHtml(DerivationView::badgeText(s.status), tone, pal), card);
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
  auto addValue = [&](const QString& label, const QString& objectName) {
    auto* value = new ValueLabel(card);
    value->setObjectName(objectName);
    grid->addWidget(dimLabel(label, card), row, 0, Qt::AlignTop | Qt::AlignRight);
    grid->addWidget(value, row++, 1);
    return value;
  };
  if (!s.function.empty()) {
    addValue(QObject::tr("function"), QStringLiteral("function"))
        ->setValue(QStringLiteral("ƒ  ") + QString::fromStdString(s.function), QString::fromStdString(s.function));
  }
  for (std::size_t i = 0; i < s.inputs.size(); ++i)
    showBytes(addValue(QString::fromStdString(s.inputs[i].label), QStringLiteral("input%1").arg(i)), s.inputs[i].bytes);
  auto* output = new ValueLabel(card);
  output->setObjectName(QStringLiteral("output"));
  if (s.output.empty()) output->setValue(QObject::tr("—"), QString());
  else showBytes(output, s.output);
  QFont bold = output->font();
  bold.setBold(true);
  output->setFont(bold);
  auto* arrow = new QLabel(QObject::tr("→ output"), card);
  arrow->setStyleSheet(QStringLiteral("color: %1; font-weight: 600;").arg(accent.name()));
  grid->addWidget(arrow, row, 0, Qt::AlignTop | Qt::AlignRight);
  grid->addWidget(output, row++, 1);
  if (!s.keyLogLine.empty()) {
    const QString line = QString::fromStdString(s.keyLogLine);
    addValue(QObject::tr("key log line"), QStringLiteral("keyLogLine"))->setValue(line, line);
  }
  if (!s.command.empty()) {
    // The shell commands that compute the output by hand (openssl kdf / pkeyutl, tlslab keys derive).
    const QString command = QString::fromStdString(s.command);
    addValue(QObject::tr("by hand"), QStringLiteral("command"))->setValue(command, command);
  }

  if (!s.note.empty()) {
    auto* note = new QLabel(QString::fromStdString(s.note), card);
    note->setObjectName(QStringLiteral("note"));
    note->setWordWrap(true);
    note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    note->setStyleSheet(QStringLiteral("color: %1; font-style: italic;").arg(accent.name()));
    grid->addWidget(note, row++, 0, 1, 2);
  }
  return card;
}

}  // namespace tlslab::gui::views
