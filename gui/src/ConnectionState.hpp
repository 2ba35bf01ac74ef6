#pragma once
// What a connection's row says at a glance: fine, ended by an alert, failed
// certificate verification, or not decryptable. Read from fields the core
// already filled (state, verification, decryption); nothing is re-derived.
#include <QString>

#include "tlslab/model/Trace.hpp"

namespace tlslab::gui {

enum class ConnectionState { Ok, Alert, VerificationFailed, NotDecryptable, Incomplete };

ConnectionState connectionState(const model::TraceConnection& connection);
QString connectionStateName(ConnectionState state);  // "ok", "alert", ...
// The state with its detail, e.g. "alert: handshake_failure".
QString connectionStateText(const model::TraceConnection& connection);
// "TLS 1.3", or "?" when the version is unknown.
QString versionText(std::uint16_t version);

}  // namespace tlslab::gui
