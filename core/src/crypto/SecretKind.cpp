#include "tlslab/crypto/SecretKind.hpp"

#include <array>

namespace tlslab::crypto {
namespace {

using S = SecretKind;
using N = model::ScheduleNode;

// RFC 8446 §7.1 labels next to the key log label that carries each secret.
constexpr std::array<SecretKindInfo, 10> kKinds = {{
    {S::ResumptionPskBinderKey, "binder_key (resumption)", "res binder", "", "", N::BinderKey},
    {S::ExternalPskBinderKey, "binder_key (external)", "ext binder", "", "", N::BinderKey},
    {S::ClientEarlyTrafficSecret, "client_early_traffic_secret", "c e traffic", "CLIENT_EARLY_TRAFFIC_SECRET", "ClientHello", N::ClientEarlyTraffic, N::ClientEarlyKey, N::ClientEarlyIv},
    {S::EarlyExporterMasterSecret, "early_exporter_master_secret", "e exp master", "EARLY_EXPORTER_SECRET", "ClientHello", N::EarlyExporter},
    {S::ClientHandshakeTrafficSecret, "client_handshake_traffic_secret", "c hs traffic", "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "ClientHello..ServerHello", N::ClientHandshakeTraffic, N::ClientHandshakeKey, N::ClientHandshakeIv},
    {S::ServerHandshakeTrafficSecret, "server_handshake_traffic_secret", "s hs traffic", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "ClientHello..ServerHello", N::ServerHandshakeTraffic, N::ServerHandshakeKey, N::ServerHandshakeIv},
    {S::ClientApplicationTrafficSecret0, "client_application_traffic_secret_0", "c ap traffic", "CLIENT_TRAFFIC_SECRET_0", "ClientHello..server Finished", N::ClientApplicationTraffic, N::ClientApplicationKey, N::ClientApplicationIv},
    {S::ServerApplicationTrafficSecret0, "server_application_traffic_secret_0", "s ap traffic", "SERVER_TRAFFIC_SECRET_0", "ClientHello..server Finished", N::ServerApplicationTraffic, N::ServerApplicationKey, N::ServerApplicationIv},
    {S::ExporterMasterSecret, "exporter_master_secret", "exp master", "EXPORTER_SECRET", "ClientHello..server Finished", N::ExporterMaster},
    {S::ResumptionMasterSecret, "resumption_master_secret", "res master", "", "ClientHello..client Finished", N::ResumptionMaster},
}};

}  // namespace

const SecretKindInfo& secretKindInfo(SecretKind kind) {
  for (const auto& info : kKinds) {
    if (info.kind == kind) return info;
  }
  return kKinds[0];
}

std::span<const SecretKindInfo> allSecretKinds() { return kKinds; }

std::optional<SecretKind> secretKindFromKeyLogLabel(std::string_view label) {
  for (const auto& info : kKinds) {
    if (!info.keyLogLabel.empty() && info.keyLogLabel == label) return info.kind;
  }
  return std::nullopt;
}

}  // namespace tlslab::crypto
