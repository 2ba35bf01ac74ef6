#include "tlslab/crypto/Hash.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <array>
#include <cctype>
#include <stdexcept>
#include <string>

#include "Ossl.hpp"

namespace tlslab::crypto {
namespace ossl {

namespace {

const EVP_MD* legacyMd(HashAlg alg) {
  switch (alg) {
    case HashAlg::Md5: return EVP_md5();
    case HashAlg::Sha1: return EVP_sha1();
    case HashAlg::Sha256: return EVP_sha256();
    case HashAlg::Sha384: return EVP_sha384();
    case HashAlg::Md5Sha1: return EVP_md5_sha1();
    default: return EVP_sha256();
  }
}

}  // namespace

constexpr std::size_t kHashAlgs = static_cast<std::size_t>(HashAlg::Md5Sha1) + 1;

// Fetched once: OpenSSL 3 fetches a legacy EVP_sha256() by name again at
// every digest init, which costs more than hashing a handshake message.
const EVP_MD* md(HashAlg alg) {
  static const std::array<const EVP_MD*, kHashAlgs> fetched = [] {
    std::array<const EVP_MD*, kHashAlgs> out{};
    for (std::size_t i = 0; i < kHashAlgs; ++i) {
      const auto a = static_cast<HashAlg>(i);
      const EVP_MD* md = EVP_MD_fetch(nullptr, mdName(a), nullptr);  // kept for the process's life
      out[i] = md ? md : legacyMd(a);
    }
    return out;
  }();
  const auto i = static_cast<std::size_t>(alg);
  return i < kHashAlgs ? fetched[i] : legacyMd(alg);
}

const char* mdName(HashAlg alg) {
  switch (alg) {
    case HashAlg::Md5: return "MD5";
    case HashAlg::Sha1: return "SHA1";
    case HashAlg::Sha256: return "SHA256";
    case HashAlg::Sha384: return "SHA384";
    case HashAlg::Md5Sha1: return "MD5-SHA1";
    default: return "SHA256";
  }
}

}  // namespace ossl

const char* hashName(HashAlg alg) {
  switch (alg) {
    case HashAlg::Md5: return "MD5";
    case HashAlg::Sha1: return "SHA-1";
    case HashAlg::Sha256: return "SHA-256";
    case HashAlg::Sha384: return "SHA-384";
    case HashAlg::Md5Sha1: return "MD5+SHA-1";
    default: return "?";
  }
}

std::size_t hashLength(HashAlg alg) {
  switch (alg) {
    case HashAlg::Md5: return 16;
    case HashAlg::Sha1: return 20;
    case HashAlg::Sha256: return 32;
    case HashAlg::Sha384: return 48;
    case HashAlg::Md5Sha1: return 36;
    default: return 0;
  }
}

std::optional<HashAlg> hashFromName(std::string_view name) {
  std::string n;
  for (char c : name) {
    if (c != '-' && c != '_') n.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (n == "sha256") return HashAlg::Sha256;
  if (n == "sha384") return HashAlg::Sha384;
  if (n == "sha1") return HashAlg::Sha1;
  if (n == "md5") return HashAlg::Md5;
  if (n == "md5sha1") return HashAlg::Md5Sha1;
  return std::nullopt;
}

Bytes digest(HashAlg alg, ByteView data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, ossl::md(alg), nullptr) != 1) {
    return {};
  }
  out.resize(len);
  return out;
}

Bytes hmac(HashAlg alg, ByteView key, ByteView data) {
  // One context per digest and thread, set up once and re-keyed per call:
  // setting the digest by name fetched it again each time (most of the cost
  // of the dozens of small HMACs in a key schedule).
  static const ossl::Mac mac{EVP_MAC_fetch(nullptr, "HMAC", nullptr)};
  thread_local std::array<ossl::MacCtx, ossl::kHashAlgs> contexts;
  const auto i = static_cast<std::size_t>(alg);
  if (!mac || i >= ossl::kHashAlgs) return {};
  ossl::MacCtx& ctx = contexts[i];
  if (!ctx) {
    ossl::MacCtx fresh{EVP_MAC_CTX_new(mac.get())};
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(ossl::mdName(alg)), 0),
        OSSL_PARAM_construct_end()};
    if (!fresh || EVP_MAC_CTX_set_params(fresh.get(), params) != 1) return {};
    ctx = std::move(fresh);
  }
  // An empty key is legal in HMAC (RFC 2104); OpenSSL wants a non-null pointer.
  static const unsigned char kEmpty = 0;
  const unsigned char* k = key.empty() ? &kEmpty : key.data();
  if (EVP_MAC_init(ctx.get(), k, key.size(), nullptr) != 1) return {};
  if (EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1) return {};
  Bytes out(EVP_MAX_MD_SIZE);
  std::size_t len = 0;
  if (EVP_MAC_final(ctx.get(), out.data(), &len, out.size()) != 1) return {};
  out.resize(len);
  return out;
}

struct Hasher::Impl {
  ossl::MdCtx ctx{EVP_MD_CTX_new()};
};

Hasher::Hasher(HashAlg alg) : alg_(alg), impl_(std::make_unique<Impl>()) {
  EVP_DigestInit_ex(impl_->ctx.get(), ossl::md(alg), nullptr);
}
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::update(ByteView data) { EVP_DigestUpdate(impl_->ctx.get(), data.data(), data.size()); }

Bytes Hasher::peek() const {
  ossl::MdCtx copy{EVP_MD_CTX_new()};
  EVP_MD_CTX_copy_ex(copy.get(), impl_->ctx.get());
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  EVP_DigestFinal_ex(copy.get(), out.data(), &len);
  out.resize(len);
  return out;
}

Bytes randomBytes(std::size_t n) {
  Bytes out(n);
  if (n > 0 && RAND_bytes(out.data(), static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
  return out;
}

}  // namespace tlslab::crypto
