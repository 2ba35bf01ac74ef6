// TLS-start and STARTTLS detection. The upgrade commands and replies:
//   SMTP  client "STARTTLS"        server "220" (RFC 3207 §4)
//   POP3  client "STLS"            server "+OK" (RFC 2595 §4)
//   IMAP  client "<tag> STARTTLS"  server "<tag> OK" (RFC 9051 §6.2.1)
//   FTP   client "AUTH TLS"        server "234" (RFC 4217 §4)
// TLS starts in the client direction right after the command line and in the
// server direction right after the positive reply. The client's bytes after
// the command are held until the reply decides (a refusal keeps them plaintext).
#include "Classifier.hpp"

#include <algorithm>
#include <cctype>

#include "tlslab/capture/TlsDetect.hpp"

namespace tlslab::capture::detail {

namespace {

constexpr std::size_t kProbeBytes = 5;         // a TLS record header
constexpr std::size_t kMaxLine = 512;          // longer command lines are not upgrade commands
constexpr std::size_t kMaxHeld = 64u << 10;    // client bytes held while awaiting the reply

enum class LineAction { None, ClientHold, ServerTls, Refused };

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool isTextByte(std::uint8_t b) { return (b >= 0x20 && b < 0x7F) || b == '\r' || b == '\n' || b == '\t'; }

bool isReplyCode(std::string_view line) {
  return line.size() >= 3 && std::isdigit(static_cast<unsigned char>(line[0])) &&
         std::isdigit(static_cast<unsigned char>(line[1])) && std::isdigit(static_cast<unsigned char>(line[2]));
}

Bytes gather(const auto& pieces, std::size_t limit) {
  Bytes out;
  for (const auto& piece : pieces) {
    std::size_t n = std::min(limit - out.size(), piece.data.size());
    out.insert(out.end(), piece.data.begin(), piece.data.begin() + static_cast<std::ptrdiff_t>(n));
    if (out.size() == limit) break;
  }
  return out;
}

}  // namespace

void StreamClassifier::emit(Direction dir, std::uint64_t offset, ByteView data, Timestamp time,
                            std::uint64_t frame, bool afterGap, Content content) {
  if (data.empty()) return;
  StreamChunk chunk;
  chunk.connection = info_.id;
  chunk.direction = dir;
  chunk.time = time;
  chunk.frame = frame;
  chunk.offset = offset;
  chunk.data = data;
  chunk.content = content;
  chunk.protocol = content == Content::Unknown ? std::string_view{} : std::string_view(info_.protocol);
  chunk.afterGap = afterGap;
  sink_.onData(chunk);
}

void StreamClassifier::hold(Direction dir, std::uint64_t offset, ByteView data, Timestamp time,
                            std::uint64_t frame, bool afterGap) {
  Side& side = sides_[index(dir)];
  side.held.push_back(Held{offset, Bytes(data.begin(), data.end()), time, frame, afterGap});
  side.heldBytes += data.size();
}

void StreamClassifier::bytes(Direction dir, std::uint64_t offset, ByteView data, Timestamp time,
                             std::uint64_t frame, bool afterGap) {
  Side& side = sides_[index(dir)];
  switch (side.mode) {
    case Mode::Detect:
      detect(dir, offset, data, time, frame, afterGap);
      break;
    case Mode::Tls:
      emit(dir, offset, data, time, frame, afterGap, Content::Tls);
      break;
    case Mode::Plain:
      scanPlain(dir, offset, data, time, frame, afterGap);
      break;
    case Mode::Held: {
      hold(dir, offset, data, time, frame, afterGap);
      if (side.heldBytes > kMaxHeld) {  // no reply in sight: let the bytes speak for themselves
        Bytes head = gather(side.held, kProbeBytes);
        bool tls = looksLikeTlsRecordHeader(head);
        if (tls) startTls(dir, side.held.front().offset, side.held.front().frame);
        upgrade_.reset();
        releaseHeld(dir, tls ? Mode::Tls : Mode::Plain);
      }
      break;
    }
    case Mode::Unknown:
    default:
      // Picked up mid-stream or after a gap: segments usually start at record
      // boundaries, so a chunk that starts with a record header resyncs.
      if ((side.resync || info_.midStream) && looksLikeTlsRecordHeader(data)) {
        side.mode = Mode::Tls;
        startTls(dir, offset, frame);
        emit(dir, offset, data, time, frame, afterGap, Content::Tls);
        break;
      }
      emit(dir, offset, data, time, frame, afterGap, Content::Unknown);
      break;
  }
}

void StreamClassifier::detect(Direction dir, std::uint64_t offset, ByteView data, Timestamp time,
                              std::uint64_t frame, bool afterGap) {
  hold(dir, offset, data, time, frame, afterGap);
  if (sides_[index(dir)].heldBytes >= kProbeBytes) decideFromProbe(dir, false);
}

void StreamClassifier::decideFromProbe(Direction dir, bool final) {
  Side& side = sides_[index(dir)];
  if (side.held.empty()) return;
  Bytes head = gather(side.held, kProbeBytes);
  if (head.size() < kProbeBytes && !final) return;
  if (looksLikeTlsRecordHeader(head)) {
    startTls(dir, side.held.front().offset, side.held.front().frame);
    releaseHeld(dir, Mode::Tls);
  } else if (std::all_of(head.begin(), head.end(), isTextByte)) {
    releaseHeld(dir, Mode::Plain);
  } else {
    releaseHeld(dir, Mode::Unknown);
  }
}

void StreamClassifier::scanPlain(Direction dir, std::uint64_t offset, ByteView data, Timestamp time,
                                 std::uint64_t frame, bool afterGap) {
  Side& side = sides_[index(dir)];
  std::size_t emitted = 0;
  std::size_t pos = 0;
  while (pos < data.size() && side.scanned < maxScan_) {
    auto newline = std::find(data.begin() + static_cast<std::ptrdiff_t>(pos), data.end(), '\n');
    std::size_t end = static_cast<std::size_t>(newline - data.begin());
    std::size_t take = std::min(end - pos, kMaxLine + 2 - std::min(side.line.size(), kMaxLine + 2));
    side.line.append(reinterpret_cast<const char*>(data.data()) + pos, take);
    side.scanned += end - pos;
    if (newline == data.end()) break;
    std::size_t lineEnd = end + 1;
    ++side.scanned;
    std::string line = std::move(side.line);
    side.line.clear();
    pos = lineEnd;
    auto action = static_cast<LineAction>(handleLine(dir, line, offset + lineEnd, frame));
    if (action == LineAction::None) continue;
    emit(dir, offset + emitted, data.subspan(emitted, lineEnd - emitted), time, frame, afterGap && emitted == 0,
         Content::Plaintext);
    emitted = lineEnd;
    ByteView rest = data.subspan(lineEnd);
    switch (action) {
      case LineAction::ClientHold:
        side.mode = Mode::Held;
        if (!rest.empty()) bytes(dir, offset + lineEnd, rest, time, frame, false);
        return;
      case LineAction::ServerTls: {
        Upgrade upgrade = *upgrade_;
        upgrade_.reset();
        side.mode = Mode::Tls;
        startTls(dir, offset + lineEnd, frame);
        Direction client = opposite(dir);
        if (sides_[index(client)].mode == Mode::Held) {
          startTls(client, upgrade.clientTlsOffset, frame);
          releaseHeld(client, Mode::Tls);
        }
        if (!rest.empty()) emit(dir, offset + lineEnd, rest, time, frame, false, Content::Tls);
        return;
      }
      case LineAction::Refused:
        upgrade_.reset();
        if (sides_[index(opposite(dir))].mode == Mode::Held) releaseHeld(opposite(dir), Mode::Plain);
        break;
      case LineAction::None:
      default:
        break;
    }
  }
  emit(dir, offset + emitted, data.subspan(emitted), time, frame, afterGap && emitted == 0, Content::Plaintext);
}

void StreamClassifier::identifyProtocol(Direction dir, const std::string& u) {
  if (!info_.protocol.empty()) return;
  if (dir == Direction::ServerToClient) {
    if (startsWith(u, "+OK")) info_.protocol = "POP3";
    else if (startsWith(u, "* OK") || startsWith(u, "* PREAUTH")) info_.protocol = "IMAP";
    else if (startsWith(u, "220") && u.find("FTP") != std::string::npos) info_.protocol = "FTP";
    else if (startsWith(u, "220") && u.find("SMTP") != std::string::npos) info_.protocol = "SMTP";
    return;
  }
  if (startsWith(u, "EHLO ") || startsWith(u, "HELO ") || u == "STARTTLS") info_.protocol = "SMTP";
  else if (startsWith(u, "USER ") || u == "FEAT" || u == "SYST" || startsWith(u, "AUTH TLS") ||
           startsWith(u, "AUTH SSL"))
    info_.protocol = "FTP";
  else if (u == "CAPA" || u == "STLS") info_.protocol = "POP3";
  else if (auto space = u.find(' '); space != std::string::npos && space > 0) {
    std::string_view command = std::string_view(u).substr(space + 1);
    if (startsWith(command, "CAPABILITY") || command == "STARTTLS" || startsWith(command, "LOGIN "))
      info_.protocol = "IMAP";
  }
}

int StreamClassifier::handleLine(Direction dir, const std::string& rawLine, std::uint64_t offsetAfterLine,
                                  std::uint64_t /*frame*/) {
  std::string_view line = rawLine;
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  if (line.size() > kMaxLine) return static_cast<int>(LineAction::None);
  std::string u = upper(line);
  identifyProtocol(dir, u);  // until a greeting or command names the protocol
  if (dir == Direction::ClientToServer) {
    std::string protocol, tag;
    if (u == "STARTTLS") protocol = "SMTP";
    else if (u == "STLS") protocol = "POP3";
    else if (u == "AUTH TLS" || u == "AUTH SSL" || u == "AUTH TLS-C") protocol = "FTP";
    else if (auto space = line.find(' '); space != std::string_view::npos && space > 0 &&
                                          u.substr(space + 1) == "STARTTLS") {
      protocol = "IMAP";
      tag = std::string(line.substr(0, space));
    }
    if (protocol.empty()) return static_cast<int>(LineAction::None);
    if (info_.protocol.empty() || info_.protocol != protocol) info_.protocol = protocol;
    upgrade_ = Upgrade{protocol, tag, offsetAfterLine};
    return static_cast<int>(LineAction::ClientHold);
  }
  if (!upgrade_) return static_cast<int>(LineAction::None);
  const Upgrade& up = *upgrade_;
  LineAction action = LineAction::None;
  if (up.protocol == "SMTP" || up.protocol == "FTP") {
    if (isReplyCode(u) && !(u.size() > 3 && u[3] == '-')) {  // "220-" continues a multi-line reply
      action = startsWith(u, up.protocol == "SMTP" ? "220" : "234") ? LineAction::ServerTls : LineAction::Refused;
    }
  } else if (up.protocol == "POP3") {
    if (startsWith(u, "+OK")) action = LineAction::ServerTls;
    else if (startsWith(u, "-ERR")) action = LineAction::Refused;
  } else if (up.protocol == "IMAP") {
    std::string prefix = upper(up.imapTag) + " ";
    if (startsWith(u, prefix)) {
      std::string_view status = std::string_view(u).substr(prefix.size());
      action = startsWith(status, "OK") ? LineAction::ServerTls : LineAction::Refused;
    }
  }
  return static_cast<int>(action);
}

void StreamClassifier::startTls(Direction dir, std::uint64_t offset, std::uint64_t frame) {
  TlsStart start;
  start.connection = info_.id;
  start.direction = dir;
  start.offset = offset;
  start.frame = frame;
  start.protocol = info_.protocol;
  sink_.onTlsStart(start);
}

void StreamClassifier::releaseHeld(Direction dir, Mode mode) {
  Side& side = sides_[index(dir)];
  std::vector<Held> held = std::move(side.held);
  side.held.clear();
  side.heldBytes = 0;
  side.mode = mode;
  for (Held& piece : held) bytes(dir, piece.offset, piece.data, piece.time, piece.frame, piece.afterGap);
}

void StreamClassifier::gap(Direction dir) {
  Side& side = sides_[index(dir)];
  switch (side.mode) {
    case Mode::Detect: {
      // The probe cannot span a gap: what we have is unknown; detection restarts after the gap.
      std::vector<Held> held = std::move(side.held);
      side.held.clear();
      side.heldBytes = 0;
      for (Held& p : held) emit(dir, p.offset, p.data, p.time, p.frame, p.afterGap, Content::Unknown);
      side.resync = true;
      break;
    }
    case Mode::Plain:
      side.line.clear();
      break;
    case Mode::Held: {
      Bytes head = gather(side.held, kProbeBytes);
      bool tls = looksLikeTlsRecordHeader(head);
      if (tls) startTls(dir, side.held.front().offset, side.held.front().frame);
      upgrade_.reset();
      releaseHeld(dir, tls ? Mode::Tls : Mode::Plain);
      break;
    }
    case Mode::Tls:
    case Mode::Unknown:
    default:
      break;
  }
}

void StreamClassifier::flush() {
  for (Direction dir : {Direction::ClientToServer, Direction::ServerToClient}) {
    Side& side = sides_[index(dir)];
    if (side.mode == Mode::Detect) decideFromProbe(dir, true);
    if (side.mode == Mode::Held) gap(dir);  // same decision as at a gap: the reply never came
  }
}

}  // namespace tlslab::capture::detail
