#pragma once
// The extension types (IANA ExtensionType registry), each declared once: its
// constant (ext::kKeyShare), IANA name, defining RFC, and the TLS 1.3 messages
// it may appear in (RFC 8446 §4.2 table and the registry's "TLS 1.3" column;
// the allow lists s2n keeps in s2n_extension_type_lists.c). The name lookup
// (extensionName) and the flow verdicts ("key_share is not allowed in
// EncryptedExtensions") read this table.
#include <cstdint>

namespace tlslab::wire {

// Where an extension may sit in TLS 1.3 (bits of ExtensionTypeInfo::tls13).
namespace in13 {
constexpr std::uint8_t CH = 1, SH = 2, HRR = 4, EE = 8, CT = 16, CR = 32, NST = 64;
constexpr std::uint8_t Tls12Only = 0;   // the registry's "-": never in a TLS 1.3 message but ClientHello
constexpr std::uint8_t Unchecked = 0x80;  // not classified here: never flagged
}  // namespace in13

// X(Id, code, iana_name, rfc, tls13)
#define TLSLAB_EXTENSION_TYPES(X)                                                                 \
  X(ServerName, 0, "server_name", "RFC 6066 §3", CH | EE)                                         \
  X(MaxFragmentLength, 1, "max_fragment_length", "RFC 6066 §4", CH | EE)                          \
  X(ClientCertificateUrl, 2, "client_certificate_url", "RFC 6066 §5", Tls12Only)                  \
  X(TrustedCaKeys, 3, "trusted_ca_keys", "RFC 6066 §6", Tls12Only)                                \
  X(TruncatedHmac, 4, "truncated_hmac", "RFC 6066 §7", Tls12Only)                                 \
  X(StatusRequest, 5, "status_request", "RFC 6066 §8", CH | CR | CT)                              \
  X(UserMapping, 6, "user_mapping", "RFC 4681", Tls12Only)                                        \
  X(ClientAuthz, 7, "client_authz", "RFC 5878", Tls12Only)                                        \
  X(ServerAuthz, 8, "server_authz", "RFC 5878", Tls12Only)                                        \
  X(CertType, 9, "cert_type", "RFC 6091", Tls12Only)                                              \
  X(SupportedGroups, 10, "supported_groups", "RFC 8446 §4.2.7", CH | EE)                          \
  X(EcPointFormats, 11, "ec_point_formats", "RFC 8422 §5.1.2", Tls12Only)                         \
  X(Srp, 12, "srp", "RFC 5054", Tls12Only)                                                        \
  X(SignatureAlgorithms, 13, "signature_algorithms", "RFC 8446 §4.2.3", CH | CR)                  \
  X(UseSrtp, 14, "use_srtp", "RFC 5764", CH | EE)                                                 \
  X(Heartbeat, 15, "heartbeat", "RFC 6520 §2", CH | EE)                                           \
  X(Alpn, 16, "application_layer_protocol_negotiation", "RFC 7301 §3.1", CH | EE)                 \
  X(StatusRequestV2, 17, "status_request_v2", "RFC 6961", Tls12Only)                              \
  X(Sct, 18, "signed_certificate_timestamp", "RFC 6962 §3.3", CH | CR | CT)                       \
  X(ClientCertificateType, 19, "client_certificate_type", "RFC 7250", CH | EE)                    \
  X(ServerCertificateType, 20, "server_certificate_type", "RFC 7250", CH | EE)                    \
  X(Padding, 21, "padding", "RFC 7685 §3", CH)                                                    \
  X(EncryptThenMac, 22, "encrypt_then_mac", "RFC 7366", Tls12Only)                                \
  X(ExtendedMasterSecret, 23, "extended_master_secret", "RFC 7627", Tls12Only)                    \
  X(TokenBinding, 24, "token_binding", "RFC 8472", Tls12Only)                                     \
  X(CachedInfo, 25, "cached_info", "RFC 7924", Tls12Only)                                         \
  X(TlsLts, 26, "tls_lts", "draft-gutmann-tls-lts", Unchecked)                                    \
  X(CompressCertificate, 27, "compress_certificate", "RFC 8879 §3", CH | CR)                      \
  X(RecordSizeLimit, 28, "record_size_limit", "RFC 8449 §4", CH | EE)                             \
  X(PwdProtect, 29, "pwd_protect", "RFC 8492", CH)                                                \
  X(PwdClear, 30, "pwd_clear", "RFC 8492", CH)                                                    \
  X(PasswordSalt, 31, "password_salt", "RFC 8492", CH | SH | HRR)                                 \
  X(TicketPinning, 32, "ticket_pinning", "RFC 8672", CH | EE)                                     \
  X(TlsCertWithExternPsk, 33, "tls_cert_with_extern_psk", "RFC 8773", CH | SH)                    \
  X(DelegatedCredential, 34, "delegated_credential", "RFC 9345", CH | CR | CT)                    \
  X(SessionTicket, 35, "session_ticket", "RFC 5077 §3.2", Tls12Only)                              \
  X(Tlmsp, 36, "TLMSP", "ETSI TS 103 523-2", Unchecked)                                           \
  X(TlmspProxying, 37, "TLMSP_proxying", "ETSI TS 103 523-2", Unchecked)                          \
  X(TlmspDelegate, 38, "TLMSP_delegate", "ETSI TS 103 523-2", Unchecked)                          \
  X(SupportedEktCiphers, 39, "supported_ekt_ciphers", "RFC 8870", CH | EE)                        \
  X(PreSharedKey, 41, "pre_shared_key", "RFC 8446 §4.2.11", CH | SH)                              \
  X(EarlyData, 42, "early_data", "RFC 8446 §4.2.10", CH | EE | NST)                               \
  X(SupportedVersions, 43, "supported_versions", "RFC 8446 §4.2.1", CH | SH | HRR)                \
  X(Cookie, 44, "cookie", "RFC 8446 §4.2.2", CH | HRR)                                            \
  X(PskKeyExchangeModes, 45, "psk_key_exchange_modes", "RFC 8446 §4.2.9", CH)                     \
  X(CertificateAuthorities, 47, "certificate_authorities", "RFC 8446 §4.2.4", CH | CR)            \
  X(OidFilters, 48, "oid_filters", "RFC 8446 §4.2.5", CR)                                         \
  X(PostHandshakeAuth, 49, "post_handshake_auth", "RFC 8446 §4.2.6", CH)                          \
  X(SignatureAlgorithmsCert, 50, "signature_algorithms_cert", "RFC 8446 §4.2.3", CH | CR)         \
  X(KeyShare, 51, "key_share", "RFC 8446 §4.2.8", CH | SH | HRR)                                  \
  X(TransparencyInfo, 52, "transparency_info", "RFC 9162", CH | CR | CT)                          \
  X(ConnectionIdDeprecated, 53, "connection_id (deprecated)", "RFC 9146", Unchecked)              \
  X(ConnectionId, 54, "connection_id", "RFC 9146", CH | SH)                                       \
  X(ExternalIdHash, 55, "external_id_hash", "RFC 8844", CH | EE)                                  \
  X(ExternalSessionId, 56, "external_session_id", "RFC 8844", CH | EE)                            \
  X(QuicTransportParameters, 57, "quic_transport_parameters", "RFC 9001 §8.2", CH | EE)           \
  X(TicketRequest, 58, "ticket_request", "RFC 9149", CH | EE)                                     \
  X(DnssecChain, 59, "dnssec_chain", "RFC 9102", CH | CT)                                         \
  X(SequenceNumberEncryptionAlgorithms, 60, "sequence_number_encryption_algorithms", "RFC 9147",  \
    Unchecked)                                                                                    \
  X(Rrc, 61, "rrc", "draft-ietf-tls-dtls-rrc", Unchecked)                                         \
  X(TlsFlags, 62, "tls_flags", "draft-ietf-tls-tlsflags", Unchecked)                              \
  X(EchOuterExtensions, 0xFD00, "ech_outer_extensions", "draft-ietf-tls-esni §5.1", CH)           \
  X(EncryptedClientHello, 0xFE0D, "encrypted_client_hello", "draft-ietf-tls-esni §5", CH | HRR | EE) \
  X(RenegotiationInfo, 0xFF01, "renegotiation_info", "RFC 5746 §3.2", Tls12Only)

// Extension type code points as constants (the code is open: any uint16 is kept).
namespace ext {
#define TLSLAB_EXTENSION_CONSTANT(id, code, iana, rfc, tls13) constexpr std::uint16_t k##id = code;
TLSLAB_EXTENSION_TYPES(TLSLAB_EXTENSION_CONSTANT)
#undef TLSLAB_EXTENSION_CONSTANT
}  // namespace ext

struct ExtensionTypeInfo {
  std::uint16_t code;
  const char* iana;
  const char* rfc;
  std::uint8_t tls13;  // in13 bits
};

// nullptr for a value the registry does not assign (GREASE included).
const ExtensionTypeInfo* extensionTypeInfo(std::uint16_t code);

}  // namespace tlslab::wire
