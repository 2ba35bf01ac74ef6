// Handshake reassembly: records in, whole messages out (RFC 8446 §5.1).
#include "tlslab/wire/Handshake.hpp"

#include <cstring>

#include <fmt/format.h>

#include "tlslab/wire/ByteReader.hpp"
#include "tlslab/wire/Messages.hpp"

namespace tlslab::wire {

std::size_t ReassembledMessage::streamOffsetOf(std::size_t messageOffset) const {
  for (const Segment& s : segments)
    if (messageOffset >= s.messageOffset && messageOffset < s.messageOffset + s.length)
      return s.streamOffset + (messageOffset - s.messageOffset);
  if (segments.empty()) return messageOffset;
  const Segment& last = segments.back();  // one past the end (zero-length fields)
  return last.streamOffset + (messageOffset - last.messageOffset);
}

void HandshakeReassembler::append(Partial& p, ByteView bytes, std::size_t streamOffset) {
  Segment s{p.message.bytes.size(), streamOffset, bytes.size()};
  p.message.segments.push_back(s);
  p.message.bytes.insert(p.message.bytes.end(), bytes.begin(), bytes.end());
  if (p.expected == 0 && p.message.bytes.size() >= kHandshakeHeaderLength) {
    ByteReader header(p.message.bytes);
    p.message.type = header.u8("Handshake.msg_type");
    p.expected = kHandshakeHeaderLength + header.u24("Handshake.length");
  }
}

namespace {

// RFC 8446 §5.1: these messages are followed by a key change, so they must
// end exactly at a record boundary.
bool precedesKeyChange(const ReassembledMessage& m) {
  switch (m.type) {
    case 2: {  // ServerHello, but not HelloRetryRequest (no key change after it)
      ByteReader r(m.bytes);
      r.skip(kHandshakeHeaderLength + 2, "Handshake header and ServerHello.legacy_version");
      const ByteView random = r.bytes(32, "ServerHello.random");
      const bool hrr = r.ok() && std::memcmp(random.data(), kHelloRetryRequestRandom, 32) == 0;
      return !hrr;
    }
    case 5:   // EndOfEarlyData
    case 20:  // Finished
    case 24:  // KeyUpdate
      return true;
    default: return false;
  }
}

}  // namespace

void HandshakeReassembler::addRecord(ByteView fragment, std::size_t recordStreamOffset, std::size_t headerLength,
                                     int epoch, std::vector<ReassembledMessage>& out) {
  std::size_t record = recordIndex_++;
  if (partial_ && partial_->epoch != epoch) {
    // A message started under one key and continues under another.
    partial_->message.diagnostics.push_back(model::Diagnostic{
        model::Severity::Error, "Handshake", recordStreamOffset,
        fmt::format("{} spans a key change: it started in a record under epoch {} and continues under epoch {}; "
                    "handshake messages must not span a key change (RFC 8446 §5.1, unexpected_message)",
                    handshakeTypeDisplay(partial_->message.type), partial_->epoch, epoch),
        model::DiagnosticCode::KeyChangeBoundary});
  }
  std::size_t pos = 0;
  while (pos < fragment.size()) {
    if (!partial_) {
      partial_ = Partial{};
      partial_->epoch = epoch;
      partial_->message.firstRecord = record;
      partial_->message.offsetInFirstRecord = headerLength + pos;
    } else if (partial_->message.segments.empty() ||
               partial_->message.segments.back().streamOffset + partial_->message.segments.back().length !=
                   recordStreamOffset + headerLength + pos) {
      partial_->message.recordCount++;
    }
    Partial& p = *partial_;
    std::size_t want = p.expected ? p.expected - p.message.bytes.size()
                                  : kHandshakeHeaderLength - p.message.bytes.size();
    std::size_t take = std::min(want, fragment.size() - pos);
    append(p, fragment.subspan(pos, take), recordStreamOffset + headerLength + pos);
    pos += take;
    if (p.expected != 0 && p.message.bytes.size() == p.expected) {
      bool more = pos < fragment.size();
      if (tls13_ && more && precedesKeyChange(p.message)) {
        p.message.diagnostics.push_back(model::Diagnostic{
            model::Severity::Error, "Handshake", recordStreamOffset + headerLength + pos,
            fmt::format("{} must end at a record boundary because a key change follows it, but {} more byte(s) "
                        "share its record (RFC 8446 §5.1)",
                        handshakeTypeDisplay(p.message.type), fragment.size() - pos),
            model::DiagnosticCode::KeyChangeBoundary});
      }
      out.push_back(std::move(p.message));
      partial_.reset();
    }
  }
  if (fragment.empty()) {
    // Zero-length handshake fragments are forbidden (RFC 8446 §5.1); the
    // framer reports it on the record, nothing to reassemble here.
  }
}

void HandshakeReassembler::finish(std::vector<ReassembledMessage>& out) {
  if (!partial_) return;
  ReassembledMessage m = std::move(partial_->message);
  std::size_t expected = partial_->expected;
  partial_.reset();
  m.truncated = true;
  std::size_t at = m.segments.empty() ? 0 : m.segments.front().streamOffset;
  m.diagnostics.push_back(model::Diagnostic{
      model::Severity::Error, "Handshake", at,
      expected ? fmt::format("stream ends inside a {} message: {} of {} byte(s) present",
                             handshakeTypeDisplay(m.type), m.bytes.size(), expected)
               : fmt::format("stream ends inside a handshake header: {} of 4 byte(s) present", m.bytes.size()),
      model::DiagnosticCode::Truncated});
  out.push_back(std::move(m));
}

}  // namespace tlslab::wire
