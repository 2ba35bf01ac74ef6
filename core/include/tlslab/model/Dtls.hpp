#pragma once
// DTLS in the Trace (issue 18; docs/DESIGN.md "DTLS over UDP"): a DTLS
// association is a TraceConnection whose records came in UDP datagrams. Each
// record keeps its explicit epoch and 48-bit sequence number, the flight it
// belongs to and whether it only resent bytes already seen (RFC 6347 §4.2.4);
// the connection keeps what the association as a whole showed.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tlslab/util/Bytes.hpp"

namespace tlslab::model {

struct DtlsRecordInfo {
  std::uint16_t epoch = 0;
  std::uint64_t sequence = 0;  // 48 bits (RFC 6347 §4.1)
  std::size_t datagram = 0;    // 0-based, in the association, both directions
  std::size_t flight = 0;      // 1-based handshake flight; 0 for records outside the handshake
  bool resent = false;         // every handshake fragment in it had been seen before
};

struct DtlsInfo {
  std::uint16_t version = 0;  // the record layer's (0xfefd, 0xfeff, 0x0100)
  std::string versionName;    // "DTLS 1.2", "DTLS 1.0 (OpenSSL pre-0.9.8f, 0x0100)"
  std::size_t datagrams = 0;
  std::size_t flights = 0;
  std::size_t resentRecords = 0;        // records that carried only retransmitted handshake bytes
  std::size_t resentFragments[2] = {};  // retransmitted handshake fragments, per Direction
  bool cookieExchange = false;          // a HelloVerifyRequest came (RFC 6347 §4.2.1)
  Bytes cookie;                         // its cookie
};

}  // namespace tlslab::model
