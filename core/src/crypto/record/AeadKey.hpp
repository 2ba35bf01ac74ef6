#pragma once
// Private to crypto/record: one direction-pair of OpenSSL AEAD contexts for a
// record key (GCM, CCM, ChaCha20-Poly1305), shared by the TLS 1.3 and TLS 1.2
// AEAD modes. GCM and ChaCha are keyed once; each record only sets its nonce.
#include <cstdint>

#include "../Ossl.hpp"
#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/Result.hpp"
#include "tlslab/model/RecordCrypto.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::crypto::record {

bool isCcm(CipherAlg alg);

class AeadKey {
 public:
  static Result<AeadKey> create(const CipherSuite& suite, ByteView key);

  // Writes ct.size() bytes to out; false when the tag does not verify.
  bool open(ByteView nonce, ByteView aad, ByteView ct, ByteView tag, std::uint8_t* out);
  // Writes pt.size() bytes to out and the suite's tag length to tag.
  bool seal(ByteView nonce, ByteView aad, ByteView pt, std::uint8_t* out, std::uint8_t* tag);

 private:
  AeadKey() = default;
  const CipherSuite* suite_ = nullptr;
  Bytes key_;
  const EVP_CIPHER* evp_ = nullptr;
  ossl::CipherCtx dec_, enc_;
};

// Opens ct||tag with out.nonce and out.aad into out.plaintext (keeping
// ciphertext and tag in `out` when keepDetail); false, with out's verdict
// and note saying why, when the tag does not verify. Both AEAD modes end so.
bool openRecord(AeadKey& key, model::RecordCrypto& out, ByteView ct, ByteView tag, bool keepDetail);

}  // namespace tlslab::crypto::record
