// RC4 records (RFC 5246 §6.2.3.1, RFC 6101 §5.2.3.1): RC4(content || MAC),
// with one key stream per direction that runs on from record to record, so
// records must be opened in order (the sequence number also goes in the MAC).
// RC4 is broken (RFC 7465 prohibits it); it is here to read old captures.
// OpenSSL 3 keeps RC4 in the legacy provider, loaded into a library context
// of its own so no lab endpoint can negotiate it.
#include <openssl/provider.h>

#include "../Ossl.hpp"
#include "Protection.hpp"
#include "RecordBytes.hpp"
#include "tlslab/crypto/Ssl3KeySchedule.hpp"

namespace tlslab::crypto::record {
namespace {

using model::RecordVerdict;

// Created once, never freed (the fetched cipher points into it).
const EVP_CIPHER* legacyRc4() {
  static EVP_CIPHER* rc4 = [] {
    OSSL_LIB_CTX* ctx = OSSL_LIB_CTX_new();
    if (ctx == nullptr || OSSL_PROVIDER_load(ctx, "legacy") == nullptr) return static_cast<EVP_CIPHER*>(nullptr);
    return EVP_CIPHER_fetch(ctx, "RC4", nullptr);
  }();
  return rc4;
}

class StreamRecord final : public RecordProtection {
 public:
  StreamRecord(const ModeParams& p, RecordMac mac) : suite_(p.suite), version_(p.version), mac_(std::move(mac)) {}

  Result<bool> init(const Bytes& key) {
    const EVP_CIPHER* rc4 = legacyRc4();
    if (rc4 == nullptr) return fail("RC4 needs OpenSSL's legacy provider, which could not be loaded");
    dec_.reset(EVP_CIPHER_CTX_new());
    enc_.reset(EVP_CIPHER_CTX_new());
    if (!dec_ || !enc_ || EVP_DecryptInit_ex(dec_.get(), rc4, nullptr, key.data(), nullptr) != 1 ||
        EVP_EncryptInit_ex(enc_.get(), rc4, nullptr, key.data(), nullptr) != 1)
      return fail("OpenSSL refused the RC4 key");
    return true;
  }

  void open(const RecordHeader& header, ByteView fragment, std::uint64_t sequence, model::RecordCrypto& out,
            bool keepDetail) override {
    const std::size_t macLen = suite_.macLength;
    out.construction = "stream cipher + MAC";
    out.rfc = version_ == kSsl30 ? "RFC 6101 §5.2.3.1" : "RFC 5246 §6.2.3.1";
    Bytes plain(fragment.size());
    int len = 0;
    // Always advance the key stream, even for a short record: the next record continues after it.
    if (!fragment.empty() &&
        EVP_CipherUpdate(dec_.get(), plain.data(), &len, fragment.data(), static_cast<int>(fragment.size())) != 1) {
      failAuth(out, "decryption failed in OpenSSL");
      return;
    }
    if (keepDetail) out.ciphertext.assign(fragment.begin(), fragment.end());
    if (plain.size() < macLen) {
      out.note = "fragment shorter than the " + std::to_string(macLen) + "-byte MAC";
      return;
    }
    const std::size_t contentLen = plain.size() - macLen;
    out.mac.assign(plain.begin() + static_cast<std::ptrdiff_t>(contentLen), plain.end());
    out.aad = macHeader(sequence, header.type, header.version, contentLen);
    out.expectedMac = mac_.compute(out.aad, {ByteView(plain).first(contentLen)});
    if (!equalConstantTime(out.mac, out.expectedMac)) {
      failAuth(out, "authentication failed: the MAC does not match (or a record before it is missing: RC4's key "
                    "stream runs on across records)");
      return;
    }
    plain.resize(contentLen);
    out.plaintext = std::move(plain);
    out.verdict = RecordVerdict::Decrypted;
    out.note = "RC4: no IV and no padding; its key stream is biased, and RFC 7465 prohibits it in TLS";
  }

  Result<Bytes> seal(std::uint8_t contentType, ByteView plaintext, std::uint64_t sequence, std::size_t) override {
    Bytes data(plaintext.begin(), plaintext.end());
    const Bytes mac = mac_.compute(macHeader(sequence, contentType, version_, plaintext.size()), {plaintext});
    data.insert(data.end(), mac.begin(), mac.end());
    Bytes ct(data.size());
    int len = 0;
    if (EVP_CipherUpdate(enc_.get(), ct.data(), &len, data.data(), static_cast<int>(data.size())) != 1)
      return fail("RC4 encryption failed");
    Bytes rec = recordWithFragment(contentType, version_, {ct});
    if (rec.empty()) return fail("record too long for its 16-bit length field");
    return rec;
  }

 private:
  const CipherSuite& suite_;
  std::uint16_t version_;
  RecordMac mac_;
  ossl::CipherCtx dec_, enc_;
};

}  // namespace

Result<std::unique_ptr<RecordProtection>> makeStream(const ModeParams& params) {
  auto mode = std::make_unique<StreamRecord>(
      params, RecordMac{macHash(params.suite.mac).value_or(HashAlg::Sha1), params.keys.macKey, params.version == kSsl30});
  if (auto ok = mode->init(params.keys.key); !ok) return fail(ok.error());
  return std::unique_ptr<RecordProtection>(std::move(mode));
}

}  // namespace tlslab::crypto::record
