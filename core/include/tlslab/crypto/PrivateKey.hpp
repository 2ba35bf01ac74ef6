#pragma once
// A server private key (RSA) for TLS 1.0-1.2 RSA key exchange: load it from
// PEM (PKCS#1 or PKCS#8, optionally password-protected) or PKCS#12, and
// recover the pre-master secret from a ClientKeyExchange (RFC 5246 §7.4.7.1).
#include <memory>
#include <string>
#include <string_view>

#include "tlslab/crypto/Result.hpp"
#include "tlslab/model/Derivation.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::crypto {

class PrivateKey {
 public:
  static Result<PrivateKey> fromPem(std::string_view pem, std::string_view password = {});
  static Result<PrivateKey> fromPkcs12(ByteView der, std::string_view password = {});
  ~PrivateKey();
  PrivateKey(PrivateKey&&) noexcept;
  PrivateKey& operator=(PrivateKey&&) noexcept;

  bool isRsa() const;
  int bits() const;
  std::string description() const;  // e.g. "RSA 2048-bit"
  // First bytes of the modulus, to tell keys apart in output.
  Bytes modulusPrefix() const;

  // PKCS#1 v1.5 decryption of EncryptedPreMasterSecret; checks the result is
  // 48 bytes. Returns the pre-master secret.
  Result<Bytes> decryptPreMasterSecret(ByteView encrypted) const;

 private:
  struct Impl;
  explicit PrivateKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The explained step: encrypted PMS + server key -> pre_master_secret
// (Failed with the reason when the key does not fit).
model::DerivationStep recoverRsaPreMasterSecret(const PrivateKey& key, ByteView encryptedPms);

}  // namespace tlslab::crypto
