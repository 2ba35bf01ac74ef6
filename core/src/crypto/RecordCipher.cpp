// RecordCipher: checks the keys, picks the record protection mode
// (record/Protection.hpp) and reads each record's header once; the modes do
// the cryptography.
#include "tlslab/crypto/RecordCipher.hpp"

#include <string>

#include "record/Protection.hpp"
#include "record/RecordBytes.hpp"
#include "tlslab/util/ByteReader.hpp"

namespace tlslab::crypto {

namespace record {

Result<std::unique_ptr<RecordProtection>> makeProtection(const ModeParams& params) {
  if (params.suite.tls13()) return makeTls13Aead(params);
  if (isAead(params.suite.cipher)) return makeTls12Aead(params);
  if (params.suite.cipher == CipherAlg::Null) return makeNull(params);
  if (params.suite.cipher == CipherAlg::Rc4_128) return makeStream(params);
  return makeCbc(params);
}

}  // namespace record

struct RecordCipher::Impl {
  std::unique_ptr<record::RecordProtection> mode;
};

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
  auto mode = record::makeProtection({suite, keys, version, encryptThenMac && isCbc(suite.cipher)});
  if (!mode) return fail(mode.error());
  auto impl = std::make_unique<Impl>();
  impl->mode = std::move(mode).value();
  return RecordCipher(suite, version, std::move(impl));
}

model::RecordCrypto RecordCipher::decrypt(ByteView record, std::uint64_t sequence, bool keepDetail) {
  model::RecordCrypto out;
  decryptInto(record, sequence, out, keepDetail);
  return out;
}

namespace {

// Clears a reused result without giving back its buffers (bulk dissection decrypts into one).
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
  out.verdict = model::RecordVerdict::Malformed;
}

// The header's bytes kept (TLS 1.3's AAD), its length checked against the
// fragment, then the mode opens the fragment. TLS and DTLS differ only in
// how the header and sequence were read.
void openFragment(record::RecordProtection& mode, const record::RecordHeader& header, ByteView record,
                  std::size_t headerLength, std::uint64_t sequence, model::RecordCrypto& out, bool keepDetail) {
  out.header.assign(record.begin(), record.begin() + static_cast<std::ptrdiff_t>(headerLength));
  out.contentType = header.type;
  const ByteView fragment = record.subspan(headerLength);
  if (header.length != fragment.size()) {
    // The length is part of what the MAC/AEAD protects (as AAD or via framing):
    // a record whose header disagrees with its body was changed in transit.
    record::failAuth(out, "authentication failed: the header's length field says " + std::to_string(header.length) +
                              " bytes but " + std::to_string(fragment.size()) + " follow (header changed?)");
    return;
  }
  mode.open(header, fragment, sequence, out, keepDetail);
}

}  // namespace

void RecordCipher::decryptInto(ByteView record, std::uint64_t sequence, model::RecordCrypto& out,
                               bool keepDetail) {
  resetResult(out);
  out.sequence = sequence;
  out.cipher = cipherName(suite_->cipher);
  ByteReader reader(record);
  record::RecordHeader header;
  header.type = reader.u8("TLSCiphertext.opaque_type");
  header.version = reader.u16("TLSCiphertext.legacy_record_version");
  header.length = reader.u16("TLSCiphertext.length");
  if (reader.failed()) {
    out.note = "record is " + std::to_string(record.size()) + " bytes, shorter than the 5-byte header";
    return;
  }
  openFragment(*impl_->mode, header, record, record::kHeaderLength, sequence, out, keepDetail);
}

void RecordCipher::decryptDtlsInto(ByteView record, model::RecordCrypto& out, bool keepDetail) {
  resetResult(out);
  out.cipher = cipherName(suite_->cipher);
  ByteReader reader(record);
  record::RecordHeader header;
  header.type = reader.u8("DTLSCiphertext.type");
  header.version = reader.u16("DTLSCiphertext.version");
  const std::uint64_t epochAndSeq = reader.uN(8, "DTLSCiphertext.epoch + sequence_number");
  header.length = reader.u16("DTLSCiphertext.length");
  if (reader.failed()) {
    out.note = "record is " + std::to_string(record.size()) + " bytes, shorter than the 13-byte DTLS header";
    return;
  }
  out.sequence = epochAndSeq;
  openFragment(*impl_->mode, header, record, 13, epochAndSeq, out, keepDetail);
}

Result<Bytes> RecordCipher::encrypt(std::uint8_t contentType, ByteView plaintext, std::uint64_t sequence,
                                    std::size_t tls13Padding) {
  return impl_->mode->seal(contentType, plaintext, sequence, tls13Padding);
}

}  // namespace tlslab::crypto
