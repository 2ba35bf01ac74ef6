#pragma once
// Private to crypto: record protection, one small unit per mode behind one
// interface (as s2n keeps s2n_aead_record.c, s2n_cbc_record.c, ...).
// RecordCipher reads the record header once, checks its length against the
// fragment and hands both to the mode; each mode fills model::RecordCrypto
// with the same fields and words as before the split.
//
//   Tls13Aead.cpp .. RFC 8446 §5.2-5.4     (AAD = header, nonce = iv XOR seq, inner type + padding)
//   Tls12Aead.cpp .. RFC 5288, 6655, 7905  (salt || explicit nonce, or iv XOR seq; AAD = MAC header)
//   CbcRecord.cpp .. RFC 5246 §6.2.3.2     (MAC-then-encrypt) and RFC 7366 (encrypt-then-MAC)
//   NullRecord.cpp . RFC 5246 §6.2.3.1     (MAC only)
//   StreamRecord.cpp RFC 5246 §6.2.3.1     (RC4: stream-cipher(content || MAC), key stream across records)
//
// A new mode (SSL 3.0's MAC, PSK suites' NULL cipher with other MACs) is one
// more unit and one more line in makeProtection.
#include <cstdint>
#include <memory>

#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/RecordCipher.hpp"
#include "tlslab/crypto/Result.hpp"
#include "tlslab/model/RecordCrypto.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::crypto::record {

inline constexpr std::size_t kHeaderLength = 5;

// TLSPlaintext/TLSCiphertext header, read once by RecordCipher.
struct RecordHeader {
  std::uint8_t type = 0;
  std::uint16_t version = 0;
  std::uint16_t length = 0;
};

class RecordProtection {
 public:
  virtual ~RecordProtection() = default;
  // fragment: the header.length bytes after the header. out arrives reset,
  // with header, contentType (the outer type), sequence and cipher set.
  virtual void open(const RecordHeader& header, ByteView fragment, std::uint64_t sequence, model::RecordCrypto& out,
                    bool keepDetail) = 0;
  // The whole record, header included.
  virtual Result<Bytes> seal(std::uint8_t contentType, ByteView plaintext, std::uint64_t sequence,
                             std::size_t tls13Padding) = 0;
};

// What every mode is made from; key lengths are already checked.
struct ModeParams {
  const CipherSuite& suite;
  const TrafficKeys& keys;
  std::uint16_t version;
  bool encryptThenMac;
};

Result<std::unique_ptr<RecordProtection>> makeTls13Aead(const ModeParams& params);
Result<std::unique_ptr<RecordProtection>> makeTls12Aead(const ModeParams& params);
Result<std::unique_ptr<RecordProtection>> makeCbc(const ModeParams& params);
std::unique_ptr<RecordProtection> makeNull(const ModeParams& params);
Result<std::unique_ptr<RecordProtection>> makeStream(const ModeParams& params);

// The mode for this suite and version.
Result<std::unique_ptr<RecordProtection>> makeProtection(const ModeParams& params);

}  // namespace tlslab::crypto::record
