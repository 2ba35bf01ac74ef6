// Record framing (RFC 8446 §5.1, RFC 5246 §6.2.1) over a chunked stream.
#include "tlslab/wire/Record.hpp"

#include <fmt/format.h>

#include "tlslab/wire/ByteReader.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::wire {

Record Record::from(const RecordView& view) {
  Record r;
  r.contentType = view.contentType;
  r.version = view.version;
  r.headerLength = view.headerLength;
  r.fragment.assign(view.fragment.begin(), view.fragment.end());
  r.streamOffset = view.streamOffset;
  r.sslv2ClientHello = view.sslv2ClientHello;
  r.truncated = view.truncated;
  r.diagnostics = view.diagnostics;
  return r;
}

namespace {

bool knownContentType(std::uint8_t t) { return t >= 20 && t <= 26; }

// The SSLv2 record length: the 2-byte header's low 15 bits (RFC 5246 §E.2).
std::size_t sslv2Length(ByteView data) {
  ByteReader header(data);
  return header.u16("SSLv2 record length") & 0x7fffu;
}

// A TLS record header (RFC 8446 §5.1) from the first 5 bytes of data.
struct HeaderFields {
  std::uint8_t type = 0;
  std::uint16_t version = 0;
  std::size_t length = 0;
  // A header frameOne rejects as not TLS (keep the two in step).
  bool plausible() const { return knownContentType(type) && (version >> 8) == 0x03; }
};

HeaderFields readHeader(ByteView data, std::size_t at) {
  ByteReader header(data.first(kRecordHeaderLength), at);
  HeaderFields h;
  h.type = header.u8("TLSPlaintext.type");
  h.version = header.u16("TLSPlaintext.legacy_record_version");
  h.length = header.u16("TLSPlaintext.length");
  return h;
}

model::Diagnostic recordDiag(model::DiagnosticCode code, model::Severity s, std::size_t offset, std::string message) {
  return model::Diagnostic{s, "TLSPlaintext", offset, std::move(message), code};
}

}  // namespace

// RFC 5246 §E.2: a 2-byte header with the top bit set, then msg_type 1
// (CLIENT-HELLO) and a version of SSL 3.0 or later. Only the first record of
// a client stream can be one.
bool RecordFramer::looksLikeSslv2ClientHello(ByteView data) const {
  if (sawFirstRecord_ || data.size() < 5) return false;
  ByteReader r(data.first(5));
  const std::uint16_t header = r.u16("SSLv2 record header");
  const std::uint8_t msgType = r.u8("SSLv2 msg_type");
  const std::uint16_t version = r.u16("SSLv2 ClientHello version");
  return (header & 0x8000) != 0 && msgType == 1 && ((version >> 8) == 0x03 || version == 0x0002);
}

std::size_t RecordFramer::frameOne(ByteView data, std::size_t at, const Sink& sink) {
  if (looksLikeSslv2ClientHello(data)) {
    const std::size_t length = sslv2Length(data);
    if (data.size() < 2 + length) return 0;
    ByteReader hello(data.subspan(3, 2), at + 3);
    RecordView v;
    v.sslv2ClientHello = true;
    v.headerLength = 2;
    v.contentType = static_cast<std::uint8_t>(ContentType::Handshake);
    v.version = hello.u16("SSLv2 ClientHello version");
    v.fragment = data.subspan(2, length);
    v.streamOffset = at;
    v.diagnostics.push_back(recordDiag(model::DiagnosticCode::Sslv2Hello, model::Severity::Warning, at,
                                       "SSLv2-compatible ClientHello (RFC 5246 §E.2): an old client format, "
                                       "labelled but not a TLS record"));
    sawFirstRecord_ = true;
    sink(v);
    return 2 + length;
  }
  if (data.size() < kRecordHeaderLength) return 0;
  const HeaderFields header = readHeader(data, at);
  RecordView v;
  v.contentType = header.type;
  v.version = header.version;
  const std::size_t length = header.length;
  v.streamOffset = at;
  if (!header.plausible()) {
    // Not a TLS record header: the stream is not TLS here, or we lost sync.
    desynchronized_ = true;
    desyncOffset_ = at;
    return 0;
  }
  if (length > kMaxRecordLength) {
    v.diagnostics.push_back(recordDiag(
        model::DiagnosticCode::RecordOverflow, model::Severity::Error, at + 3,
        fmt::format("record length {} exceeds 2^14+2048 = {} (record_overflow, RFC 5246 §6.2.3); framing stops here "
                    "because the length cannot be trusted",
                    length, kMaxRecordLength)));
    v.truncated = true;
    desynchronized_ = true;
    desyncOffset_ = at + kRecordHeaderLength;
    sawFirstRecord_ = true;
    sink(v);
    return kRecordHeaderLength;
  }
  if (data.size() < kRecordHeaderLength + length) return 0;
  v.fragment = data.subspan(kRecordHeaderLength, length);
  if (length > kMaxPlaintextLength + 256 && v.contentType != static_cast<std::uint8_t>(ContentType::ApplicationData))
    v.diagnostics.push_back(recordDiag(model::DiagnosticCode::RecordOverflow, model::Severity::Warning, at + 3,
                                       fmt::format("record length {} is above the TLS 1.3 limit 2^14+256", length)));
  if (length == 0 && v.contentType != static_cast<std::uint8_t>(ContentType::ApplicationData))
    v.diagnostics.push_back(recordDiag(model::DiagnosticCode::Malformed, model::Severity::Error, at + 3,
                                       fmt::format("zero-length {} record is forbidden (RFC 8446 §5.1)",
                                                   contentTypeName(v.contentType))));
  sawFirstRecord_ = true;
  sink(v);
  return kRecordHeaderLength + length;
}

// Bytes the buffered record needs in total before frameOne can decide.
std::size_t RecordFramer::needed() const {
  if (buffer_.size() < kRecordHeaderLength) return kRecordHeaderLength;
  if (looksLikeSslv2ClientHello(buffer_)) return 2 + sslv2Length(buffer_);
  // A header frameOne will reject (not TLS, or oversized) needs no more bytes.
  const HeaderFields header = readHeader(buffer_, 0);
  if (!header.plausible()) return kRecordHeaderLength;
  return header.length > kMaxRecordLength ? kRecordHeaderLength : kRecordHeaderLength + header.length;
}

void RecordFramer::feed(ByteView chunk, const Sink& sink) {
  std::size_t chunkStart = consumed_;
  consumed_ += chunk.size();
  if (desynchronized_) return;
  // Complete a buffered partial record first, copying only what it needs.
  while (!buffer_.empty()) {
    std::size_t need = needed();
    if (buffer_.size() < need) {
      std::size_t take = std::min(need - buffer_.size(), chunk.size());
      buffer_.insert(buffer_.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(take));
      chunk = chunk.subspan(take);
      chunkStart += take;
      if (buffer_.size() < needed()) {
        if (chunk.empty()) return;
        continue;  // the header just became complete: the need grew
      }
    }
    std::size_t used = frameOne(buffer_, chunkStart - buffer_.size(), sink);
    if (desynchronized_) return;
    if (used == 0) return;  // cannot happen once `needed` bytes are there; be safe
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(used));
    if (!buffer_.empty()) {
      // Leftover after a short SSLv2 hello: put it back in front of the chunk.
      Bytes rest = std::move(buffer_);
      buffer_.clear();
      std::size_t restStart = chunkStart - rest.size();
      feedFrom(rest, restStart, sink);
      if (desynchronized_) return;
    }
  }
  feedFrom(chunk, chunkStart, sink);
}

// Fast path: frame straight out of `data`, no copy; keep an incomplete tail.
void RecordFramer::feedFrom(ByteView data, std::size_t dataStart, const Sink& sink) {
  std::size_t pos = 0;
  while (pos < data.size()) {
    std::size_t used = frameOne(data.subspan(pos), dataStart + pos, sink);
    if (desynchronized_) return;
    if (used == 0) break;
    pos += used;
  }
  buffer_.insert(buffer_.end(), data.begin() + static_cast<std::ptrdiff_t>(pos), data.end());
}

std::vector<Record> RecordFramer::feed(ByteView chunk) {
  std::vector<Record> out;
  feed(chunk, [&](const RecordView& v) { out.push_back(Record::from(v)); });
  return out;
}

void RecordFramer::finish(const Sink& sink) {
  if (desynchronized_) {
    RecordView v;
    v.streamOffset = desyncOffset_;
    v.truncated = true;
    v.headerLength = 0;
    v.diagnostics.push_back(recordDiag(model::DiagnosticCode::RecordDesync, model::Severity::Error, desyncOffset_,
                                       fmt::format("{} byte(s) from offset {} are not TLS records (unknown content "
                                                   "type or version, or framing lost after a bad length)",
                                                   consumed_ - desyncOffset_, desyncOffset_)));
    bool nothingLeft = consumed_ == desyncOffset_;
    desyncOffset_ = consumed_;  // report once
    if (!nothingLeft) sink(v);
    return;
  }
  if (buffer_.empty()) return;
  RecordView v;
  v.streamOffset = consumed_ - buffer_.size();
  v.truncated = true;
  ByteReader r(buffer_, v.streamOffset);
  v.contentType = r.u8("type");
  v.version = r.u16("version");
  v.headerLength = std::min(buffer_.size(), kRecordHeaderLength);
  v.fragment = ByteView(buffer_).subspan(v.headerLength);
  v.diagnostics.push_back(recordDiag(model::DiagnosticCode::Truncated, model::Severity::Error, v.streamOffset,
                                     fmt::format("stream ends inside a record: {} byte(s) of it present",
                                                 buffer_.size())));
  sink(v);
  buffer_.clear();
}

std::vector<Record> RecordFramer::finish() {
  std::vector<Record> out;
  finish([&](const RecordView& v) { out.push_back(Record::from(v)); });
  return out;
}

}  // namespace tlslab::wire
