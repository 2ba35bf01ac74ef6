#include "app/Http2Frames.hpp"

#include <fmt/core.h>

namespace tlslab::app {

std::string frameTypeName(std::uint8_t type) {
  switch (type) {
    case detail::kData: return "DATA";
    case detail::kHeaders: return "HEADERS";
    case detail::kPriority: return "PRIORITY";
    case detail::kRstStream: return "RST_STREAM";
    case detail::kSettings: return "SETTINGS";
    case detail::kPushPromise: return "PUSH_PROMISE";
    case detail::kPing: return "PING";
    case detail::kGoaway: return "GOAWAY";
    case detail::kWindowUpdate: return "WINDOW_UPDATE";
    case detail::kContinuation: return "CONTINUATION";
    case 0xa: return "ALTSVC";           // RFC 7838
    case 0xc: return "ORIGIN";           // RFC 8336
    case 0x10: return "PRIORITY_UPDATE";  // RFC 9218
    default: return fmt::format("0x{:02x}", type);
  }
}

std::string frameFlagsText(std::uint8_t type, std::uint8_t flags) {
  using namespace detail;
  std::string out;
  auto add = [&](std::uint8_t bit, const char* name) {
    if (!(flags & bit)) return;
    if (!out.empty()) out += "|";
    out += name;
    flags = static_cast<std::uint8_t>(flags & ~bit);
  };
  switch (type) {
    case kData: add(kEndStream, "END_STREAM"); add(kPadded, "PADDED"); break;
    case kHeaders:
      add(kEndStream, "END_STREAM"); add(kEndHeaders, "END_HEADERS"); add(kPadded, "PADDED"); add(kPriorityFlag, "PRIORITY");
      break;
    case kPushPromise: add(kEndHeaders, "END_HEADERS"); add(kPadded, "PADDED"); break;
    case kContinuation: add(kEndHeaders, "END_HEADERS"); break;
    case kSettings:
    case kPing: add(kAck, "ACK"); break;
    default: break;
  }
  if (flags) out += (out.empty() ? "" : "|") + fmt::format("0x{:02x}", flags);
  return out;
}

namespace detail {

std::string errorCodeName(std::uint32_t code) {
  static const char* const names[] = {"NO_ERROR",         "PROTOCOL_ERROR", "INTERNAL_ERROR",     "FLOW_CONTROL_ERROR",
                                      "SETTINGS_TIMEOUT", "STREAM_CLOSED",  "FRAME_SIZE_ERROR",   "REFUSED_STREAM",
                                      "CANCEL",           "COMPRESSION_ERROR", "CONNECT_ERROR",   "ENHANCE_YOUR_CALM",
                                      "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"};
  return code < std::size(names) ? names[code] : fmt::format("0x{:x}", code);
}

namespace {

std::string settingName(std::uint16_t id) {
  switch (id) {
    case 1: return "HEADER_TABLE_SIZE";
    case 2: return "ENABLE_PUSH";
    case 3: return "MAX_CONCURRENT_STREAMS";
    case 4: return "INITIAL_WINDOW_SIZE";
    case 5: return "MAX_FRAME_SIZE";
    case 6: return "MAX_HEADER_LIST_SIZE";
    case 8: return "ENABLE_CONNECT_PROTOCOL";  // RFC 8441
    case 9: return "NO_RFC7540_PRIORITIES";    // RFC 9218
    default: return fmt::format("0x{:04x}", id);
  }
}

// Pad Length first when PADDED; the padding is at the end (RFC 9113 §6.1).
ByteView unpad(ByteReader& r, const Frame& f, std::string& summary) {
  if (!(f.flags & kPadded)) return r.rest();
  const std::size_t at = r.offset();
  const std::uint8_t pad = r.u8("Pad Length");
  if (r.failed()) return {};
  if (pad > r.remaining()) {
    r.fail(ParseAlert::DecodeError,
           fmt::format("{}: Pad Length {} is more than the {} bytes left (PROTOCOL_ERROR)", frameTypeName(f.type), pad,
                       r.remaining()),
           at);
    return {};
  }
  summary += fmt::format("{} bytes of padding; ", pad);
  ByteView rest = r.rest();
  return rest.first(rest.size() - pad);
}

}  // namespace

FramePayload parseFramePayload(const Frame& f, ByteView payload, std::size_t base) {
  FramePayload out;
  ByteReader r(payload, base);
  const std::string type = frameTypeName(f.type);
  auto exact = [&](std::size_t n) {
    if (payload.size() != n)
      r.fail(ParseAlert::DecodeError,
             fmt::format("{}: {} bytes, must be {} (FRAME_SIZE_ERROR)", type, payload.size(), n), base);
    return payload.size() == n;
  };
  switch (f.type) {
    case kData:
      out.content = unpad(r, f, out.summary);
      out.summary += fmt::format("{} bytes of data", out.content.size());
      break;
    case kHeaders: {
      ByteReader body(unpad(r, f, out.summary), base + (f.flags & kPadded ? 1 : 0));
      if (f.flags & kPriorityFlag) {
        const std::uint32_t dep = body.u32("HEADERS.Stream Dependency");
        const unsigned weight = body.u8("HEADERS.Weight") + 1u;
        if (body.ok())
          out.summary += fmt::format("depends on {}{}, weight {}; ", dep & 0x7fffffff, dep >> 31 ? " (exclusive)" : "", weight);
      }
      if (body.failed()) r.fail(body.error()->alert, body.error()->what, body.error()->offset);
      out.content = body.rest();
      out.summary += fmt::format("{} bytes of header block", out.content.size());
      break;
    }
    case kPriority:
      if (exact(5)) {
        const std::uint32_t dep = r.u32("PRIORITY.Stream Dependency");
        out.summary = fmt::format("depends on {}{}, weight {}", dep & 0x7fffffff, dep >> 31 ? " (exclusive)" : "",
                                  r.u8("PRIORITY.Weight") + 1u);
      }
      break;
    case kRstStream:
      if (exact(4)) out.errorCode = r.u32("RST_STREAM.Error Code"), out.summary = errorCodeName(out.errorCode);
      break;
    case kSettings:
      if (payload.size() % 6 != 0) {
        r.fail(ParseAlert::DecodeError,
               fmt::format("SETTINGS: {} bytes, not a multiple of 6 (FRAME_SIZE_ERROR)", payload.size()), base);
        break;
      }
      if ((f.flags & kAck) && !payload.empty())
        r.fail(ParseAlert::DecodeError, "SETTINGS with ACK must be empty (FRAME_SIZE_ERROR)", base);
      while (r.remaining() >= 6) {
        const std::uint16_t id = r.u16("SETTINGS.Identifier");
        const std::uint32_t value = r.u32("SETTINGS.Value");
        out.settings.emplace_back(id, value);
        out.summary += fmt::format("{}{}={}", out.summary.empty() ? "" : ", ", settingName(id), value);
      }
      if (f.flags & kAck) out.summary = "acknowledges the peer's settings";
      break;
    case kPushPromise: {
      ByteReader body(unpad(r, f, out.summary), base + (f.flags & kPadded ? 1 : 0));
      out.promised = body.u32("PUSH_PROMISE.Promised Stream ID") & 0x7fffffff;
      if (body.failed()) r.fail(body.error()->alert, body.error()->what, body.error()->offset);
      out.content = body.rest();
      out.summary += fmt::format("promises stream {}; {} bytes of header block", out.promised, out.content.size());
      break;
    }
    case kPing:
      if (exact(8)) out.summary = "opaque data " + toHex(payload);
      break;
    case kGoaway: {
      const std::uint32_t last = r.u32("GOAWAY.Last-Stream-ID") & 0x7fffffff;
      out.errorCode = r.u32("GOAWAY.Error Code");
      if (r.failed()) break;
      const ByteView debug = r.rest();
      out.summary = fmt::format("last stream {}, {}", last, errorCodeName(out.errorCode));
      if (!debug.empty()) out.summary += fmt::format(", debug data \"{}\"", std::string(debug.begin(), debug.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(debug.size(), 200))));
      break;
    }
    case kWindowUpdate:
      if (exact(4)) {
        const std::uint32_t inc = r.u32("WINDOW_UPDATE.Window Size Increment") & 0x7fffffff;
        out.summary = fmt::format("+{} bytes", inc);
        if (inc == 0) r.fail(ParseAlert::DecodeError, "WINDOW_UPDATE with an increment of 0 (PROTOCOL_ERROR)", base);
      }
      break;
    case kContinuation:
      out.content = payload;
      out.summary = fmt::format("{} bytes of header block", payload.size());
      break;
    default:
      out.summary = fmt::format("{} bytes (a frame type RFC 9113 does not define: ignored, §4.1)", payload.size());
      break;
  }
  out.error = r.error();
  return out;
}

}  // namespace detail
}  // namespace tlslab::app
