#pragma once
// The handshake message types (IANA TLS HandshakeType registry), each declared
// once: its enum, its name as the RFCs' structure ("ClientHello"), its IANA
// name ("client_hello"), who sends it, its RFC section and what it is for a
// learner. Everything that names a handshake type reads this table (in the
// spirit of rustls `msgs/macros.rs` enum_builder), so an unknown value is
// spelt one way everywhere: "handshake type 7".
#include <cstdint>
#include <string>

namespace tlslab::wire {

enum class Sender { Client, Server, Either };
const char* senderName(Sender s);

// X(Enum, code, iana_name, sender, rfc, meaning). The RFC column is what the
// field tree shows for the message (RFC 8446 §4 where no section is given).
#define TLSLAB_HANDSHAKE_TYPES(X)                                                                                    \
  X(HelloRequest, 0, "hello_request", Server, "RFC 8446 §4",                                                         \
    "HelloRequest: the server asks the client to renegotiate (TLS 1.2 and earlier).")                               \
  X(ClientHello, 1, "client_hello", Client, "RFC 8446 §4.1.2",                                                       \
    "ClientHello: the client's opening offer of versions, cipher suites, keys and extensions.")                     \
  X(ServerHello, 2, "server_hello", Server, "RFC 8446 §4.1.3",                                                       \
    "ServerHello: the server's choices from the ClientHello (version, suite, key share).")                          \
  X(HelloVerifyRequest, 3, "hello_verify_request", Server, "RFC 8446 §4",                                            \
    "HelloVerifyRequest: a DTLS server asks the client to prove its address with a cookie.")                        \
  X(NewSessionTicket, 4, "new_session_ticket", Server, "RFC 8446 §4.6.1",                                            \
    "NewSessionTicket: a ticket the client can use to resume this session later.")                                  \
  X(EndOfEarlyData, 5, "end_of_early_data", Client, "RFC 8446 §4.5",                                                 \
    "EndOfEarlyData: the client has finished sending 0-RTT data.")                                                  \
  X(LegacyHelloRetryRequest, 6, "hello_retry_request", Server, "RFC 8446 §4",                                        \
    "Code 6 was the TLS 1.3 drafts' HelloRetryRequest; RFC 8446 sends a ServerHello with a special random "         \
    "instead. Not decoded; its body is kept as bytes.")                                                             \
  X(EncryptedExtensions, 8, "encrypted_extensions", Server, "RFC 8446 §4.3.1",                                       \
    "EncryptedExtensions: the server's extensions that need not be in clear text (first encrypted message in TLS "  \
    "1.3).")                                                                                                        \
  X(RequestConnectionId, 9, "request_connection_id", Either, "RFC 8446 §4",                                          \
    "RequestConnectionId: DTLS 1.3 asks the peer for more connection IDs (RFC 9147 §9). Not decoded; its body is "  \
    "kept as bytes.")                                                                                               \
  X(NewConnectionId, 10, "new_connection_id", Either, "RFC 8446 §4",                                                 \
    "NewConnectionId: DTLS 1.3 offers the peer new connection IDs (RFC 9147 §9). Not decoded; its body is kept as " \
    "bytes.")                                                                                                       \
  X(Certificate, 11, "certificate", Either, "RFC 8446 §4.4.2", "Certificate: the sender's certificate chain.")       \
  X(ServerKeyExchange, 12, "server_key_exchange", Server, "RFC 5246 §7.4.3",                                         \
    "ServerKeyExchange: the server's signed ephemeral key-exchange parameters (TLS 1.2).")                          \
  X(CertificateRequest, 13, "certificate_request", Server, "RFC 8446 §4.3.2",                                        \
    "CertificateRequest: the server asks the client to authenticate with a certificate.")                           \
  X(ServerHelloDone, 14, "server_hello_done", Server, "RFC 5246 §7.4.5",                                             \
    "ServerHelloDone: the server has sent all its hello messages (TLS 1.2).")                                       \
  X(CertificateVerify, 15, "certificate_verify", Either, "RFC 8446 §4.4.3",                                          \
    "CertificateVerify: a signature proving the sender holds the certificate's private key.")                       \
  X(ClientKeyExchange, 16, "client_key_exchange", Client, "RFC 5246 §7.4.7",                                         \
    "ClientKeyExchange: the client's half of the key exchange (TLS 1.2).")                                          \
  X(ClientCertificateRequest, 17, "client_certificate_request", Server, "RFC 8446 §4",                               \
    "ClientCertificateRequest: asks for a client certificate (IANA-registered extension of TLS 1.3). Not decoded; " \
    "its body is kept as bytes.")                                                                                   \
  X(Finished, 20, "finished", Either, "RFC 8446 §4.4.4",                                                             \
    "Finished: a MAC over the whole handshake; the handshake was not tampered with.")                               \
  X(CertificateUrl, 21, "certificate_url", Client, "RFC 8446 §4",                                                    \
    "CertificateUrl: URLs where the server can fetch the client's certificates (RFC 6066 §5). Not decoded; its "    \
    "body is kept as bytes.")                                                                                       \
  X(CertificateStatus, 22, "certificate_status", Server, "RFC 8446 §4",                                              \
    "CertificateStatus: a stapled OCSP response (TLS 1.2).")                                                        \
  X(SupplementalData, 23, "supplemental_data", Either, "RFC 8446 §4",                                                \
    "SupplementalData: application data carried in the handshake (RFC 4680). Not decoded; its body is kept as "     \
    "bytes.")                                                                                                       \
  X(KeyUpdate, 24, "key_update", Either, "RFC 8446 §4.6.3", "KeyUpdate: the sender switches to fresh traffic keys.") \
  X(CompressedCertificate, 25, "compressed_certificate", Either, "RFC 8446 §4",                                      \
    "CompressedCertificate: a Certificate message compressed to save bytes.")                                       \
  X(EktKey, 26, "ekt_key", Server, "RFC 8446 §4",                                                                    \
    "EktKey: a key for SRTP's Encrypted Key Transport (RFC 8870). Not decoded; its body is kept as bytes.")         \
  X(MessageHash, 254, "message_hash", Either, "RFC 8446 §4.4.1",                                                     \
    "message_hash: stands in for ClientHello1 in the transcript after a HelloRetryRequest.")

enum class HandshakeType : std::uint8_t {
#define TLSLAB_HANDSHAKE_ENUM(id, code, iana, sender, rfc, meaning) id = code,
  TLSLAB_HANDSHAKE_TYPES(TLSLAB_HANDSHAKE_ENUM)
#undef TLSLAB_HANDSHAKE_ENUM
};

struct HandshakeTypeInfo {
  std::uint8_t code;
  const char* name;     // the RFCs' structure name, "ClientHello"
  const char* iana;     // the registry's name, "client_hello"
  Sender sender;
  const char* rfc;
  const char* meaning;  // for a learner
};

// nullptr for a value the registry does not assign.
const HandshakeTypeInfo* handshakeTypeInfo(std::uint8_t code);

// "ClientHello", or "handshake type 7" for an unassigned value: the one way a
// handshake type is named in prose, message lists and diagnostics.
std::string handshakeTypeLabel(std::uint8_t code);

// What a learner reads about a message type, and where it is specified; an
// unassigned value gets a generic note and RFC 8446 §4.
const char* handshakeTypeMeaning(std::uint8_t code);
const char* handshakeTypeRfc(std::uint8_t code);

}  // namespace tlslab::wire
