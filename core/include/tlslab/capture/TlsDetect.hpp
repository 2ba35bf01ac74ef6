#pragma once
// The only TLS knowledge the capture layer has: what the first bytes of a TLS
// stream look like (RFC 8446 §5.1 TLSPlaintext header).
#include "tlslab/util/Bytes.hpp"

namespace tlslab::capture {

// True when `bytes` starts with a plausible record header: content type 20-24,
// legacy version 0x0300-0x0304, length <= 2^14 + 2048 (the TLSCiphertext limit).
// Also accepts an SSLv2-compatible ClientHello header (RFC 6101 appendix E.2),
// which old clients still send. Needs 5 bytes.
bool looksLikeTlsRecordHeader(ByteView bytes);

}  // namespace tlslab::capture
