// NULL-cipher records (RFC 5246 §6.2.3.1): the content in the clear,
// followed by its MAC over seq || type || version || length || content.
#include "Protection.hpp"
#include "RecordBytes.hpp"
#include "tlslab/crypto/Ssl3KeySchedule.hpp"

namespace tlslab::crypto::record {
namespace {

using model::RecordVerdict;

class NullRecord final : public RecordProtection {
 public:
  NullRecord(const CipherSuite& suite, std::uint16_t version, RecordMac mac)
      : suite_(suite), version_(version), mac_(std::move(mac)) {}

  void open(const RecordHeader& header, ByteView fragment, std::uint64_t sequence, model::RecordCrypto& out,
            bool) override {
    const std::size_t macLen = suite_.macLength;
    out.construction = "NULL cipher + MAC";
    out.rfc = version_ == kSsl30 ? "RFC 6101 §5.2.3.1" : "RFC 5246 §6.2.3.1";
    if (fragment.size() < macLen) {
      out.note = "fragment shorter than the " + std::to_string(macLen) + "-byte MAC";
      return;
    }
    const ByteView content = fragment.first(fragment.size() - macLen);
    out.mac.assign(fragment.end() - static_cast<std::ptrdiff_t>(macLen), fragment.end());
    out.aad = macHeader(sequence, header.type, header.version, content.size());
    out.expectedMac = mac_.compute(out.aad, {content});
    if (!equalConstantTime(out.mac, out.expectedMac)) {
      failAuth(out, "authentication failed: the MAC does not match");
      return;
    }
    out.plaintext.assign(content.begin(), content.end());
    out.verdict = RecordVerdict::NotEncrypted;
    out.note = "NULL cipher: the content was sent in the clear, only protected by the MAC";
  }

  Result<Bytes> seal(std::uint8_t contentType, ByteView plaintext, std::uint64_t sequence, std::size_t) override {
    const Bytes mac = mac_.compute(macHeader(sequence, contentType, version_, plaintext.size()), {plaintext});
    Bytes rec = recordWithFragment(contentType, version_, {plaintext, mac});
    if (rec.empty()) return fail("record too long for its 16-bit length field");
    return rec;
  }

 private:
  const CipherSuite& suite_;
  std::uint16_t version_;
  RecordMac mac_;
};

}  // namespace

std::unique_ptr<RecordProtection> makeNull(const ModeParams& params) {
  return std::make_unique<NullRecord>(params.suite, params.version,
                                      RecordMac{macHash(params.suite.mac).value_or(HashAlg::Sha256), params.keys.macKey,
                                                params.version == kSsl30});
}

}  // namespace tlslab::crypto::record
