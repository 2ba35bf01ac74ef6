#pragma once
// Handshake reassembly (RFC 8446 §5.1, RFC 5246 §6.2.1): handshake messages
// are a byte stream of their own carried in records. One message may be split
// over several records, one record may carry several messages, and in TLS 1.3
// a message must not span a key change (and messages that precede one must
// end at a record boundary).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "tlslab/model/Diagnostic.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::wire {

constexpr std::size_t kHandshakeHeaderLength = 4;

// Where a run of message bytes came from.
struct Segment {
  std::size_t messageOffset = 0;  // offset inside the message (0 = msg_type)
  std::size_t streamOffset = 0;   // offset in the directional stream
  std::size_t length = 0;
};

struct ReassembledMessage {
  std::uint8_t type = 0;
  Bytes bytes;                           // header + body, exactly as on the wire
  std::size_t firstRecord = 0;           // index (in addRecord calls) of the record it starts in
  std::size_t offsetInFirstRecord = 0;   // record-relative offset of msg_type (header included)
  std::size_t recordCount = 1;           // records it was spread over
  std::vector<Segment> segments;
  std::vector<model::Diagnostic> diagnostics;
  bool truncated = false;                // delivered by finish() before it was complete
  // When not empty, what the transcript hashes instead of `bytes`: DTLS hashes
  // each message with its 12-byte header (RFC 6347 §4.2.6).
  Bytes transcriptBytes;

  // Stream offset of byte `messageOffset` of this message.
  std::size_t streamOffsetOf(std::size_t messageOffset) const;
};

class HandshakeReassembler {
 public:
  // `fragment` is the plaintext of one handshake record whose header starts
  // at `recordStreamOffset`; `epoch` counts key changes on this direction
  // (0 = plaintext; +1 for each new traffic key). Completed messages are
  // appended to `out`.
  void addRecord(ByteView fragment, std::size_t recordStreamOffset, std::size_t headerLength,
                 int epoch, std::vector<ReassembledMessage>& out);
  // In TLS 1.3, ServerHello, Finished, EndOfEarlyData and KeyUpdate precede
  // a key change and must end on a record boundary (RFC 8446 §5.1).
  void setTls13(bool tls13) { tls13_ = tls13; }
  // End of stream: a partial message is delivered truncated, with a diagnostic.
  void finish(std::vector<ReassembledMessage>& out);
  bool hasPartial() const { return partial_.has_value(); }

 private:
  struct Partial {
    ReassembledMessage message;
    std::size_t expected = 0;  // full length once the header is known, else 0
    int epoch = 0;
  };
  void append(Partial& p, ByteView bytes, std::size_t streamOffset);
  void complete(std::vector<ReassembledMessage>& out, bool moreInRecord, std::size_t nextStreamOffset);

  std::optional<Partial> partial_;
  std::size_t recordIndex_ = 0;
  bool tls13_ = false;
};

}  // namespace tlslab::wire
