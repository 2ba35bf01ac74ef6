#pragma once
// Hash and HMAC over OpenSSL EVP, behind RAII (STYLE practice 10).
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include "tlslab/util/Bytes.hpp"

namespace tlslab::crypto {

enum class HashAlg {
  Md5,
  Sha1,
  Sha256,
  Sha384,
  Md5Sha1,  // the 36-byte MD5 || SHA-1 concatenation of TLS 1.0/1.1 (RFC 2246 §7.4.9)
};

const char* hashName(HashAlg alg);  // "SHA-256"
std::size_t hashLength(HashAlg alg);
std::optional<HashAlg> hashFromName(std::string_view name);  // "sha256", "SHA-384", ...

Bytes digest(HashAlg alg, ByteView data);
// n bytes from OpenSSL's CSPRNG (RAND_bytes); throws std::runtime_error if it fails.
Bytes randomBytes(std::size_t n);
Bytes hmac(HashAlg alg, ByteView key, ByteView data);

// Incremental hash, e.g. a running handshake transcript.
class Hasher {
 public:
  explicit Hasher(HashAlg alg);
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  void update(ByteView data);
  Bytes peek() const;  // the digest so far; the hasher keeps running
  HashAlg alg() const { return alg_; }

 private:
  struct Impl;
  HashAlg alg_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tlslab::crypto
