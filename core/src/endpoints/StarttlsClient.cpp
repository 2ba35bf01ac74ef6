#include "StarttlsClient.hpp"

namespace tlslab::endpoints {

const char* starttlsName(Starttls protocol) {
  switch (protocol) {
    case Starttls::None: return "none";
    case Starttls::Smtp: return "smtp";
    case Starttls::Pop3: return "pop3";
    case Starttls::Imap: return "imap";
    default: return "unknown";
  }
}

const char* starttlsProtocolName(Starttls protocol) {
  switch (protocol) {
    case Starttls::Smtp: return "SMTP";
    case Starttls::Pop3: return "POP3";
    case Starttls::Imap: return "IMAP";
    case Starttls::None:
    default: return "TCP";
  }
}

namespace {

// Reads lines until one starts with `prefix`; SMTP multi-line replies use "250-".
std::string awaitLine(Channel& channel, const std::string& prefix, const std::string& step) {
  for (int lines = 0; lines < 50; ++lines) {
    std::string line;
    if (!channel.readUntil("\r\n", line, 4096)) return step + ": the server closed the connection or timed out";
    if (line.rfind(prefix, 0) == 0) return {};
    bool continuation = line.size() > 3 && line[3] == '-';  // SMTP "250-..." or IMAP untagged "* ..."
    if (!continuation && line.rfind("* ", 0) != 0) return step + ": expected '" + prefix + "', got '" + line.substr(0, line.size() - 2) + "'";
  }
  return step + ": too many lines";
}

std::string sendAndAwait(Channel& channel, const std::string& command, const std::string& prefix, const std::string& step) {
  if (!channel.write(command)) return step + ": " + channel.lastError();
  return awaitLine(channel, prefix, step);
}

}  // namespace

std::string starttlsPreamble(Starttls protocol, Channel& channel, const std::string& injected) {
  switch (protocol) {
    case Starttls::Smtp: {
      if (auto err = awaitLine(channel, "220 ", "SMTP greeting"); !err.empty()) return err;
      if (auto err = sendAndAwait(channel, "EHLO client.lab\r\n", "250 ", "EHLO"); !err.empty()) return err;
      return sendAndAwait(channel, "STARTTLS\r\n" + injected, "220 ", "STARTTLS");
    }
    case Starttls::Pop3: {
      if (auto err = awaitLine(channel, "+OK", "POP3 greeting"); !err.empty()) return err;
      return sendAndAwait(channel, "STLS\r\n" + injected, "+OK", "STLS");
    }
    case Starttls::Imap: {
      if (auto err = awaitLine(channel, "* OK", "IMAP greeting"); !err.empty()) return err;
      return sendAndAwait(channel, "a001 STARTTLS\r\n" + injected, "a001 OK", "STARTTLS");
    }
    case Starttls::None: return {};
    default: return "unknown STARTTLS protocol";
  }
}

}  // namespace tlslab::endpoints
