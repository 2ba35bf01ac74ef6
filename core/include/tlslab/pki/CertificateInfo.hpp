#pragma once
// A certificate as a field tree for learners: the wire dissector calls this
// for each certificate in a Certificate message (RFC 8446 §4.4.2), the CLI
// for `tlslab certs show`. Offsets point into the DER, shifted by
// `baseOffset` so they line up with the enclosing message's bytes.
#include <cstddef>

#include "tlslab/model/Field.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::pki {

// Never throws. Malformed DER yields a field with malformed=true whose value
// says what is wrong and at which byte offset.
model::Field describeCertificate(ByteView der, std::size_t baseOffset = 0);

}  // namespace tlslab::pki
