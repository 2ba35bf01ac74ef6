// QUIC frames (RFC 9000 §19; DATAGRAM RFC 9221) of an opened packet payload.
#include <fmt/format.h>

#include <algorithm>

#include "tlslab/wire/Quic.hpp"

namespace tlslab::wire::quic {
namespace {

Bytes copyBounded(ByteView v, std::size_t max) { return Bytes(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(std::min(v.size(), max))); }

// Bytes of a varint-length-prefixed field, checked against what is left.
ByteView lengthPrefixed(ByteReader& r, std::string_view what) {
  const std::size_t at = r.offset();
  const std::uint64_t length = readVarint(r, what);
  if (r.ok() && length > r.remaining()) {
    r.fail(ParseAlert::DecodeError, fmt::format("{}: length {} exceeds the {} bytes left", what, length, r.remaining()),
           at);
    return {};
  }
  return r.bytes(static_cast<std::size_t>(length), what);
}

void ack(ByteReader& r, Frame& f) {
  const std::uint64_t largest = readVarint(r, "ACK Largest Acknowledged");
  f.ackDelay = readVarint(r, "ACK Delay");
  const std::uint64_t count = readVarint(r, "ACK Range Count");
  const std::uint64_t first = readVarint(r, "First ACK Range");
  if (r.failed()) return;
  if (first > largest) {
    r.fail(ParseAlert::DecodeError, "ACK: First ACK Range is larger than Largest Acknowledged (RFC 9000 §19.3.1)");
    return;
  }
  f.ackRanges.push_back({largest - first, largest});
  std::uint64_t smallest = largest - first;
  for (std::uint64_t i = 0; i < count && r.ok(); ++i) {
    const std::uint64_t gap = readVarint(r, "ACK Gap");
    const std::uint64_t length = readVarint(r, "ACK Range Length");
    if (r.failed()) return;
    if (gap + 2 > smallest || length > smallest - gap - 2) {
      r.fail(ParseAlert::DecodeError, "ACK: a range goes below packet number 0 (RFC 9000 §19.3.1)");
      return;
    }
    const std::uint64_t top = smallest - gap - 2;
    f.ackRanges.push_back({top - length, top});
    smallest = top - length;
    if (f.ackRanges.size() > 256) {  // keep the bytes walked, not the ranges: a bound on memory
      f.ackRanges.pop_back();
    }
  }
  if (f.type == frame::AckEcn) {
    readVarint(r, "ECT0 Count");
    readVarint(r, "ECT1 Count");
    readVarint(r, "ECN-CE Count");
  }
  std::string ranges;
  for (std::size_t i = 0; i < f.ackRanges.size() && i < 4; ++i)
    ranges += fmt::format("{}{}-{}", i ? ", " : "", f.ackRanges[i].smallest, f.ackRanges[i].largest);
  if (f.ackRanges.size() > 4) ranges += ", ...";
  f.summary = fmt::format("{} {} (delay {})", frameTypeName(f.type), ranges, f.ackDelay);
}

void parseOne(ByteReader& r, Frame& f, std::size_t maxCopy) {
  using namespace frame;
  const std::uint64_t t = f.type;
  if (t >= StreamFirst && t <= StreamLast) {
    // §19.8: 0b00001OLF: offset present, length present, fin.
    f.streamId = readVarint(r, "STREAM Stream ID");
    if (t & 0x04) f.dataOffset = readVarint(r, "STREAM Offset");
    ByteView data = (t & 0x02) ? lengthPrefixed(r, "STREAM Length") : r.rest();
    f.fin = (t & 0x01) != 0;
    f.data = copyBounded(data, maxCopy);
    f.summary = fmt::format("STREAM id {} offset {}, {} bytes{}", f.streamId, f.dataOffset, data.size(),
                            f.fin ? ", FIN" : "");
    return;
  }
  switch (t) {
    case Ping: f.summary = "PING"; return;
    case Ack:
    case AckEcn: return ack(r, f);
    case ResetStream:
      f.streamId = readVarint(r, "RESET_STREAM Stream ID");
      f.errorCode = readVarint(r, "Application Protocol Error Code");
      f.value = readVarint(r, "Final Size");
      f.summary = fmt::format("RESET_STREAM id {} error 0x{:x} final size {}", f.streamId, f.errorCode, f.value);
      return;
    case StopSending:
      f.streamId = readVarint(r, "STOP_SENDING Stream ID");
      f.errorCode = readVarint(r, "Application Protocol Error Code");
      f.summary = fmt::format("STOP_SENDING id {} error 0x{:x}", f.streamId, f.errorCode);
      return;
    case Crypto: {
      f.dataOffset = readVarint(r, "CRYPTO Offset");
      ByteView data = lengthPrefixed(r, "CRYPTO Length");
      f.data = copyBounded(data, maxCopy);
      f.summary = fmt::format("CRYPTO offset {}, {} bytes", f.dataOffset, data.size());
      return;
    }
    case NewToken:
      f.token = copyBounded(lengthPrefixed(r, "NEW_TOKEN Token"), 1024);
      f.summary = fmt::format("NEW_TOKEN {} bytes", f.token.size());
      return;
    case MaxData:
    case DataBlocked:
    case MaxStreamsBidi:
    case MaxStreamsUni:
    case StreamsBlockedBidi:
    case StreamsBlockedUni:
    case RetireConnectionId:
      f.value = readVarint(r, frameTypeName(t));
      f.summary = fmt::format("{} {}", frameTypeName(t), f.value);
      return;
    case MaxStreamData:
    case StreamDataBlocked:
      f.streamId = readVarint(r, "Stream ID");
      f.value = readVarint(r, frameTypeName(t));
      f.summary = fmt::format("{} id {} {}", frameTypeName(t), f.streamId, f.value);
      return;
    case NewConnectionId: {
      f.sequence = readVarint(r, "NEW_CONNECTION_ID Sequence Number");
      f.retirePriorTo = readVarint(r, "Retire Prior To");
      const std::size_t at = r.offset();
      const std::uint8_t length = r.u8("NEW_CONNECTION_ID Length");
      if (r.ok() && (length < 1 || length > 20)) {
        r.fail(ParseAlert::DecodeError, fmt::format("NEW_CONNECTION_ID: Length {} is not 1..20 (RFC 9000 §19.15)", length),
               at);
        return;
      }
      ByteView cid = r.bytes(length, "NEW_CONNECTION_ID Connection ID");
      f.connectionId.assign(cid.begin(), cid.end());
      ByteView token = r.bytes(16, "Stateless Reset Token");
      f.token.assign(token.begin(), token.end());
      f.summary = fmt::format("NEW_CONNECTION_ID seq {} cid {}", f.sequence, toHex(f.connectionId));
      return;
    }
    case PathChallenge:
    case PathResponse: {
      ByteView data = r.bytes(8, "Path Data");
      f.data.assign(data.begin(), data.end());
      f.summary = fmt::format("{} {}", frameTypeName(t), toHex(f.data));
      return;
    }
    case ConnectionClose:
    case ConnectionCloseApp: {
      f.errorCode = readVarint(r, "CONNECTION_CLOSE Error Code");
      if (t == ConnectionClose) f.frameType = readVarint(r, "CONNECTION_CLOSE Frame Type");
      ByteView reason = lengthPrefixed(r, "Reason Phrase");
      f.reason.assign(reason.begin(), reason.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(reason.size(), 256)));
      f.summary = fmt::format("CONNECTION_CLOSE ({}) error 0x{:x}{}{}", t == ConnectionClose ? "transport" : "application",
                              f.errorCode, f.reason.empty() ? "" : ": ", f.reason);
      return;
    }
    case HandshakeDone: f.summary = "HANDSHAKE_DONE"; return;
    case Datagram:
    case DatagramLen: {
      ByteView data = t == DatagramLen ? lengthPrefixed(r, "DATAGRAM Length") : r.rest();
      f.data = copyBounded(data, maxCopy);
      f.summary = fmt::format("DATAGRAM {} bytes", data.size());
      return;
    }
    default:
      r.fail(ParseAlert::DecodeError,
             fmt::format("unknown frame type 0x{:x}: frames carry no length, the rest of the packet cannot be read "
                         "(RFC 9000 §12.4)",
                         t),
             f.offset);
      return;
  }
}

}  // namespace

std::string frameTypeName(std::uint64_t type) {
  using namespace frame;
  if (type >= StreamFirst && type <= StreamLast) return "STREAM";
  switch (type) {
    case Padding: return "PADDING";
    case Ping: return "PING";
    case Ack: return "ACK";
    case AckEcn: return "ACK_ECN";
    case ResetStream: return "RESET_STREAM";
    case StopSending: return "STOP_SENDING";
    case Crypto: return "CRYPTO";
    case NewToken: return "NEW_TOKEN";
    case MaxData: return "MAX_DATA";
    case MaxStreamData: return "MAX_STREAM_DATA";
    case MaxStreamsBidi: return "MAX_STREAMS (bidi)";
    case MaxStreamsUni: return "MAX_STREAMS (uni)";
    case DataBlocked: return "DATA_BLOCKED";
    case StreamDataBlocked: return "STREAM_DATA_BLOCKED";
    case StreamsBlockedBidi: return "STREAMS_BLOCKED (bidi)";
    case StreamsBlockedUni: return "STREAMS_BLOCKED (uni)";
    case NewConnectionId: return "NEW_CONNECTION_ID";
    case RetireConnectionId: return "RETIRE_CONNECTION_ID";
    case PathChallenge: return "PATH_CHALLENGE";
    case PathResponse: return "PATH_RESPONSE";
    case ConnectionClose: return "CONNECTION_CLOSE";
    case ConnectionCloseApp: return "CONNECTION_CLOSE (application)";
    case HandshakeDone: return "HANDSHAKE_DONE";
    case Datagram:
    case DatagramLen: return "DATAGRAM";
    default: return fmt::format("0x{:x}", type);
  }
}

FrameList parseFrames(ByteView payload, std::size_t maxDataCopy) {
  FrameList out;
  ByteReader r(payload);
  while (!r.empty() && out.frames.size() < 4096) {
    Frame f;
    f.offset = r.offset();
    f.type = readVarint(r, "frame type");
    if (r.ok() && f.type == frame::Padding) {
      // A run of PADDING bytes is shown as one frame with its count.
      ByteView rest = payload.subspan(r.offset());
      const std::size_t zeros = static_cast<std::size_t>(
          std::find_if(rest.begin(), rest.end(), [](std::uint8_t b) { return b != 0; }) - rest.begin());
      r.skip(zeros, "PADDING");
      f.count = zeros + 1;
      f.length = f.count;
      f.summary = fmt::format("PADDING x{}", f.count);
      out.frames.push_back(std::move(f));
      continue;
    }
    if (r.ok()) parseOne(r, f, maxDataCopy);
    if (r.failed()) {
      out.error = *r.error();
      break;
    }
    f.length = r.offset() - f.offset;
    out.frames.push_back(std::move(f));
  }
  return out;
}

}  // namespace tlslab::wire::quic
