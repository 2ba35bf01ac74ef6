#pragma once
// (EC)DHE key agreement from one side's ephemeral private key and the peer's
// key share, for every group a lab run can negotiate: x25519, x448 (RFC
// 7748), secp256r1/384r1/521r1 (uncompressed points, RFC 8446 §4.2.8.2),
// ffdhe2048..8192 (RFC 7919) and TLS 1.2 DHE with the server's own p and g.
// Also the PEM files a student hands to `openssl pkeyutl -derive` to do the
// same by hand.
#include <string>
#include <string_view>

#include "tlslab/crypto/Result.hpp"
#include "tlslab/model/Derivation.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::crypto {

// An ephemeral key pair as plain bytes (what an endpoint recorded).
struct KeyPair {
  // The IANA name of the group ("x25519", "x448", "secp256r1", "secp384r1",
  // "secp521r1", "ffdhe2048".."ffdhe8192"), or "dh" for explicit p and g.
  std::string group;
  Bytes privateKey;  // raw (X25519/X448) or big-endian scalar/exponent (EC, DH)
  Bytes publicKey;   // as sent in a key share: raw, uncompressed point, or Y
  Bytes dhP, dhG;    // "dh" only
};

// "P-256" -> "secp256r1" and so on; IANA names unchanged; "" if unknown.
std::string canonicalGroup(std::string_view group);
bool isFiniteFieldGroup(std::string_view group);  // ffdhe* and "dh"

// The shared secret. TLS 1.3 pads a finite-field secret to the size of p
// (RFC 8446 §7.4.1); TLS 1.2 strips its leading zeros (RFC 5246 §8.1.2).
Result<Bytes> keyAgreement(const KeyPair& own, ByteView peerPublicKey, bool tls13);

// PKCS#8 private key and SubjectPublicKeyInfo of the peer's share, as PEM.
Result<std::string> privateKeyPem(const KeyPair& own);
Result<std::string> publicKeyPem(const KeyPair& groupOf, ByteView publicKey);

// Two encodings of the same public value (a DH Y may be sent padded or not).
bool samePublicKey(std::string_view group, ByteView a, ByteView b);

// The explained step, with the commands that reproduce it by hand:
// `tlslab keys pem` writes ownFile and peerFile, `openssl pkeyutl -derive`
// agrees on the secret.
model::DerivationStep keyAgreementStep(const KeyPair& own, ByteView peerPublicKey, bool tls13,
                                       const std::string& ownSide);

}  // namespace tlslab::crypto
