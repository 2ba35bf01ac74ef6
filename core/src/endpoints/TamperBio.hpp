#pragma once
#include <openssl/bio.h>

#include "tlslab/endpoints/Events.hpp"
#include "tlslab/endpoints/Tamper.hpp"

namespace tlslab::endpoints {

// Inserts a filter BIO under `ssl`'s write side that applies `tamper` to the
// records OpenSSL writes. Only record boundaries are read (the 5-byte header,
// RFC 8446 §5.1); contents are never parsed. Notes go to `recorder`.
void installTamper(SSL* ssl, const Tamper& tamper, Recorder& recorder);

}  // namespace tlslab::endpoints
