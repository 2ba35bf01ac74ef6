#include "EventText.hpp"

#include "tlslab/wire/Registry.hpp"

namespace tlslab::gui {

using namespace tlslab::endpoints;

namespace {

// OpenSSL's msg-callback pseudo content types: not messages of their own.
constexpr int kRecordHeader = 256;
constexpr int kInnerContentType = 257;

QString nameOr(const char* name, int code) {
  return name ? QString::fromUtf8(name) : QStringLiteral("unknown(%1)").arg(code);
}

QString messageName(const MessageEvent& m) {
  switch (m.contentType) {
    case 21:
      if (m.bytes.size() < 2) return QStringLiteral("Alert");
      return QStringLiteral("Alert %1 %2").arg(nameOr(wire::alertLevelName(m.bytes[0]), m.bytes[0]),
                                               nameOr(wire::alertDescriptionName(m.bytes[1]), m.bytes[1]));
    case 22: return m.bytes.empty() ? QStringLiteral("Handshake") : nameOr(wire::handshakeTypeName(m.bytes[0]), m.bytes[0]);
    default: return QString::fromStdString(wire::contentTypeDisplay(m.contentType));
  }
}

// Which way a message went, as lanes: the side that connected is on the left.
QString arrow(Role role, bool sent) {
  const bool connector = role == Role::Client || role == Role::ProxyBack;
  const bool rightwards = connector == sent;
  switch (role) {
    case Role::ProxyFront: return rightwards ? QStringLiteral("victim → proxy") : QStringLiteral("victim ← proxy");
    case Role::ProxyBack: return rightwards ? QStringLiteral("proxy → server") : QStringLiteral("proxy ← server");
    case Role::Client:
    case Role::Server:
    default: return rightwards ? QStringLiteral("client → server") : QStringLiteral("client ← server");
  }
}

QString printable(ByteView bytes, std::size_t limit) {
  QString out;
  for (std::size_t i = 0; i < bytes.size() && i < limit; ++i) {
    const unsigned char c = bytes[i];
    if (c == '\n') out += QStringLiteral("\\n");
    else if (c == '\r') out += QStringLiteral("\\r");
    else if (c >= 0x20 && c < 0x7f) out += QLatin1Char(static_cast<char>(c));
    else out += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
  }
  if (bytes.size() > limit) out += QStringLiteral("… (%1 bytes)").arg(bytes.size());
  return out;
}

}  // namespace

TimeUs eventTime(const Event& event) {
  return std::visit([](const auto& e) { return e.time; }, event);
}

QString eventLine(Role role, const Event& event, TimeUs start) {
  const QString prefix = QStringLiteral("%1 ms  [%2]  ")
                             .arg(static_cast<double>(eventTime(event) - start) / 1000.0, 8, 'f', 3)
                             .arg(QString::fromUtf8(roleName(role)), -11);
  if (const auto* m = std::get_if<MessageEvent>(&event)) {
    if (m->contentType == kRecordHeader || m->contentType == kInnerContentType) return {};
    return prefix + arrow(role, m->sent) + QStringLiteral("  %1 (%2 bytes)").arg(messageName(*m)).arg(m->bytes.size());
  }
  if (const auto* v = std::get_if<VerifyEvent>(&event)) {
    const auto& s = v->step;
    QString verdict = s.ok ? QStringLiteral("✓ ok")
                           : QStringLiteral("✗ %1 (%2)").arg(QString::fromStdString(s.errorName), QString::fromStdString(s.errorText));
    return prefix + QStringLiteral("verify depth %1: %2 — %3; callback returned %4: %5")
                        .arg(s.depth)
                        .arg(QString::fromStdString(s.subject), verdict)
                        .arg(v->callbackReturned ? 1 : 0)
                        .arg(QString::fromStdString(v->why));
  }
  if (const auto* i = std::get_if<InfoEvent>(&event)) {
    if (i->what == "state") return {};  // every state transition is too chatty for a log
    return prefix + QStringLiteral("%1: %2").arg(QString::fromStdString(i->what), QString::fromStdString(i->state));
  }
  if (const auto* a = std::get_if<AppDataEvent>(&event))
    return prefix + arrow(role, a->sent) + QStringLiteral("  application data: \"%1\"").arg(printable(a->bytes, 160));
  if (const auto* k = std::get_if<KeyLogEvent>(&event))
    return prefix + QStringLiteral("key log: %1").arg(QString::fromStdString(k->line.substr(0, k->line.find(' '))));
  if (const auto* n = std::get_if<NoteEvent>(&event)) return prefix + QString::fromStdString(n->text);
  return {};
}

}  // namespace tlslab::gui
