#include "RecordBytes.hpp"

#include <openssl/crypto.h>

#include "tlslab/crypto/Ssl3KeySchedule.hpp"
#include "tlslab/util/ByteWriter.hpp"

namespace tlslab::crypto::record {

Bytes sequenceBytes(std::uint64_t sequence) {
  ByteWriter w(8);
  w.u64(sequence);
  return std::move(w).take();
}

Bytes xorNonce(ByteView iv, std::uint64_t sequence, Bytes* paddedSeq) {
  Bytes nonce(iv.begin(), iv.end());
  for (std::size_t i = 0; i < 8 && i < nonce.size(); ++i)
    nonce[nonce.size() - 1 - i] ^= static_cast<std::uint8_t>(sequence >> (8 * i));
  if (paddedSeq) {
    ByteWriter padded(iv.size());
    padded.zeros(iv.size() - 8).u64(sequence);
    *paddedSeq = std::move(padded).take();
  }
  return nonce;
}

Bytes macHeader(std::uint64_t sequence, std::uint8_t type, std::uint16_t version, std::size_t length) {
  ByteWriter w(13);
  w.u64(sequence).u8(type);
  if (version != kSsl30) w.u16(version);  // SSL 3.0 leaves the version out (RFC 6101 §5.2.3.1)
  w.u16(length);
  return std::move(w).take();
}

Bytes recordWithFragment(std::uint8_t type, std::uint16_t version, std::initializer_list<ByteView> fragmentParts) {
  std::size_t size = 5;
  for (ByteView part : fragmentParts) size += part.size();
  ByteWriter w(size);
  w.u8(type).u16(version);
  w.prefixed(2, [&] {
    for (ByteView part : fragmentParts) w.bytes(part);
  });
  return std::move(w).take();
}

Bytes RecordMac::compute(ByteView header, std::initializer_list<ByteView> data) const {
  Bytes input(header.begin(), header.end());
  for (ByteView part : data) input.insert(input.end(), part.begin(), part.end());
  if (ssl3) return ssl3Mac(alg, key, input, {});
  return hmac(alg, key, input);
}

bool equalConstantTime(ByteView a, ByteView b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void failAuth(model::RecordCrypto& out, std::string why) {
  out.plaintext.clear();
  out.verdict = model::RecordVerdict::AuthenticationFailed;
  out.note = out.note.empty() ? std::move(why) : why + "; " + out.note;
}

}  // namespace tlslab::crypto::record
