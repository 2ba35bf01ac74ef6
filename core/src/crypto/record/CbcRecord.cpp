// CBC records with an HMAC, both orders:
//   MAC-then-encrypt (RFC 5246 §6.2.3.2; RFC 2246 for TLS 1.0's chained IV):
//     CBC(content || MAC(seq || header || content) || padding)
//   encrypt-then-MAC (RFC 7366 §3): CBC(content || padding) || MAC(seq || header || IV || ciphertext)
// TLS 1.1+ sends an explicit IV first; TLS 1.0 chains the previous record's last block.
// SSL 3.0 (RFC 6101 §5.2.3.2) is MAC-then-encrypt with a chained IV and its own
// MAC, and checks only the padding's length byte: the POODLE property.
#include <algorithm>

#include "../Ossl.hpp"
#include "Protection.hpp"
#include "RecordBytes.hpp"
#include "tlslab/crypto/Ssl3KeySchedule.hpp"

namespace tlslab::crypto::record {
namespace {

using model::RecordVerdict;

const EVP_CIPHER* evpCbc(CipherAlg alg) {
  switch (alg) {
    case CipherAlg::Aes128Cbc: return EVP_aes_128_cbc();
    case CipherAlg::Aes256Cbc: return EVP_aes_256_cbc();
    case CipherAlg::TripleDesCbc: return EVP_des_ede3_cbc();
    default: return nullptr;
  }
}

class CbcRecord final : public RecordProtection {
 public:
  CbcRecord(const ModeParams& p, RecordMac mac)
      : suite_(p.suite), version_(p.version), etm_(p.encryptThenMac), mac_(std::move(mac)), macKey_(p.keys.macKey),
        decChainIv_(p.keys.iv), encChainIv_(p.keys.iv) {}

  Result<bool> init(const Bytes& key) {
    dec_.reset(EVP_CIPHER_CTX_new());
    enc_.reset(EVP_CIPHER_CTX_new());
    if (!dec_ || !enc_) return fail("out of memory creating cipher contexts");
    const EVP_CIPHER* evp = evpCbc(suite_.cipher);
    // Key once; each record then only sets its IV (cheap per record).
    if (evp == nullptr || EVP_DecryptInit_ex(dec_.get(), evp, nullptr, key.data(), nullptr) != 1 ||
        EVP_EncryptInit_ex(enc_.get(), evp, nullptr, key.data(), nullptr) != 1) {
      return fail(std::string("OpenSSL refused the key for ") + cipherName(suite_.cipher));
    }
    return true;
  }

  void open(const RecordHeader& header, ByteView fragment, std::uint64_t sequence, model::RecordCrypto& out,
            bool keepDetail) override;
  Result<Bytes> seal(std::uint8_t contentType, ByteView plaintext, std::uint64_t sequence, std::size_t) override;

 private:
  bool cbc(bool encrypt, ByteView iv, ByteView in, std::uint8_t* out) {
    EVP_CIPHER_CTX* c = encrypt ? enc_.get() : dec_.get();
    if (EVP_CipherInit_ex(c, nullptr, nullptr, nullptr, iv.data(), encrypt ? 1 : 0) != 1) return false;
    EVP_CIPHER_CTX_set_padding(c, 0);  // TLS padding is checked by hand, to show it
    int len = 0;
    return in.empty() || EVP_CipherUpdate(c, out, &len, in.data(), static_cast<int>(in.size())) == 1;
  }

  const CipherSuite& suite_;
  std::uint16_t version_;
  bool etm_;
  RecordMac mac_;
  Bytes macKey_;  // also seeds the deterministic test IVs of seal()
  ossl::CipherCtx dec_, enc_;
  Bytes decChainIv_, encChainIv_;  // TLS 1.0: the IV is the previous record's last block
};

void CbcRecord::open(const RecordHeader& header, ByteView fragment, std::uint64_t sequence, model::RecordCrypto& out,
                     bool keepDetail) {
  const std::size_t macLen = suite_.macLength;
  const std::size_t bs = cbcBlockSize(suite_.cipher);
  const bool explicitIv = explicitCbcIv(version_);
  out.construction = etm_ ? "encrypt-then-MAC" : "MAC-then-encrypt";
  const bool ssl3 = version_ == kSsl30;
  out.rfc = etm_ ? "RFC 7366 §3" : ssl3 ? "RFC 6101 §5.2.3.2" : (explicitIv ? "RFC 5246 §6.2.3.2" : "RFC 2246 §6.2.3.2");
  const ByteView iv = explicitIv ? fragment.first(std::min(bs, fragment.size())) : ByteView(decChainIv_);
  const ByteView body = explicitIv ? fragment.subspan(iv.size()) : fragment;
  ByteView ct = body;
  if (etm_) {
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
  if (!explicitIv) decChainIv_.assign(ct.end() - static_cast<std::ptrdiff_t>(bs), ct.end());

  if (etm_) {
    // RFC 7366 §3: MAC(seq || type || version || length || IV || ciphertext), checked before decrypting.
    const ByteView sentIv = explicitIv ? iv : ByteView();
    out.aad = macHeader(sequence, header.type, header.version, sentIv.size() + ct.size());
    out.expectedMac = mac_.compute(out.aad, {sentIv, ct});
    if (!equalConstantTime(out.mac, out.expectedMac)) {
      failAuth(out, "authentication failed: the MAC over the ciphertext does not match");
      return;
    }
  }
  Bytes plain(ct.size());
  if (!cbc(false, out.nonce, ct, plain.data())) {  // out.nonce: the chained IV was just replaced
    failAuth(out, "decryption failed in OpenSSL");
    return;
  }
  // Padding: the last byte p, then p more bytes all equal to p (RFC 5246 §6.2.3.2).
  // SSL 3.0 only requires p < block size; the p bytes before it are arbitrary
  // and no MAC covers them (RFC 6101 §5.2.3.2).
  const std::size_t p = plain.back();
  const std::size_t tail = p + 1 + (etm_ ? 0 : macLen);
  bool padOk = tail <= plain.size();
  if (ssl3) {
    padOk = padOk && p < bs;
  } else if (padOk) {
    for (std::size_t i = plain.size() - p - 1; i < plain.size(); ++i) padOk = padOk && plain[i] == p;
  }
  if (!padOk) {
    failAuth(out, "authentication failed: the CBC padding is invalid (last byte " + std::to_string(p) +
                      (ssl3 ? ", SSL 3.0 needs it below the " + std::to_string(bs) + "-byte block)" : ")"));
    return;
  }
  if (ssl3) {
    out.note = "SSL 3.0 CBC padding: only its length byte (" + std::to_string(p) + ") is checked; the " +
               std::to_string(p) + " padding bytes before it are arbitrary and not covered by the MAC, so an attacker "
               "who moves a block into the padding position learns a plaintext byte whenever the server accepts the "
               "record (POODLE, CVE-2014-3566; TLS 1.0+ checks every padding byte)";
  }
  out.padding.assign(plain.end() - static_cast<std::ptrdiff_t>(p + 1), plain.end());
  const std::size_t contentLen = plain.size() - tail;
  if (!etm_) {
    const ByteView content = ByteView(plain).first(contentLen);
    out.mac.assign(plain.begin() + static_cast<std::ptrdiff_t>(contentLen),
                   plain.begin() + static_cast<std::ptrdiff_t>(contentLen + macLen));
    out.aad = macHeader(sequence, header.type, header.version, contentLen);
    out.expectedMac = mac_.compute(out.aad, {content});
    if (!equalConstantTime(out.mac, out.expectedMac) && version_ == kDtls1BadVer) {
      // OpenSSL before 0.9.8f: the TLS 1.0 MAC over the sequence number alone
      // (no epoch) with 0x0301 as the version (as Wireshark's fallback).
      const Bytes oldAad = macHeader(sequence & ((std::uint64_t{1} << 48) - 1), header.type, kTls10, contentLen);
      const Bytes oldMac = mac_.compute(oldAad, {content});
      if (equalConstantTime(out.mac, oldMac)) {
        out.aad = oldAad;
        out.expectedMac = oldMac;
        out.note = "DTLS1_BAD_VER (0x0100): the MAC is pre-RFC OpenSSL's, over seq_num without the epoch and version "
                   "0x0301; the RFC 4347 form (epoch || seq_num, version 0x0100) does not match";
      }
    }
    if (!equalConstantTime(out.mac, out.expectedMac)) {
      failAuth(out, "authentication failed: the MAC does not match");
      return;
    }
  }
  plain.resize(contentLen);
  out.plaintext = std::move(plain);
  out.verdict = RecordVerdict::Decrypted;
}

Result<Bytes> CbcRecord::seal(std::uint8_t contentType, ByteView plaintext, std::uint64_t sequence, std::size_t) {
  const std::size_t bs = cbcBlockSize(suite_.cipher);
  const bool explicitIv = explicitCbcIv(version_);
  Bytes iv = explicitIv ? hmac(HashAlg::Sha256, macKey_, sequenceBytes(sequence)) : encChainIv_;
  iv.resize(bs);
  Bytes data(plaintext.begin(), plaintext.end());
  if (!etm_) {
    const Bytes mac = mac_.compute(macHeader(sequence, contentType, version_, plaintext.size()), {plaintext});
    data.insert(data.end(), mac.begin(), mac.end());
  }
  const std::size_t p = (bs - (data.size() + 1) % bs) % bs;
  data.insert(data.end(), p + 1, static_cast<std::uint8_t>(p));
  Bytes ct(data.size());
  if (!cbc(true, iv, data, ct.data())) return fail("CBC encryption failed");
  if (!explicitIv) encChainIv_.assign(ct.end() - static_cast<std::ptrdiff_t>(bs), ct.end());
  const ByteView sentIv = explicitIv ? ByteView(iv) : ByteView();
  Bytes mac;
  if (etm_) mac = mac_.compute(macHeader(sequence, contentType, version_, sentIv.size() + ct.size()), {sentIv, ct});
  Bytes rec = recordWithFragment(contentType, version_, {sentIv, ct, mac});
  if (rec.empty()) return fail("record too long for its 16-bit length field");
  return rec;
}

}  // namespace

Result<std::unique_ptr<RecordProtection>> makeCbc(const ModeParams& params) {
  auto mode = std::make_unique<CbcRecord>(params, RecordMac{macHash(params.suite.mac).value_or(HashAlg::Sha256), params.keys.macKey,
                                                               params.version == kSsl30});
  if (auto ok = mode->init(params.keys.key); !ok) return fail(ok.error());
  return std::unique_ptr<RecordProtection>(std::move(mode));
}

}  // namespace tlslab::crypto::record
