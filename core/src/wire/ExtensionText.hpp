#pragma once
// Private to wire: the learner text of the extensions' fields (Extensions.cpp),
// one namespace per extension, in the order the fields are read.
#include "FieldText.hpp"

namespace tlslab::wire::detail::text {

namespace extensions {  // the block and each Extension's frame
inline constexpr const char* kRfc = "RFC 8446 §4.2";
inline constexpr FieldText list{"extensions", "Optional features, each a type plus its own data.", kRfc};
// One extension; the tree names it by its type (key_share, GREASE, unknown_extension).
inline constexpr FieldText known{"extension", "An extension; its fields follow.", kRfc};
inline constexpr FieldText unknown{
    "extension", "An extension this code does not know; kept and shown as bytes.", kRfc};
inline constexpr FieldText extensionType{"extension_type", "Which extension this is (IANA registry).", kRfc};
inline constexpr FieldText extensionData{"extension_data", "The extension's contents.", kRfc};
// The contents, when they are not decoded.
inline constexpr FieldText greaseData{
    "extension_data", "GREASE: random content the receiver must ignore (RFC 8701).", "RFC 8701 §3"};
inline constexpr FieldText undecodedData{
    "extension_data", "Contents of an extension this dissector does not decode.", kRfc};
}  // namespace extensions

namespace serverName {
inline constexpr const char* kRfc = "RFC 6066 §3";
inline constexpr FieldText list{"server_name_list", "The names the client wants to reach.", kRfc};
inline constexpr FieldText nameType{"name_type", "Kind of name; 0 is a DNS host name.", kRfc};
inline constexpr FieldText hostName{"host_name",
                                    "The DNS name of the server the client wants (SNI), sent in clear text before "
                                    "encryption starts.",
                                    kRfc};
}  // namespace serverName

namespace maxFragmentLength {
inline constexpr FieldText length{
    "max_fragment_length", "Asks for records of at most 2^(8+n) bytes (1=512 .. 4=4096).", "RFC 6066 §4"};
}  // namespace maxFragmentLength

namespace statusRequest {
inline constexpr const char* kRfc = "RFC 6066 §8";
// In a ClientHello or CertificateRequest: the request.
inline constexpr FieldText statusType{
    "status_type", "1 = OCSP: the client asks the server to staple an OCSP response.", kRfc};
inline constexpr FieldText responderIdList{
    "responder_id_list", "OCSP responders the client trusts (usually empty).", kRfc};
inline constexpr FieldText requestExtensions{"request_extensions", "OCSP request extensions (usually empty).", kRfc};
// In a TLS 1.3 CertificateEntry: the CertificateStatus (RFC 8446 §4.4.2.1).
inline constexpr FieldText responseStatusType{"status_type", "1 = OCSP: an OCSP response follows.", kRfc};
inline constexpr FieldText ocspResponse{
    "ocsp_response", "The CA's signed statement that this certificate is not revoked.", kRfc};
}  // namespace statusRequest

namespace supportedGroups {
inline constexpr const char* kRfc = "RFC 8446 §4.2.7";
inline constexpr FieldText list{
    "named_group_list", "Key-exchange groups the sender supports, most preferred first.", kRfc};
inline constexpr FieldText group{"named_group", "A group for (EC)DHE key exchange.", kRfc};
}  // namespace supportedGroups

namespace ecPointFormats {
inline constexpr const char* kRfc = "RFC 8422 §5.1.2";
inline constexpr FieldText list{"ec_point_format_list", "EC point encodings the sender can parse.", kRfc};
inline constexpr FieldText format{"ec_point_format", "0 = uncompressed points (the only one in use).", kRfc};
}  // namespace ecPointFormats

namespace signatureAlgorithms {
inline constexpr const char* kRfc = "RFC 8446 §4.2.3";
inline constexpr FieldText list{
    "supported_signature_algorithms",
    "Signature algorithms the sender accepts in CertificateVerify and key exchange signatures.", kRfc};
inline constexpr FieldText scheme{"signature_scheme", "A signature algorithm + hash the sender can verify.", kRfc};
}  // namespace signatureAlgorithms

namespace signatureAlgorithmsCert {  // the same list, for signatures inside certificates
inline constexpr FieldText list{
    "supported_signature_algorithms", "Signature algorithms the sender accepts inside certificates.",
    signatureAlgorithms::kRfc};
inline constexpr FieldText scheme = signatureAlgorithms::scheme;
}  // namespace signatureAlgorithmsCert

namespace heartbeat {
inline constexpr FieldText mode{"mode", "Whether the peer may send heartbeat requests.", "RFC 6520 §2"};
}  // namespace heartbeat

namespace alpn {
inline constexpr const char* kRfc = "RFC 7301 §3.1";
inline constexpr FieldText list{"protocol_name_list", "Application protocols, most preferred first.", kRfc};
inline constexpr FieldText protocolName{
    "protocol_name", "An application protocol name such as h2 or http/1.1.", kRfc};
}  // namespace alpn

namespace sct {
inline constexpr const char* kRfc = "RFC 6962 §3.3";
inline constexpr FieldText list{"signed_certificate_timestamp_list",
                                "Certificate Transparency log promises that this certificate was logged.", kRfc};
inline constexpr FieldText serializedSct{
    "serialized_sct", "One signed certificate timestamp from a CT log.", kRfc};
}  // namespace sct

namespace padding {
inline constexpr FieldText zeros{
    "zeros", "Filler that makes the ClientHello a size middleboxes handle; must be zero.", "RFC 7685 §3"};
}  // namespace padding

namespace compressCertificate {
inline constexpr const char* kRfc = "RFC 8879 §3";
inline constexpr FieldText algorithms{
    "algorithms", "Certificate compression algorithms the sender supports.", kRfc};
inline constexpr FieldText algorithm{"algorithm", "A compression algorithm.", kRfc};
}  // namespace compressCertificate

namespace recordSizeLimit {
inline constexpr FieldText limit{
    "record_size_limit", "The largest record plaintext the sender wants to receive.", "RFC 8449 §4"};
}  // namespace recordSizeLimit

namespace sessionTicket {
inline constexpr FieldText ticket{
    "ticket", "A session ticket from an earlier connection, to resume it without a full handshake.",
    "RFC 5077 §3.2"};
}  // namespace sessionTicket

namespace preSharedKey {
inline constexpr const char* kRfc = "RFC 8446 §4.2.11";
inline constexpr FieldText selectedIdentity{
    "selected_identity", "Which of the client's offered PSKs the server accepted.", kRfc};
inline constexpr FieldText identities{
    "identities", "Pre-shared keys (usually session tickets) the client offers.", kRfc};
inline constexpr FieldText identity{"identity", "A ticket or external PSK label identifying the key.", kRfc};
inline constexpr FieldText obfuscatedTicketAge{
    "obfuscated_ticket_age",
    "Ticket age in ms plus the server's ticket_age_add, so observers cannot link connections.", kRfc};
inline constexpr FieldText binders{
    "binders", "One HMAC per identity over the ClientHello so far, proving the client knows the PSK.", kRfc};
inline constexpr FieldText binder{"binder", "HMAC binding this PSK to this ClientHello transcript.", kRfc};
}  // namespace preSharedKey

namespace earlyData {
inline constexpr FieldText maxEarlyDataSize{
    "max_early_data_size", "How many bytes of 0-RTT data the server will accept with this ticket.",
    "RFC 8446 §4.2.10"};
}  // namespace earlyData

namespace supportedVersions {
inline constexpr const char* kRfc = "RFC 8446 §4.2.1";
inline constexpr FieldText versions{
    "versions", "The TLS versions the client supports, most preferred first.", kRfc};
inline constexpr FieldText version{"version", "A protocol version the client can speak.", kRfc};
inline constexpr FieldText selectedVersion{
    "selected_version", "The version the server picked; 0x0304 means this is TLS 1.3.", kRfc};
}  // namespace supportedVersions

namespace cookie {
inline constexpr FieldText cookie{
    "cookie", "Opaque server state the client must echo in its second ClientHello.", "RFC 8446 §4.2.2"};
}  // namespace cookie

namespace pskKeyExchangeModes {
inline constexpr const char* kRfc = "RFC 8446 §4.2.9";
inline constexpr FieldText modes{
    "ke_modes", "How PSKs may be used: alone, or with (EC)DHE for forward secrecy.", kRfc};
inline constexpr FieldText mode{
    "ke_mode", "psk_ke = PSK only; psk_dhe_ke = PSK plus a fresh (EC)DHE exchange.", kRfc};
}  // namespace pskKeyExchangeModes

namespace certificateAuthorities {
inline constexpr const char* kRfc = "RFC 8446 §4.2.4";
inline constexpr FieldText authorities{"authorities", "Distinguished names of CAs the sender trusts.", kRfc};
inline constexpr FieldText distinguishedName{
    "distinguished_name", "A DER-encoded X.501 name of a trusted CA.", kRfc};
}  // namespace certificateAuthorities

namespace keyShare {
inline constexpr const char* kRfc = "RFC 8446 §4.2.8";
inline constexpr FieldText selectedGroup{
    "selected_group", "The group the server wants the client to retry with.", kRfc};
inline constexpr FieldText clientShares{"client_shares", "Key shares the client offers, one per group.", kRfc};
// A KeyShareEntry: one of the client's, or the server's one.
inline constexpr FieldText clientShare{"key_share_entry", "One (EC)DHE public key for one group.", kRfc};
inline constexpr FieldText serverShare{"server_share", "One (EC)DHE public key for one group.", kRfc};
inline constexpr FieldText group{"group", "The group this key belongs to.", kRfc};
inline constexpr FieldText keyExchange{"key_exchange",
                                       "The sender's ephemeral public key; combined with the peer's private key it "
                                       "yields the shared secret.",
                                       kRfc};
}  // namespace keyShare

namespace renegotiationInfo {
inline constexpr FieldText renegotiatedConnection{
    "renegotiated_connection",
    "Empty on a first handshake; on renegotiation, the previous Finished data (prevents splicing attacks).",
    "RFC 5746 §3.2"};
}  // namespace renegotiationInfo

}  // namespace tlslab::wire::detail::text
