// Choosing the protocol of a connection's application data, and the pieces
// every decoder shares.
#include <algorithm>
#include <cctype>

#include "app/Internal.hpp"

namespace tlslab::app {

namespace {
constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";  // RFC 9113 §3.4

bool startsWith(ByteView bytes, std::string_view prefix) {
  return bytes.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), bytes.begin());
}

// An HTTP/1.x request line starts with a token and a space ("GET ", "PROPFIND ").
bool looksLikeHttp1(ByteView client, ByteView server) {
  if (startsWith(server, "HTTP/1.")) return true;
  std::size_t i = 0;
  while (i < client.size() && i < 16 && std::isupper(client[i])) ++i;
  if (i == 0 || i >= client.size() || client[i] != ' ') return false;
  const std::string_view rest(reinterpret_cast<const char*>(client.data()), std::min<std::size_t>(client.size(), 8192));
  const auto eol = rest.find('\n');
  return rest.find(" HTTP/1.") != std::string_view::npos &&
         (eol == std::string_view::npos || rest.find(" HTTP/1.") < eol);
}
}  // namespace

const char* protocolName(Protocol protocol) {
  switch (protocol) {
    case Protocol::Http1: return "HTTP/1.1";
    case Protocol::Http2: return "HTTP/2";
    case Protocol::Lines: return "lines";
    case Protocol::None: return "";
    default: return "";
  }
}

Conversation decodeConversation(const model::TraceConnection& conn, const Limits& limits) {
  return decodeConversation(conn.appData, conn.negotiated.alpn, conn.startTlsProtocol, limits);
}

Conversation decodeConversation(std::span<const model::AppDataChunk> chunks, std::string_view alpn,
                                std::string_view startTlsProtocol, const Limits& limits) {
  using model::Direction;
  const detail::DirStream streams[2] = {detail::joinDirection(chunks, Direction::ClientToServer),
                                        detail::joinDirection(chunks, Direction::ServerToClient)};
  Conversation out;
  const ByteView client = streams[0].data, server = streams[1].data;
  // ALPN is what both ends agreed (RFC 7301); without it, the first bytes say.
  if (alpn == "h2") {
    out.protocol = Protocol::Http2;
    out.selectedBy = "ALPN h2";
  } else if (alpn == "http/1.1" || alpn == "http/1.0") {
    out.protocol = Protocol::Http1;
    out.selectedBy = "ALPN " + std::string(alpn);
  } else if (startsWith(client, kPreface)) {
    out.protocol = Protocol::Http2;
    out.selectedBy = "detected: the HTTP/2 connection preface";
  } else if (looksLikeHttp1(client, server)) {
    out.protocol = Protocol::Http1;
    out.selectedBy = "detected: an HTTP/1.x start line";
  } else if (startTlsProtocol == "SMTP" || startTlsProtocol == "IMAP" || startTlsProtocol == "POP3") {
    out.protocol = Protocol::Lines;
    out.selectedBy = std::string(startTlsProtocol) + " after STARTTLS";
  }
  if (client.empty() && server.empty()) return out;
  switch (out.protocol) {
    case Protocol::Http1: detail::decodeHttp1(streams, limits, out); break;
    case Protocol::Http2: detail::decodeHttp2(streams, limits, out); break;
    case Protocol::Lines: detail::decodeLines(streams, limits, out); break;
    case Protocol::None: break;
    default: break;
  }
  return out;
}

namespace detail {

Place DirStream::place(std::size_t offset) const {
  Place p{direction, offset, 0};
  auto it = std::upper_bound(starts.begin(), starts.end(), offset,
                             [](std::size_t off, const auto& start) { return off < start.first; });
  if (it != starts.begin()) p.record = std::prev(it)->second;
  return p;
}

DirStream joinDirection(std::span<const model::AppDataChunk> chunks, model::Direction direction) {
  DirStream s;
  s.direction = direction;
  for (const model::AppDataChunk& c : chunks) {
    if (c.direction != direction || c.data.empty()) continue;
    s.starts.emplace_back(s.data.size(), c.record);
    s.data.insert(s.data.end(), c.data.begin(), c.data.end());
  }
  return s;
}

const char* sideName(model::Direction direction) {
  return direction == model::Direction::ClientToServer ? "client -> server" : "server -> client";
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool equalsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

bool isText(ByteView bytes) {
  if (bytes.empty()) return false;
  for (std::size_t i = 0; i < bytes.size();) {
    const std::uint8_t b = bytes[i];
    if (b < 0x80) {
      if ((b < 0x20 && b != '\r' && b != '\n' && b != '\t') || b == 0x7f) return false;
      ++i;
      continue;
    }
    // UTF-8: a lead byte and its continuation bytes (RFC 3629 §3).
    const std::size_t n = (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 : (b & 0xf8) == 0xf0 ? 4 : 0;
    if (n == 0 || b == 0xc0 || b == 0xc1) return false;
    if (i + n > bytes.size()) return i > 0;  // a character cut at the end (by a cap): still text
    for (std::size_t k = 1; k < n; ++k)
      if ((bytes[i + k] & 0xc0) != 0x80) return false;
    i += n;
  }
  return true;
}

void addDiagnostic(Conversation& out, model::DiagnosticCode code, model::Severity severity, const DirStream& stream,
                   std::size_t offset, std::string message) {
  model::Diagnostic d;
  d.code = code;
  d.severity = severity;
  d.where = std::string(protocolName(out.protocol)) + " " + sideName(stream.direction);
  d.offset = offset;
  d.message = std::move(message);
  out.diagnostics.push_back(std::move(d));
}

void appendBody(Body& body, ByteView bytes, const Limits& limits) {
  body.length += bytes.size();
  const std::size_t room = limits.maxBody > body.data.size() ? limits.maxBody - body.data.size() : 0;
  if (bytes.size() > room) body.capped = true;
  const std::size_t take = std::min(room, bytes.size());
  body.data.insert(body.data.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(take));
}

}  // namespace detail
}  // namespace tlslab::app
