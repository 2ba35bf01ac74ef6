#pragma once
// Handshake messages as value types (STYLE practice 6), parsed from the bytes
// of one message (4-byte header included) into both a typed value and a field
// tree for learners. Dissector policy (STYLE practice 4): malformed data is
// annotated (a Diagnostic naming structure and byte offset, the node marked
// malformed) and parsing goes on with whatever can still be read.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "tlslab/model/Diagnostic.hpp"
#include "tlslab/model/Field.hpp"
#include "tlslab/util/Bytes.hpp"
#include "tlslab/wire/ExtensionTypes.hpp"
#include "tlslab/wire/HandshakeTypes.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::wire {

// RFC 8446 §4.1.3: a ServerHello with this random is a HelloRetryRequest.
extern const std::uint8_t kHelloRetryRequestRandom[32];

struct Extension {
  std::uint16_t type = 0;
  Bytes data;
};

struct KeyShareEntry {
  std::uint16_t group = 0;
  Bytes keyExchange;
};

struct PskIdentity {
  Bytes identity;
  std::uint32_t obfuscatedTicketAge = 0;
};

// Decoded contents of the extensions the handshake logic needs; the full
// detail of every extension is in the field tree.
struct ExtensionSummary {
  std::vector<std::uint16_t> supportedVersions;  // CH list, or the one SH/HRR selected
  std::vector<KeyShareEntry> keyShares;          // CH offers, or the SH share
  std::optional<std::uint16_t> hrrSelectedGroup;
  std::vector<PskIdentity> pskIdentities;
  std::vector<Bytes> pskBinders;
  std::optional<std::uint16_t> pskSelectedIdentity;
  std::vector<std::uint16_t> supportedGroups;
  std::vector<std::uint16_t> signatureAlgorithms;
  std::string serverName;
  std::vector<std::string> alpn;
  bool extendedMasterSecret = false;
  bool encryptThenMac = false;
  bool earlyData = false;
  Bytes cookie;
};

struct ClientHello {
  std::uint16_t legacyVersion = 0;
  Bytes random;
  Bytes sessionId;
  Bytes dtlsCookie;  // DTLS only (RFC 6347 §4.2.1): empty, or the HelloVerifyRequest's cookie returned
  std::vector<std::uint16_t> cipherSuites;
  Bytes compressionMethods;
  std::vector<Extension> extensions;
  ExtensionSummary summary;
};

struct ServerHello {
  std::uint16_t legacyVersion = 0;
  Bytes random;
  Bytes sessionId;
  std::uint16_t cipherSuite = 0;
  std::uint8_t compressionMethod = 0;
  std::vector<Extension> extensions;
  ExtensionSummary summary;
  bool helloRetryRequest = false;
  // supported_versions when present (TLS 1.3), else legacy_version.
  std::uint16_t negotiatedVersion() const;
};

struct HelloVerifyRequest {
  std::uint16_t serverVersion = 0;
  Bytes cookie;
};

struct NewSessionTicket {
  bool tls13 = false;
  std::uint32_t lifetime = 0;
  std::uint32_t ageAdd = 0;  // TLS 1.3 only
  Bytes nonce;               // TLS 1.3 only
  Bytes ticket;
  std::vector<Extension> extensions;
};

struct EndOfEarlyData {};
struct ServerHelloDone {};
struct HelloRequest {};

struct EncryptedExtensions {
  std::vector<Extension> extensions;
  ExtensionSummary summary;
};

struct CertificateEntry {
  Bytes der;
  std::size_t derOffset = 0;  // message-relative offset of the DER bytes
  std::vector<Extension> extensions;
};

struct Certificate {
  bool tls13 = false;
  Bytes requestContext;
  std::vector<CertificateEntry> entries;
};

struct CertificateRequest {
  bool tls13 = false;
  Bytes requestContext;                      // 1.3
  std::vector<Extension> extensions;         // 1.3
  Bytes certificateTypes;                    // 1.2
  std::vector<std::uint16_t> signatureAlgorithms;  // 1.2 field or 1.3 extension
  std::vector<Bytes> certificateAuthorities; // 1.2 (DER distinguished names)
};

struct ServerKeyExchange {
  KeyExchange kind = KeyExchange::Unknown;
  Bytes pskIdentityHint;         // PSK suites (RFC 4279 §2), may be empty
  std::uint16_t namedGroup = 0;  // ECDHE
  Bytes publicKey;               // ECDHE point or DHE Ys
  Bytes dhP, dhG;                // DHE
  std::optional<std::uint16_t> signatureScheme;  // absent before TLS 1.2 and in PSK suites
  Bytes signature;
};

struct ClientKeyExchange {
  KeyExchange kind = KeyExchange::Unknown;
  Bytes pskIdentity;  // PSK suites (RFC 4279 §2)
  Bytes exchange;     // encrypted pre-master secret, ECDH point or DH Yc (empty for plain PSK)
};

struct CertificateVerify {
  std::uint16_t scheme = 0;
  Bytes signature;
};

struct Finished {
  Bytes verifyData;
};

struct CertificateStatus {
  std::uint8_t statusType = 0;
  Bytes response;
};

struct KeyUpdate {
  std::uint8_t requestUpdate = 0;
};

struct MessageHash {
  Bytes hash;
};

struct UnknownMessage {
  Bytes body;
};

using MessageBody =
    std::variant<UnknownMessage, HelloRequest, ClientHello, ServerHello, HelloVerifyRequest, NewSessionTicket,
                 EndOfEarlyData, EncryptedExtensions, Certificate, ServerKeyExchange, CertificateRequest,
                 ServerHelloDone, CertificateVerify, ClientKeyExchange, Finished, CertificateStatus, KeyUpdate,
                 MessageHash>;

// What the parser needs to know about the connection to choose a message's
// format. Unknown fields mean "guess from the bytes and say so".
struct ParseContext {
  std::optional<std::uint16_t> version;      // negotiated: 0x0303, 0x0304, ...
  std::optional<std::uint16_t> cipherSuite;  // selected by the ServerHello
  std::optional<std::uint16_t> ecdheGroup;   // 1.2: group from ServerKeyExchange
};

struct HandshakeMessage {
  std::uint8_t type = 0;
  std::uint32_t length = 0;  // body length from the header
  MessageBody body;
  model::Field tree;         // offsets relative to the message start
  std::vector<model::Diagnostic> diagnostics;

  bool ok() const;  // no error diagnostics
  template <typename T>
  const T* as() const { return std::get_if<T>(&body); }
};

// How much of the field tree a parse builds. Lean: the same typed value and
// diagnostics, but tree nodes keep only offsets, lengths and malformed flags
// (no names, values, meanings): for bulk dissection that keeps no messages.
enum class FieldDetail { Full, Lean };

// Parses one handshake message (header + body) in `bytes`.
HandshakeMessage parseHandshakeMessage(ByteView bytes, const ParseContext& context = {},
                                       FieldDetail detail = FieldDetail::Full);

// Updates the context from a parsed message (ServerHello fixes version and
// suite; ServerKeyExchange the group). Both directions share one context.
void updateContext(ParseContext& context, const HandshakeMessage& message);

// Shifts every node's offset by `delta` and fills streamOffset through
// `toStream(messageOffset)` (for trees built message-relative).
template <typename ToStream>
void relocate(model::Field& field, std::size_t delta, const ToStream& toStream, std::size_t messageBase = 0) {
  field.streamOffset = toStream(field.offset - messageBase);
  field.offset += delta;
  for (auto& child : field.children) relocate(child, delta, toStream, messageBase);
}

const char* handshakeTypeDisplay(std::uint8_t type);  // IANA name, or "handshake type 7"

// Encodes a hello back to wire bytes (header included) from its typed fields;
// extensions are written from their raw `data`. For labs that build or tamper
// with hellos; parse(serialize(x)) == x and serialize(parse(bytes)) == bytes.
Bytes serialize(const ClientHello& hello);
Bytes serialize(const ServerHello& hello);

}  // namespace tlslab::wire
