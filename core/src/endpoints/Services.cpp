#include "Services.hpp"

#include <cstdlib>

namespace tlslab::endpoints {

const char* serviceName(Service service) {
  switch (service) {
    case Service::HttpsHello: return "https";
    case Service::Echo: return "echo";
    case Service::Smtp: return "smtp";
    case Service::Pop3: return "pop3";
    case Service::Imap: return "imap";
    case Service::Relay: return "relay";
    default: return "unknown";
  }
}

namespace {

std::size_t contentLength(const std::string& head) {
  // Header names are case-insensitive (RFC 9110 §5.1); a lab client sends one form.
  for (const char* name : {"Content-Length:", "content-length:"}) {
    if (auto pos = head.find(name); pos != std::string::npos)
      return std::strtoul(head.c_str() + pos + std::char_traits<char>::length(name), nullptr, 10);
  }
  return 0;
}

std::string page(const std::string& siteName, const std::string& requestLine, const std::string& body) {
  std::string html = "<html><head><title>" + siteName + "</title></head><body>\n<h1>Hello from " + siteName +
                     "</h1>\n<p>You asked: " + requestLine + "</p>\n" + body + "</body></html>\n";
  return "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + std::to_string(html.size()) +
         "\r\n\r\n" + html;
}

const char* kLoginForm =
    "<form method=\"POST\" action=\"/login\">\n<input name=\"user\"> <input name=\"password\" type=\"password\">\n"
    "<button>Log in</button>\n</form>\n";

std::string serveHttp(Channel& channel, const std::string& siteName) {
  // Keep-alive loop: several requests may arrive on one connection.
  for (;;) {
    std::string head;
    // A clean close (close_notify) between requests is no error; an EOF without
    // it is (lastError says so: a possible truncation attack).
    if (!channel.readUntil("\r\n\r\n", head))
      return head.empty() ? channel.lastError() : "incomplete HTTP request" + (channel.lastError().empty() ? "" : ": " + channel.lastError());
    std::string requestLine = head.substr(0, head.find("\r\n"));
    std::string body;
    if (std::size_t length = contentLength(head); length > 0 && length <= 1 << 20) {
      if (!channel.readExactly(length, body)) return "HTTP body shorter than Content-Length";
    }
    bool isLogin = requestLine.rfind("POST /login", 0) == 0;
    std::string content = isLogin ? "<p>Welcome back. Your login (" + body + ") was received.</p>\n" : kLoginForm;
    if (!channel.write(page(siteName, requestLine, content))) return "write failed: " + channel.lastError();
    // RFC 9112 §9.3: HTTP/1.0 and "Connection: close" end the connection after the response.
    bool close = requestLine.find("HTTP/1.0") != std::string::npos || head.find("Connection: close") != std::string::npos ||
                 head.find("connection: close") != std::string::npos;
    if (close) return "";
  }
}

std::string serveEcho(Channel& channel) {
  std::uint8_t buffer[16384];
  for (;;) {
    long n = channel.read(buffer, sizeof(buffer));
    if (n == 0) return "";
    if (n < 0) return channel.lastError();
    if (!channel.write(ByteView(buffer, static_cast<std::size_t>(n)))) return channel.lastError();
  }
}

}  // namespace

std::string runService(Service service, ServiceContext& context) {
  switch (service) {
    case Service::HttpsHello: return serveHttp(context.channel, context.siteName);
    case Service::Echo: return serveEcho(context.channel);
    case Service::Smtp: return serveSmtp(context);
    case Service::Pop3: return servePop3(context);
    case Service::Imap: return serveImap(context);
    default: return "unknown service";
  }
}

}  // namespace tlslab::endpoints
