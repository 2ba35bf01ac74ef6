#pragma once
// Record protection for TLS 1.0-1.3, one direction and one epoch at a time.
//
//   TLS 1.3 AEAD ............... RFC 8446 §5.2 (AAD = record header), §5.3 (nonce = iv XOR seq)
//   TLS 1.2 GCM / CCM .......... RFC 5288 §3, RFC 6655 §3 (salt || explicit nonce)
//   TLS 1.2 ChaCha20-Poly1305 .. RFC 7905 §2 (nonce = iv XOR seq)
//   TLS 1.0-1.2 CBC + HMAC ..... RFC 5246 §6.2.3.2 (MAC-then-encrypt), RFC 7366 (encrypt-then-MAC)
//   NULL cipher ................ RFC 5246 §6.2.3.1 (MAC only)
//   RC4 stream cipher + MAC .... RFC 5246 §6.2.3.1 (the key stream runs on across records)
//   SSL 3.0 CBC / RC4 / NULL ... RFC 6101 §5.2.3 (its own MAC; CBC padding bytes unchecked)
//
// decrypt() never returns plaintext that failed its integrity check.
#include <cstdint>
#include <memory>

#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/Result.hpp"
#include "tlslab/model/RecordCrypto.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::crypto {

inline constexpr std::uint16_t kTls10 = 0x0301;
inline constexpr std::uint16_t kTls11 = 0x0302;
inline constexpr std::uint16_t kTls12 = 0x0303;
inline constexpr std::uint16_t kTls13 = 0x0304;
// DTLS record versions (RFC 6347 §4.1; 0x0100 is OpenSSL's pre-0.9.8f DTLS1_BAD_VER).
inline constexpr std::uint16_t kDtls10 = 0xFEFF;
inline constexpr std::uint16_t kDtls12 = 0xFEFD;
inline constexpr std::uint16_t kDtls1BadVer = 0x0100;

// CBC records carry their IV (TLS 1.1+, every DTLS version) instead of
// chaining it from the previous record (SSL 3.0, TLS 1.0).
inline bool explicitCbcIv(std::uint16_t version) { return version >= kTls11 || version == kDtls1BadVer; }

// One direction's keys: for TLS 1.3 key + iv; for TLS 1.2 write key, write IV
// (salt / implicit IV) and MAC key, as split from the key block.
struct TrafficKeys {
  Bytes key;
  Bytes iv;
  Bytes macKey;
};

class RecordCipher {
 public:
  // version: kTls13 for TLS 1.3; kSsl30 (0x0300) or kTls10..kTls12 otherwise. encryptThenMac only
  // matters for CBC suites (RFC 7366 negotiated).
  static Result<RecordCipher> create(const CipherSuite& suite, const TrafficKeys& keys,
                                     std::uint16_t version, bool encryptThenMac = false);
  ~RecordCipher();
  RecordCipher(RecordCipher&&) noexcept;
  RecordCipher& operator=(RecordCipher&&) noexcept;

  // DTLS (RFC 6347 §4.1.2.1, §4.1.2.3): `record` is the 13-byte DTLS header
  // and its fragment; the MAC and the AEAD additional data / ChaCha20 nonce use
  // epoch || sequence_number as the 64-bit sequence, the GCM/CCM explicit
  // nonce is on the wire as in TLS. For 0x0100 (DTLS1_BAD_VER) a MAC that
  // fails the RFC form is tried as OpenSSL before 0.9.8f computed it (the
  // sequence number without the epoch, and 0x0301 as the version), and
  // `note` says which one matched. create() takes the DTLS version.
  void decryptDtlsInto(ByteView record, model::RecordCrypto& out, bool keepDetail = true);

  // record: 5-byte header followed by the fragment, exactly as on the wire.
  // keepDetail=false skips copying ciphertext/AAD into the result (bulk use).
  model::RecordCrypto decrypt(ByteView record, std::uint64_t sequence, bool keepDetail = true);
  void decryptInto(ByteView record, std::uint64_t sequence, model::RecordCrypto& out,
                   bool keepDetail = true);

  // Builds a protected record (for tests, labs and benchmarks). contentType is
  // the real type; TLS 1.3 hides it inside and sends 23. tls13Padding adds
  // that many zero bytes of padding (RFC 8446 §5.4). CBC uses minimal padding
  // and an IV derived from the sequence number (deterministic, for tests only).
  Result<Bytes> encrypt(std::uint8_t contentType, ByteView plaintext, std::uint64_t sequence,
                        std::size_t tls13Padding = 0);

  const CipherSuite& suite() const { return *suite_; }
  std::uint16_t version() const { return version_; }

 private:
  struct Impl;
  RecordCipher(const CipherSuite& suite, std::uint16_t version, std::unique_ptr<Impl> impl);
  const CipherSuite* suite_;
  std::uint16_t version_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tlslab::crypto
