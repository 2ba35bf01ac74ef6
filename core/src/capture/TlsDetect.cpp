#include "tlslab/capture/TlsDetect.hpp"

namespace tlslab::capture {

bool looksLikeTlsRecordHeader(ByteView bytes) {
  if (bytes.size() < 5) return false;
  // SSLv2-compatible ClientHello: 2-byte length with the top bit set, msg type 1,
  // then a 3.x version (RFC 6101 appendix E.2, RFC 5246 appendix E.2).
  if ((bytes[0] & 0x80) != 0 && bytes[2] == 0x01 && bytes[3] == 0x03 && bytes[4] <= 0x04) return true;
  // TLSPlaintext: ContentType(1) ProtocolVersion(2) length(2), RFC 8446 §5.1-5.2:
  // change_cipher_spec(20) .. heartbeat(24); length at most 2^14 + 2048.
  const unsigned type = bytes[0];
  const unsigned length = static_cast<unsigned>(bytes[3]) << 8 | bytes[4];
  return type >= 20 && type <= 24 && bytes[1] == 0x03 && bytes[2] <= 0x04 && length <= (1u << 14) + 2048;
}

}  // namespace tlslab::capture
