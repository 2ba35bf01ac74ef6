#pragma once
// Private to crypto/record: the byte strings the modes share (nonces, MAC
// headers, record headers, the record MAC) and how a failed check is reported.
#include <cstdint>
#include <initializer_list>
#include <string>

#include "tlslab/crypto/Hash.hpp"
#include "tlslab/model/RecordCrypto.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::crypto::record {

// RFC 8446 §5.3 / RFC 7905 §2: the 64-bit sequence number, left-padded with
// zeros to the IV length, XORed with the IV. paddedSeq (if given) gets the padded number.
Bytes xorNonce(ByteView iv, std::uint64_t sequence, Bytes* paddedSeq);

// The sequence number as 8 big-endian bytes.
Bytes sequenceBytes(std::uint64_t sequence);

// seq_num || type || version || length: the TLS 1.2 AEAD additional data
// (RFC 5246 §6.2.3.3) and the start of the HMAC input (§6.2.3.1). For
// version 0x0300 (SSL 3.0) seq_num || type || length (RFC 6101 §5.2.3.1).
Bytes macHeader(std::uint64_t sequence, std::uint8_t type, std::uint16_t version, std::size_t length);

// type || version || length, then the fragment: the record as sent. Empty when
// the fragment does not fit the 16-bit length (the caller reports it).
Bytes recordWithFragment(std::uint8_t type, std::uint16_t version, std::initializer_list<ByteView> fragmentParts);

// The MAC of CBC and NULL records: HMAC(mac_key, macHeader || data...)
// (RFC 5246 §6.2.3.1), or with ssl3 the SSL 3.0 pad1/pad2 MAC (RFC 6101
// §5.2.3.1, crypto::ssl3Mac).
struct RecordMac {
  HashAlg alg = HashAlg::Sha256;
  Bytes key;
  bool ssl3 = false;
  Bytes compute(ByteView header, std::initializer_list<ByteView> data) const;
};

bool equalConstantTime(ByteView a, ByteView b);

// Drops the plaintext and says why integrity failed (keeping an earlier note after it).
void failAuth(model::RecordCrypto& out, std::string why);

}  // namespace tlslab::crypto::record
