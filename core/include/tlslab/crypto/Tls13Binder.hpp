#pragma once
// The PSK binder of a TLS 1.3 ClientHello, RFC 8446 §4.2.11.2:
//
//   Early Secret = HKDF-Extract(0, PSK)
//   binder_key   = Derive-Secret(Early Secret, "res binder" | "ext binder", "")
//   finished_key = HKDF-Expand-Label(binder_key, "finished", "", Hash.length)
//   binder       = HMAC(finished_key, Transcript-Hash(Truncate(ClientHello)))
//
// Truncate(ClientHello) is the ClientHello message (handshake header with its
// full length included) up to and including PreSharedKeyExtension.identities:
// everything but the binders list, which cannot cover itself. pre_shared_key
// must be the last extension (§4.2.11), so the list is the message's tail.
// After a HelloRetryRequest the transcript also holds ClientHello1 and the
// HRR (§4.4.1); the lab's resumptions have none.
#include <vector>

#include "tlslab/crypto/Hash.hpp"
#include "tlslab/model/Derivation.hpp"

namespace tlslab::crypto {

struct Tls13Binder {
  Bytes binder;
  std::vector<model::DerivationStep> steps;  // early secret, binder key, finished key, transcript hash, binder
};

// `truncatedClientHello` is the message bytes of Truncate(ClientHello).
Tls13Binder tls13PskBinder(HashAlg hash, ByteView psk, ByteView truncatedClientHello, bool externalPsk = false);

}  // namespace tlslab::crypto
