#include "views/RecordCryptoView.hpp"

#include <QGridLayout>
#include <QLabel>
#include <QScrollArea>
#include <QTextDocument>
#include <QVBoxLayout>

#include "tlslab/wire/Registry.hpp"
#include "views/ViewStyle.hpp"

namespace tlslab::gui::views {

namespace {

// Long ciphertexts are shown cut; copying still gives every byte.
constexpr std::size_t kShownBytes = 256;

Tone verdictTone(model::RecordVerdict verdict) {
  switch (verdict) {
    case model::RecordVerdict::Decrypted: return Tone::Good;
    case model::RecordVerdict::NotEncrypted: return Tone::Warn;
    case model::RecordVerdict::AuthenticationFailed: return Tone::Bad;
    case model::RecordVerdict::Malformed: return Tone::Bad;
    default: return Tone::Neutral;
  }
}

QString verdictSymbol(model::RecordVerdict verdict) {
  switch (verdict) {
    case model::RecordVerdict::Decrypted: return QStringLiteral("✓ ");
    case model::RecordVerdict::NotEncrypted: return QStringLiteral("⚠ ");
    case model::RecordVerdict::AuthenticationFailed: return QStringLiteral("✗ ");
    case model::RecordVerdict::Malformed: return QStringLiteral("✗ ");
    default: return {};
  }
}

bool isText(ByteView bytes) {
  if (bytes.empty()) return false;
  for (std::uint8_t b : bytes) {
    const bool ok = (b >= 0x20 && b < 0x7f) || b == '\r' || b == '\n' || b == '\t';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

RecordCryptoView::RecordCryptoView(QWidget* parent)
    : QWidget(parent), title_(new QLabel(this)), verdict_(new QLabel(this)), note_(new QLabel(this)),
      scroll_(new QScrollArea(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  auto* head = new QHBoxLayout;
  head->setContentsMargins(8, 6, 8, 0);
  title_->setTextFormat(Qt::RichText);
  title_->setWordWrap(true);
  verdict_->setObjectName(QStringLiteral("verdict"));
  verdict_->setTextFormat(Qt::RichText);
  head->addWidget(title_, 1);
  head->addWidget(verdict_, 0, Qt::AlignTop);
  note_->setWordWrap(true);
  note_->setContentsMargins(8, 0, 8, 4);
  note_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addLayout(head);
  layout->addWidget(note_);
  layout->addWidget(scroll_, 1);
  scroll_->setWidgetResizable(true);
  scroll_->setFrameShape(QFrame::NoFrame);
  clear();
}

void RecordCryptoView::reset(const QString& title) {
  // A fresh body per record: rows differ between AEAD, CBC and NULL suites.
  delete scroll_->takeWidget();
  body_ = new QWidget;
  grid_ = new QGridLayout(body_);
  grid_->setContentsMargins(10, 4, 10, 10);
  grid_->setHorizontalSpacing(12);
  grid_->setVerticalSpacing(4);
  grid_->setColumnStretch(2, 1);
  grid_->setColumnMinimumWidth(0, 200);
  row_ = 0;
  nonceOperator_.clear();
  scroll_->setWidget(body_);
  title_->setText(title);
  verdict_->clear();
  note_->hide();
}

void RecordCryptoView::clear() {
  reset(tr("<i>Select an encrypted record to see how it was opened.</i>"));
  grid_->setRowStretch(0, 1);
}

void RecordCryptoView::addSection(const QString& heading) {
  auto* label = new QLabel(QStringLiteral("<b>%1</b>").arg(heading.toHtmlEscaped()), body_);
  label->setContentsMargins(0, row_ == 0 ? 0 : 8, 0, 0);
  grid_->addWidget(label, row_++, 0, 1, 3);
}

ValueLabel* RecordCryptoView::addRow(const QString& name, const QString& label, ByteView bytes, const QString& hint) {
  auto* key = new QLabel(label, body_);
  key->setAlignment(Qt::AlignRight | Qt::AlignTop);
  key->setWordWrap(true);
  key->setMaximumWidth(240);
  auto* value = new ValueLabel(body_);
  value->setObjectName(name);
  if (bytes.size() > kShownBytes) {
    value->setBytes(bytes.first(kShownBytes));
    value->setValue(value->text() + tr("\n… (%1 bytes in all; copy gives every byte)").arg(bytes.size()),
                    QString::fromStdString(toHex(bytes)));
  } else {
    value->setBytes(bytes);
  }
  auto* size = new QLabel(hint.isEmpty() ? tr("%1 B").arg(bytes.size()) : hint, body_);
  size->setAlignment(Qt::AlignRight | Qt::AlignTop);
  QPalette pal = size->palette();
  pal.setColor(QPalette::WindowText, pal.color(QPalette::PlaceholderText));
  size->setPalette(pal);
  grid_->addWidget(key, row_, 0);
  grid_->addWidget(size, row_, 1);
  grid_->addWidget(value, row_++, 2);
  return value;
}

void RecordCryptoView::addTextRow(const QString& label, const QString& text) {
  auto* key = new QLabel(label, body_);
  key->setAlignment(Qt::AlignRight | Qt::AlignTop);
  auto* value = new QLabel(text, body_);
  value->setWordWrap(true);
  value->setTextInteractionFlags(Qt::TextSelectableByMouse);
  grid_->addWidget(key, row_, 0);
  grid_->addWidget(value, row_++, 2);
}

void RecordCryptoView::setVerdict(const QString& text, int tone, const QString& note) {
  const QColor fg = toneColor(static_cast<Tone>(tone), palette());
  verdict_->setText(QStringLiteral("<span style=\"color:%1; font-size:large; font-weight:700;\">%2</span>")
                        .arg(fg.name(), text.toHtmlEscaped()));
  note_->setText(note);
  note_->setStyleSheet(QStringLiteral("color: %1;").arg(fg.name()));
  note_->setVisible(!note.isEmpty());
}

void RecordCryptoView::setCrypto(const model::RecordCrypto& c, const QString& title) {
  QString heading = title.isEmpty() ? tr("<b>Protected record</b>") : title;
  heading += QStringLiteral("<br>%1 · %2 · sequence number %3 · <i>%4</i>")
                 .arg(QString::fromStdString(c.cipher).toHtmlEscaped(),
                      QString::fromStdString(c.construction).toHtmlEscaped())
                 .arg(c.sequence)
                 .arg(QString::fromStdString(c.rfc).toHtmlEscaped());
  reset(heading);
  setVerdict(verdictSymbol(c.verdict) + QString::fromLatin1(model::recordVerdictName(c.verdict)),
             static_cast<int>(verdictTone(c.verdict)), QString::fromStdString(c.note));

  addSection(tr("1 · Record header (as received)"));
  addRow(QStringLiteral("header"), tr("type ‖ version ‖ length"), c.header);

  // Nonce: XOR when every part is as long as the nonce (TLS 1.3, ChaCha20:
  // RFC 8446 §5.3), concatenation when the parts add up to it (TLS 1.2 GCM
  // salt ‖ explicit nonce, RFC 5288 §3), the IV itself for CBC.
  if (!c.nonceParts.empty() || !c.nonce.empty()) {
    const bool aead = c.construction == "AEAD";
    addSection(aead ? tr("2 · Nonce construction") : tr("2 · Initialisation vector"));
    bool allFull = c.nonceParts.size() > 1;
    for (const model::NoncePart& part : c.nonceParts) allFull = allFull && part.bytes.size() == c.nonce.size();
    nonceOperator_ = c.nonceParts.size() <= 1 ? QString() : (allFull ? QStringLiteral("⊕") : QStringLiteral("‖"));
    for (std::size_t i = 0; i < c.nonceParts.size(); ++i) {
      const QString op = i == 0 || nonceOperator_.isEmpty() ? QStringLiteral("   ") : nonceOperator_ + QLatin1Char(' ');
      addRow(QStringLiteral("noncePart%1").arg(i), op + QString::fromStdString(c.nonceParts[i].label), c.nonceParts[i].bytes);
    }
    if (c.nonceParts.size() != 1) {
      auto* nonce = addRow(QStringLiteral("nonce"), aead ? tr("= nonce") : tr("= IV"), c.nonce);
      QFont bold = nonce->font();
      bold.setBold(true);
      nonce->setFont(bold);
    }
  }

  const bool aead = c.construction == "AEAD";
  if (!c.aad.empty()) {
    addSection(aead ? tr("3 · Additional authenticated data") : tr("3 · MAC header"));
    addRow(QStringLiteral("aad"), aead ? tr("AAD") : tr("seq ‖ type ‖ version ‖ length"), c.aad);
  }

  addSection(tr("4 · Protected bytes"));
  if (!c.ciphertext.empty()) addRow(QStringLiteral("ciphertext"), tr("ciphertext"), c.ciphertext);
  if (!c.tag.empty()) addRow(QStringLiteral("tag"), tr("authentication tag"), c.tag);
  if (!c.mac.empty()) {
    const bool same = !c.expectedMac.empty() && c.mac == c.expectedMac;
    addRow(QStringLiteral("mac"), tr("MAC (received)"), c.mac);
    if (!c.expectedMac.empty()) {
      auto* expected = addRow(QStringLiteral("expectedMac"), same ? tr("MAC (recomputed) ✓") : tr("MAC (recomputed) ✗"),
                              c.expectedMac);
      expected->setStyleSheet(QStringLiteral("color: %1;").arg(toneColor(same ? Tone::Good : Tone::Bad, palette()).name()));
    }
  }
  if (!c.padding.empty()) {
    addRow(QStringLiteral("padding"), aead ? tr("zero padding (RFC 8446 §5.4)") : tr("padding (incl. length byte)"),
           c.padding);
  }

  addSection(tr("5 · Plaintext"));
  if (c.verdict == model::RecordVerdict::Decrypted || c.verdict == model::RecordVerdict::NotEncrypted) {
    const QString type = QStringLiteral("%1 (%2)").arg(c.contentType).arg(QString::fromLatin1(wire::contentTypeName(c.contentType)));
    addTextRow(tr("content type"), type);
    auto* plain = addRow(QStringLiteral("plaintext"), tr("plaintext"), c.plaintext);
    if (isText(c.plaintext) && c.plaintext.size() <= kShownBytes) {
      // Readable protocols (HTTP, SMTP) are shown as text; copy still gives hex.
      plain->setValue(QString::fromLatin1(reinterpret_cast<const char*>(c.plaintext.data()),
                                          static_cast<qsizetype>(c.plaintext.size())),
                      plain->copyText());
      plain->setToolTip(tr("Shown as text; Ctrl+C copies the bytes as hex"));
    }
  } else {
    addTextRow(tr("plaintext"), tr("none: a record that fails its integrity check is never shown as plaintext"));
  }
  grid_->setRowStretch(row_, 1);
}

void RecordCryptoView::setRecord(const model::TraceRecord& record) {
  const QString direction =
      record.direction == model::Direction::ClientToServer ? tr("client → server") : tr("server → client");
  const QString title = tr("<b>Record %1</b> · %2 · %3 keys")
                            .arg(record.index)
                            .arg(direction,
                                 record.keyPhase.empty() ? tr("no") : QString::fromStdString(record.keyPhase.name()).toHtmlEscaped());
  // The dissector's header fields, read out (type, version, length).
  QStringList header;
  // Only the 5 header bytes: the fragment has its own rows below.
  for (const model::Field& f : record.header.children) {
    if (f.offset + f.length <= 5) header << QString::fromStdString(f.name + " " + f.value);
  }
  if (record.crypto) {
    setCrypto(*record.crypto, title);
    if (!header.isEmpty()) insertHeaderLine(header.join(QStringLiteral(" · ")));
    return;
  }
  reset(title);
  addSection(tr("Record header"));
  addRow(QStringLiteral("header"), tr("type ‖ version ‖ length"), ByteView(record.wire).first(std::min<std::size_t>(5, record.wire.size())));
  if (!header.isEmpty()) addTextRow(tr("fields"), header.join(QStringLiteral(" · ")));
  if (!record.encrypted) {
    setVerdict(tr("not protected"), static_cast<int>(Tone::Neutral),
               tr("This record was sent before any keys were agreed: everyone on the path can read it."));
  } else {
    setVerdict(tr("✗ not decrypted"), static_cast<int>(Tone::Bad), QString::fromStdString(record.undecryptedReason));
  }
  grid_->setRowStretch(row_, 1);
}

void RecordCryptoView::insertHeaderLine(const QString& text) {
  // Row 1 is the header's hex row; its decoded reading goes right below it.
  auto* label = new QLabel(text, body_);
  label->setObjectName(QStringLiteral("headerFields"));
  label->setWordWrap(true);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QPalette pal = label->palette();
  pal.setColor(QPalette::WindowText, pal.color(QPalette::PlaceholderText));
  label->setPalette(pal);
  auto* hex = value(QStringLiteral("header"));
  int row = 0, column = 0, rowSpan = 0, columnSpan = 0;
  grid_->getItemPosition(grid_->indexOf(hex), &row, &column, &rowSpan, &columnSpan);
  // Stack hex and reading in one cell so the grid's later rows stay put.
  auto* cell = new QWidget(body_);
  auto* stack = new QVBoxLayout(cell);
  stack->setContentsMargins(0, 0, 0, 0);
  stack->setSpacing(0);
  grid_->removeWidget(hex);
  stack->addWidget(hex);
  stack->addWidget(label);
  grid_->addWidget(cell, row, column);
}

ValueLabel* RecordCryptoView::value(const QString& name) const {
  return body_ != nullptr ? body_->findChild<ValueLabel*>(name) : nullptr;
}

QString RecordCryptoView::verdictText() const {
  QTextDocument doc;
  doc.setHtml(verdict_->text());
  return doc.toPlainText();
}

}  // namespace tlslab::gui::views
