// TLS 1.2 AEAD records: GCM and CCM take salt (write IV) || an 8-byte
// explicit nonce sent before the ciphertext (RFC 5288 §3, RFC 6655 §3);
// ChaCha20-Poly1305 uses write IV XOR sequence number (RFC 7905 §2). The
// additional data is seq || type || version || plaintext length (RFC 5246 §6.2.3.3).
#include "AeadKey.hpp"
#include "Protection.hpp"
#include "RecordBytes.hpp"

namespace tlslab::crypto::record {
namespace {

using model::RecordVerdict;

class Tls12Aead final : public RecordProtection {
 public:
  Tls12Aead(const CipherSuite& suite, std::uint16_t version, Bytes iv, AeadKey key)
      : suite_(suite), version_(version), iv_(std::move(iv)), key_(std::move(key)) {}

  void open(const RecordHeader& header, ByteView fragment, std::uint64_t sequence, model::RecordCrypto& out,
            bool keepDetail) override {
    out.construction = "AEAD";
    const std::size_t tagLen = suite_.tagLength;
    const std::size_t explicitLen = suite_.recordIvLength;  // 0 for ChaCha20-Poly1305
    const std::size_t overhead = tagLen + explicitLen;
    if (fragment.size() < overhead) {
      out.verdict = RecordVerdict::Malformed;
      out.note = "fragment is " + std::to_string(fragment.size()) + " bytes, too short for " +
                 std::to_string(overhead) + " bytes of nonce/tag/content type";
      return;
    }
    const ByteView explicitNonce = fragment.first(explicitLen);
    const ByteView body = fragment.subspan(explicitLen);
    const ByteView ct = body.first(body.size() - tagLen);
    const ByteView tag = body.last(tagLen);
    Bytes padded;
    if (explicitLen > 0) {
      out.rfc = isCcm(suite_.cipher) ? "RFC 6655 §3; RFC 5246 §6.2.3.3" : "RFC 5288 §3; RFC 5246 §6.2.3.3";
      out.nonce = iv_;
      out.nonce.insert(out.nonce.end(), explicitNonce.begin(), explicitNonce.end());
    } else {
      out.rfc = "RFC 7905 §2; RFC 5246 §6.2.3.3";
      out.nonce = xorNonce(iv_, sequence, keepDetail ? &padded : nullptr);
    }
    out.aad = macHeader(sequence, header.type, header.version, ct.size());
    if (keepDetail) {
      if (explicitLen > 0) {
        out.nonceParts = {{"salt (write IV from the key block)", iv_},
                          {"explicit nonce (on the wire)", Bytes(explicitNonce.begin(), explicitNonce.end())}};
      } else {
        out.nonceParts = {{"write_iv", iv_}, {"sequence number, left-padded", padded}};
      }
    }
    if (!openRecord(key_, out, ct, tag, keepDetail)) return;
    out.verdict = RecordVerdict::Decrypted;
  }

  Result<Bytes> seal(std::uint8_t contentType, ByteView plaintext, std::uint64_t sequence, std::size_t) override {
    const bool explicitNonce = suite_.recordIvLength > 0;
    const Bytes explicitPart = sequenceBytes(sequence);  // common practice: the sequence number as explicit nonce
    Bytes nonce;
    if (explicitNonce) {
      nonce = iv_;
      nonce.insert(nonce.end(), explicitPart.begin(), explicitPart.end());
    } else {
      nonce = xorNonce(iv_, sequence, nullptr);
    }
    const Bytes aad = macHeader(sequence, contentType, version_, plaintext.size());
    // The record with room for ciphertext and tag, sealed in place.
    const Bytes room(plaintext.size() + suite_.tagLength, 0);
    Bytes rec = recordWithFragment(contentType, version_, {explicitNonce ? ByteView(explicitPart) : ByteView(), room});
    if (rec.empty()) return fail("record too long for its 16-bit length field");
    std::uint8_t* ct = rec.data() + rec.size() - room.size();
    if (!key_.seal(nonce, aad, plaintext, ct, ct + plaintext.size())) return fail("AEAD encryption failed");
    return rec;
  }

 private:
  const CipherSuite& suite_;
  std::uint16_t version_;
  Bytes iv_;
  AeadKey key_;
};

}  // namespace

Result<std::unique_ptr<RecordProtection>> makeTls12Aead(const ModeParams& params) {
  auto key = AeadKey::create(params.suite, params.keys.key);
  if (!key) return fail(key.error());
  return std::unique_ptr<RecordProtection>(
      std::make_unique<Tls12Aead>(params.suite, params.version, params.keys.iv, std::move(key).value()));
}

}  // namespace tlslab::crypto::record
