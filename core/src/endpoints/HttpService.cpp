// The lab's HTTPS service: the hello page and its login form, over TLS or
// cleartext, with keep-alive. Just enough HTTP/1.1 (RFC 9112) for real
// clients: curl, browsers, and the SEED textbook's client, which ends its
// lines with a bare LF.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "Services.hpp"

namespace tlslab::endpoints {

namespace {

constexpr std::size_t kMaxHead = 64 * 1024;
constexpr std::size_t kMaxBody = 1 << 20;

// RFC 9112 §2.2: a recipient MAY take a bare LF as a line terminator, so the
// head ends at the first empty line written as "\n\n" or "\n\r\n" (either
// mixed with CRLF). Returns the head's length including that empty line.
std::size_t endOfHead(const std::string& text) {
  for (std::size_t lf = text.find('\n'); lf != std::string::npos; lf = text.find('\n', lf + 1)) {
    if (lf + 1 < text.size() && text[lf + 1] == '\n') return lf + 2;
    if (lf + 2 < text.size() && text[lf + 1] == '\r' && text[lf + 2] == '\n') return lf + 3;
  }
  return std::string::npos;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

struct RequestHead {
  std::string requestLine;
  std::vector<std::pair<std::string, std::string>> fields;  // names lower-cased (RFC 9110 §5.1)

  std::optional<std::string> field(const std::string& name) const {
    for (const auto& [n, value] : fields)
      if (n == name) return value;
    return std::nullopt;
  }
};

RequestHead parseHead(std::string_view head) {
  RequestHead parsed;
  // RFC 9112 §2.2: ignore empty lines before the request line (a CRLF some
  // clients send after a POST body).
  while (!head.empty() && (head.front() == '\r' || head.front() == '\n')) head.remove_prefix(1);
  bool first = true;
  while (!head.empty()) {
    std::size_t lf = head.find('\n');
    std::string_view line = trim(head.substr(0, lf));
    head.remove_prefix(lf == std::string_view::npos ? head.size() : lf + 1);
    if (first) {
      parsed.requestLine = std::string(line);
      first = false;
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
      parsed.fields.emplace_back(lower(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
    }
  }
  return parsed;
}

// RFC 9112 §6.3: the body's length; "" or why the value cannot be used.
std::string bodyLength(const RequestHead& head, std::size_t& length) {
  length = 0;
  auto value = head.field("content-length");
  if (!value) return {};
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), length);
  if (ec != std::errc{} || end != value->data() + value->size()) return "Content-Length is not a number: '" + *value + "'";
  if (length > kMaxBody) return "Content-Length " + *value + " is over the lab server's limit of 1 MiB";
  return {};
}

// RFC 9112 §9.3: HTTP/1.0 and "Connection: close" end the connection after the response.
bool clientWantsClose(const RequestHead& head) {
  if (head.requestLine.find("HTTP/1.0") != std::string::npos) return true;
  auto connection = head.field("connection");
  return connection && lower(*connection).find("close") != std::string::npos;
}

std::string page(const ServiceContext& ctx, const std::string& requestLine, const std::string& body) {
  std::string html = "<html><head><title>" + ctx.siteName + "</title></head><body>\n<h1>Hello from " + ctx.siteName +
                     "</h1>\n<p>You asked: " + requestLine + "</p>\n" + body +
                     (ctx.pageNote.empty() ? "" : ctx.pageNote + "\n") + "</body></html>\n";
  return "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + std::to_string(html.size()) +
         "\r\n\r\n" + html;
}

const char* kLoginForm =
    "<form method=\"POST\" action=\"/login\">\n<input name=\"user\"> <input name=\"password\" type=\"password\">\n"
    "<button>Log in</button>\n</form>\n";

}  // namespace

std::string serveHttp(ServiceContext& ctx) {
  Channel& channel = ctx.channel;
  // Keep-alive loop: several requests may arrive on one connection.
  for (;;) {
    std::string text;
    // A clean close (close_notify) between requests is no error; an EOF without
    // it is (lastError says so: a possible truncation attack).
    if (!channel.readUntil(endOfHead, text, kMaxHead, "end of the HTTP request head (an empty line)"))
      return text.empty() ? channel.lastError()
                          : "incomplete HTTP request" + (channel.lastError().empty() ? "" : ": " + channel.lastError());
    const RequestHead head = parseHead(text);
    std::size_t length = 0;
    if (auto err = bodyLength(head, length); !err.empty()) return err;
    std::string body;
    if (length > 0 && !channel.readExactly(length, body)) return "HTTP body shorter than Content-Length";
    bool isLogin = head.requestLine.rfind("POST /login", 0) == 0;
    std::string content = isLogin ? "<p>Welcome back. Your login (" + body + ") was received.</p>\n" : kLoginForm;
    if (!channel.write(page(ctx, head.requestLine, content))) return "write failed: " + channel.lastError();
    if (ctx.closeAfterResponse || clientWantsClose(head)) return "";
  }
}

}  // namespace tlslab::endpoints
