#include "views/ViewStyle.hpp"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QMenu>
#include <QPalette>

#include <algorithm>

namespace tlslab::gui::views {

QFont monospaceFont() {
  QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  font.setStyleHint(QFont::Monospace);
  return font;
}

QString hexText(ByteView bytes, int groupEvery) {
  QString out;
  out.reserve(static_cast<qsizetype>(bytes.size()) * 3);
  static constexpr char kDigits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0) {
      out += QLatin1Char(' ');
      // The wider gap makes 8-byte words countable at a glance.
      if (groupEvery > 0 && i % static_cast<std::size_t>(groupEvery) == 0) out += QLatin1Char(' ');
    }
    out += QLatin1Char(kDigits[bytes[i] >> 4]);
    out += QLatin1Char(kDigits[bytes[i] & 0x0f]);
  }
  return out;
}

QString asciiText(ByteView bytes) {
  QString out;
  out.reserve(static_cast<qsizetype>(bytes.size()));
  for (std::uint8_t b : bytes) out += (b >= 0x20 && b < 0x7f) ? QLatin1Char(static_cast<char>(b)) : QLatin1Char('.');
  return out;
}

QString countText(std::size_t n, const QString& one, const QString& many) {
  return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

QColor toneColor(Tone tone, const QPalette& palette) {
  // Darker shades on a light window, lighter ones on a dark window.
  const bool dark = palette.color(QPalette::Window).lightness() < 128;
  switch (tone) {
    case Tone::Good: return dark ? QColor(0x6f, 0xd0, 0x8c) : QColor(0x1b, 0x7f, 0x3b);
    case Tone::Bad: return dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xc0, 0x1c, 0x28);
    case Tone::Warn: return dark ? QColor(0xf0, 0xb4, 0x4c) : QColor(0xa0, 0x5a, 0x00);
    case Tone::Info: return dark ? QColor(0x79, 0xb8, 0xff) : QColor(0x1a, 0x5f, 0xb4);
    case Tone::Neutral:
    default: return dark ? QColor(0xa0, 0xa8, 0xb2) : QColor(0x5f, 0x67, 0x70);
  }
}

QString badgeHtml(const QString& text, Tone tone, const QPalette& palette) {
  const QColor fg = toneColor(tone, palette);
  return QStringLiteral("<span style=\"color:%1; font-weight:600;\">%2</span>")
      .arg(fg.name(), text.toHtmlEscaped());
}

ValueLabel::ValueLabel(QWidget* parent) : QLabel(parent) {
  setFont(monospaceFont());
  setWordWrap(true);
  setTextFormat(Qt::PlainText);
  setAlignment(Qt::AlignLeft | Qt::AlignTop);
  setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
  setFocusPolicy(Qt::StrongFocus);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
  setToolTip(tr("Ctrl+C or right-click to copy"));
}

void ValueLabel::setBytes(ByteView bytes) {
  if (bytes.empty()) {
    setValue(tr("(empty)"), QString());
    return;
  }
  // Long values wrap at 16 bytes a line, like a hex dump, so columns line up.
  QString shown;
  for (std::size_t at = 0; at < bytes.size(); at += 16) {
    if (at > 0) shown += QLatin1Char('\n');
    shown += hexText(bytes.subspan(at, std::min<std::size_t>(16, bytes.size() - at)));
  }
  setValue(shown, QString::fromStdString(toHex(bytes)));
}

void ValueLabel::setValue(const QString& shown, const QString& copied) {
  copyText_ = copied;
  setText(shown);
}

void ValueLabel::copyToClipboard() const { QApplication::clipboard()->setText(copyText_); }

void ValueLabel::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  menu.addAction(tr("Copy value"), this, &ValueLabel::copyToClipboard)->setEnabled(!copyText_.isEmpty());
  if (hasSelectedText()) {
    const QString part = selectedText();
    menu.addAction(tr("Copy selection"), this, [part] { QApplication::clipboard()->setText(part); });
  }
  menu.exec(event->globalPos());
}

void ValueLabel::keyPressEvent(QKeyEvent* event) {
  // A partial mouse selection copies what was selected; otherwise the whole
  // value, without the display spacing, so it pastes into `tlslab keys`.
  if (event->matches(QKeySequence::Copy) && !hasSelectedText()) {
    copyToClipboard();
    return;
  }
  QLabel::keyPressEvent(event);
}

}  // namespace tlslab::gui::views
