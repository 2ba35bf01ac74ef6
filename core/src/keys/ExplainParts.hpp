#pragma once
// The halves of a session's explanation that do not depend on where its
// first secret came from (a key log, or the endpoint's ephemeral key).
#include "tlslab/keys/Explain.hpp"

namespace tlslab::keys {

// TLS 1.3: keys and IVs of each traffic secret, both Finished checks, the
// next KeyUpdate generation.
void tls13KeysAndFinished(const SessionSecrets& secrets, const crypto::CipherSuite& suite,
                          const SessionContext& ctx, Explanation& out);
// TLS 1.0-1.2: key block and its slices, both Finished checks.
void tls12KeysAndFinished(const Bytes& master, const Bytes& clientRandom, const crypto::CipherSuite* suite,
                          std::uint16_t version, crypto::HashAlg prfHash, const SessionContext& ctx,
                          Explanation& out);

}  // namespace tlslab::keys
