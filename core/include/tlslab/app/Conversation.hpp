#pragma once
// The application protocol inside one connection's decrypted bytes (issue 18):
// HTTP/1.1 requests and responses, HTTP/2 frames grouped by stream with their
// HPACK header blocks decoded (by libnghttp2's inflater) and DATA reassembled,
// or the command/reply lines of SMTP, IMAP and POP3 after STARTTLS. Plain
// values built from TraceConnection::appData, read by `tlslab follow --app`,
// its JSON and the GUI's application data view alike.
//
// Tolerant like the dissector: malformed bytes become diagnostics whose offset
// is in the direction's application byte stream (as `follow --hex` numbers
// it), and decoding goes on where it can; every length is capped (Limits).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tlslab/model/Diagnostic.hpp"
#include "tlslab/model/Trace.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::app {

enum class Protocol : std::uint8_t { None, Http1, Http2, Lines };
const char* protocolName(Protocol protocol);  // "", "HTTP/1.1", "HTTP/2", "lines"

struct Limits {
  std::size_t maxBody = std::size_t{16} << 20;        // per body, as sent and decoded each
  std::size_t maxHeaderBlock = std::size_t{256} << 10;  // an HTTP/1.1 head, an HTTP/2 header block
  std::size_t maxItems = 100000;                      // frames, messages or lines kept
};

struct Header {
  std::string name, value;
  bool operator==(const Header&) const = default;
};

// Where something starts: its direction, the offset of its first byte in that
// direction's application byte stream, and the record that carried that byte.
struct Place {
  model::Direction direction = model::Direction::ClientToServer;
  std::size_t offset = 0;
  std::size_t record = 0;
};

struct Body {
  Bytes data;                   // as sent: chunked coding removed, content coding kept
  std::size_t length = 0;       // bytes the peer sent, also past the cap
  bool capped = false;          // data stops at Limits::maxBody
  std::string contentEncoding;  // the Content-Encoding value ("gzip", "br", ...), empty if none
  std::optional<Bytes> decoded;  // content coding undone (as far as it went)
  bool decodedCapped = false;    // decoded stops at Limits::maxBody
  std::string decodeError;       // why decoding failed or stopped
  const Bytes& shown() const { return decoded ? *decoded : data; }
};

// One HTTP request or response: an HTTP/1.1 message, or one side of an HTTP/2
// stream (a pushed request comes from the server's PUSH_PROMISE).
struct Message {
  Place at;
  bool request = true;
  std::string startLine;        // "GET / HTTP/1.1"; for HTTP/2 "GET /path" or "200" from the pseudo-headers
  std::vector<Header> headers;  // HTTP/2: pseudo-headers first, as sent
  std::vector<Header> trailers;
  Body body;
  std::uint32_t stream = 0;  // HTTP/2 stream identifier (0 for HTTP/1.1)
  bool complete = false;     // every byte of it was seen
  std::string note;          // why incomplete, a reset, a push
};

// One HTTP/2 frame (RFC 9113 §4.1); `at.offset` is its 9-byte header's.
struct Frame {
  Place at;
  std::uint32_t length = 0;
  std::uint8_t type = 0;
  std::uint8_t flags = 0;
  std::uint32_t stream = 0;
  std::string summary;  // the payload in words: settings, error code, pad length, ...
};
std::string frameTypeName(std::uint8_t type);                     // "HEADERS", "0x0b" when unknown
std::string frameFlagsText(std::uint8_t type, std::uint8_t flags);  // "END_STREAM|END_HEADERS"

struct Line {
  Place at;
  std::string text;  // without its line ending
};

struct Conversation {
  Protocol protocol = Protocol::None;
  std::string selectedBy;  // "ALPN h2", "detected: the HTTP/2 connection preface", ...
  bool preface = false;    // HTTP/2: the client's connection preface was seen
  std::vector<Message> messages;  // HTTP: in the order their first bytes were sent
  std::vector<Frame> frames;      // HTTP/2
  std::vector<Line> lines;        // SMTP, IMAP, POP3
  std::vector<model::Diagnostic> diagnostics;  // offset: in the direction's stream; where: protocol and direction
};

// From one connection's decrypted application data, both directions in order;
// the protocol is chosen by ALPN, then STARTTLS, then by the first bytes.
Conversation decodeConversation(const model::TraceConnection& conn, const Limits& limits = {});
Conversation decodeConversation(std::span<const model::AppDataChunk> chunks, std::string_view alpn,
                                std::string_view startTlsProtocol, const Limits& limits = {});

}  // namespace tlslab::app
