#pragma once
// Public-key pinning (RFC 7469 §2.4): the SHA-256 of a certificate's
// SubjectPublicKeyInfo. Survives a rogue CA in the trust store.
#include <filesystem>

#include "tlslab/util/Bytes.hpp"

namespace tlslab::endpoints {

// The pin of the first certificate in a PEM file; empty when unreadable.
Bytes spkiPinOfPemFile(const std::filesystem::path& file);
// The pin of a DER certificate; empty when it does not parse.
Bytes spkiPinOfDer(const Bytes& der);

}  // namespace tlslab::endpoints
