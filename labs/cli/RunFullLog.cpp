// `--full-log`: every event of every observed side, as OpenSSL reported it.
#include <fmt/core.h>

#include <algorithm>

#include "cli/RunPrinter.hpp"

namespace tlslab::cli {

using namespace tlslab::endpoints;

namespace {

constexpr int kRecordHeader = 256;
constexpr int kInnerContentType = 257;

}  // namespace

void RunPrinter::printFull(Role role, const Event& event) {
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
    out_ << timeColumn(m->time) << "[" << who << "]  " << arrow(m->sent) << "  " << messageLabel(*m)
         << fmt::format(" ({} bytes)\n", m->bytes.size());
  } else if (const auto* v = std::get_if<VerifyEvent>(&event)) {
    out_ << timeColumn(v->time) << "[" << who << "]  verify depth " << v->step.depth << ": " << v->step.subject
         << "\n" << std::string(25, ' ') << "issuer " << v->step.issuer << ", valid " << v->step.notBefore << " .. "
         << v->step.notAfter << "\n"
         << std::string(25, ' ')
         << (v->step.ok ? std::string("✓ ok") : "✗ " + v->step.errorName + " (" + v->step.errorText + ")")
         << "; callback returned " << (v->callbackReturned ? 1 : 0) << ": " << v->why << "\n";
  } else if (const auto* i = std::get_if<InfoEvent>(&event)) {
    if (i->what == "state") return;  // every state-machine transition: too chatty even here
    out_ << timeColumn(i->time) << "[" << who << "]  " << i->what << ": " << i->state << "\n";
  } else if (const auto* a = std::get_if<AppDataEvent>(&event)) {
    out_ << timeColumn(a->time) << "[" << who << "]  " << arrow(a->sent) << "  "
         << (a->cleartext.empty() ? std::string("application data") : "cleartext " + a->cleartext) << ": \""
         << printable(a->bytes, 160) << "\"\n";
  } else if (const auto* k = std::get_if<KeyLogEvent>(&event)) {
    out_ << timeColumn(k->time) << "[" << who << "]  key log: " << k->line.substr(0, k->line.find(' ')) << "\n";
  } else if (const auto* e = std::get_if<EphemeralKeyEvent>(&event)) {
    out_ << timeColumn(e->time) << "[" << who << "]  ephemeral " << e->group << " key, share "
         << toHex(ByteView(e->publicKey).first(std::min<std::size_t>(8, e->publicKey.size()))) << "...\n";
  } else if (const auto* n = std::get_if<NoteEvent>(&event)) {
    out_ << timeColumn(n->time) << "[" << who << "]  " << n->text << "\n";
  } else if (const auto* w = std::get_if<WireEvent>(&event); w && showWire_) {
    out_ << timeColumn(w->time) << "[" << who << "]  wire " << (w->sent ? "out" : "in") << " " << w->bytes.size()
         << " bytes\n";
  }
}

}  // namespace tlslab::cli
