#pragma once
// The cipher suites tlslab can decrypt, looked up by their IANA number: what
// each one means for key exchange, record cipher, MAC, key/IV/MAC lengths and
// the PRF hash. Numbers from the IANA TLS Cipher Suites registry.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "tlslab/crypto/Hash.hpp"

namespace tlslab::crypto {

// Psk..EcdhePsk: TLS 1.2 pre-shared key exchanges (RFC 4279 §2-4, RFC 5489).
enum class KeyExchange { Tls13, Rsa, DheRsa, EcdheRsa, EcdheEcdsa, Psk, RsaPsk, DhePsk, EcdhePsk };

enum class CipherAlg {
  Null,
  Aes128Gcm,
  Aes256Gcm,
  Aes128Ccm,
  Aes256Ccm,
  Aes128Ccm8,
  Aes256Ccm8,
  ChaCha20Poly1305,
  Aes128Cbc,
  Aes256Cbc,
  TripleDesCbc,
  Rc4_128,  // stream cipher; OpenSSL 3 keeps it in the legacy provider
};

enum class MacAlg { Aead, HmacMd5, HmacSha1, HmacSha256, HmacSha384 };

struct CipherSuite {
  std::uint16_t id = 0;
  std::string_view name;
  KeyExchange kx = KeyExchange::Tls13;
  CipherAlg cipher = CipherAlg::Null;
  MacAlg mac = MacAlg::Aead;
  HashAlg prfHash = HashAlg::Sha256;  // TLS 1.2 PRF / TLS 1.3 HKDF hash
  std::uint8_t keyLength = 0;
  std::uint8_t fixedIvLength = 0;   // TLS 1.2: salt / implicit IV from the key block; TLS 1.3: iv length
  std::uint8_t recordIvLength = 0;  // explicit per-record nonce or CBC IV on the wire (TLS 1.1+)
  std::uint8_t macLength = 0;       // HMAC key and output length (0 for AEAD)
  std::uint8_t tagLength = 0;       // AEAD tag length

  bool tls13() const { return kx == KeyExchange::Tls13; }
};

const CipherSuite* findSuite(std::uint16_t id);
const CipherSuite* findSuite(std::string_view name);  // IANA name, e.g. "TLS_AES_128_GCM_SHA256"
std::span<const CipherSuite> allSuites();

bool isAead(CipherAlg cipher);
bool isCbc(CipherAlg cipher);
std::size_t cbcBlockSize(CipherAlg cipher);
const char* cipherName(CipherAlg cipher);  // "AES-128-GCM"
const char* keyExchangeName(KeyExchange kx);
std::optional<HashAlg> macHash(MacAlg mac);
// True when the key exchange gives forward secrecy: a recorded session cannot
// be decrypted later with the server's long-term key.
bool forwardSecret(KeyExchange kx);
// True for the TLS 1.2 key exchanges whose pre-master secret mixes in a PSK.
bool usesPsk(KeyExchange kx);

}  // namespace tlslab::crypto
