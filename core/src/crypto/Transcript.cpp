#include "tlslab/crypto/Transcript.hpp"

#include "tlslab/crypto/Tls13KeySchedule.hpp"

namespace tlslab::crypto {

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
  bytes_ = tls13MessageHash(alg, bytes_);
}

void Transcript::finish() {
  finished_ = true;
  Bytes().swap(bytes_);
}

}  // namespace tlslab::crypto
