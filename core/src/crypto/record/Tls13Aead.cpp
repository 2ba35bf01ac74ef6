// TLS 1.3 records (RFC 8446 §5.2-5.4): AEAD with the record header as
// additional data, nonce = write_iv XOR sequence number, and the real content
// type (plus optional zero padding) inside the encrypted TLSInnerPlaintext.
#include "AeadKey.hpp"
#include "Protection.hpp"
#include "RecordBytes.hpp"
#include "tlslab/util/ByteWriter.hpp"

namespace tlslab::crypto::record {
namespace {

using model::RecordVerdict;

constexpr std::uint8_t kApplicationData = 23;  // every TLS 1.3 record's outer type

class Tls13Aead final : public RecordProtection {
 public:
  Tls13Aead(const CipherSuite& suite, Bytes iv, AeadKey key) : suite_(suite), iv_(std::move(iv)), key_(std::move(key)) {}

  void open(const RecordHeader&, ByteView fragment, std::uint64_t sequence, model::RecordCrypto& out,
            bool keepDetail) override {
    out.construction = "AEAD";
    const std::size_t tagLen = suite_.tagLength;
    const std::size_t overhead = tagLen + 1;  // the tag and the inner content type
    if (fragment.size() < overhead) {
      out.verdict = RecordVerdict::Malformed;
      out.note = "fragment is " + std::to_string(fragment.size()) + " bytes, too short for " +
                 std::to_string(overhead) + " bytes of nonce/tag/content type";
      return;
    }
    const ByteView ct = fragment.first(fragment.size() - tagLen);
    const ByteView tag = fragment.last(tagLen);
    Bytes padded;
    out.rfc = "RFC 8446 §5.2-5.4";
    out.nonce = xorNonce(iv_, sequence, keepDetail ? &padded : nullptr);
    out.aad.assign(out.header.begin(), out.header.end());  // AAD = the record header
    if (keepDetail) {
      out.nonceParts = {{"write_iv", iv_}, {"sequence number, left-padded", padded}};
    }
    if (!openRecord(key_, out, ct, tag, keepDetail)) return;
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
    out.verdict = RecordVerdict::Decrypted;
  }

  Result<Bytes> seal(std::uint8_t contentType, ByteView plaintext, std::uint64_t sequence,
                     std::size_t tls13Padding) override {
    ByteWriter inner(plaintext.size() + 1 + tls13Padding);
    inner.bytes(plaintext).u8(contentType).zeros(tls13Padding);
    const Bytes innerPlaintext = std::move(inner).take();
    ByteWriter header(kHeaderLength);
    header.u8(kApplicationData).u16(kTls12).u16(innerPlaintext.size() + suite_.tagLength);
    if (!header.ok()) return fail("record too long: " + *header.error());
    Bytes rec = std::move(header).take();
    const Bytes aad = rec;
    rec.resize(kHeaderLength + innerPlaintext.size() + suite_.tagLength);
    std::uint8_t* ct = rec.data() + kHeaderLength;
    if (!key_.seal(xorNonce(iv_, sequence, nullptr), aad, innerPlaintext, ct, ct + innerPlaintext.size())) {
      return fail("AEAD encryption failed");
    }
    return rec;
  }

 private:
  const CipherSuite& suite_;
  Bytes iv_;
  AeadKey key_;
};

}  // namespace

Result<std::unique_ptr<RecordProtection>> makeTls13Aead(const ModeParams& params) {
  auto key = AeadKey::create(params.suite, params.keys.key);
  if (!key) return fail(key.error());
  return std::unique_ptr<RecordProtection>(
      std::make_unique<Tls13Aead>(params.suite, params.keys.iv, std::move(key).value()));
}

}  // namespace tlslab::crypto::record
