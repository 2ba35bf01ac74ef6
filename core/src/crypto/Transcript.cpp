#include "tlslab/crypto/Transcript.hpp"

namespace tlslab::crypto {

namespace {
constexpr std::uint8_t kMessageHashType = 254;
}

bool Transcript::add(ByteView message) {
  if (finished_) return true;
  bytes_.insert(bytes_.end(), message.begin(), message.end());
  if (bytes_.size() <= limit_) return true;
  overLimit_ = true;
  finish();
  return false;
}

void Transcript::replaceWithMessageHash(HashAlg alg) {
  if (finished_) return;
  bytes_ = messageHash(alg, bytes_);
}

void Transcript::finish() {
  finished_ = true;
  Bytes().swap(bytes_);
}

Bytes messageHash(HashAlg alg, ByteView clientHello1) {
  const Bytes hash = digest(alg, clientHello1);
  Bytes out{kMessageHashType, 0, 0, static_cast<std::uint8_t>(hash.size())};
  out.insert(out.end(), hash.begin(), hash.end());
  return out;
}

}  // namespace tlslab::crypto
