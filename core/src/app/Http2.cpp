// HTTP/2 (RFC 9113): each direction cut into frames, then the frames of both
// directions taken in the order their records were sent, so that header
// blocks reach their direction's HPACK context in order and a SETTINGS change
// of the table size precedes the blocks that use it. Streams are the unit a
// student reads: each becomes a request and a response (with 1xx and pushed
// requests as extra messages), bodies reassembled from DATA and decoded.
#include <fmt/core.h>

#include <algorithm>
#include <map>

#include "app/Hpack.hpp"
#include "app/Http2Frames.hpp"
#include "app/Internal.hpp"

namespace tlslab::app::detail {

namespace {

using model::DiagnosticCode;
using model::Severity;
constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

struct RawFrame {
  Frame frame;
  ByteView payload;
  int side = 0;
};

// A header block being gathered from HEADERS or PUSH_PROMISE and its CONTINUATIONs.
struct Pending {
  bool open = false;
  Frame first;
  std::uint32_t promised = 0;
  Bytes block;
  bool capped = false;
};

struct StreamState {
  int request = -1, response = -1;  // indices into Conversation::messages
};

std::string header(const std::vector<Header>& headers, std::string_view name) {
  for (const Header& h : headers)
    if (h.name == name) return h.value;
  return {};
}

class Decoder {
 public:
  Decoder(const DirStream (&streams)[2], const Limits& limits, Conversation& out)
      : s_(streams), limits_(limits), out_(out) {}

  void run() {
    std::vector<RawFrame> frames[2];
    for (int side = 0; side < 2; ++side) cut(side, frames[side]);
    // Merge by record: records are numbered in the order they were sent, across both directions.
    std::size_t i = 0, j = 0;
    while (i < frames[0].size() || j < frames[1].size()) {
      const bool takeClient =
          j >= frames[1].size() || (i < frames[0].size() && frames[0][i].frame.at.record <= frames[1][j].frame.at.record);
      handle(takeClient ? frames[0][i++] : frames[1][j++]);
    }
    for (int side = 0; side < 2; ++side)
      if (pending_[side].open)
        diag(DiagnosticCode::Truncated, side, pending_[side].first.at.offset,
             fmt::format("the header block of stream {} is not ended by END_HEADERS before the stream does",
                         pending_[side].first.stream));
    for (Message& m : out_.messages) {
      if (!m.complete && m.note.empty()) m.note = "incomplete: the stream does not end (END_STREAM) in the capture";
      decodeContent(m.body, limits_);
    }
  }

 private:
  // Framing only (RFC 9113 §4.1): 9-byte header, then its length of payload.
  void cut(int side, std::vector<RawFrame>& frames) {
    const DirStream& s = s_[side];
    std::size_t pos = 0;
    if (side == 0) {
      const std::string_view head(reinterpret_cast<const char*>(s.data.data()), std::min(s.data.size(), kPreface.size()));
      out_.preface = head == kPreface;
      if (out_.preface) pos = kPreface.size();
      else diag(DiagnosticCode::Malformed, side, 0, "the client's bytes do not start with the HTTP/2 connection preface "
                                                     "(PRI * HTTP/2.0, RFC 9113 §3.4); read as frames from offset 0");
    }
    while (pos < s.data.size()) {
      ByteReader r(ByteView(s.data).subspan(pos), pos);
      if (r.remaining() < 9) {
        diag(DiagnosticCode::Truncated, side, pos,
             fmt::format("{} bytes at the end are not a whole 9-byte frame header", r.remaining()));
        return;
      }
      if (frames.size() >= limits_.maxItems) {
        diag(DiagnosticCode::AppLimit, side, pos,
             fmt::format("more than {} frames (tlslab's cap): the rest are not read", limits_.maxItems));
        return;
      }
      RawFrame f;
      f.side = side;
      f.frame.at = s.place(pos);
      f.frame.length = r.u24("frame.Length");
      f.frame.type = r.u8("frame.Type");
      f.frame.flags = r.u8("frame.Flags");
      f.frame.stream = r.u32("frame.Stream Identifier") & 0x7fffffff;  // the reserved bit is ignored (§4.1)
      if (r.remaining() < f.frame.length) {
        diag(DiagnosticCode::Truncated, side, pos,
             fmt::format("a {} frame of {} bytes, but the stream ends {} bytes into it", frameTypeName(f.frame.type),
                         f.frame.length, r.remaining()));
        return;
      }
      f.payload = r.bytes(f.frame.length, "frame.Payload");
      frames.push_back(f);
      pos += 9 + f.frame.length;
    }
  }

  void handle(const RawFrame& raw) {
    Frame frame = raw.frame;
    const int side = raw.side;
    const std::size_t payloadAt = frame.at.offset + 9;
    FramePayload p = parseFramePayload(frame, raw.payload, payloadAt);
    frame.summary = p.summary;
    out_.frames.push_back(frame);
    if (p.error) {
      diag(DiagnosticCode::Malformed, side, p.error->offset, p.error->what);
      if (frame.type != kHeaders && frame.type != kPushPromise && frame.type != kContinuation) return;
    }
    checkStreamId(frame, side);
    Pending& pending = pending_[side];
    if (pending.open && frame.type != kContinuation) {
      diag(DiagnosticCode::Malformed, side, frame.at.offset,
           fmt::format("a {} frame inside the header block of stream {}: only CONTINUATION may follow until "
                       "END_HEADERS (RFC 9113 §6.10); header decoding stops for this direction",
                       frameTypeName(frame.type), pending.first.stream));
      pending = {};
      hpack_[side].lose();
    }
    switch (frame.type) {
      case kHeaders:
      case kPushPromise:
        if (p.error) {
          hpack_[side].lose();  // the block was not read, so the table is out of step
          return;
        }
        pending = {true, frame, p.promised, {}, false};
        gather(side, p.content);
        if (frame.flags & kEndHeaders) finishBlock(side);
        break;
      case kContinuation:
        if (!pending.open || pending.first.stream != frame.stream) {
          diag(DiagnosticCode::Malformed, side, frame.at.offset,
               fmt::format("CONTINUATION on stream {} without an open header block there (RFC 9113 §6.10)", frame.stream));
          hpack_[side].lose();
          return;
        }
        gather(side, p.content);
        if (frame.flags & kEndHeaders) finishBlock(side);
        break;
      case kData: onData(side, frame, p.content); break;
      case kRstStream: onReset(side, frame, p.errorCode); break;
      case kSettings:
        // The sender's table size bounds what the other side's encoder may use.
        for (const auto& [id, value] : p.settings)
          if (id == 1) hpack_[1 - side].allowTableSize(value);
        break;
      default: break;
    }
  }

  void checkStreamId(const Frame& f, int side) {
    const bool connectionLevel = f.type == kSettings || f.type == kPing || f.type == kGoaway;
    const bool streamLevel = f.type == kData || f.type == kHeaders || f.type == kPriority || f.type == kRstStream ||
                             f.type == kPushPromise || f.type == kContinuation;
    if (connectionLevel && f.stream != 0)
      diag(DiagnosticCode::Malformed, side, f.at.offset,
           fmt::format("{} on stream {}: it belongs to stream 0 (PROTOCOL_ERROR)", frameTypeName(f.type), f.stream));
    if (streamLevel && f.stream == 0)
      diag(DiagnosticCode::Malformed, side, f.at.offset,
           fmt::format("{} on stream 0: it needs a stream (PROTOCOL_ERROR)", frameTypeName(f.type)));
  }

  void gather(int side, ByteView fragment) {
    Pending& pending = pending_[side];
    const std::size_t room = limits_.maxHeaderBlock - std::min(limits_.maxHeaderBlock, pending.block.size());
    if (fragment.size() > room) pending.capped = true;
    pending.block.insert(pending.block.end(), fragment.begin(),
                         fragment.begin() + static_cast<std::ptrdiff_t>(std::min(room, fragment.size())));
  }

  void finishBlock(int side) {
    Pending pending = std::move(pending_[side]);
    pending_[side] = {};
    const Frame& f = pending.first;
    std::vector<Header> headers;
    if (pending.capped) {
      diag(DiagnosticCode::AppLimit, side, f.at.offset,
           fmt::format("the header block of stream {} is over {} bytes (tlslab's cap): not decoded, and header "
                       "decoding stops for this direction",
                       f.stream, limits_.maxHeaderBlock));
      hpack_[side].lose();
    } else {
      std::string error;
      auto decoded = hpack_[side].decode(pending.block, limits_.maxHeaderBlock, error);
      if (decoded) headers = std::move(*decoded);
      else diag(DiagnosticCode::Malformed, side, f.at.offset,
                fmt::format("the header block of stream {} does not decode: {}", f.stream, error));
    }
    if (f.type == kPushPromise) return promise(side, f, pending.promised, std::move(headers));
    const bool fromClient = side == 0;
    StreamState& st = streams_[f.stream];
    int& slot = fromClient ? st.request : st.response;
    // A second block after a 1xx is the final response; any other second block is trailers (§8.1).
    const bool interim = slot >= 0 && !out_.messages[static_cast<std::size_t>(slot)].request &&
                         out_.messages[static_cast<std::size_t>(slot)].startLine.starts_with("1");
    if (slot >= 0 && !interim) {
      Message& m = out_.messages[static_cast<std::size_t>(slot)];
      m.trailers = std::move(headers);
      if (f.flags & kEndStream) m.complete = true;
      return;
    }
    Message* m = newMessage(side, f, !fromClient ? false : true);
    if (!m) return;
    slot = static_cast<int>(out_.messages.size() - 1);
    m->headers = std::move(headers);
    fillStartLine(*m);
    if (f.flags & kEndStream || (!m->request && m->startLine.starts_with("1"))) m->complete = true;
  }

  void promise(int side, const Frame& f, std::uint32_t promised, std::vector<Header> headers) {
    Message* m = newMessage(side, f, true);
    if (!m) return;
    streams_[promised].request = static_cast<int>(out_.messages.size() - 1);
    m->stream = promised;
    m->headers = std::move(headers);
    fillStartLine(*m);
    m->complete = true;
    m->note = fmt::format("pushed: promised by the server in PUSH_PROMISE on stream {}", f.stream);
  }

  Message* newMessage(int side, const Frame& f, bool request) {
    if (out_.messages.size() >= limits_.maxItems) {
      if (!messagesCapped_)
        diag(DiagnosticCode::AppLimit, side, f.at.offset,
             fmt::format("more than {} messages (tlslab's cap): later streams are not shown", limits_.maxItems));
      messagesCapped_ = true;
      return nullptr;
    }
    Message& m = out_.messages.emplace_back();
    m.at = f.at;
    m.request = request;
    m.stream = f.stream;
    return &m;
  }

  static void fillStartLine(Message& m) {
    if (m.request) {
      const std::string method = header(m.headers, ":method");
      const std::string path = header(m.headers, ":path");
      m.startLine = method + " " + (path.empty() ? header(m.headers, ":authority") : path);
    } else {
      m.startLine = header(m.headers, ":status");
    }
    m.body.contentEncoding = header(m.headers, "content-encoding");
  }

  void onData(int side, const Frame& f, ByteView data) {
    if (f.stream == 0) return;
    StreamState& st = streams_[f.stream];
    int& slot = side == 0 ? st.request : st.response;
    if (slot < 0) {
      diag(DiagnosticCode::Malformed, side, f.at.offset,
           fmt::format("DATA on stream {} before any HEADERS from this side (PROTOCOL_ERROR)", f.stream));
      if (!newMessage(side, f, side == 0)) return;
      slot = static_cast<int>(out_.messages.size() - 1);
    }
    Message& m = out_.messages[static_cast<std::size_t>(slot)];
    const bool wasCapped = m.body.capped;
    appendBody(m.body, data, limits_);
    if (m.body.capped && !wasCapped)
      diag(DiagnosticCode::AppLimit, side, f.at.offset,
           fmt::format("the body of stream {} is over {} bytes (tlslab's cap): the rest is counted, not kept", f.stream,
                       limits_.maxBody));
    if (f.flags & kEndStream) m.complete = true;
  }

  void onReset(int side, const Frame& f, std::uint32_t code) {
    auto it = streams_.find(f.stream);
    if (it == streams_.end()) return;
    for (int index : {it->second.request, it->second.response}) {
      if (index < 0) continue;
      Message& m = out_.messages[static_cast<std::size_t>(index)];
      m.note = fmt::format("stream reset by the {}: {}", side == 0 ? "client" : "server", errorCodeName(code));
    }
  }

  void diag(DiagnosticCode code, int side, std::size_t offset, std::string message) {
    addDiagnostic(out_, code, code == DiagnosticCode::AppLimit ? Severity::Warning : Severity::Error, s_[side], offset,
                  std::move(message));
  }

  const DirStream (&s_)[2];
  const Limits& limits_;
  Conversation& out_;
  HpackDecoder hpack_[2];
  Pending pending_[2];
  std::map<std::uint32_t, StreamState> streams_;
  bool messagesCapped_ = false;
};

}  // namespace

void decodeHttp2(const DirStream (&streams)[2], const Limits& limits, Conversation& out) {
  Decoder(streams, limits, out).run();
}

}  // namespace tlslab::app::detail
