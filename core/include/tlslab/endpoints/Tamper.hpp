#pragma once
// Fault and attack hooks on the wire: what an active attacker on the path
// can do to TLS records without the keys, and what TLS does about it.
#include <cstddef>
#include <cstdint>
#include <string>

namespace tlslab::endpoints {

struct Tamper {
  enum class Action {
    None,
    FlipByte,   // XOR one byte of the record: the AEAD tag / MAC check fails (bad_record_mac)
    Drop,       // never send the record: the next one fails, sequence numbers are implicit
    Duplicate,  // send it twice: the replayed copy fails for the same reason
    Truncate,   // cut the TCP connection before the record, without close_notify
  };
  Action action = Action::None;
  // Which record this endpoint writes, counting from 0 among records whose
  // outer content type is `contentType` (23 = application_data; in TLS 1.3
  // every encrypted record says 23 on the outside).
  int recordIndex = 0;
  std::uint8_t contentType = 23;
  // FlipByte: offset from the start of the record (header included); -1 = the last byte.
  long byteOffset = -1;
  std::uint8_t flipMask = 0x01;
};

const char* tamperActionName(Tamper::Action action);

}  // namespace tlslab::endpoints
