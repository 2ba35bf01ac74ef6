#pragma once
// Private to wire: the learner text of the handshake messages' fields
// (Messages.cpp), one namespace per message, in the order the fields are read.
// Text built from values at parse time (counts, "certificate[1]") stays there.
#include "FieldText.hpp"

namespace tlslab::wire::detail::text {

namespace handshake {  // the 4-byte header of every message, RFC 8446 §4
inline constexpr FieldText msgType{"msg_type", "Which handshake message this is.", "RFC 8446 §4"};
inline constexpr FieldText length{
    "length", "Length of the message body that follows (excluding this 4-byte header).", "RFC 8446 §4"};
// The message's own node when the ServerHello is a HelloRetryRequest.
inline constexpr const char* kHelloRetryRequest =
    "HelloRetryRequest: a ServerHello with a special random; the server needs a different key share (or a cookie) "
    "and asks the client to send a new ClientHello.";
inline constexpr FieldText unknownBody{"body", "Contents of an unknown handshake message.", "RFC 8446 §4"};
}  // namespace handshake

namespace clientHello {
inline constexpr const char* kRfc = "RFC 8446 §4.1.2";
inline constexpr FieldText legacyVersion{"legacy_version",
                                         "Highest version for TLS 1.2 peers; TLS 1.3 clients put 0x0303 here and list "
                                         "real versions in supported_versions.",
                                         kRfc};
inline constexpr FieldText random{
    "random",
    "32 bytes the client chose at random; they go into every key derivation, so each connection gets fresh keys.",
    kRfc};
inline constexpr FieldText legacySessionId{
    "legacy_session_id",
    "A session to resume (TLS 1.2), or 32 random bytes in TLS 1.3 middlebox compatibility mode.", kRfc};
inline constexpr FieldText cipherSuites{
    "cipher_suites", "Cipher suites the client supports, most preferred first; the server picks one.", kRfc};
inline constexpr FieldText cipherSuite{"cipher_suite", "One cipher suite the client offers.", kRfc};
inline constexpr FieldText compressionMethods{
    "legacy_compression_methods", "Compression methods; must be exactly [0] (null) in TLS 1.3.", kRfc};
inline constexpr FieldText compressionMethod{"compression_method", "0 = no compression.", kRfc};
inline constexpr FieldText dtlsCookie{
    "cookie",
    "DTLS only: empty in the first ClientHello; the second returns the HelloVerifyRequest's cookie, proving the client "
    "receives at its source address (the server keeps no state until then).",
    "RFC 6347 §4.2.1"};
}  // namespace clientHello

namespace serverHello {
inline constexpr const char* kRfc = "RFC 8446 §4.1.3";
inline constexpr FieldText legacyVersion{"legacy_version",
                                         "Version for TLS 1.2 peers; a TLS 1.3 server puts 0x0303 here and the real "
                                         "one in supported_versions.",
                                         kRfc};
inline constexpr FieldText random{
    "random",
    "32 random bytes from the server; with the client random they make every key unique to this connection.", kRfc};
// The meaning of `random` when it is SHA-256("HelloRetryRequest").
inline constexpr const char* kHelloRetryRequestRandom =
    "The fixed value SHA-256(\"HelloRetryRequest\"): this is a HelloRetryRequest, asking the client to try again.";
inline constexpr FieldText legacySessionIdEcho{
    "legacy_session_id_echo",
    "The client's session id echoed back (TLS 1.3), or the session id for resumption (TLS 1.2).", kRfc};
inline constexpr FieldText cipherSuite{
    "cipher_suite", "The one cipher suite the server chose from the client's list.", kRfc};
inline constexpr FieldText compressionMethod{"legacy_compression_method", "Always 0 (no compression).", kRfc};
}  // namespace serverHello

namespace helloVerifyRequest {
inline constexpr const char* kRfc = "RFC 6347 §4.2.1";
inline constexpr FieldText serverVersion{"server_version", "DTLS version of the server.", kRfc};
inline constexpr FieldText cookie{
    "cookie", "Stateless cookie the client must return to prove its address.", kRfc};
}  // namespace helloVerifyRequest

namespace newSessionTicket12 {  // TLS 1.2 (RFC 5077)
inline constexpr const char* kRfc = "RFC 5077 §3.3";
inline constexpr FieldText lifetimeHint{
    "ticket_lifetime_hint", "Seconds the client may keep the ticket (0 = unspecified).", kRfc};
inline constexpr FieldText ticket{
    "ticket",
    "The session state, encrypted under a key only the server knows; the client presents it to resume.", kRfc};
}  // namespace newSessionTicket12

namespace newSessionTicket {  // TLS 1.3
inline constexpr const char* kRfc = "RFC 8446 §4.6.1";
inline constexpr FieldText lifetime{"ticket_lifetime", "Seconds this ticket may be used (at most 7 days).", kRfc};
inline constexpr FieldText ageAdd{
    "ticket_age_add", "Random value the client adds to the ticket age to hide it from observers.", kRfc};
inline constexpr FieldText nonce{"ticket_nonce",
                                 "Per-ticket value; the resumption PSK is HKDF-Expand-Label(resumption_master_secret, "
                                 "\"resumption\", nonce).",
                                 kRfc};
inline constexpr FieldText ticket{"ticket", "Opaque label the client sends back as a PSK identity.", kRfc};
}  // namespace newSessionTicket

namespace certificate {  // TLS 1.3's sections; TLS 1.2's message has the same fields but the context
inline constexpr const char* kRfc = "RFC 8446 §4.4.2";
inline constexpr const char* kTls12Rfc = "RFC 5246 §7.4.2";
inline constexpr FieldText requestContext{
    "certificate_request_context",
    "Empty in the handshake; echoes the CertificateRequest context for post-handshake authentication.", kRfc};
inline constexpr FieldText list{
    "certificate_list", "The sender's certificate first, then the chain towards a root CA.", kRfc};
// One entry of the list, shown as certificate[0], certificate[1], ...
inline constexpr FieldText endEntity{"certificate", "The end-entity (leaf) certificate.", kRfc};
inline constexpr FieldText chainCertificate{
    "certificate", "An intermediate or root CA certificate in the chain.", kRfc};
inline constexpr FieldText certData{"cert_data", "The X.509 certificate in DER encoding.", kRfc};
inline constexpr FieldText der{
    "der", "The certificate itself: subject, issuer, validity, public key, extensions and the CA's signature.",
    "RFC 5280 §4.1"};
}  // namespace certificate

namespace serverKeyExchange {
inline constexpr const char* kEcdheRfc = "RFC 8422 §5.4";
inline constexpr FieldText curveType{
    "curve_type", "3 = named_curve: the group is named by the next field.", kEcdheRfc};
inline constexpr FieldText namedCurve{
    "named_curve", "The elliptic curve (group) for this ECDHE exchange.", kEcdheRfc};
inline constexpr FieldText ecdhPublic{"public", "The server's ephemeral ECDH public key.", kEcdheRfc};
inline constexpr const char* kDheRfc = "RFC 5246 §7.4.3";
inline constexpr FieldText dhP{"dh_p", "The prime modulus of the Diffie-Hellman group.", kDheRfc};
inline constexpr FieldText dhG{"dh_g", "The generator of the Diffie-Hellman group.", kDheRfc};
inline constexpr FieldText dhYs{"dh_Ys", "The server's ephemeral DH public value g^x mod p.", kDheRfc};
// The signed parameters' trailer (TLS 1.2 has the algorithm, 1.0/1.1 do not).
inline constexpr FieldText signatureAlgorithm{
    "signature_algorithm", "The algorithm of the signature that follows.", "RFC 5246 §7.4.1.4.1"};
inline constexpr FieldText signature{"signature",
                                     "The server's signature over both randoms and these parameters, made with its "
                                     "certificate key: proves the key share is the server's.",
                                     "RFC 5246 §7.4.3"};
inline constexpr FieldText pskIdentityHint{
    "psk_identity_hint",
    "A hint from the server about which PSK identity to use (may be empty); PSK suites send no signature: the "
    "shared key itself authenticates both sides, through the Finished messages.",
    "RFC 4279 §2"};
}  // namespace serverKeyExchange

namespace certificateRequest {  // TLS 1.3
inline constexpr FieldText requestContext{
    "certificate_request_context", "Identifies this request; empty in the handshake, the client echoes it.",
    "RFC 8446 §4.3.2"};
}  // namespace certificateRequest

namespace certificateRequest12 {  // TLS 1.2 and earlier
inline constexpr const char* kRfc = "RFC 5246 §7.4.4";
inline constexpr FieldText certificateTypes{
    "certificate_types", "Kinds of client certificate key the server accepts.", kRfc};
inline constexpr FieldText certificateType{"certificate_type", "A client certificate key type.", kRfc};
inline constexpr FieldText signatureAlgorithms{
    "supported_signature_algorithms", "Signature algorithms the server accepts in the client's CertificateVerify.",
    kRfc};
inline constexpr FieldText signatureAlgorithm{"signature_algorithm", "An acceptable signature algorithm.", kRfc};
inline constexpr FieldText certificateAuthorities{
    "certificate_authorities", "Names of CAs whose certificates the server accepts (empty = any).", kRfc};
inline constexpr FieldText distinguishedName{"distinguished_name", "DER X.501 name of an acceptable CA.", kRfc};
}  // namespace certificateRequest12

namespace clientKeyExchange {
inline constexpr FieldText ecdhYc{
    "ecdh_Yc", "The client's ephemeral ECDH public key; with the server's it gives the pre-master secret.",
    "RFC 8422 §5.7"};
inline constexpr FieldText dhYc{"dh_Yc", "The client's ephemeral DH public value.", "RFC 5246 §7.4.7.2"};
inline constexpr FieldText encryptedPreMasterSecret{
    "encrypted_pre_master_secret",
    "48-byte pre-master secret encrypted to the server's RSA key; whoever has that private key can decrypt the "
    "whole session (no forward secrecy).",
    "RFC 5246 §7.4.7.1"};
inline constexpr FieldText ssl3EncryptedPreMasterSecret{
    "encrypted_pre_master_secret",
    "48-byte pre-master secret encrypted to the server's RSA key, without the 2-byte length TLS 1.0 added (SSL 3.0 "
    "sends the RSA block bare); whoever has that private key can decrypt the whole session.",
    "RFC 6101 §5.6.7.1"};
inline constexpr FieldText pskIdentity{
    "psk_identity",
    "Names the pre-shared key the client uses, in the clear: an eavesdropper learns who connects, and whoever "
    "holds the key for this identity can decrypt the session.",
    "RFC 4279 §2"};
inline constexpr FieldText rsaPskEncryptedPreMasterSecret{
    "encrypted_pre_master_secret",
    "RSA_PSK: 48 random bytes encrypted to the server's RSA key; they become other_secret, so decrypting needs "
    "both the server's key and the PSK.",
    "RFC 4279 §4"};
inline constexpr FieldText dhePskYc{
    "dh_Yc", "DHE_PSK: the client's ephemeral DH public value; the DH result becomes other_secret.", "RFC 4279 §3"};
inline constexpr FieldText ecdhePskYc{
    "ecdh_Yc", "ECDHE_PSK: the client's ephemeral ECDH public key; the ECDH result becomes other_secret.",
    "RFC 5489 §2"};
}  // namespace clientKeyExchange

namespace certificateVerify {  // TLS 1.3's section; TLS 1.2's message says the same
inline constexpr const char* kRfc = "RFC 8446 §4.4.3";
inline constexpr const char* kTls12Rfc = "RFC 5246 §7.4.8";
inline constexpr FieldText algorithm{"algorithm", "The signature algorithm used.", kRfc};
inline constexpr FieldText signature{"signature",
                                     "Signature over the handshake transcript with the certificate's private key: "
                                     "proves the sender owns the certificate.",
                                     kRfc};
}  // namespace certificateVerify

namespace finished {
inline constexpr FieldText verifyData{"verify_data",
                                      "HMAC (1.3) or PRF (1.2) over the whole handshake transcript: proves both sides "
                                      "saw the same messages and hold the same keys.",
                                      "RFC 8446 §4.4.4"};
}  // namespace finished

namespace certificateStatus {
inline constexpr const char* kRfc = "RFC 6066 §8";
inline constexpr FieldText statusType{"status_type", "1 = OCSP.", kRfc};
inline constexpr FieldText ocspResponse{
    "ocsp_response", "A stapled OCSP response for the server certificate.", kRfc};
}  // namespace certificateStatus

namespace keyUpdate {
inline constexpr FieldText requestUpdate{"request_update",
                                         "Whether the peer should update its sending keys too; the sender switches "
                                         "keys right after this message.",
                                         "RFC 8446 §4.6.3"};
}  // namespace keyUpdate

namespace compressedCertificate {
inline constexpr const char* kRfc = "RFC 8879 §4";
inline constexpr FieldText algorithm{"algorithm", "The compression algorithm.", kRfc};
inline constexpr FieldText uncompressedLength{
    "uncompressed_length", "Size of the Certificate message after decompression.", kRfc};
inline constexpr FieldText message{"compressed_certificate_message", "The compressed Certificate message.", kRfc};
}  // namespace compressedCertificate

namespace messageHash {
inline constexpr FieldText hash{
    "hash", "Hash of ClientHello1, replacing it in the transcript after a HelloRetryRequest.", "RFC 8446 §4.4.1"};
}  // namespace messageHash

}  // namespace tlslab::wire::detail::text
