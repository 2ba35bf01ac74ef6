#include "tlslab/crypto/RecordCipher.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <string>

#include "Ossl.hpp"
#include "tlslab/crypto/Hash.hpp"

namespace tlslab::crypto {
namespace {

using model::RecordVerdict;

constexpr std::size_t kHeader = 5;

const EVP_CIPHER* evpCipher(CipherAlg alg) {
  switch (alg) {
    case CipherAlg::Aes128Gcm: return EVP_aes_128_gcm();
    case CipherAlg::Aes256Gcm: return EVP_aes_256_gcm();
    case CipherAlg::Aes128Ccm:
    case CipherAlg::Aes128Ccm8: return EVP_aes_128_ccm();
    case CipherAlg::Aes256Ccm:
    case CipherAlg::Aes256Ccm8: return EVP_aes_256_ccm();
    case CipherAlg::ChaCha20Poly1305: return EVP_chacha20_poly1305();
    case CipherAlg::Aes128Cbc: return EVP_aes_128_cbc();
    case CipherAlg::Aes256Cbc: return EVP_aes_256_cbc();
    case CipherAlg::TripleDesCbc: return EVP_des_ede3_cbc();
    case CipherAlg::Null: return nullptr;
    default: return nullptr;
  }
}

bool isCcm(CipherAlg alg) {
  return alg == CipherAlg::Aes128Ccm || alg == CipherAlg::Aes256Ccm || alg == CipherAlg::Aes128Ccm8 ||
         alg == CipherAlg::Aes256Ccm8;
}

Bytes be64(std::uint64_t v) {
  Bytes out(8);
  for (int i = 7; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v & 0xff);
    v >>= 8;
  }
  return out;
}

// RFC 8446 §5.3 / RFC 7905 §2: the 64-bit sequence number, left-padded with
// zeros to the IV length, XORed with the IV.
Bytes xorNonce(const Bytes& iv, std::uint64_t seq, Bytes* paddedSeq) {
  Bytes padded(iv.size(), 0);
  Bytes s = be64(seq);
  std::copy(s.begin(), s.end(), padded.end() - 8);
  Bytes nonce = iv;
  for (std::size_t i = 0; i < nonce.size(); ++i) nonce[i] ^= padded[i];
  if (paddedSeq) *paddedSeq = std::move(padded);
  return nonce;
}

// seq_num || type || version || length: the TLS 1.2 AEAD additional data
// (RFC 5246 §6.2.3.3) and the start of the HMAC input (§6.2.3.1).
Bytes macHeader(std::uint64_t seq, std::uint8_t type, std::uint8_t v0, std::uint8_t v1, std::size_t len) {
  Bytes out = be64(seq);
  out.push_back(type);
  out.push_back(v0);
  out.push_back(v1);
  out.push_back(static_cast<std::uint8_t>(len >> 8));
  out.push_back(static_cast<std::uint8_t>(len & 0xff));
  return out;
}

Bytes recordHeader(std::uint8_t type, std::uint16_t version, std::size_t len) {
  return {type, static_cast<std::uint8_t>(version >> 8), static_cast<std::uint8_t>(version & 0xff),
          static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len & 0xff)};
}

bool equalCt(ByteView a, ByteView b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void append(Bytes& out, ByteView more) { out.insert(out.end(), more.begin(), more.end()); }

}  // namespace

struct RecordCipher::Impl {
  const CipherSuite* suite = nullptr;
  std::uint16_t version = 0;
  bool etm = false;
  TrafficKeys keys;
  const EVP_CIPHER* evp = nullptr;
  ossl::CipherCtx dec{EVP_CIPHER_CTX_new()};
  ossl::CipherCtx enc{EVP_CIPHER_CTX_new()};
  Bytes decChainIv, encChainIv;  // TLS 1.0 CBC: IV is the previous record's last block
  HashAlg macAlg = HashAlg::Sha256;

  bool aeadOpen(ByteView nonce, ByteView aad, ByteView ct, ByteView tag, std::uint8_t* out);
  bool aeadSeal(ByteView nonce, ByteView aad, ByteView pt, std::uint8_t* out, std::uint8_t* tag);
  bool cbc(bool encrypt, ByteView iv, ByteView in, std::uint8_t* out);
};

bool RecordCipher::Impl::aeadOpen(ByteView nonce, ByteView aad, ByteView ct, ByteView tag,
                                  std::uint8_t* out) {
  EVP_CIPHER_CTX* c = dec.get();
  int len = 0;
  const int tagLen = static_cast<int>(tag.size());
  auto* tagPtr = const_cast<std::uint8_t*>(tag.data());
  if (isCcm(suite->cipher)) {
    // CCM needs the tag and total length before any data (RFC 3610 via EVP).
    if (EVP_DecryptInit_ex(c, evp, nullptr, nullptr, nullptr) != 1) return false;
    if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1) return false;
    if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, tagLen, tagPtr) != 1) return false;
    if (EVP_DecryptInit_ex(c, nullptr, nullptr, keys.key.data(), nonce.data()) != 1) return false;
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

bool RecordCipher::Impl::aeadSeal(ByteView nonce, ByteView aad, ByteView pt, std::uint8_t* out,
                                  std::uint8_t* tag) {
  EVP_CIPHER_CTX* c = enc.get();
  int len = 0;
  const int tagLen = suite->tagLength;
  if (isCcm(suite->cipher)) {
    if (EVP_EncryptInit_ex(c, evp, nullptr, nullptr, nullptr) != 1) return false;
    if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1) return false;
    if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, tagLen, nullptr) != 1) return false;
    if (EVP_EncryptInit_ex(c, nullptr, nullptr, keys.key.data(), nonce.data()) != 1) return false;
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

bool RecordCipher::Impl::cbc(bool encrypt, ByteView iv, ByteView in, std::uint8_t* out) {
  EVP_CIPHER_CTX* c = encrypt ? enc.get() : dec.get();
  if (EVP_CipherInit_ex(c, nullptr, nullptr, nullptr, iv.data(), encrypt ? 1 : 0) != 1) return false;
  EVP_CIPHER_CTX_set_padding(c, 0);  // TLS padding is checked by hand, to show it
  int len = 0;
  return in.empty() || EVP_CipherUpdate(c, out, &len, in.data(), static_cast<int>(in.size())) == 1;
}

RecordCipher::RecordCipher(const CipherSuite& suite, std::uint16_t version, std::unique_ptr<Impl> impl)
    : suite_(&suite), version_(version), impl_(std::move(impl)) {}
RecordCipher::~RecordCipher() = default;
RecordCipher::RecordCipher(RecordCipher&&) noexcept = default;
RecordCipher& RecordCipher::operator=(RecordCipher&&) noexcept = default;

Result<RecordCipher> RecordCipher::create(const CipherSuite& suite, const TrafficKeys& keys,
                                          std::uint16_t version, bool encryptThenMac) {
  if (suite.tls13() != (version == kTls13)) {
    return fail(std::string(suite.name) + " cannot be used with this protocol version");
  }
  if (keys.key.size() != suite.keyLength) {
    return fail("write key is " + std::to_string(keys.key.size()) + " bytes; " + std::string(suite.name) +
                " needs " + std::to_string(suite.keyLength));
  }
  if (keys.iv.size() != suite.fixedIvLength) {
    return fail("write IV is " + std::to_string(keys.iv.size()) + " bytes; " + std::string(suite.name) +
                " needs " + std::to_string(suite.fixedIvLength));
  }
  if (keys.macKey.size() != suite.macLength) {
    return fail("MAC key is " + std::to_string(keys.macKey.size()) + " bytes; " + std::string(suite.name) +
                " needs " + std::to_string(suite.macLength));
  }
  auto impl = std::make_unique<Impl>();
  impl->suite = &suite;
  impl->version = version;
  impl->etm = encryptThenMac && isCbc(suite.cipher);
  impl->keys = keys;
  impl->evp = evpCipher(suite.cipher);
  impl->decChainIv = keys.iv;
  impl->encChainIv = keys.iv;
  if (auto h = macHash(suite.mac)) impl->macAlg = *h;
  if (!impl->dec || !impl->enc) return fail("out of memory creating cipher contexts");
  if (impl->evp && !isCcm(suite.cipher)) {
    // Key once; each record then only sets its nonce/IV (cheap per record).
    if (EVP_DecryptInit_ex(impl->dec.get(), impl->evp, nullptr, impl->keys.key.data(), nullptr) != 1 ||
        EVP_EncryptInit_ex(impl->enc.get(), impl->evp, nullptr, impl->keys.key.data(), nullptr) != 1) {
      return fail(std::string("OpenSSL refused the key for ") + cipherName(suite.cipher));
    }
  }
  return RecordCipher(suite, version, std::move(impl));
}

model::RecordCrypto RecordCipher::decrypt(ByteView record, std::uint64_t sequence, bool keepDetail) {
  model::RecordCrypto out;
  decryptInto(record, sequence, out, keepDetail);
  return out;
}

namespace {

void resetResult(model::RecordCrypto& out) {
  out.nonceParts.clear();
  out.nonce.clear();
  out.aad.clear();
  out.ciphertext.clear();
  out.tag.clear();
  out.mac.clear();
  out.expectedMac.clear();
  out.padding.clear();
  out.plaintext.clear();
  out.note.clear();
  out.contentType = 0;
  out.verdict = RecordVerdict::Malformed;
}

void failAuth(model::RecordCrypto& out, std::string why) {
  out.plaintext.clear();
  out.verdict = RecordVerdict::AuthenticationFailed;
  out.note = out.note.empty() ? std::move(why) : why + "; " + out.note;
}

}  // namespace

void RecordCipher::decryptInto(ByteView record, std::uint64_t sequence, model::RecordCrypto& out,
                               bool keepDetail) {
  Impl& im = *impl_;
  const CipherSuite& s = *suite_;
  resetResult(out);
  out.sequence = sequence;
  out.cipher = cipherName(s.cipher);
  if (record.size() < kHeader) {
    out.note = "record is " + std::to_string(record.size()) + " bytes, shorter than the 5-byte header";
    return;
  }
  out.header.assign(record.begin(), record.begin() + kHeader);
  out.contentType = record[0];
  const ByteView fragment = record.subspan(kHeader);
  const std::size_t declared = (std::size_t{record[3]} << 8) | record[4];
  if (declared != fragment.size()) {
    // The length is part of what the MAC/AEAD protects (as AAD or via framing):
    // a record whose header disagrees with its body was changed in transit.
    failAuth(out, "authentication failed: the header's length field says " + std::to_string(declared) +
                      " bytes but " + std::to_string(fragment.size()) + " follow (header changed?)");
    return;
  }

  if (s.tls13() || isAead(s.cipher)) {
    out.construction = "AEAD";
    const std::size_t tagLen = s.tagLength;
    const bool explicitNonce = !s.tls13() && s.recordIvLength > 0;
    const std::size_t overhead = tagLen + (explicitNonce ? s.recordIvLength : 0) + (s.tls13() ? 1 : 0);
    if (fragment.size() < overhead) {
      out.verdict = RecordVerdict::Malformed;
      out.note = "fragment is " + std::to_string(fragment.size()) + " bytes, too short for " +
                 std::to_string(overhead) + " bytes of nonce/tag/content type";
      return;
    }
    ByteView body = fragment.subspan(explicitNonce ? s.recordIvLength : 0);
    ByteView ct = body.first(body.size() - tagLen);
    ByteView tag = body.last(tagLen);
    Bytes padded;
    if (s.tls13()) {
      out.rfc = "RFC 8446 §5.2-5.4";
      out.nonce = xorNonce(im.keys.iv, sequence, &padded);
      out.aad.assign(out.header.begin(), out.header.end());  // AAD = the record header
    } else {
      if (explicitNonce) {
        out.rfc = isCcm(s.cipher) ? "RFC 6655 §3; RFC 5246 §6.2.3.3" : "RFC 5288 §3; RFC 5246 §6.2.3.3";
        out.nonce = im.keys.iv;
        append(out.nonce, fragment.first(s.recordIvLength));
      } else {
        out.rfc = "RFC 7905 §2; RFC 5246 §6.2.3.3";
        out.nonce = xorNonce(im.keys.iv, sequence, &padded);
      }
      out.aad = macHeader(sequence, record[0], record[1], record[2], ct.size());
    }
    if (keepDetail) {
      if (explicitNonce) {
        out.nonceParts = {{"salt (write IV from the key block)", im.keys.iv},
                          {"explicit nonce (on the wire)", Bytes(fragment.begin(), fragment.begin() + 8)}};
      } else {
        out.nonceParts = {{"write_iv", im.keys.iv}, {"sequence number, left-padded", padded}};
      }
      out.ciphertext.assign(ct.begin(), ct.end());
      out.tag.assign(tag.begin(), tag.end());
    }
    out.plaintext.resize(ct.size());
    if (!im.aeadOpen(out.nonce, out.aad, ct, tag, out.plaintext.data())) {
      failAuth(out, "authentication failed: the AEAD tag does not match (wrong key, nonce, sequence "
                    "number, header or a changed byte)");
      return;
    }
    if (s.tls13()) {
      // RFC 8446 §5.4: strip trailing zeros; the last non-zero byte is the real type.
      std::size_t end = out.plaintext.size();
      while (end > 0 && out.plaintext[end - 1] == 0) --end;
      if (end == 0) {
        out.plaintext.clear();
        out.verdict = RecordVerdict::Malformed;
        out.note = "authentic, but the inner plaintext is all zeros: no content type (RFC 8446 §5.4)";
        return;
      }
      out.contentType = out.plaintext[end - 1];
      out.padding.assign(out.plaintext.size() - end, 0);
      out.plaintext.resize(end - 1);
    }
    out.verdict = RecordVerdict::Decrypted;
    return;
  }

  // CBC and NULL: HMAC-protected (RFC 5246 §6.2.3.1-2, RFC 7366).
  const std::size_t macLen = s.macLength;
  if (s.cipher == CipherAlg::Null) {
    out.construction = "NULL cipher + MAC";
    out.rfc = "RFC 5246 §6.2.3.1";
    if (fragment.size() < macLen) {
      out.note = "fragment shorter than the " + std::to_string(macLen) + "-byte MAC";
      return;
    }
    ByteView content = fragment.first(fragment.size() - macLen);
    out.mac.assign(fragment.end() - static_cast<std::ptrdiff_t>(macLen), fragment.end());
    out.aad = macHeader(sequence, record[0], record[1], record[2], content.size());
    Bytes input = out.aad;
    append(input, content);
    out.expectedMac = hmac(im.macAlg, im.keys.macKey, input);
    if (!equalCt(out.mac, out.expectedMac)) {
      failAuth(out, "authentication failed: the MAC does not match");
      return;
    }
    out.plaintext.assign(content.begin(), content.end());
    out.verdict = RecordVerdict::NotEncrypted;
    out.note = "NULL cipher: the content was sent in the clear, only protected by the MAC";
    return;
  }

  const std::size_t bs = cbcBlockSize(s.cipher);
  const bool explicitIv = version_ >= kTls11;
  out.construction = im.etm ? "encrypt-then-MAC" : "MAC-then-encrypt";
  out.rfc = im.etm ? "RFC 7366 §3" : (explicitIv ? "RFC 5246 §6.2.3.2" : "RFC 2246 §6.2.3.2");
  ByteView iv = explicitIv ? fragment.first(std::min(bs, fragment.size())) : ByteView(im.decChainIv);
  ByteView body = explicitIv ? fragment.subspan(iv.size()) : fragment;
  ByteView ct = body;
  if (im.etm) {
    if (body.size() < macLen) {
      out.note = "fragment shorter than IV + MAC";
      return;
    }
    ct = body.first(body.size() - macLen);
    out.mac.assign(body.end() - static_cast<std::ptrdiff_t>(macLen), body.end());
  }
  if (iv.size() != bs || ct.empty() || ct.size() % bs != 0) {
    out.note = "ciphertext is " + std::to_string(ct.size()) + " bytes, not a positive multiple of the " +
               std::to_string(bs) + "-byte block";
    return;
  }
  out.nonce.assign(iv.begin(), iv.end());
  out.nonceParts = {{explicitIv ? "IV (on the wire)" : "IV (last block of the previous record)", out.nonce}};
  if (keepDetail) out.ciphertext.assign(ct.begin(), ct.end());
  if (!explicitIv) im.decChainIv.assign(ct.end() - static_cast<std::ptrdiff_t>(bs), ct.end());

  if (im.etm) {
    // RFC 7366 §3: MAC(seq || type || version || length || IV || ciphertext), checked before decrypting.
    out.aad = macHeader(sequence, record[0], record[1], record[2], iv.size() * (explicitIv ? 1 : 0) + ct.size());
    Bytes input = out.aad;
    if (explicitIv) append(input, iv);
    append(input, ct);
    out.expectedMac = hmac(im.macAlg, im.keys.macKey, input);
    if (!equalCt(out.mac, out.expectedMac)) {
      failAuth(out, "authentication failed: the MAC over the ciphertext does not match");
      return;
    }
  }
  Bytes plain(ct.size());
  if (!im.cbc(false, out.nonce, ct, plain.data())) {  // out.nonce: the chained IV was just replaced
    failAuth(out, "decryption failed in OpenSSL");
    return;
  }
  // Padding: the last byte p, then p more bytes all equal to p (RFC 5246 §6.2.3.2).
  const std::size_t p = plain.back();
  const std::size_t tail = p + 1 + (im.etm ? 0 : macLen);
  bool padOk = tail <= plain.size();
  if (padOk) {
    for (std::size_t i = plain.size() - p - 1; i < plain.size(); ++i) padOk = padOk && plain[i] == p;
  }
  if (!padOk) {
    failAuth(out, "authentication failed: the CBC padding is invalid (last byte " + std::to_string(p) + ")");
    return;
  }
  out.padding.assign(plain.end() - static_cast<std::ptrdiff_t>(p + 1), plain.end());
  const std::size_t contentLen = plain.size() - tail;
  if (!im.etm) {
    out.mac.assign(plain.begin() + static_cast<std::ptrdiff_t>(contentLen),
                   plain.begin() + static_cast<std::ptrdiff_t>(contentLen + macLen));
    out.aad = macHeader(sequence, record[0], record[1], record[2], contentLen);
    Bytes input = out.aad;
    input.insert(input.end(), plain.begin(), plain.begin() + static_cast<std::ptrdiff_t>(contentLen));
    out.expectedMac = hmac(im.macAlg, im.keys.macKey, input);
    if (!equalCt(out.mac, out.expectedMac)) {
      failAuth(out, "authentication failed: the MAC does not match");
      return;
    }
  }
  plain.resize(contentLen);
  out.plaintext = std::move(plain);
  out.verdict = RecordVerdict::Decrypted;
}

Result<Bytes> RecordCipher::encrypt(std::uint8_t contentType, ByteView plaintext, std::uint64_t sequence,
                                    std::size_t tls13Padding) {
  Impl& im = *impl_;
  const CipherSuite& s = *suite_;
  if (s.tls13()) {
    Bytes inner(plaintext.begin(), plaintext.end());
    inner.push_back(contentType);
    inner.resize(inner.size() + tls13Padding, 0);
    Bytes rec = recordHeader(23, kTls12, inner.size() + s.tagLength);
    Bytes nonce = xorNonce(im.keys.iv, sequence, nullptr);
    Bytes aad = rec;
    rec.resize(kHeader + inner.size() + s.tagLength);
    if (!im.aeadSeal(nonce, aad, inner, rec.data() + kHeader, rec.data() + kHeader + inner.size())) {
      return fail("AEAD encryption failed");
    }
    return rec;
  }
  const std::uint16_t v = version_;
  const auto v0 = static_cast<std::uint8_t>(v >> 8), v1 = static_cast<std::uint8_t>(v & 0xff);
  if (isAead(s.cipher)) {
    const bool explicitNonce = s.recordIvLength > 0;
    Bytes nonce;
    Bytes explicitPart = be64(sequence);  // common practice: the sequence number as explicit nonce
    if (explicitNonce) {
      nonce = im.keys.iv;
      append(nonce, explicitPart);
    } else {
      nonce = xorNonce(im.keys.iv, sequence, nullptr);
    }
    Bytes aad = macHeader(sequence, contentType, v0, v1, plaintext.size());
    const std::size_t prefix = explicitNonce ? 8 : 0;
    Bytes rec = recordHeader(contentType, v, prefix + plaintext.size() + s.tagLength);
    if (explicitNonce) append(rec, explicitPart);
    const std::size_t ctAt = rec.size();
    rec.resize(ctAt + plaintext.size() + s.tagLength);
    if (!im.aeadSeal(nonce, aad, plaintext, rec.data() + ctAt, rec.data() + ctAt + plaintext.size())) {
      return fail("AEAD encryption failed");
    }
    return rec;
  }
  Bytes macIn = macHeader(sequence, contentType, v0, v1, plaintext.size());
  if (s.cipher == CipherAlg::Null) {
    append(macIn, plaintext);
    Bytes rec = recordHeader(contentType, v, plaintext.size() + s.macLength);
    append(rec, plaintext);
    append(rec, hmac(im.macAlg, im.keys.macKey, macIn));
    return rec;
  }
  const std::size_t bs = cbcBlockSize(s.cipher);
  const bool explicitIv = v >= kTls11;
  Bytes iv = explicitIv ? hmac(HashAlg::Sha256, im.keys.macKey, be64(sequence)) : im.encChainIv;
  iv.resize(bs);
  Bytes data(plaintext.begin(), plaintext.end());
  if (!im.etm) {
    append(macIn, plaintext);
    append(data, hmac(im.macAlg, im.keys.macKey, macIn));
  }
  const std::size_t p = (bs - (data.size() + 1) % bs) % bs;
  data.insert(data.end(), p + 1, static_cast<std::uint8_t>(p));
  Bytes ct(data.size());
  if (!im.cbc(true, iv, data, ct.data())) return fail("CBC encryption failed");
  if (!explicitIv) im.encChainIv.assign(ct.end() - static_cast<std::ptrdiff_t>(bs), ct.end());
  Bytes fragment = explicitIv ? iv : Bytes{};
  append(fragment, ct);
  if (im.etm) {
    Bytes in = macHeader(sequence, contentType, v0, v1, fragment.size());
    append(in, fragment);
    append(fragment, hmac(im.macAlg, im.keys.macKey, in));
  }
  Bytes rec = recordHeader(contentType, v, fragment.size());
  append(rec, fragment);
  return rec;
}

}  // namespace tlslab::crypto
