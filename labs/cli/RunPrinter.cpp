#include "cli/RunPrinter.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstring>

#include "tlslab/wire/Messages.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::cli {

using namespace tlslab::endpoints;

namespace {

// The OpenSSL msg callback's pseudo content types (ssl.h): record headers and
// TLS 1.3 inner content types are bookkeeping, not messages on the ladder.
constexpr int kRecordHeader = 256;
constexpr int kInnerContentType = 257;
constexpr std::size_t kTimeWidth = 14;  // "   12.345 ms  "

}  // namespace

std::string messageLabel(const MessageEvent& m) {
  auto name = [](const char* n, int code) { return n ? std::string(n) : fmt::format("unknown({})", code); };
  switch (m.contentType) {
    case 21:
      if (m.bytes.size() >= 2)
        return fmt::format("Alert {} {}", name(wire::alertLevelName(m.bytes[0]), m.bytes[0]),
                           name(wire::alertDescriptionName(m.bytes[1]), m.bytes[1]));
      return "Alert (truncated)";
    case 22:
      // A ServerHello with the fixed random is a HelloRetryRequest (RFC 8446 §4.1.3); OpenSSL calls it server_hello.
      if (m.bytes.size() >= 38 && m.bytes[0] == 2 && std::memcmp(m.bytes.data() + 6, wire::kHelloRetryRequestRandom, 32) == 0)
        return "hello_retry_request";
      if (!m.bytes.empty()) return name(wire::handshakeTypeName(m.bytes[0]), m.bytes[0]);
      return "Handshake (empty)";
    default: return m.contentType < 256 ? wire::contentTypeDisplay(static_cast<std::uint8_t>(m.contentType))
                                         : fmt::format("content type {}", m.contentType);
  }
}

namespace {

// Columns count characters, not bytes: the arrows are UTF-8.
std::size_t width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::string fit(const std::string& s, std::size_t w) {
  if (width(s) <= w) return s + std::string(w - width(s), ' ');
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size() && n < w - 1; ++i) {
    out += s[i];
    if (i + 1 >= s.size() || (static_cast<unsigned char>(s[i + 1]) & 0xC0) != 0x80) ++n;
  }
  return out + "…";
}

std::string repeat(const char* glyph, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += glyph;
  return out;
}

}  // namespace

std::string oneLine(std::string_view text) {
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else out += ch;  // printable ASCII and UTF-8 (the messages' own § and —)
  }
  return out;
}

std::string printable(ByteView bytes, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size() && i < limit; ++i) {
    unsigned char c = bytes[i];
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
    else out += fmt::format("\\x{:02x}", c);
  }
  if (bytes.size() > limit) out += fmt::format("... ({} bytes)", bytes.size());
  return out;
}

Observer RunPrinter::observer() {
  return [this](Role role, const Event& event) { print(role, event); };
}

std::string RunPrinter::timeColumn(TimeUs time) {
  if (start_ == 0) start_ = time;
  return fmt::format("{:9.3f} ms  ", static_cast<double>(time - start_) / 1000.0);
}

// Rows are compared without their time column: the same message again and
// again prints kShownRepeats times, then one line counting the rest.
void RunPrinter::emitRow(TimeUs time, std::string body) {
  if (body == lastRow_) {
    if (++sameRows_ > kShownRepeats) {
      ++hiddenRows_;
      return;
    }
  } else {
    flushRepeats();
    lastRow_ = body;
    sameRows_ = 1;
  }
  out_ << timeColumn(time) << body << "\n";
}

void RunPrinter::flushRepeats() {
  if (hiddenRows_ == 0) return;
  out_ << std::string(kTimeWidth, ' ')
       << fmt::format("… the same line {} more time{}", hiddenRows_, hiddenRows_ == 1 ? "" : "s") << "\n";
  hiddenRows_ = 0;
}

void RunPrinter::print(Role role, const Event& event) {
  std::lock_guard lock(mutex_);
  if (style_ == LogStyle::Full) printFull(role, event);
  else printLadder(role, event);
  out_.flush();
}

// Lanes: the client first, the server last, a proxy in between (its front
// faces the victim on its left, its back the bank on its right).
std::size_t RunPrinter::laneOf(Role role) const {
  const std::size_t last = lanes_.names.size() - 1;
  switch (role) {
    case Role::Client: return 0;
    case Role::Server: return last;
    case Role::ProxyFront: return last >= 2 ? 1 : last;
    case Role::ProxyBack: return last >= 2 ? 1 : 0;
    default: return 0;
  }
}

std::size_t RunPrinter::peerOf(Role role) const {
  const std::size_t last = lanes_.names.size() - 1;
  switch (role) {
    case Role::Client: return 1;
    case Role::Server: return last - 1;
    case Role::ProxyFront: return 0;
    case Role::ProxyBack: return last;
    default: return 1;
  }
}

namespace {
struct Geometry {
  std::size_t text, arrow;  // a lane's text width, the arrow between two lanes
};
Geometry geometryFor(std::size_t lanes) { return lanes > 2 ? Geometry{24, 10} : Geometry{32, 14}; }
}  // namespace

// A message: its label in the sender's column, the arrow towards the receiver.
void RunPrinter::arrowRow(TimeUs time, std::size_t from, std::size_t to, const std::string& label) {
  const Geometry g = geometryFor(lanes_.names.size());
  const std::size_t left = std::min(from, to);
  std::string line(left * (g.text + g.arrow), ' ');
  if (from < to) {
    // A long label may run into the arrow, which keeps at least 3 characters.
    const std::string shown = width(label) + 5 <= g.text + g.arrow ? label : fit(label, g.text + g.arrow - 5);
    const std::size_t used = std::max(width(shown) + 1, g.text);
    line += shown + std::string(used - width(shown), ' ') + repeat("─", g.text + g.arrow - used - 1) + "▶";
  }
  else {
    line += std::string(g.text, ' ') + " ◀" + repeat("─", g.arrow - 3) + " " + label;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  emitRow(time, std::move(line));
}

// A check, a note: in the column of the side that made it, at full length.
void RunPrinter::laneRow(TimeUs time, std::size_t lane, const std::string& text) {
  const Geometry g = geometryFor(lanes_.names.size());
  emitRow(time, std::string(lane * (g.text + g.arrow), ' ') + text);
}

void RunPrinter::printLadder(Role role, const Event& event) {
  if (!headerPrinted_) {
    const Geometry g = geometryFor(lanes_.names.size());
    std::string header(kTimeWidth, ' ');
    for (std::size_t i = 0; i < lanes_.names.size(); ++i)
      header += i + 1 < lanes_.names.size() ? fit(lanes_.names[i], g.text + g.arrow) : lanes_.names[i];
    out_ << header << "\n";
    headerPrinted_ = true;
  }
  const std::size_t lane = laneOf(role), peer = peerOf(role);
  auto message = [&](TimeUs time, bool sent, const std::string& label) {
    // With both ends reporting, each message is drawn once: by its sender.
    if (!sent && lanes_.everySideObserved) return;
    arrowRow(time, sent ? lane : peer, sent ? peer : lane, label);
  };
  if (const auto* m = std::get_if<MessageEvent>(&event)) {
    if (m->contentType != kRecordHeader && m->contentType != kInnerContentType) message(m->time, m->sent, messageLabel(*m));
  } else if (const auto* a = std::get_if<AppDataEvent>(&event)) {
    const std::string kind = a->cleartext.empty() ? "data" : "cleartext " + a->cleartext;
    if (!a->sent && lanes_.everySideObserved && lanes_.showDelivered && lane + 1 == lanes_.names.size())
      laneRow(a->time, lane, "got " + kind + " \"" + printable(a->bytes, 60) + "\"");
    message(a->time, a->sent, kind + " \"" + printable(a->bytes, 60) + "\"");
  } else if (const auto* v = std::get_if<VerifyEvent>(&event)) {
    std::string text = fmt::format("{} depth {} {}", v->step.ok ? "✓" : "✗", v->step.depth, v->step.subject);
    if (!v->step.ok) text += ": " + v->step.errorName + (v->callbackReturned ? ", ignored (callback returned 1)" : ", abort");
    laneRow(v->time, lane, text);
    // OpenSSL stops at a refused error: say so, or the missing depths vanish without a word.
    if (!v->callbackReturned && v->chainLength > v->step.depth + 1)
      laneRow(v->time, lane,
              fmt::format("  depth {}{} not checked: OpenSSL stops at the first error its callback refuses", v->step.depth + 1,
                          v->chainLength > v->step.depth + 2 ? fmt::format("..{}", v->chainLength - 1) : ""));
  } else if (const auto* n = std::get_if<NoteEvent>(&event)) {
    laneRow(n->time, lane, n->text);
  } else if (const auto* i = std::get_if<InfoEvent>(&event); i && i->what == "handshake done") {
    laneRow(i->time, lane, "handshake done");
  }
}

void RunPrinter::printSummary(const ClientRun& run) {
  std::lock_guard lock(mutex_);
  flushRepeats();
  out_ << "\n";
  if (!run.negotiated.version.empty())
    out_ << fmt::format("negotiated: {} {}{}{}{}\n", run.negotiated.version, run.negotiated.cipher,
                        run.negotiated.group.empty() ? "" : ", group " + run.negotiated.group,
                        run.negotiated.alpn.empty() ? "" : ", ALPN " + run.negotiated.alpn,
                        run.negotiated.resumed ? ", resumed session (by " + run.negotiated.resumedBy + ")" : "");
  if (!run.verify.steps.empty())
    out_ << "certificate check: "
         << (run.verify.ok ? std::string("✓ passed")
                           : fmt::format("✗ {} at depth {} ({})", run.verify.errorName, run.verify.errorDepth,
                                         run.verify.errorText))
         << "\n";
  if (!run.received.empty()) out_ << "received: \"" << printable(asBytes(run.received), 600) << "\"\n";
  out_ << (run.error.empty() ? "result: ok\n" : "result: FAILED: " + oneLine(run.error) + "\n");
  out_.flush();
}

}  // namespace tlslab::cli
