#include "ConnectionState.hpp"

#include "tlslab/wire/Registry.hpp"

namespace tlslab::gui {

namespace {
bool hasUndecryptedRecord(const model::TraceConnection& c) {
  for (const auto& r : c.records)
    if (r.encrypted && !r.undecryptedReason.empty()) return true;
  return false;
}
}  // namespace

ConnectionState connectionState(const model::TraceConnection& c) {
  // Verification first: a MITM victim that aborted also sends an alert, but
  // the lesson is the failed check, not the alert it caused.
  if ((c.serverVerification && !c.serverVerification->ok) || (c.clientVerification && !c.clientVerification->ok))
    return ConnectionState::VerificationFailed;
  if (c.state.kind == model::ConnectionState::Kind::Alert) return ConnectionState::Alert;
  if (hasUndecryptedRecord(c)) return ConnectionState::NotDecryptable;
  using Kind = model::ConnectionState::Kind;
  if (c.state.kind == Kind::Unknown || c.state.kind == Kind::Ok || c.state.kind == Kind::Closed) return ConnectionState::Ok;
  return ConnectionState::Incomplete;
}

QString connectionStateName(ConnectionState state) {
  switch (state) {
    case ConnectionState::Ok: return QStringLiteral("ok");
    case ConnectionState::Alert: return QStringLiteral("alert");
    case ConnectionState::VerificationFailed: return QStringLiteral("failed verification");
    case ConnectionState::NotDecryptable: return QStringLiteral("not decryptable");
    case ConnectionState::Incomplete: return QStringLiteral("incomplete");
    default: return QStringLiteral("?");
  }
}

QString connectionStateText(const model::TraceConnection& c) {
  ConnectionState state = connectionState(c);
  switch (state) {
    case ConnectionState::VerificationFailed: {
      const auto& v = c.serverVerification && !c.serverVerification->ok ? *c.serverVerification : *c.clientVerification;
      return QStringLiteral("failed verification: %1").arg(QString::fromStdString(v.errorText));
    }
    case ConnectionState::NotDecryptable:
      return QStringLiteral("not decryptable: %1").arg(QString::fromStdString(c.decryption.text));
    case ConnectionState::Alert:
    case ConnectionState::Incomplete:
      return QString::fromStdString(c.state.text);
    case ConnectionState::Ok:
    default:
      return c.state.text.empty() ? connectionStateName(state) : QString::fromStdString(c.state.text);
  }
}

QString versionText(std::uint16_t version) {
  if (version == 0) return QStringLiteral("?");
  const char* name = wire::versionName(version);
  return name ? QString::fromUtf8(name) : QStringLiteral("0x%1").arg(version, 4, 16, QLatin1Char('0'));
}

}  // namespace tlslab::gui
