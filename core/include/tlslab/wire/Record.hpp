#pragma once
// TLS record framing over one direction of a connection (RFC 8446 §5.1,
// RFC 5246 §6.2). Bytes arrive in arbitrary chunks (a TCP segment, one byte);
// the framer buffers only an incomplete record and hands out complete ones.
// Dissector policy: a bad header becomes a diagnostic, never an exception.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "tlslab/model/Diagnostic.hpp"
#include "tlslab/model/Field.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::wire {

enum class ContentType : std::uint8_t {
  ChangeCipherSpec = 20,
  Alert = 21,
  Handshake = 22,
  ApplicationData = 23,
  Heartbeat = 24,
  Tls12Cid = 25,
  Ack = 26,
};

constexpr std::size_t kRecordHeaderLength = 5;
constexpr std::size_t kMaxPlaintextLength = 1u << 14;  // RFC 8446 §5.1
// The largest TLSCiphertext.length any version allows (RFC 5246 §6.2.3:
// 2^14 + 2048); anything longer is a record_overflow.
constexpr std::size_t kMaxRecordLength = (1u << 14) + 2048;

// A record as seen by a callback: views into the framer's or caller's memory,
// valid only during the call (this is the fast path used by the benchmark).
struct RecordView {
  std::uint8_t contentType = 0;
  std::uint16_t version = 0;
  std::size_t headerLength = kRecordHeaderLength;  // 2 for an SSLv2 ClientHello
  ByteView fragment;
  std::size_t streamOffset = 0;  // stream offset of the header's first byte
  bool sslv2ClientHello = false;
  bool truncated = false;        // stream ended inside this record
  std::vector<model::Diagnostic> diagnostics;
};

// Owning copy of a RecordView.
struct Record {
  std::uint8_t contentType = 0;
  std::uint16_t version = 0;
  std::size_t headerLength = kRecordHeaderLength;
  Bytes fragment;
  std::size_t streamOffset = 0;
  bool sslv2ClientHello = false;
  bool truncated = false;
  std::vector<model::Diagnostic> diagnostics;

  static Record from(const RecordView& view);
  std::size_t wireLength() const { return headerLength + fragment.size(); }
};

class RecordFramer {
 public:
  using Sink = std::function<void(const RecordView&)>;

  // Frames as many complete records as `chunk` completes.
  void feed(ByteView chunk, const Sink& sink);
  std::vector<Record> feed(ByteView chunk);
  // End of stream: a buffered partial record is delivered as truncated (with
  // a diagnostic); bytes after a desynchronisation are reported once.
  void finish(const Sink& sink);
  std::vector<Record> finish();

  std::size_t consumed() const { return consumed_; }     // stream bytes fed so far
  bool desynchronized() const { return desynchronized_; }  // framing gave up (not TLS)

 private:
  // Tries to frame one record at the front of `data` (stream offset `at`);
  // returns bytes used, 0 if more bytes are needed.
  std::size_t frameOne(ByteView data, std::size_t at, const Sink& sink);
  bool looksLikeSslv2ClientHello(ByteView data) const;
  std::size_t needed() const;
  void feedFrom(ByteView data, std::size_t dataStart, const Sink& sink);

  Bytes buffer_;               // an incomplete record (or its header)
  std::size_t consumed_ = 0;   // stream offset just past everything fed
  bool sawFirstRecord_ = false;
  bool desynchronized_ = false;
  std::size_t desyncOffset_ = 0;
};

// Field tree for a record's header (content type, version, length) with the
// fragment as one child; offsets relative to the record, streamOffset set.
model::Field describeRecordHeader(const RecordView& record);
model::Field describeRecordHeader(const Record& record);

// Record-level messages that are not handshake messages, fully decoded.
// `base` is the offset of fragment[0] in its unit (5 for a record).
model::Field describeChangeCipherSpec(ByteView fragment, std::size_t base, std::vector<model::Diagnostic>& diags);
model::Field describeAlert(ByteView fragment, std::size_t base, std::vector<model::Diagnostic>& diags);
model::Field describeHeartbeat(ByteView fragment, std::size_t base, std::vector<model::Diagnostic>& diags);
// The SSLv2-compatible ClientHello (RFC 5246 §E.2), header included.
model::Field describeSslv2ClientHello(const RecordView& record, std::vector<model::Diagnostic>& diags);

}  // namespace tlslab::wire
