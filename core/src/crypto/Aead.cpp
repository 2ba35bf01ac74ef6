#include "tlslab/crypto/Aead.hpp"

#include <openssl/evp.h>

#include <string>

#include "Ossl.hpp"

namespace tlslab::crypto {
namespace {

constexpr std::size_t kTag = 16;
constexpr std::size_t kNonce = 12;  // RFC 5116 §5.1 / RFC 8439: the only nonce length TLS uses

const EVP_CIPHER* evpAead(CipherAlg cipher) {
  switch (cipher) {
    case CipherAlg::Aes128Gcm: return EVP_aes_128_gcm();
    case CipherAlg::Aes256Gcm: return EVP_aes_256_gcm();
    case CipherAlg::ChaCha20Poly1305: return EVP_chacha20_poly1305();
    default: return nullptr;
  }
}

}  // namespace

std::optional<CipherAlg> aeadCipherFromName(std::string_view name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c == '_' ? '-' : c);
  if (lower == "aes-128-gcm" || lower == "tls-aes-128-gcm-sha256") return CipherAlg::Aes128Gcm;
  if (lower == "aes-256-gcm" || lower == "tls-aes-256-gcm-sha384") return CipherAlg::Aes256Gcm;
  if (lower == "chacha20-poly1305" || lower == "tls-chacha20-poly1305-sha256") return CipherAlg::ChaCha20Poly1305;
  return std::nullopt;
}

std::size_t aeadKeyLength(CipherAlg cipher) {
  switch (cipher) {
    case CipherAlg::Aes128Gcm: return 16;
    case CipherAlg::Aes256Gcm:
    case CipherAlg::ChaCha20Poly1305: return 32;
    default: return 0;
  }
}

Result<Bytes> aeadOpen(CipherAlg cipher, ByteView key, ByteView nonce, ByteView aad, ByteView ciphertextAndTag) {
  const EVP_CIPHER* evp = evpAead(cipher);
  if (evp == nullptr) return fail("not an AEAD cipher tlslab opens by hand (aes-128-gcm, aes-256-gcm, chacha20-poly1305)");
  if (key.size() != aeadKeyLength(cipher))
    return fail("the key has " + std::to_string(key.size()) + " bytes; " + cipherName(cipher) + " needs " +
                std::to_string(aeadKeyLength(cipher)));
  if (nonce.size() != kNonce) return fail("the nonce has " + std::to_string(nonce.size()) + " bytes; TLS nonces have 12");
  if (ciphertextAndTag.size() < kTag)
    return fail("the ciphertext has " + std::to_string(ciphertextAndTag.size()) + " bytes: it must end with the 16-byte tag");
  const ByteView ct = ciphertextAndTag.first(ciphertextAndTag.size() - kTag);
  const ByteView tag = ciphertextAndTag.last(kTag);
  ossl::CipherCtx ctx{EVP_CIPHER_CTX_new()};
  Bytes out(ct.size() + kTag);
  int len = 0;
  bool ok = ctx && EVP_DecryptInit_ex(ctx.get(), evp, nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(kNonce), nullptr) == 1 &&
            EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), nonce.data()) == 1 &&
            EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1 &&
            (ct.empty() || EVP_DecryptUpdate(ctx.get(), out.data(), &len, ct.data(), static_cast<int>(ct.size())) == 1) &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kTag),
                                const_cast<std::uint8_t*>(tag.data())) == 1;
  if (!ok) return fail("OpenSSL could not set up the decryption");
  int last = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), out.data() + ct.size(), &last) != 1)
    return fail("the tag does not verify: the key, the nonce, the additional data or the ciphertext is not the "
                "record's (nothing is decrypted without a good tag)");
  out.resize(ct.size());
  return out;
}

}  // namespace tlslab::crypto
