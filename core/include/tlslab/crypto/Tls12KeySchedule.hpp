#pragma once
// TLS 1.0-1.2 key derivation, as explained steps:
//
//   pre_master_secret --PRF("master secret", ClientHello.random + ServerHello.random)--> master_secret
//                     (RFC 5246 §8.1)
//   pre_master_secret --PRF("extended master secret", session_hash)--> master_secret
//                     (RFC 7627 §4, when the extension was negotiated)
//   master_secret --PRF("key expansion", server_random + client_random)--> key_block
//                     = client MAC key | server MAC key | client key | server key | client IV | server IV
//                     (RFC 5246 §6.3)
//   verify_data = PRF(master_secret, "client finished" | "server finished", Hash(handshake))[0..11]
//                     (RFC 5246 §7.4.9)
//
// TLS 1.0/1.1 use the MD5+SHA-1 PRF and an MD5||SHA-1 handshake hash.
#include <cstdint>
#include <string>
#include <vector>

#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/RecordCipher.hpp"
#include "tlslab/crypto/Result.hpp"
#include "tlslab/model/Derivation.hpp"

namespace tlslab::crypto {

// The PRF hash a suite uses at a version (MD5+SHA-1 before TLS 1.2).
HashAlg tls12PrfHash(const CipherSuite& suite, std::uint16_t version);

model::DerivationStep tls12MasterSecret(HashAlg prfHash, ByteView preMasterSecret, ByteView clientRandom,
                                        ByteView serverRandom);
model::DerivationStep tls12ExtendedMasterSecret(HashAlg prfHash, ByteView preMasterSecret, ByteView sessionHash);

struct Tls12KeyBlock {
  TrafficKeys client;  // client write MAC key, key, IV
  TrafficKeys server;
  std::vector<model::DerivationStep> steps;  // key_block expansion, then one step per slice
};
Result<Tls12KeyBlock> tls12KeyBlock(const CipherSuite& suite, std::uint16_t version, ByteView masterSecret,
                                    ByteView clientRandom, ByteView serverRandom);

// How many key_block bytes the suite uses at the version (IV slots only
// before TLS 1.1 for CBC suites), and the split of a key_block step into the
// six keys; the block step comes first in the result's steps.
std::size_t tls12KeyBlockLength(const CipherSuite& suite, std::uint16_t version);
Tls12KeyBlock splitTls12KeyBlock(const CipherSuite& suite, std::uint16_t version, model::DerivationStep blockStep,
                                 const std::string& rfc);

// verify_data for the client's (fromClient) or server's Finished.
model::DerivationStep tls12VerifyData(HashAlg prfHash, ByteView masterSecret, bool fromClient,
                                      ByteView handshakeHash);

// RFC 4279 §2 (and §3, §4, RFC 5489 §2): the PSK suites' pre-master secret,
//   uint16 len(other_secret) || other_secret || uint16 len(psk) || psk
// where other_secret is len(psk) zero bytes for plain PSK, the 48-byte RSA
// pre-master secret for RSA_PSK, and the (EC)DH shared secret for
// (EC)DHE_PSK. `otherFrom` says where other_secret came from.
model::DerivationStep tls12PskPreMasterSecret(KeyExchange kx, ByteView otherSecret, ByteView psk,
                                             const std::string& otherFrom, const std::string& pskFrom);

// The explicit node shown when a suite's pre-master secret cannot be recovered
// from a capture: (EC)DHE key exchange gives forward secrecy.
model::DerivationStep tls12ForwardSecrecyStep(const CipherSuite& suite);

}  // namespace tlslab::crypto
