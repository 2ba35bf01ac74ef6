#include "tlslab/keys/KeyLog.hpp"

#include <algorithm>
#include <cctype>

namespace tlslab::keys {
namespace {

constexpr std::size_t kRandomLength = 32;
constexpr std::size_t kMasterLength = 48;

bool isHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Reads a run of hex digits from `rest`; returns the bytes, or nullopt with
// `why` set. An odd number of digits is an error (Wireshark wants whole octets).
std::optional<Bytes> hexField(std::string_view& rest, std::string_view what, std::string& why) {
  std::size_t n = 0;
  while (n < rest.size() && isHex(rest[n])) ++n;
  if (n == 0) {
    why = std::string(what) + " is missing or not hex";
    return std::nullopt;
  }
  if (n % 2 != 0) {
    why = std::string(what) + " has an odd number of hex digits (" + std::to_string(n) + ")";
    return std::nullopt;
  }
  auto bytes = fromHex(rest.substr(0, n));
  rest.remove_prefix(n);
  return bytes;
}

bool space(std::string_view& rest) {
  if (rest.empty() || rest[0] != ' ') return false;
  rest.remove_prefix(1);
  return true;
}

// CLIENT_TRAFFIC_SECRET_<n> / SERVER_TRAFFIC_SECRET_<n> with n >= 1 or "N".
bool isUpdatedTrafficLabel(KeyLogEntry& e) {
  for (const char* prefix : {"CLIENT_TRAFFIC_SECRET_", "SERVER_TRAFFIC_SECRET_"}) {
    const std::string_view p(prefix);
    if (e.label.size() <= p.size() || e.label.compare(0, p.size(), p) != 0) continue;
    const std::string n = e.label.substr(p.size());
    if (n == "0") return false;
    if (n == "N") {
      e.generation = 0;
    } else if (n.size() <= 9 && n.find_first_not_of("0123456789") == std::string::npos) {
      e.generation = static_cast<unsigned>(std::stoul(n));
    } else {
      return false;
    }
    e.clientSide = p[0] == 'C';
    return true;
  }
  return false;
}

struct LineParser {
  std::string_view source;
  KeyLogParse& out;

  std::size_t lastBadLine = 0;

  void report(model::Severity severity, std::size_t line, std::size_t offset, std::string message) {
    if (line != lastBadLine) ++out.badLines;
    lastBadLine = line;
    if (out.diagnostics.size() >= kMaxKeyLogDiagnostics) return;
    out.diagnostics.push_back({severity, std::string(source) + " line " + std::to_string(line), offset,
                               std::move(message), model::DiagnosticCode::KeyLogLine});
  }

  void overlong(std::size_t lineNo, std::size_t offset) {
    report(model::Severity::Error, lineNo, offset,
           "longer than " + std::to_string(kMaxKeyLogLine) + " bytes: not a key log line; skipped");
  }

  // After the last line: one diagnostic counting what was not listed.
  void finish() {
    if (out.badLines <= out.diagnostics.size()) return;
    out.diagnostics.push_back({model::Severity::Error, std::string(source), std::nullopt,
                               std::to_string(out.badLines) + " of " + std::to_string(out.lines) +
                                   " lines were not usable key log lines; only the first " +
                                   std::to_string(kMaxKeyLogDiagnostics) + " are listed",
                               model::DiagnosticCode::KeyLogLine});
  }

  void parse(std::string_view text, std::size_t lineNo, std::size_t offset) {
    while (!text.empty() && (text.back() == '\r' || text.back() == '\n')) text.remove_suffix(1);
    std::size_t firstNonBlank = 0;
    while (firstNonBlank < text.size() && isBlank(text[firstNonBlank])) ++firstNonBlank;
    if (firstNonBlank == text.size() || text[firstNonBlank] == '#') return;  // blank or comment
    std::string why;
    KeyLogEntry entry;
    entry.line = lineNo;
    std::string_view rest = text.substr(firstNonBlank);
    const std::size_t labelEnd = rest.find(' ');
    entry.label = std::string(rest.substr(0, labelEnd));
    rest.remove_prefix(labelEnd == std::string_view::npos ? rest.size() : labelEnd);
    if (!parseFields(entry, rest, why)) {
      report(model::Severity::Error, lineNo, offset, why + "; line skipped");
      return;
    }
    std::size_t junk = 0;
    while (junk < rest.size() && isBlank(rest[junk])) ++junk;
    if (junk < rest.size()) {
      report(model::Severity::Warning, lineNo, offset + (text.size() - rest.size()),
             "text after the secret ignored (as Wireshark does): \"" + std::string(rest.substr(0, 20)) + "\"");
    }
    out.entries.push_back(std::move(entry));
  }

  bool parseFields(KeyLogEntry& e, std::string_view& rest, std::string& why) {
    if (e.label == "RSA" && rest.substr(0, 12) == " Session-ID:") {
      rest.remove_prefix(12);
      e.type = KeyLogType::RsaSessionId;
      e.label = "RSA Session-ID";
      auto id = hexField(rest, "session ID", why);
      if (!id) return false;
      if (rest.substr(0, 12) != " Master-Key:") {
        why = "expected \" Master-Key:\" after the session ID";
        return false;
      }
      rest.remove_prefix(12);
      auto master = hexField(rest, "master key", why);
      if (!master) return false;
      if (master->size() != kMasterLength) {
        why = "master key is " + std::to_string(master->size()) + " bytes, must be 48";
        return false;
      }
      e.id = std::move(*id);
      e.secret = std::move(*master);
      return true;
    }
    std::size_t idLength = kRandomLength;
    if (e.label == "CLIENT_RANDOM") {
      e.type = KeyLogType::ClientRandom;
    } else if (e.label == "PMS_CLIENT_RANDOM") {
      e.type = KeyLogType::PmsClientRandom;
    } else if (e.label == "RSA") {
      e.type = KeyLogType::RsaEncryptedPms;
      idLength = 8;
    } else if (isUpdatedTrafficLabel(e)) {
      e.type = KeyLogType::Tls13UpdatedTrafficSecret;
    } else if (auto kind = crypto::secretKindFromKeyLogLabel(e.label)) {
      e.type = KeyLogType::Tls13Secret;
      e.kind = kind;
    } else if (auto quicKind = e.label.rfind("QUIC_", 0) == 0 ? crypto::secretKindFromKeyLogLabel(e.label.substr(5))
                                                               : std::nullopt) {
      // Draft-era QUIC stacks logged the TLS 1.3 secrets again under a QUIC_
      // prefix (Wireshark reads both): the same secret, the same kind.
      e.type = KeyLogType::Tls13Secret;
      e.kind = quicKind;
    } else {
      why = "unknown label \"" + e.label.substr(0, 40) + "\"";
      return false;
    }
    if (!space(rest)) {
      why = "expected a space and the " + std::string(idLength == 8 ? "encrypted PMS prefix" : "client random");
      return false;
    }
    auto id = hexField(rest, idLength == 8 ? "encrypted PMS prefix" : "client random", why);
    if (!id) return false;
    if (id->size() != idLength) {
      why = std::string(idLength == 8 ? "encrypted PMS prefix" : "client random") + " is " +
            std::to_string(id->size()) + " bytes, must be " + std::to_string(idLength);
      return false;
    }
    if (!space(rest)) {
      why = "expected a space and the secret after the " + std::string(idLength == 8 ? "prefix" : "client random");
      return false;
    }
    auto secret = hexField(rest, "secret", why);
    if (!secret) return false;
    if (e.type == KeyLogType::ClientRandom && secret->size() != kMasterLength) {
      why = "master secret is " + std::to_string(secret->size()) + " bytes, must be 48";
      return false;
    }
    if ((e.type == KeyLogType::Tls13Secret || e.type == KeyLogType::Tls13UpdatedTrafficSecret) &&
        secret->size() != 32 && secret->size() != 48) {
      why = "TLS 1.3 secret is " + std::to_string(secret->size()) + " bytes; SHA-256 suites use 32, SHA-384 48";
      return false;
    }
    e.id = std::move(*id);
    e.secret = std::move(*secret);
    return true;
  }
};

}  // namespace

KeyLogParse parseKeyLog(std::string_view text, std::string_view source) {
  KeyLogParse out;
  LineParser parser{source, out};
  std::size_t offset = 0;
  while (offset < text.size()) {
    std::size_t end = text.find('\n', offset);
    if (end == std::string_view::npos) end = text.size();
    ++out.lines;
    if (end - offset > kMaxKeyLogLine) {
      parser.overlong(out.lines, offset);
    } else {
      parser.parse(text.substr(offset, end - offset), out.lines, offset);
    }
    offset = end + 1;
  }
  parser.finish();
  return out;
}

KeyLogParse parseKeyLogStream(std::istream& in, std::string_view source) {
  KeyLogParse out;
  LineParser parser{source, out};
  std::string line;        // the current line, at most kMaxKeyLogLine + 1 bytes
  bool tooLong = false;    // the current line passed the limit: its rest is skipped
  std::size_t lineStart = 0, offset = 0;
  char chunk[65536];
  auto endLine = [&] {
    ++out.lines;
    if (tooLong) {
      parser.overlong(out.lines, lineStart);
    } else {
      parser.parse(line, out.lines, lineStart);
    }
    line.clear();
    tooLong = false;
  };
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    const std::string_view piece(chunk, static_cast<std::size_t>(in.gcount()));
    std::size_t at = 0;
    while (at < piece.size()) {
      const std::size_t newline = piece.find('\n', at);
      const std::size_t end = newline == std::string_view::npos ? piece.size() : newline;
      if (!tooLong) {
        line.append(piece.substr(at, std::min(end - at, kMaxKeyLogLine + 1 - line.size())));
        tooLong = line.size() > kMaxKeyLogLine;
      }
      if (newline == std::string_view::npos) {
        offset += piece.size() - at;
        break;
      }
      offset += newline + 1 - at;
      endLine();
      lineStart = offset;
      at = newline + 1;
    }
  }
  if (!line.empty() || tooLong) endLine();
  parser.finish();
  return out;
}

}  // namespace tlslab::keys
