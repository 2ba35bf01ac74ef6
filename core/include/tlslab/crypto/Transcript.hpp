#pragma once
// A handshake transcript: the handshake messages, header included, in the
// order they were sent (RFC 8446 §4.4.1, RFC 5246 §7.4.9), hashed on demand.
// The bytes are kept rather than a running hash because an observer learns
// the hash only from the ServerHello (the suite's PRF or HKDF hash), after
// the ClientHello it must cover.
#include <cstddef>

#include "tlslab/crypto/Hash.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::crypto {

class Transcript {
 public:
  // Real handshakes are a few KB (tens with long chains); a stream that never
  // finishes its handshake must not grow memory without bound.
  static constexpr std::size_t kDefaultLimit = 4u << 20;
  Transcript() = default;
  explicit Transcript(std::size_t limit) : limit_(limit) {}

  // Appends one message. Past the limit the transcript is given up (its bytes
  // freed, nothing more kept) and add returns false, once.
  bool add(ByteView message);
  // RFC 8446 §4.4.1: after a HelloRetryRequest, ClientHello1 is replaced by
  // message_hash (type 254, length Hash.length, Hash(ClientHello1)). Call it
  // when the transcript holds ClientHello1, before adding the HelloRetryRequest.
  void replaceWithMessageHash(HashAlg alg);
  // Hash(messages so far).
  Bytes hash(HashAlg alg) const { return digest(alg, bytes_); }
  // The handshake is over (or abandoned): frees the bytes.
  void finish();

  ByteView bytes() const { return bytes_; }
  std::size_t size() const { return bytes_.size(); }
  bool finished() const { return finished_; }
  bool overLimit() const { return overLimit_; }

 private:
  std::size_t limit_ = kDefaultLimit;
  Bytes bytes_;
  bool finished_ = false;
  bool overLimit_ = false;
};

}  // namespace tlslab::crypto
