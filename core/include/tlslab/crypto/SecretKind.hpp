#pragma once
// One name for each TLS 1.3 secret that knows both its HKDF label (RFC 8446
// §7.1) and the SSLKEYLOGFILE label that carries it (NSS key log format), so
// the two can never drift apart (STYLE practice 8, after rustls' SecretKind).
#include <optional>
#include <span>
#include <string_view>

#include "tlslab/model/Derivation.hpp"

namespace tlslab::crypto {

enum class SecretKind {
  ResumptionPskBinderKey,
  ExternalPskBinderKey,
  ClientEarlyTrafficSecret,
  EarlyExporterMasterSecret,
  ClientHandshakeTrafficSecret,
  ServerHandshakeTrafficSecret,
  ClientApplicationTrafficSecret0,
  ServerApplicationTrafficSecret0,
  ExporterMasterSecret,
  ResumptionMasterSecret,
};

struct SecretKindInfo {
  SecretKind kind;
  std::string_view name;         // "client_handshake_traffic_secret"
  std::string_view hkdfLabel;    // "c hs traffic" (without the "tls13 " prefix)
  std::string_view keyLogLabel;  // "CLIENT_HANDSHAKE_TRAFFIC_SECRET", empty if never logged
  std::string_view messages;     // the transcript it hashes, e.g. "ClientHello..ServerHello"
  // Where the secret and the traffic key and IV made from it (RFC 8446 §7.3)
  // sit in the §7.1 picture; None for secrets that make no traffic keys.
  model::ScheduleNode node = model::ScheduleNode::None;
  model::ScheduleNode keyNode = model::ScheduleNode::None;
  model::ScheduleNode ivNode = model::ScheduleNode::None;
};

const SecretKindInfo& secretKindInfo(SecretKind kind);
std::span<const SecretKindInfo> allSecretKinds();
std::optional<SecretKind> secretKindFromKeyLogLabel(std::string_view label);

}  // namespace tlslab::crypto
