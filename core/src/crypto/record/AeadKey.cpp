#include "AeadKey.hpp"

#include "RecordBytes.hpp"

#include <string>

namespace tlslab::crypto::record {
namespace {

const EVP_CIPHER* evpAead(CipherAlg alg) {
  switch (alg) {
    case CipherAlg::Aes128Gcm: return EVP_aes_128_gcm();
    case CipherAlg::Aes256Gcm: return EVP_aes_256_gcm();
    case CipherAlg::Aes128Ccm:
    case CipherAlg::Aes128Ccm8: return EVP_aes_128_ccm();
    case CipherAlg::Aes256Ccm:
    case CipherAlg::Aes256Ccm8: return EVP_aes_256_ccm();
    case CipherAlg::ChaCha20Poly1305: return EVP_chacha20_poly1305();
    default: return nullptr;
  }
}

}  // namespace

bool isCcm(CipherAlg alg) {
  return alg == CipherAlg::Aes128Ccm || alg == CipherAlg::Aes256Ccm || alg == CipherAlg::Aes128Ccm8 ||
         alg == CipherAlg::Aes256Ccm8;
}

Result<AeadKey> AeadKey::create(const CipherSuite& suite, ByteView key) {
  AeadKey k;
  k.suite_ = &suite;
  k.key_.assign(key.begin(), key.end());
  k.evp_ = evpAead(suite.cipher);
  k.dec_.reset(EVP_CIPHER_CTX_new());
  k.enc_.reset(EVP_CIPHER_CTX_new());
  if (!k.dec_ || !k.enc_) return fail("out of memory creating cipher contexts");
  if (k.evp_ && !isCcm(suite.cipher)) {
    // Key once; each record then only sets its nonce (cheap per record).
    if (EVP_DecryptInit_ex(k.dec_.get(), k.evp_, nullptr, k.key_.data(), nullptr) != 1 ||
        EVP_EncryptInit_ex(k.enc_.get(), k.evp_, nullptr, k.key_.data(), nullptr) != 1) {
      return fail(std::string("OpenSSL refused the key for ") + cipherName(suite.cipher));
    }
  }
  return k;
}

bool AeadKey::open(ByteView nonce, ByteView aad, ByteView ct, ByteView tag, std::uint8_t* out) {
  EVP_CIPHER_CTX* c = dec_.get();
  int len = 0;
  const int tagLen = static_cast<int>(tag.size());
  auto* tagPtr = const_cast<std::uint8_t*>(tag.data());
  if (isCcm(suite_->cipher)) {
    // CCM needs the tag and total length before any data (RFC 3610 via EVP).
    if (EVP_DecryptInit_ex(c, evp_, nullptr, nullptr, nullptr) != 1) return false;
    if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1) return false;
    if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, tagLen, tagPtr) != 1) return false;
    if (EVP_DecryptInit_ex(c, nullptr, nullptr, key_.data(), nonce.data()) != 1) return false;
    if (EVP_DecryptUpdate(c, nullptr, &len, nullptr, static_cast<int>(ct.size())) != 1) return false;
    if (EVP_DecryptUpdate(c, nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1) return false;
    return EVP_DecryptUpdate(c, out, &len, ct.data(), static_cast<int>(ct.size())) > 0;
  }
  if (EVP_DecryptInit_ex(c, nullptr, nullptr, nullptr, nonce.data()) != 1) return false;
  if (EVP_DecryptUpdate(c, nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1) return false;
  if (!ct.empty() && EVP_DecryptUpdate(c, out, &len, ct.data(), static_cast<int>(ct.size())) != 1) return false;
  if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, tagLen, tagPtr) != 1) return false;
  std::uint8_t scratch[16];
  return EVP_DecryptFinal_ex(c, scratch, &len) > 0;
}

bool AeadKey::seal(ByteView nonce, ByteView aad, ByteView pt, std::uint8_t* out, std::uint8_t* tag) {
  EVP_CIPHER_CTX* c = enc_.get();
  int len = 0;
  const int tagLen = suite_->tagLength;
  if (isCcm(suite_->cipher)) {
    if (EVP_EncryptInit_ex(c, evp_, nullptr, nullptr, nullptr) != 1) return false;
    if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1) return false;
    if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, tagLen, nullptr) != 1) return false;
    if (EVP_EncryptInit_ex(c, nullptr, nullptr, key_.data(), nonce.data()) != 1) return false;
    if (EVP_EncryptUpdate(c, nullptr, &len, nullptr, static_cast<int>(pt.size())) != 1) return false;
  } else if (EVP_EncryptInit_ex(c, nullptr, nullptr, nullptr, nonce.data()) != 1) {
    return false;
  }
  if (EVP_EncryptUpdate(c, nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1) return false;
  if (!pt.empty() && EVP_EncryptUpdate(c, out, &len, pt.data(), static_cast<int>(pt.size())) != 1) return false;
  std::uint8_t scratch[16];
  if (EVP_EncryptFinal_ex(c, scratch, &len) != 1) return false;
  return EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, tagLen, tag) == 1;
}

bool openRecord(AeadKey& key, model::RecordCrypto& out, ByteView ct, ByteView tag, bool keepDetail) {
  if (keepDetail) {
    out.ciphertext.assign(ct.begin(), ct.end());
    out.tag.assign(tag.begin(), tag.end());
  }
  out.plaintext.resize(ct.size());
  if (key.open(out.nonce, out.aad, ct, tag, out.plaintext.data())) return true;
  failAuth(out, "authentication failed: the AEAD tag does not match (wrong key, nonce, sequence "
                "number, header or a changed byte)");
  return false;
}

}  // namespace tlslab::crypto::record
