#pragma once
// How one protected record was opened, shown to a learner: which nonce
// (and from which parts), which additional data, ciphertext, tag or MAC,
// padding, and the plaintext, with a verdict. Plain data; no OpenSSL types.
#include <cstdint>
#include <string>
#include <vector>

#include "tlslab/util/Bytes.hpp"

namespace tlslab::model {

enum class RecordVerdict {
  Decrypted,             // integrity checked, plaintext is authentic
  NotEncrypted,          // NULL cipher: MAC checked, content was never encrypted
  AuthenticationFailed,  // tag, MAC or padding check failed: no plaintext is given
  Malformed,             // too short, bad length, no keys: `note` says what
};

inline const char* recordVerdictName(RecordVerdict verdict) {
  switch (verdict) {
    case RecordVerdict::Decrypted: return "decrypted";
    case RecordVerdict::NotEncrypted: return "not encrypted (NULL cipher)";
    case RecordVerdict::AuthenticationFailed: return "authentication failed";
    case RecordVerdict::Malformed: return "malformed";
    default: return "unknown";
  }
}

struct NoncePart {
  std::string label;  // e.g. "server_write_iv", "sequence number (left-padded)"
  Bytes bytes;
};

struct RecordCrypto {
  std::string cipher;        // e.g. "AES-128-GCM"
  std::string construction;  // "AEAD", "MAC-then-encrypt", "encrypt-then-MAC", "NULL cipher + MAC"
  std::string rfc;           // e.g. "RFC 8446 §5.2"
  std::uint64_t sequence = 0;
  Bytes header;                      // the 5-byte record header as received
  std::vector<NoncePart> nonceParts;  // how the nonce (or CBC IV) was built
  Bytes nonce;                       // AEAD nonce, or CBC IV
  Bytes aad;                         // AEAD additional data, or the MAC's seq||type||version||length
  Bytes ciphertext;                  // encrypted part, without explicit nonce/IV, tag or MAC
  Bytes tag;                         // AEAD tag
  Bytes mac;                         // HMAC as received (CBC, NULL)
  Bytes expectedMac;                 // HMAC as recomputed
  Bytes padding;                     // CBC padding incl. length byte, or TLS 1.3 zero padding
  Bytes plaintext;                   // the content; empty unless the checks passed
  std::uint8_t contentType = 0;      // TLS 1.3: the inner content type; else the header's
  RecordVerdict verdict = RecordVerdict::Malformed;
  std::string note;                  // what failed and why, in plain words
};

}  // namespace tlslab::model
