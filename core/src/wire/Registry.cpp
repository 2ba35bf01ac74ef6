// IANA TLS registries other than cipher suites (see CipherSuites.cpp).
// Transcribed from https://www.iana.org/assignments/tls-parameters and
// tls-extensiontype-values; unassigned and private-use values have no name.
#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include "tlslab/wire/Registry.hpp"
#include "tlslab/wire/ExtensionTypes.hpp"
#include "tlslab/wire/HandshakeTypes.hpp"

namespace tlslab::wire {

const char* groupName(std::uint16_t code) {
  switch (code) {
    case 1: return "sect163k1";
    case 2: return "sect163r1";
    case 3: return "sect163r2";
    case 4: return "sect193r1";
    case 5: return "sect193r2";
    case 6: return "sect233k1";
    case 7: return "sect233r1";
    case 8: return "sect239k1";
    case 9: return "sect283k1";
    case 10: return "sect283r1";
    case 11: return "sect409k1";
    case 12: return "sect409r1";
    case 13: return "sect571k1";
    case 14: return "sect571r1";
    case 15: return "secp160k1";
    case 16: return "secp160r1";
    case 17: return "secp160r2";
    case 18: return "secp192k1";
    case 19: return "secp192r1";
    case 20: return "secp224k1";
    case 21: return "secp224r1";
    case 22: return "secp256k1";
    case 23: return "secp256r1";
    case 24: return "secp384r1";
    case 25: return "secp521r1";
    case 26: return "brainpoolP256r1";
    case 27: return "brainpoolP384r1";
    case 28: return "brainpoolP512r1";
    case 29: return "x25519";
    case 30: return "x448";
    case 31: return "brainpoolP256r1tls13";
    case 32: return "brainpoolP384r1tls13";
    case 33: return "brainpoolP512r1tls13";
    case 34: return "GC256A";
    case 35: return "GC256B";
    case 36: return "GC256C";
    case 37: return "GC256D";
    case 38: return "GC512A";
    case 39: return "GC512B";
    case 40: return "GC512C";
    case 41: return "curveSM2";
    case 256: return "ffdhe2048";
    case 257: return "ffdhe3072";
    case 258: return "ffdhe4096";
    case 259: return "ffdhe6144";
    case 260: return "ffdhe8192";
    case 512: return "MLKEM512";
    case 513: return "MLKEM768";
    case 514: return "MLKEM1024";
    case 0x11EB: return "SecP256r1MLKEM768";
    case 0x11EC: return "X25519MLKEM768";
    case 0x11ED: return "SecP384r1MLKEM1024";
    case 0x6399: return "X25519Kyber768Draft00 (obsolete)";
    case 0x639A: return "SecP256r1Kyber768Draft00 (obsolete)";
    case 0xFF01: return "arbitrary_explicit_prime_curves";
    case 0xFF02: return "arbitrary_explicit_char2_curves";
    default: return nullptr;
  }
}

const char* signatureSchemeName(std::uint16_t code) {
  switch (code) {
    case 0x0201: return "rsa_pkcs1_sha1";
    case 0x0202: return "dsa_sha1 (TLS 1.2)";
    case 0x0203: return "ecdsa_sha1";
    case 0x0301: return "rsa_pkcs1_sha224 (TLS 1.2)";
    case 0x0302: return "dsa_sha224 (TLS 1.2)";
    case 0x0303: return "ecdsa_sha224 (TLS 1.2)";
    case 0x0401: return "rsa_pkcs1_sha256";
    case 0x0402: return "dsa_sha256 (TLS 1.2)";
    case 0x0403: return "ecdsa_secp256r1_sha256";
    case 0x0420: return "rsa_pkcs1_sha256_legacy";
    case 0x0501: return "rsa_pkcs1_sha384";
    case 0x0502: return "dsa_sha384 (TLS 1.2)";
    case 0x0503: return "ecdsa_secp384r1_sha384";
    case 0x0520: return "rsa_pkcs1_sha384_legacy";
    case 0x0601: return "rsa_pkcs1_sha512";
    case 0x0602: return "dsa_sha512 (TLS 1.2)";
    case 0x0603: return "ecdsa_secp521r1_sha512";
    case 0x0620: return "rsa_pkcs1_sha512_legacy";
    case 0x0704: return "eccsi_sha256";
    case 0x0705: return "iso_ibs1";
    case 0x0706: return "iso_ibs2";
    case 0x0707: return "iso_chinese_ibs";
    case 0x0708: return "sm2sig_sm3";
    case 0x0709: return "gostr34102012_256a";
    case 0x070A: return "gostr34102012_256b";
    case 0x070B: return "gostr34102012_256c";
    case 0x070C: return "gostr34102012_256d";
    case 0x070D: return "gostr34102012_512a";
    case 0x070E: return "gostr34102012_512b";
    case 0x070F: return "gostr34102012_512c";
    case 0x0804: return "rsa_pss_rsae_sha256";
    case 0x0805: return "rsa_pss_rsae_sha384";
    case 0x0806: return "rsa_pss_rsae_sha512";
    case 0x0807: return "ed25519";
    case 0x0808: return "ed448";
    case 0x0809: return "rsa_pss_pss_sha256";
    case 0x080A: return "rsa_pss_pss_sha384";
    case 0x080B: return "rsa_pss_pss_sha512";
    case 0x081A: return "ecdsa_brainpoolP256r1tls13_sha256";
    case 0x081B: return "ecdsa_brainpoolP384r1tls13_sha384";
    case 0x081C: return "ecdsa_brainpoolP512r1tls13_sha512";
    case 0x0904: return "mldsa44";
    case 0x0905: return "mldsa65";
    case 0x0906: return "mldsa87";
    default: return nullptr;
  }
}

const char* extensionName(std::uint16_t code) {
  const ExtensionTypeInfo* info = extensionTypeInfo(code);
  return info ? info->iana : nullptr;
}

const char* alertDescriptionName(std::uint8_t code) {
  switch (code) {
    case 0: return "close_notify";
    case 10: return "unexpected_message";
    case 20: return "bad_record_mac";
    case 21: return "decryption_failed";
    case 22: return "record_overflow";
    case 30: return "decompression_failure";
    case 40: return "handshake_failure";
    case 41: return "no_certificate";
    case 42: return "bad_certificate";
    case 43: return "unsupported_certificate";
    case 44: return "certificate_revoked";
    case 45: return "certificate_expired";
    case 46: return "certificate_unknown";
    case 47: return "illegal_parameter";
    case 48: return "unknown_ca";
    case 49: return "access_denied";
    case 50: return "decode_error";
    case 51: return "decrypt_error";
    case 52: return "too_many_cids_requested";
    case 60: return "export_restriction";
    case 70: return "protocol_version";
    case 71: return "insufficient_security";
    case 80: return "internal_error";
    case 86: return "inappropriate_fallback";
    case 90: return "user_canceled";
    case 100: return "no_renegotiation";
    case 109: return "missing_extension";
    case 110: return "unsupported_extension";
    case 111: return "certificate_unobtainable";
    case 112: return "unrecognized_name";
    case 113: return "bad_certificate_status_response";
    case 114: return "bad_certificate_hash_value";
    case 115: return "unknown_psk_identity";
    case 116: return "certificate_required";
    case 117: return "general_error";
    case 120: return "no_application_protocol";
    case 121: return "ech_required";
    default: return nullptr;
  }
}

const char* alertLevelName(std::uint8_t code) {
  switch (code) {
    case 1: return "warning";
    case 2: return "fatal";
    default: return nullptr;
  }
}

const char* handshakeTypeName(std::uint8_t code) {
  const HandshakeTypeInfo* info = handshakeTypeInfo(code);
  return info ? info->iana : nullptr;
}

namespace {
// TLS ContentType (IANA "TLS ContentType"): the registry name and the name
// the Trace and its views show (RFC structure style).
struct ContentTypeInfo {
  std::uint8_t code;
  const char* iana;
  const char* display;
};
constexpr ContentTypeInfo kContentTypes[] = {
    {20, "change_cipher_spec", "ChangeCipherSpec"}, {21, "alert", "Alert"},
    {22, "handshake", "Handshake"},                 {23, "application_data", "Application Data"},
    {24, "heartbeat", "Heartbeat"},                 {25, "tls12_cid", "TLS 1.2 CID"},
    {26, "ack", "ACK"},
};
const ContentTypeInfo* contentTypeInfo(std::uint8_t code) {
  for (const auto& info : kContentTypes)
    if (info.code == code) return &info;
  return nullptr;
}
}  // namespace

const char* contentTypeName(std::uint8_t code) {
  const ContentTypeInfo* info = contentTypeInfo(code);
  return info ? info->iana : nullptr;
}

std::string contentTypeDisplay(std::uint8_t code) {
  const ContentTypeInfo* info = contentTypeInfo(code);
  return info ? std::string(info->display) : "content type " + std::to_string(code);
}

const char* versionName(std::uint16_t code) {
  switch (code) {
    case 0x0002: return "SSL 2.0";
    case 0x0300: return "SSL 3.0";
    case 0x0301: return "TLS 1.0";
    case 0x0302: return "TLS 1.1";
    case 0x0303: return "TLS 1.2";
    case 0x0304: return "TLS 1.3";
    case 0xFEFF: return "DTLS 1.0";
    case 0xFEFD: return "DTLS 1.2";
    case 0xFEFC: return "DTLS 1.3";
    default: return nullptr;
  }
}

const char* pskKeyExchangeModeName(std::uint8_t code) {
  switch (code) {
    case 0: return "psk_ke";
    case 1: return "psk_dhe_ke";
    default: return nullptr;
  }
}

const char* ecPointFormatName(std::uint8_t code) {
  switch (code) {
    case 0: return "uncompressed";
    case 1: return "ansiX962_compressed_prime";
    case 2: return "ansiX962_compressed_char2";
    default: return nullptr;
  }
}

const char* compressionMethodName(std::uint8_t code) {
  switch (code) {
    case 0: return "null";
    case 1: return "DEFLATE";
    case 64: return "LZS";
    default: return nullptr;
  }
}

const char* clientCertificateTypeName(std::uint8_t code) {
  switch (code) {
    case 1: return "rsa_sign";
    case 2: return "dss_sign";
    case 3: return "rsa_fixed_dh";
    case 4: return "dss_fixed_dh";
    case 5: return "rsa_ephemeral_dh";
    case 6: return "dss_ephemeral_dh";
    case 20: return "fortezza_dms";
    case 64: return "ecdsa_sign";
    case 65: return "rsa_fixed_ecdh";
    case 66: return "ecdsa_fixed_ecdh";
    case 67: return "gost_sign256";
    case 68: return "gost_sign512";
    default: return nullptr;
  }
}

const char* certCompressionAlgorithmName(std::uint16_t code) {
  switch (code) {
    case 1: return "zlib";
    case 2: return "brotli";
    case 3: return "zstd";
    default: return nullptr;
  }
}

const char* heartbeatMessageTypeName(std::uint8_t code) {
  switch (code) {
    case 1: return "heartbeat_request";
    case 2: return "heartbeat_response";
    default: return nullptr;
  }
}

const char* certificateStatusTypeName(std::uint8_t code) {
  switch (code) {
    case 1: return "ocsp";
    case 2: return "ocsp_multi";
    default: return nullptr;
  }
}

bool isGrease(std::uint16_t code) {
  return (code & 0x0F0F) == 0x0A0A && (code >> 8) == (code & 0xFF);
}

std::string describeCode(std::uint16_t code, const char* name, int hexDigits) {
  std::string hex = fmt::format("0x{:0{}x}", code, hexDigits);
  if (name != nullptr) return hex + " " + name;
  if (hexDigits == 4 && isGrease(code)) return hex + " GREASE (RFC 8701: a reserved value the peer must ignore)";
  return hex + " unknown";
}

KeyExchange keyExchangeOf(std::uint16_t cipherSuite) {
  const char* name = cipherSuiteName(cipherSuite);
  if (name == nullptr) return KeyExchange::Unknown;
  std::string_view n = name;
  if (n.find("_WITH_") == std::string_view::npos) {
    // TLS 1.3 suites name only the AEAD and hash (RFC 8446 §B.4).
    bool tls13 = n.starts_with("TLS_AES") || n.starts_with("TLS_CHACHA") || n.starts_with("TLS_AEGIS") ||
                 n.starts_with("TLS_SM4");
    return tls13 ? KeyExchange::Tls13 : KeyExchange::Unknown;
  }
  if (n.starts_with("TLS_ECDHE_PSK_")) return KeyExchange::EcdhePsk;
  // IANA spells two of them TLS_PSK_DHE_WITH_... (RFC 6655 §3).
  if (n.starts_with("TLS_DHE_PSK_") || n.starts_with("TLS_PSK_DHE_")) return KeyExchange::DhePsk;
  if (n.starts_with("TLS_RSA_PSK_")) return KeyExchange::RsaPsk;
  if (n.starts_with("TLS_PSK_")) return KeyExchange::Psk;
  if (n.starts_with("TLS_ECDHE_")) return KeyExchange::Ecdhe;
  if (n.starts_with("TLS_DHE_")) return KeyExchange::Dhe;
  if (n.starts_with("TLS_RSA_")) return KeyExchange::Rsa;
  return KeyExchange::Unknown;
}

bool isPskExchange(KeyExchange kx) {
  return kx == KeyExchange::Psk || kx == KeyExchange::RsaPsk || kx == KeyExchange::DhePsk ||
         kx == KeyExchange::EcdhePsk;
}

const char* keyExchangeName(KeyExchange kx) {
  switch (kx) {
    case KeyExchange::Rsa: return "RSA";
    case KeyExchange::Ecdhe: return "ECDHE";
    case KeyExchange::Dhe: return "DHE";
    case KeyExchange::Psk: return "PSK";
    case KeyExchange::RsaPsk: return "RSA_PSK";
    case KeyExchange::DhePsk: return "DHE_PSK";
    case KeyExchange::EcdhePsk: return "ECDHE_PSK";
    case KeyExchange::Tls13: return "TLS 1.3 (key_share)";
    case KeyExchange::Unknown: return "unknown";
    default: return "unknown";
  }
}

}  // namespace tlslab::wire
