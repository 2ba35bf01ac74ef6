#pragma once
// SSL 3.0 key derivation and Finished (RFC 6101), as explained steps. SSL 3.0
// predates the TLS PRF and HMAC: every secret is built from nested MD5 and
// SHA-1 with letter salts and fixed pads.
//
//   master_secret = MD5(pms + SHA("A"   + pms + ClientHello.random + ServerHello.random))
//                 + MD5(pms + SHA("BB"  + pms + ClientHello.random + ServerHello.random))
//                 + MD5(pms + SHA("CCC" + pms + ClientHello.random + ServerHello.random))   (RFC 6101 §6.1)
//   key_block     = MD5(master + SHA("A" + master + ServerHello.random + ClientHello.random))
//                 + MD5(master + SHA("BB" + ...)) + ...  until long enough               (RFC 6101 §6.2.2)
//                 split like TLS 1.0's (MAC keys, keys, IVs)
//   Finished      = MD5(master + pad2 + MD5(handshake_messages + Sender + master + pad1))
//                 + SHA(master + pad2 + SHA(handshake_messages + Sender + master + pad1))  (RFC 6101 §5.6.9)
//                 Sender "CLNT" (0x434C4E54) or "SRVR" (0x53525652); pad1 = 0x36, pad2 = 0x5c,
//                 48 bytes for MD5 and 40 for SHA-1.
#include <cstdint>

#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/Hash.hpp"
#include "tlslab/crypto/Result.hpp"
#include "tlslab/crypto/Tls12KeySchedule.hpp"
#include "tlslab/model/Derivation.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::crypto {

inline constexpr std::uint16_t kSsl30 = 0x0300;

// The salted MD5(secret + SHA(salt + secret + seed)) stream, `length` bytes
// (salts "A", "BB", "CCC", ...: RFC 6101 §6.1, §6.2.2).
Bytes ssl3HashStream(ByteView secret, ByteView seed, std::size_t length);

model::DerivationStep ssl3MasterSecret(ByteView preMasterSecret, ByteView clientRandom, ByteView serverRandom);
Result<Tls12KeyBlock> ssl3KeyBlock(const CipherSuite& suite, ByteView masterSecret, ByteView clientRandom,
                                   ByteView serverRandom);
// The 36-byte Finished (MD5 part then SHA-1 part) over every handshake
// message before it (not a hash of them: the master secret goes inside).
model::DerivationStep ssl3VerifyData(ByteView masterSecret, bool fromClient, ByteView handshakeMessages);

// The SSL 3.0 record MAC (RFC 6101 §5.2.3.1), not HMAC:
//   hash(MAC_write_secret + pad_2 + hash(MAC_write_secret + pad_1 + seq_num + type + length + content))
// alg = Md5 or Sha1. `header` is seq_num(8) || type(1) || length(2).
Bytes ssl3Mac(HashAlg alg, ByteView macSecret, ByteView header, std::initializer_list<ByteView> data);

}  // namespace tlslab::crypto
