#include "cli/RunPrinter.hpp"

#include <fmt/core.h>

#include "tlslab/wire/Registry.hpp"

namespace tlslab::cli {

using namespace tlslab::endpoints;

namespace {

// The OpenSSL msg callback's pseudo content types (ssl.h): record headers and
// TLS 1.3 inner content types are bookkeeping, not messages on the ladder.
constexpr int kRecordHeader = 256;
constexpr int kInnerContentType = 257;

std::string messageLabel(const MessageEvent& m) {
  auto name = [](const char* n, int code) { return n ? std::string(n) : fmt::format("unknown({})", code); };
  switch (m.contentType) {
    case 20: return "ChangeCipherSpec";
    case 21:
      if (m.bytes.size() >= 2)
        return fmt::format("Alert {} {}", name(wire::alertLevelName(m.bytes[0]), m.bytes[0]),
                           name(wire::alertDescriptionName(m.bytes[1]), m.bytes[1]));
      return "Alert (truncated)";
    case 22:
      if (!m.bytes.empty()) return name(wire::handshakeTypeName(m.bytes[0]), m.bytes[0]);
      return "Handshake (empty)";
    case 24: return "Heartbeat";
    default: return fmt::format("content type {}", m.contentType);
  }
}

}  // namespace

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
  return fmt::format("{:9.3f} ms", static_cast<double>(time - start_) / 1000.0);
}

void RunPrinter::print(Role role, const Event& event) {
  std::lock_guard lock(mutex_);
  // Client on the left, server on the right: "sent" by the client goes right.
  auto arrow = [role](bool sent) -> std::string {
    bool clientSide = role == Role::Client || role == Role::ProxyBack;  // the side that connected
    bool rightwards = clientSide == sent;
    if (role == Role::ProxyFront) return rightwards ? "victim ─────▶ proxy " : "victim ◀───── proxy ";
    if (role == Role::ProxyBack) return rightwards ? "proxy  ─────▶ server" : "proxy  ◀───── server";
    return rightwards ? "client ───────────▶ server" : "client ◀─────────── server";
  };
  const char* who = roleName(role);
  if (const auto* m = std::get_if<MessageEvent>(&event)) {
    if (m->contentType == kRecordHeader || m->contentType == kInnerContentType) return;
    out_ << timeColumn(m->time) << "  [" << who << "]  " << arrow(m->sent) << "  " << messageLabel(*m)
         << fmt::format(" ({} bytes)\n", m->bytes.size());
  } else if (const auto* v = std::get_if<VerifyEvent>(&event)) {
    out_ << timeColumn(v->time) << "  [" << who << "]  verify depth " << v->step.depth << ": " << v->step.subject
         << "\n" << std::string(25, ' ') << "issuer " << v->step.issuer << ", valid " << v->step.notBefore << " .. "
         << v->step.notAfter << "\n"
         << std::string(25, ' ')
         << (v->step.ok ? std::string("✓ ok") : "✗ " + v->step.errorName + " (" + v->step.errorText + ")")
         << "; callback returned " << (v->callbackReturned ? 1 : 0) << ": " << v->why << "\n";
  } else if (const auto* i = std::get_if<InfoEvent>(&event)) {
    if (i->what == "state" || (compact_ && i->what.rfind("alert", 0) != 0)) return;  // transitions are too chatty
    out_ << timeColumn(i->time) << "  [" << who << "]  " << i->what << ": " << i->state << "\n";
  } else if (const auto* a = std::get_if<AppDataEvent>(&event)) {
    out_ << timeColumn(a->time) << "  [" << who << "]  " << arrow(a->sent) << "  application data: \""
         << printable(a->bytes, 160) << "\"\n";
  } else if (const auto* k = std::get_if<KeyLogEvent>(&event); k && !compact_) {
    out_ << timeColumn(k->time) << "  [" << who << "]  key log: " << k->line.substr(0, k->line.find(' ')) << "\n";
  } else if (const auto* n = std::get_if<NoteEvent>(&event)) {
    out_ << timeColumn(n->time) << "  [" << who << "]  " << n->text << "\n";
  } else if (const auto* w = std::get_if<WireEvent>(&event); w && showWire_) {
    out_ << timeColumn(w->time) << "  [" << who << "]  wire " << (w->sent ? "out" : "in") << " "
         << w->bytes.size() << " bytes\n";
  }
  out_.flush();
}

void RunPrinter::printSummary(const ClientRun& run) {
  std::lock_guard lock(mutex_);
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
  out_ << (run.error.empty() ? "result: ok\n" : "result: FAILED: " + run.error + "\n");
  out_.flush();
}

}  // namespace tlslab::cli
