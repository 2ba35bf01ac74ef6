#pragma once
// IANA TLS registries (https://www.iana.org/assignments/tls-parameters) as one
// name table each (STYLE practice 5). Wire enums stay open: any 16-bit value is
// kept; a name is looked up only for display, and unknown or GREASE (RFC 8701)
// values are shown as such in hex.
#include <cstdint>
#include <string>

namespace tlslab::wire {

// nullptr when the value is not in the registry.
const char* cipherSuiteName(std::uint16_t code);
const char* groupName(std::uint16_t code);            // supported_groups (RFC 8446 §4.2.7, RFC 8422)
const char* signatureSchemeName(std::uint16_t code);  // RFC 8446 §4.2.3 (+ TLS 1.2 hash/sig pairs)
const char* extensionName(std::uint16_t code);
const char* alertDescriptionName(std::uint8_t code);
const char* alertLevelName(std::uint8_t code);
const char* handshakeTypeName(std::uint8_t code);
const char* contentTypeName(std::uint8_t code);
// "ChangeCipherSpec", "Application Data", ...; "content type 99" when unassigned.
std::string contentTypeDisplay(std::uint8_t code);
const char* versionName(std::uint16_t code);          // 0x0301 "TLS 1.0" ...
const char* pskKeyExchangeModeName(std::uint8_t code);
const char* ecPointFormatName(std::uint8_t code);
const char* compressionMethodName(std::uint8_t code);
const char* clientCertificateTypeName(std::uint8_t code);  // TLS 1.2 CertificateRequest
const char* certCompressionAlgorithmName(std::uint16_t code);
const char* heartbeatMessageTypeName(std::uint8_t code);
const char* certificateStatusTypeName(std::uint8_t code);

// GREASE: 0x?A?A with equal bytes (RFC 8701 §2) for 16-bit code points.
bool isGrease(std::uint16_t code);

// "0x1301 TLS_AES_128_GCM_SHA256", "0x0a0a GREASE (RFC 8701)", "0x1234 unknown".
std::string describeCode(std::uint16_t code, const char* name, int hexDigits = 4);

// What the cipher suite's key exchange is, read from its IANA name. Psk is
// plain PSK; RsaPsk, DhePsk and EcdhePsk mix a PSK with another exchange
// (RFC 4279 §2-4, RFC 5489).
enum class KeyExchange { Unknown, Rsa, Ecdhe, Dhe, Psk, Tls13, RsaPsk, DhePsk, EcdhePsk };
// Whether the ServerKeyExchange and ClientKeyExchange carry PSK fields.
bool isPskExchange(KeyExchange kx);
KeyExchange keyExchangeOf(std::uint16_t cipherSuite);
const char* keyExchangeName(KeyExchange kx);

// Highest-numbered registry entries, for the "registries are complete" tests.
std::size_t cipherSuiteCount();

}  // namespace tlslab::wire
