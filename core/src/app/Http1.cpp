// HTTP/1.1 messages (RFC 9112): each direction is read as a sequence of
// messages, so pipelined requests and their responses pair up in order; a
// response's body length depends on its request (HEAD, CONNECT) and status
// (1xx, 204, 304), then on Transfer-Encoding, Content-Length, or the close.
#include <algorithm>
#include <charconv>

#include "app/Internal.hpp"

namespace tlslab::app::detail {

namespace {

using model::DiagnosticCode;
using model::Severity;

std::string_view text(ByteView bytes) { return {reinterpret_cast<const char*>(bytes.data()), bytes.size()}; }

const std::string* headerValue(const std::vector<Header>& headers, std::string_view name) {
  for (const Header& h : headers)
    if (equalsNoCase(h.name, name)) return &h.value;
  return nullptr;
}

enum class BodyKind { None, Length, Chunked, ToClose };

class Reader {
 public:
  Reader(const DirStream& s, const Limits& limits, Conversation& out) : s_(s), limits_(limits), out_(out) {}
  bool atEnd() const { return pos_ >= s_.data.size(); }
  bool stopped() const { return stopped_; }
  void stop() { stopped_ = true; }

  // The start line and header fields, up to the empty line. False (with a
  // diagnostic) when the bytes are not an HTTP message head.
  bool readHead(Message& m, bool request) {
    m.at = s_.place(pos_);
    m.request = request;
    const std::string_view rest = text(ByteView(s_.data).subspan(pos_));
    const std::string_view window = rest.substr(0, limits_.maxHeaderBlock);
    std::size_t end = window.find("\r\n\r\n");
    std::size_t endLen = 4;
    const std::size_t lf = window.find("\n\n");
    if (lf != std::string_view::npos && (end == std::string_view::npos || lf < end)) end = lf, endLen = 2;
    if (end == std::string_view::npos) {
      if (rest.size() > limits_.maxHeaderBlock) {
        diag(DiagnosticCode::AppLimit, pos_, "a message head longer than " + std::to_string(limits_.maxHeaderBlock) +
                                                 " bytes (tlslab's cap): not read");
        return stop(), false;
      }
      m.note = "incomplete: the head does not end before the stream does";
      const std::size_t eol = rest.find('\n');
      m.startLine = std::string(trim(rest.substr(0, eol)));
      pos_ = s_.data.size();
      return validStart(m, request);
    }
    std::string_view head = rest.substr(0, end);
    bool first = true;
    while (!head.empty() || first) {
      const std::size_t eol = head.find('\n');
      std::string_view line = head.substr(0, eol);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      head = eol == std::string_view::npos ? std::string_view{} : head.substr(eol + 1);
      if (first) {
        m.startLine = std::string(line);
        first = false;
        if (!validStart(m, request)) return false;
        continue;
      }
      if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !m.headers.empty()) {
        m.headers.back().value += " " + std::string(trim(line));  // obs-fold (RFC 9112 §5.2)
        continue;
      }
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0) {
        diag(DiagnosticCode::Malformed, pos_ + static_cast<std::size_t>(line.data() - rest.data()),
             "a header line without a name and colon: \"" + std::string(line.substr(0, 80)) + "\"");
        continue;
      }
      m.headers.push_back({std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1)))});
    }
    pos_ += end + endLen;
    return true;
  }

  void readBody(Message& m, BodyKind kind, std::uint64_t length) {
    if (const std::string* ce = headerValue(m.headers, "Content-Encoding")) m.body.contentEncoding = *ce;
    switch (kind) {
      case BodyKind::None: m.complete = true; break;
      case BodyKind::Length: readLength(m, length); break;
      case BodyKind::Chunked: readChunked(m); break;
      case BodyKind::ToClose:
        appendBody(m.body, ByteView(s_.data).subspan(pos_), limits_);
        pos_ = s_.data.size();
        m.complete = true;
        m.note = "the body ends with the connection (no Content-Length or chunked coding)";
        break;
      default: break;
    }
    decodeContent(m.body, limits_);
  }

  // Content-Length, or a Malformed diagnostic and nullopt; absent: 0 via `present`.
  std::optional<std::uint64_t> contentLength(const Message& m, bool& present) {
    const std::string* v = headerValue(m.headers, "Content-Length");
    present = v != nullptr;
    if (!v) return 0;
    // "5, 5" is allowed when every value is the same (RFC 9110 §8.6).
    std::optional<std::uint64_t> value;
    std::string_view list = *v;
    while (true) {
      const std::string_view item = trim(list.substr(0, list.find(',')));
      std::uint64_t n = 0;
      auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
      if (ec != std::errc{} || ptr != item.data() + item.size() || item.empty() || (value && *value != n)) {
        diag(DiagnosticCode::Malformed, m.at.offset, "Content-Length \"" + v->substr(0, 40) + "\" is not one number");
        return std::nullopt;
      }
      value = n;
      if (list.find(',') == std::string_view::npos) break;
      list = list.substr(list.find(',') + 1);
    }
    return value;
  }

  void diag(DiagnosticCode code, std::size_t offset, std::string message) {
    addDiagnostic(out_, code, code == DiagnosticCode::AppLimit ? Severity::Warning : Severity::Error, s_, offset,
                  std::move(message));
  }

 private:
  bool validStart(const Message& m, bool request) {
    const std::string& line = m.startLine;
    bool ok = false;
    if (request) {
      const std::size_t sp = line.find(' ');
      ok = sp != std::string::npos && sp > 0 &&
           std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(sp), [](char c) { return c > ' ' && c < 0x7f; }) &&
           line.find(" HTTP/") != std::string::npos;
    } else {
      ok = line.rfind("HTTP/", 0) == 0;
    }
    if (!ok) {
      diag(DiagnosticCode::Malformed, m.at.offset,
           std::string("not an HTTP/1.x ") + (request ? "request" : "status") + " line: \"" + line.substr(0, 80) +
               "\"; the rest of this direction is not read as HTTP");
      stop();
    }
    return ok;
  }

  void readLength(Message& m, std::uint64_t length) {
    const std::size_t have = s_.data.size() - pos_;
    const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(length, have));
    appendBody(m.body, ByteView(s_.data).subspan(pos_, take), limits_);
    pos_ += take;
    m.complete = take == length;
    if (!m.complete)
      m.note = "incomplete: " + std::to_string(take) + " of " + std::to_string(length) + " body bytes in the capture";
  }

  // chunk = chunk-size [ext] CRLF data CRLF ... last-chunk trailers CRLF (RFC 9112 §7.1).
  void readChunked(Message& m) {
    const ByteView all(s_.data);
    while (true) {
      const std::string_view rest = text(all.subspan(pos_));
      const std::size_t eol = rest.substr(0, 1024).find('\n');
      if (eol == std::string_view::npos) {
        if (rest.size() >= 1024) diag(DiagnosticCode::Malformed, pos_, "a chunk-size line longer than 1024 bytes");
        m.note = "incomplete: the chunked body does not end in the capture";
        pos_ = all.size();
        return;
      }
      const std::string_view sizeText = trim(rest.substr(0, rest.find_first_of(";\r\n")));
      std::uint64_t size = 0;
      auto [ptr, ec] = std::from_chars(sizeText.data(), sizeText.data() + sizeText.size(), size, 16);
      if (sizeText.empty() || ec != std::errc{} || ptr != sizeText.data() + sizeText.size()) {
        diag(DiagnosticCode::Malformed, pos_, "not a chunk size: \"" + std::string(sizeText.substr(0, 40)) + "\"");
        m.note = "incomplete: the chunked coding is broken";
        return stop();
      }
      pos_ += eol + 1;
      if (size == 0) return readTrailers(m);
      const std::size_t have = all.size() - pos_;
      if (size > have) {
        appendBody(m.body, all.subspan(pos_), limits_);
        pos_ = all.size();
        m.note = "incomplete: a chunk of " + std::to_string(size) + " bytes is cut by the end of the capture";
        return;
      }
      appendBody(m.body, all.subspan(pos_, static_cast<std::size_t>(size)), limits_);
      pos_ += static_cast<std::size_t>(size);
      const std::string_view after = text(all.subspan(pos_));
      if (after.rfind("\r\n", 0) == 0) pos_ += 2;
      else if (after.rfind("\n", 0) == 0) pos_ += 1;
      else if (!after.empty()) diag(DiagnosticCode::Malformed, pos_, "a chunk's data is not followed by CRLF");
    }
  }

  void readTrailers(Message& m) {
    while (true) {
      const std::string_view rest = text(ByteView(s_.data).subspan(pos_));
      const std::size_t eol = rest.find('\n');
      if (eol == std::string_view::npos) {
        m.note = "incomplete: the chunked body's trailer section does not end";
        pos_ = s_.data.size();
        return;
      }
      std::string_view line = rest.substr(0, eol);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      pos_ += eol + 1;
      if (line.empty()) break;
      const std::size_t colon = line.find(':');
      if (colon != std::string_view::npos && m.trailers.size() < 1000)
        m.trailers.push_back({std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1)))});
    }
    m.complete = true;
  }

  const DirStream& s_;
  const Limits& limits_;
  Conversation& out_;
  std::size_t pos_ = 0;
  bool stopped_ = false;
};

bool isChunked(const Message& m) {
  const std::string* te = headerValue(m.headers, "Transfer-Encoding");
  if (!te) return false;
  const std::string last = lower(trim(te->substr(te->rfind(',') == std::string::npos ? 0 : te->rfind(',') + 1)));
  return last == "chunked";
}

int statusCode(const Message& m) {
  const std::size_t sp = m.startLine.find(' ');
  int code = 0;
  if (sp == std::string::npos) return 0;
  std::from_chars(m.startLine.data() + sp + 1, m.startLine.data() + std::min(m.startLine.size(), sp + 4), code);
  return code;
}

}  // namespace

void decodeHttp1(const DirStream (&streams)[2], const Limits& limits, Conversation& out) {
  std::vector<Message> messages;
  std::vector<std::string> methods;  // of the requests, in order, to frame their responses
  Reader requests(streams[0], limits, out);
  while (!requests.atEnd() && !requests.stopped() && messages.size() < limits.maxItems) {
    Message m;
    if (!requests.readHead(m, true)) break;
    methods.push_back(m.startLine.substr(0, m.startLine.find(' ')));
    if (!m.note.empty()) {  // the head itself is cut
      messages.push_back(std::move(m));
      break;
    }
    bool hasLength = false;
    const auto length = requests.contentLength(m, hasLength);
    if (!isChunked(m) && !length) {
      messages.push_back(std::move(m));
      break;
    }
    requests.readBody(m, isChunked(m) ? BodyKind::Chunked : hasLength ? BodyKind::Length : BodyKind::None,
                      length.value_or(0));
    messages.push_back(std::move(m));
  }
  Reader responses(streams[1], limits, out);
  std::size_t answered = 0;
  while (!responses.atEnd() && !responses.stopped() && messages.size() < 2 * limits.maxItems) {
    Message m;
    if (!responses.readHead(m, false)) break;
    const int status = statusCode(m);
    const std::string method = answered < methods.size() ? methods[answered] : "";
    if (!m.note.empty()) {
      messages.push_back(std::move(m));
      break;
    }
    // A 1xx is interim: the request's final response is still to come (RFC 9110 §15.2).
    const bool interim = status >= 100 && status < 200;
    if (!interim) ++answered;
    bool hasLength = false;
    std::optional<std::uint64_t> length = 0;
    BodyKind kind = BodyKind::ToClose;
    if (interim || status == 204 || status == 304 || method == "HEAD") kind = BodyKind::None;
    else if (method == "CONNECT" && status / 100 == 2) kind = BodyKind::None;
    else if (isChunked(m)) kind = BodyKind::Chunked;
    else if ((length = responses.contentLength(m, hasLength)) && hasLength) kind = BodyKind::Length;
    else if (!length) kind = BodyKind::None, responses.stop();
    responses.readBody(m, kind, length.value_or(0));
    const bool switched = status == 101 || (method == "CONNECT" && status / 100 == 2);
    if (switched) m.note = "the connection leaves HTTP/1.1 here; what follows is not decoded";
    messages.push_back(std::move(m));
    if (switched) break;
  }
  if (messages.size() >= limits.maxItems)
    addDiagnostic(out, model::DiagnosticCode::AppLimit, model::Severity::Warning, streams[0], 0,
                  "more than " + std::to_string(limits.maxItems) + " messages (tlslab's cap): the rest is not shown");
  // The order they were sent in: records are numbered across both directions in time.
  std::stable_sort(messages.begin(), messages.end(),
                   [](const Message& a, const Message& b) { return a.at.record < b.at.record; });
  out.messages = std::move(messages);
}

}  // namespace tlslab::app::detail
