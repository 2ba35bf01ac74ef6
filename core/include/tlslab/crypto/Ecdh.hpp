#pragma once
// (EC)DHE shared secret from one side's private key and the peer's public
// key, for checking published traces (RFC 8448 gives both key pairs) and for
// labs. Groups: x25519 (RFC 7748) and secp256r1/P-256 (uncompressed point).
#include <string_view>

#include "tlslab/crypto/Result.hpp"
#include "tlslab/model/Derivation.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::crypto {

// group: "x25519" or "P-256" (also "secp256r1").
Result<Bytes> ecdhSharedSecret(std::string_view group, ByteView privateKey, ByteView peerPublicKey);
model::DerivationStep ecdhStep(std::string_view group, ByteView privateKey, ByteView peerPublicKey);

}  // namespace tlslab::crypto
