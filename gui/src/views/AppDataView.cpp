#include "views/AppDataView.hpp"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextEdit>
#include <QVBoxLayout>

#include "tlslab/app/Render.hpp"
#include "views/ViewStyle.hpp"

namespace tlslab::gui::views {

namespace {

bool printableText(ByteView bytes) {
  // Text if every byte is printable ASCII, whitespace, or part of UTF-8 (high
  // bit set); a NUL or other control byte means binary.
  for (std::uint8_t b : bytes) {
    const bool ok = b >= 0x20 || b == '\r' || b == '\n' || b == '\t';
    if (!ok || b == 0x7f) return false;
  }
  return !bytes.empty();
}

QString asText(ByteView bytes) {
  QString text = QString::fromUtf8(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()));
  text.remove(QLatin1Char('\r'));  // CRLF protocols read better with plain line breaks
  while (text.endsWith(QLatin1Char('\n'))) text.chop(1);  // the bubble ends the line already
  for (QChar& c : text) {
    if (c.unicode() < 0x20 && c != QLatin1Char('\n') && c != QLatin1Char('\t')) c = QLatin1Char('.');
  }
  return text;
}

// Wireshark's hex dump: offset in the direction's stream, 16 bytes, ASCII.
QString hexDump(ByteView bytes, std::size_t baseOffset) {
  QString out;
  for (std::size_t at = 0; at < bytes.size(); at += 16) {
    const ByteView line = bytes.subspan(at, std::min<std::size_t>(16, bytes.size() - at));
    QString hex = hexText(line);
    out += QStringLiteral("%1  %2  %3\n")
               .arg(baseOffset + at, 8, 16, QLatin1Char('0'))
               .arg(hex, -48)
               .arg(asciiText(line));
  }
  if (out.endsWith(QLatin1Char('\n'))) out.chop(1);
  return out;
}

}  // namespace

AppDataView::AppDataView(QWidget* parent)
    : QWidget(parent), modeBox_(new QComboBox(this)), directionBox_(new QComboBox(this)), summary_(new QLabel(this)),
      text_(new QTextEdit(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 4, 6, 0);
  modeBox_->addItems({tr("Auto (text or hex)"), tr("Text"), tr("Hex dump"), tr("Decoded (HTTP, lines)")});
  modeBox_->setToolTip(tr("How to show the bytes: Auto shows text when it is printable (and HTTP/2 decoded); "
                          "Decoded shows the application protocol: requests, responses, headers, decoded bodies"));
  directionBox_->addItems({tr("Both directions"), tr("Client → server only"), tr("Server → client only")});
  summary_->setTextFormat(Qt::RichText);
  bar->addWidget(summary_, 1);
  bar->addWidget(new QLabel(tr("Show:"), this));
  bar->addWidget(modeBox_);
  bar->addWidget(directionBox_);
  layout->addLayout(bar);
  text_->setReadOnly(true);
  text_->setUndoRedoEnabled(false);
  text_->setFont(monospaceFont());
  text_->setLineWrapMode(QTextEdit::WidgetWidth);
  text_->viewport()->installEventFilter(this);
  layout->addWidget(text_, 1);
  connect(modeBox_, &QComboBox::currentIndexChanged, this, [this](int i) { setMode(static_cast<Mode>(i)); });
  connect(directionBox_, &QComboBox::currentIndexChanged, this,
          [this](int i) { setDirectionFilter(static_cast<DirectionFilter>(i)); });
  render();
}

void AppDataView::setConnection(const model::TraceConnection& connection) {
  // ALPN and STARTTLS first, so the one render of setChunks decodes with them.
  loading_ = {connection.negotiated.alpn, connection.startTlsProtocol};
  setChunks(connection.appData, QString::fromStdString(connection.clientLabel),
            QString::fromStdString(connection.serverLabel));
  const Bytes& fromClient = connection.preamble[static_cast<int>(model::Direction::ClientToServer)];
  const Bytes& fromServer = connection.preamble[static_cast<int>(model::Direction::ServerToClient)];
  if (!fromClient.empty() || !fromServer.empty())
    setPreamble(fromClient, fromServer, QString::fromStdString(connection.startTlsProtocol));
}

void AppDataView::setChunks(std::vector<model::AppDataChunk> chunks, const QString& clientLabel,
                            const QString& serverLabel) {
  chunks_ = std::move(chunks);
  alpn_ = std::move(loading_.first);
  startTls_ = std::move(loading_.second);
  loading_ = {};
  conversation_.reset();
  clientLabel_ = clientLabel;
  serverLabel_ = serverLabel;
  // Merge runs of one direction: a message split over several records reads
  // as one turn of the conversation.
  bubbles_.clear();
  std::size_t offsets[2] = {0, 0};
  for (const model::AppDataChunk& c : chunks_) {
    const auto side = static_cast<std::size_t>(c.direction);
    if (bubbles_.empty() || bubbles_.back().direction != c.direction) {
      bubbles_.push_back({c.direction, c.record, c.record, offsets[side], {}, {}});
    }
    Bubble& b = bubbles_.back();
    b.lastRecord = c.record;
    b.data.insert(b.data.end(), c.data.begin(), c.data.end());
    offsets[side] += c.data.size();
  }
  summary_->setText(chunks_.empty()
                        ? tr("<i>No decrypted application data for this connection.</i>")
                        : tr("<b>%1</b> → %2 bytes · <b>%3</b> → %4 bytes")
                              .arg(clientLabel_.toHtmlEscaped())
                              .arg(offsets[0])
                              .arg(serverLabel_.toHtmlEscaped())
                              .arg(offsets[1]));
  render();
}

void AppDataView::setPreamble(const Bytes& fromClient, const Bytes& fromServer, const QString& protocol) {
  // Which side spoke first is not kept per byte, so each side's cleartext is
  // one bubble; in STARTTLS protocols the server greets first.
  const QString note = tr("%1 in cleartext, before STARTTLS: anyone on the path reads this").arg(protocol);
  std::vector<Bubble> before;
  if (!fromServer.empty()) before.push_back({model::Direction::ServerToClient, 0, 0, 0, fromServer, note});
  if (!fromClient.empty()) before.push_back({model::Direction::ClientToServer, 0, 0, 0, fromClient, note});
  bubbles_.insert(bubbles_.begin(), before.begin(), before.end());
  render();
}

void AppDataView::setMode(Mode mode) {
  mode_ = mode;
  if (modeBox_->currentIndex() != static_cast<int>(mode)) modeBox_->setCurrentIndex(static_cast<int>(mode));
  render();
}

void AppDataView::setDirectionFilter(DirectionFilter filter) {
  filter_ = filter;
  if (directionBox_->currentIndex() != static_cast<int>(filter)) directionBox_->setCurrentIndex(static_cast<int>(filter));
  render();
}

QString AppDataView::plainText() const { return text_->toPlainText(); }

const app::Conversation& AppDataView::conversation() {
  if (!conversation_) conversation_ = app::decodeConversation(chunks_, alpn_, startTls_);
  return *conversation_;
}

app::Protocol AppDataView::protocol() { return conversation().protocol; }

// One text, the one `tlslab follow --app` prints, with message heads tinted by
// who sent them; bodies cut at kMaxShownBytes like the bubbles.
void AppDataView::renderDecoded() {
  app::TextOptions options;
  options.maxBodyShown = kMaxShownBytes;
  const QString text = QString::fromUtf8(app::conversationText(conversation(), options));
  const QPalette& pal = palette();
  QTextCursor cursor(text_->document());
  QTextCharFormat plain, head, note;
  plain.setForeground(pal.color(QPalette::Text));
  head.setFontWeight(QFont::DemiBold);
  note.setForeground(toneColor(Tone::Warn, pal));
  bool first = true;
  for (const QString& line : text.split(QLatin1Char('\n'))) {
    if (!first) cursor.insertBlock();
    first = false;
    QTextCharFormat format = plain;
    if (line.startsWith(QLatin1String("--- ")) || line.startsWith(QLatin1String("=== "))) {
      format = head;
      format.setForeground(toneColor(line.contains(QLatin1String("client -> server")) ? Tone::Bad : Tone::Info, pal));
    } else if (line.startsWith(QLatin1String("! "))) {
      format = note;
    }
    cursor.insertText(line, format);
  }
  text_->moveCursor(QTextCursor::Start);
}

void AppDataView::render() {
  text_->clear();
  spans_.clear();
  const bool decoded = !chunks_.empty() && (mode_ == Mode::Decoded || mode_ == Mode::Auto) &&
                       (mode_ == Mode::Decoded ? protocol() != app::Protocol::None : protocol() == app::Protocol::Http2);
  if (decoded) return renderDecoded();
  QTextCursor cursor(text_->document());
  const QPalette& pal = palette();
  const bool dark = pal.color(QPalette::Base).lightness() < 128;
  // Wireshark's convention: client red, server blue; tints light enough for
  // black text, or dark enough for white text on a dark palette.
  const QColor clientBg = dark ? QColor(0x4a, 0x26, 0x2a) : QColor(0xfb, 0xe3, 0xe4);
  const QColor serverBg = dark ? QColor(0x1f, 0x33, 0x4d) : QColor(0xe1, 0xec, 0xfa);
  const int indent = 60;
  bool first = true;
  for (const Bubble& b : bubbles_) {
    const bool client = b.direction == model::Direction::ClientToServer;
    if ((filter_ == DirectionFilter::ClientToServer && !client) || (filter_ == DirectionFilter::ServerToClient && client))
      continue;
    QTextBlockFormat block;
    block.setBackground(client ? clientBg : serverBg);
    block.setLeftMargin(client ? 0 : indent);
    block.setRightMargin(client ? indent : 0);
    block.setTopMargin(first ? 0 : 10);
    QTextCharFormat head;
    head.setForeground(toneColor(!b.cleartext.isEmpty() ? Tone::Warn : client ? Tone::Bad : Tone::Info, pal));
    head.setFontWeight(QFont::DemiBold);
    const QString who = client ? tr("%1 → %2").arg(clientLabel_, serverLabel_) : tr("%1 → %2").arg(serverLabel_, clientLabel_);
    const QString records = !b.cleartext.isEmpty()          ? b.cleartext
                            : b.firstRecord == b.lastRecord ? tr("record %1").arg(b.firstRecord)
                                                            : tr("records %1–%2").arg(b.firstRecord).arg(b.lastRecord);
    if (first) cursor.setBlockFormat(block);
    else cursor.insertBlock(block);
    first = false;
    const int start = cursor.position();
    cursor.insertText(QStringLiteral("%1 · %2 · %3").arg(who, records, countText(b.data.size(), tr("byte"), tr("bytes"))), head);

    ByteView shown(b.data);
    const bool cut = shown.size() > kMaxShownBytes;
    if (cut) shown = shown.first(kMaxShownBytes);
    const bool showText = mode_ == Mode::Text || ((mode_ == Mode::Auto || mode_ == Mode::Decoded) && printableText(shown));
    QTextBlockFormat body = block;
    body.setTopMargin(0);
    cursor.insertBlock(body);
    QTextCharFormat content;
    content.setForeground(pal.color(QPalette::Text));
    cursor.insertText(showText ? asText(shown) : hexDump(shown, b.streamOffset), content);
    if (cut) {
      QTextCharFormat note = head;
      note.setFontItalic(true);
      cursor.insertText(tr("\n… %1 more bytes not shown (export the stream to see every byte)").arg(b.data.size() - kMaxShownBytes),
                        note);
    }
    // Remember where the bubble is, so a click can select its record elsewhere.
    if (b.cleartext.isEmpty()) spans_.push_back({start, cursor.position(), b.firstRecord});
  }
  text_->moveCursor(QTextCursor::Start);
}

bool AppDataView::eventFilter(QObject* watched, QEvent* event) {
  if (watched == text_->viewport() && event->type() == QEvent::MouseButtonRelease) {
    auto* mouse = static_cast<QMouseEvent*>(event);
    const int position = text_->cursorForPosition(mouse->position().toPoint()).position();
    if (!text_->textCursor().hasSelection()) {
      for (const Span& span : spans_) {
        if (position >= span.begin && position <= span.end) {
          emit recordSelected(span.record);
          break;
        }
      }
    }
  }
  return QWidget::eventFilter(watched, event);
}

}  // namespace tlslab::gui::views
