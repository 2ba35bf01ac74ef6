// Just enough SMTP, POP3 and IMAP to log in and move one message, each
// starting in cleartext and upgrading with STARTTLS: the protocols students
// meet STARTTLS in, and where its classic bugs live.
#include <algorithm>
#include <cctype>

#include "Services.hpp"

namespace tlslab::endpoints {

bool isStarttlsService(Service service) {
  return service == Service::Smtp || service == Service::Pop3 || service == Service::Imap;
}

namespace {

const std::string kMessage =
    "From: alice@bank32.com\r\nTo: student01@bank32.com\r\nSubject: Your statement\r\n\r\n"
    "Your balance is 1,234.56 EUR.\r\n";

// RFC 5321 §4.5.3.1.4 allows 512 bytes per command line; we take up to 4096.
constexpr std::size_t kMaxCommandLine = 4096;

enum class LineRead { Line, Closed, Failed };

// One command line; Closed when the client hung up between lines, Failed
// (`why` says what) on a timeout, a line over the limit or a cut-off line.
LineRead readLine(Channel& channel, std::string& line, std::string& why) {
  if (channel.readUntil("\r\n", line, kMaxCommandLine)) {
    line.resize(line.size() - 2);
    return LineRead::Line;
  }
  if (line.size() >= kMaxCommandLine) {
    why = "a command line longer than " + std::to_string(kMaxCommandLine) + " bytes";
  } else if (channel.peerClosed()) {
    if (line.empty()) return LineRead::Closed;
    why = "the client closed in the middle of a line (" + std::to_string(line.size()) + " bytes without CR LF)";
  } else {
    why = channel.lastError().empty() ? std::string("reading a command failed") : channel.lastError();
  }
  return LineRead::Failed;
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

bool startsWith(const std::string& line, const std::string& command) {
  return upper(line.substr(0, command.size())) == command;
}

// ": Subject: …" of a message body, for the server's log ("" without one).
std::string subjectOf(const std::string& body) {
  for (std::size_t at = 0; at < body.size();) {
    std::size_t end = body.find("\r\n", at);
    if (end == std::string::npos || end == at) break;  // the header ends at the first empty line
    std::string line = body.substr(at, end - at);
    if (upper(line.substr(0, 8)) == "SUBJECT:") return ": " + line;
    at = end + 2;
  }
  return {};
}

std::string writeOrError(Channel& channel, const std::string& text) {
  return channel.write(text) ? "" : "write failed: " + channel.lastError();
}

// SMTP (RFC 5321) with STARTTLS (RFC 3207 §4: 220 then the handshake).
std::string smtpCommand(ServiceContext& ctx, const std::string& line, bool& quit) {
  Channel& ch = ctx.channel;
  if (startsWith(line, "EHLO") || startsWith(line, "HELO"))
    return writeOrError(ch, ch.isTls() ? "250-" + ctx.siteName + "\r\n250 AUTH PLAIN LOGIN\r\n"
                                       : "250-" + ctx.siteName + "\r\n250-STARTTLS\r\n250 SIZE 1048576\r\n");
  if (startsWith(line, "STARTTLS")) {
    if (ch.isTls()) return writeOrError(ch, "503 5.5.1 TLS already active\r\n");
    if (auto err = writeOrError(ch, "220 2.0.0 Ready to start TLS\r\n"); !err.empty()) return err;
    return ctx.startTls();
  }
  if (startsWith(line, "QUIT")) {
    quit = true;
    return writeOrError(ch, "221 2.0.0 Bye\r\n");
  }
  // Like an MX on port 25, mail is taken with or without TLS (STARTTLS is
  // opportunistic there); a password only inside TLS (RFC 4954 §4, §6).
  if (startsWith(line, "AUTH"))
    return writeOrError(ch, ch.isTls() ? "235 2.7.0 Authentication successful\r\n"
                                       : "538 5.7.11 Encryption required for requested authentication mechanism\r\n");
  if (startsWith(line, "MAIL FROM:") || startsWith(line, "RCPT TO:")) return writeOrError(ch, "250 2.1.0 Ok\r\n");
  if (startsWith(line, "DATA")) {
    if (auto err = writeOrError(ch, "354 End data with <CR><LF>.<CR><LF>\r\n"); !err.empty()) return err;
    std::string body;
    if (!ch.readUntil("\r\n.\r\n", body, 1 << 20)) return "message body not terminated";
    ctx.note("queued a message of " + std::to_string(body.size() - 5) + " bytes, received " +
             (ch.isTls() ? "inside TLS" : "in CLEARTEXT") + subjectOf(body));
    return writeOrError(ch, "250 2.0.0 Ok: queued\r\n");
  }
  return writeOrError(ch, "502 5.5.2 Command not recognized\r\n");
}

// POP3 (RFC 1939) with STLS (RFC 2595 §4).
std::string pop3Command(ServiceContext& ctx, const std::string& line, bool& quit) {
  Channel& ch = ctx.channel;
  if (startsWith(line, "CAPA"))
    return writeOrError(ch, ch.isTls() ? "+OK\r\nUSER\r\n.\r\n" : "+OK\r\nSTLS\r\nUSER\r\n.\r\n");
  if (startsWith(line, "STLS")) {
    if (ch.isTls()) return writeOrError(ch, "-ERR TLS already active\r\n");
    if (auto err = writeOrError(ch, "+OK Begin TLS negotiation\r\n"); !err.empty()) return err;
    return ctx.startTls();
  }
  if (startsWith(line, "QUIT")) {
    quit = true;
    return writeOrError(ch, "+OK bye\r\n");
  }
  if (!ch.isTls()) return writeOrError(ch, "-ERR use STLS first\r\n");
  if (startsWith(line, "USER")) return writeOrError(ch, "+OK send PASS\r\n");
  if (startsWith(line, "PASS")) return writeOrError(ch, "+OK logged in\r\n");
  if (startsWith(line, "STAT")) return writeOrError(ch, "+OK 1 " + std::to_string(kMessage.size()) + "\r\n");
  if (startsWith(line, "RETR")) return writeOrError(ch, "+OK " + std::to_string(kMessage.size()) + " octets\r\n" + kMessage + ".\r\n");
  return writeOrError(ch, "-ERR unknown command\r\n");
}

// IMAP (RFC 9051) with STARTTLS (§6.2.1). Commands carry a client tag.
std::string imapCommand(ServiceContext& ctx, const std::string& line, bool& quit) {
  Channel& ch = ctx.channel;
  auto space = line.find(' ');
  std::string tag = line.substr(0, space);
  std::string command = space == std::string::npos ? "" : line.substr(space + 1);
  if (startsWith(command, "CAPABILITY"))
    return writeOrError(ch, std::string("* CAPABILITY IMAP4rev2 ") + (ch.isTls() ? "AUTH=PLAIN" : "STARTTLS LOGINDISABLED") +
                                "\r\n" + tag + " OK CAPABILITY completed\r\n");
  if (startsWith(command, "STARTTLS")) {
    if (ch.isTls()) return writeOrError(ch, tag + " BAD TLS already active\r\n");
    if (auto err = writeOrError(ch, tag + " OK Begin TLS negotiation now\r\n"); !err.empty()) return err;
    return ctx.startTls();
  }
  if (startsWith(command, "LOGOUT")) {
    quit = true;
    return writeOrError(ch, "* BYE logging out\r\n" + tag + " OK LOGOUT completed\r\n");
  }
  if (!ch.isTls()) return writeOrError(ch, tag + " NO [PRIVACYREQUIRED] use STARTTLS first\r\n");
  if (startsWith(command, "LOGIN")) return writeOrError(ch, tag + " OK LOGIN completed\r\n");
  if (startsWith(command, "SELECT")) return writeOrError(ch, "* 1 EXISTS\r\n" + tag + " OK [READ-WRITE] SELECT completed\r\n");
  if (startsWith(command, "FETCH"))
    return writeOrError(ch, "* 1 FETCH (BODY[] {" + std::to_string(kMessage.size()) + "}\r\n" + kMessage + ")\r\n" + tag +
                                " OK FETCH completed\r\n");
  return writeOrError(ch, tag + " BAD unknown command\r\n");
}

using CommandHandler = std::string (*)(ServiceContext&, const std::string&, bool&);

// `tooLong`: the protocol's reply to a line over the limit, before hanging up.
std::string serveLines(ServiceContext& ctx, const std::string& greeting, CommandHandler handle,
                       const std::string& tooLong) {
  if (auto err = writeOrError(ctx.channel, greeting); !err.empty()) return err;
  for (bool quit = false; !quit;) {
    std::string line, why;
    switch (readLine(ctx.channel, line, why)) {
      case LineRead::Line: break;
      case LineRead::Closed: return "";  // the client hung up between commands
      case LineRead::Failed:
        if (line.size() >= kMaxCommandLine) (void)writeOrError(ctx.channel, tooLong);
        return why;
      default: return why;
    }
    if (ctx.injectedBytes > 0) {
      ctx.note("STARTTLS bug: executed '" + line + "', which arrived in cleartext before the TLS handshake, "
               "as if the client had sent it inside TLS");
      ctx.injectedBytes -= std::min(ctx.injectedBytes, line.size() + 2);
    }
    if (auto err = handle(ctx, line, quit); !err.empty()) return err;
  }
  return "";
}

}  // namespace

std::string serveSmtp(ServiceContext& ctx) {
  return serveLines(ctx, "220 " + ctx.siteName + " ESMTP tlslab\r\n", smtpCommand, "500 5.5.6 Line too long\r\n");
}
std::string servePop3(ServiceContext& ctx) {
  return serveLines(ctx, "+OK POP3 tlslab ready\r\n", pop3Command, "-ERR line too long\r\n");
}
std::string serveImap(ServiceContext& ctx) {
  return serveLines(ctx, "* OK [CAPABILITY IMAP4rev2 STARTTLS LOGINDISABLED] tlslab ready\r\n", imapCommand,
                    "* BAD line too long\r\n");
}

}  // namespace tlslab::endpoints
