#include "StarttlsClient.hpp"

#include <cctype>

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

// Reads lines until one starts with `prefix`; SMTP multi-line replies use
// "250-". Every line read is appended to `lines` (capabilities live there).
std::string awaitLine(Channel& channel, const std::string& prefix, const std::string& step, std::string* lines = nullptr,
                      bool anyLineBefore = false) {
  for (int count = 0; count < 50; ++count) {
    std::string line;
    if (!channel.readUntil("\r\n", line, 4096)) return step + ": the server closed the connection or timed out";
    if (lines) *lines += line;
    if (line.rfind(prefix, 0) == 0) return {};
    bool continuation = line.size() > 3 && line[3] == '-';  // SMTP "250-..." or IMAP untagged "* ..."
    // POP3's CAPA answer is "+OK", capability lines, then "." (anyLineBefore).
    if (!continuation && line.rfind("* ", 0) != 0 && !anyLineBefore) return step + ": expected '" + prefix + "', got '" + line.substr(0, line.size() - 2) + "'";
  }
  return step + ": too many lines";
}

std::string sendAndAwait(Channel& channel, const std::string& command, const std::string& prefix, const std::string& step,
                         std::string* lines = nullptr, bool anyLineBefore = false) {
  if (!channel.write(command)) return step + ": " + channel.lastError();
  return awaitLine(channel, prefix, step, lines, anyLineBefore);
}

bool names(const std::string& lines, const char* capability) {
  std::string upper;
  for (char c : lines) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper.find(capability) != std::string::npos;
}

}  // namespace

std::string starttlsPreamble(Starttls protocol, Channel& channel, const std::string& injected, bool& offered) {
  offered = false;
  std::string capabilities;
  switch (protocol) {
    case Starttls::Smtp: {
      if (auto err = awaitLine(channel, "220 ", "SMTP greeting"); !err.empty()) return err;
      if (auto err = sendAndAwait(channel, "EHLO client.lab\r\n", "250 ", "EHLO", &capabilities); !err.empty()) return err;
      const std::string lines = "\r\n" + capabilities;  // each capability is a line "250-NAME" or "250 NAME"
      offered = names(lines, "\r\n250-STARTTLS\r\n") || names(lines, "\r\n250 STARTTLS\r\n");
      if (!offered) return {};
      return sendAndAwait(channel, "STARTTLS\r\n" + injected, "220 ", "STARTTLS");
    }
    case Starttls::Pop3: {
      if (auto err = awaitLine(channel, "+OK", "POP3 greeting"); !err.empty()) return err;
      if (auto err = sendAndAwait(channel, "CAPA\r\n", ".\r\n", "CAPA", &capabilities, true); !err.empty()) return err;
      offered = names("\r\n" + capabilities, "\r\nSTLS\r\n");
      if (!offered) return {};
      return sendAndAwait(channel, "STLS\r\n" + injected, "+OK", "STLS");
    }
    case Starttls::Imap: {
      if (auto err = awaitLine(channel, "* OK", "IMAP greeting", &capabilities); !err.empty()) return err;
      offered = names(capabilities, " STARTTLS");
      if (!offered) return {};
      return sendAndAwait(channel, "a001 STARTTLS\r\n" + injected, "a001 OK", "STARTTLS");
    }
    case Starttls::None: return {};
    default: return "unknown STARTTLS protocol";
  }
}

}  // namespace tlslab::endpoints
