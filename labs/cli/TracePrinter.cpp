#include "cli/TracePrinter.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "tlslab/model/RoundTrips.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::cli {
namespace {

std::string shorten(const std::string& text, std::size_t width) {
  if (text.size() <= width) return text;
  return text.substr(0, width > 3 ? width - 3 : 0) + "...";
}

const char* who(const model::TraceConnection& conn, model::Direction d) {
  (void)conn;
  return d == model::Direction::ClientToServer ? "client -> server" : "client <- server";
}

std::string contentName(std::uint8_t type) { return wire::contentTypeDisplay(type); }

const char* stepMark(model::StepStatus status) {
  switch (status) {
    case model::StepStatus::Derived: return "=";
    case model::StepStatus::FromKeyLog: return "<";
    case model::StepStatus::NotDerivable: return "?";
    case model::StepStatus::Verified: return "OK";
    case model::StepStatus::Failed: return "FAIL";
    default: return " ";
  }
}

}  // namespace

std::string versionText(std::uint16_t version) {
  if (version == 0) return "?";
  const char* name = wire::versionName(version);
  return name ? name : fmt::format("0x{:04x}", version);
}

bool isPrintable(ByteView data) {
  return std::all_of(data.begin(), data.end(),
                     [](std::uint8_t c) { return (c >= 0x20 && c < 0x7f) || c == '\r' || c == '\n' || c == '\t'; });
}

std::string hexDump(ByteView data, const std::string& indent) {
  std::string out;
  for (std::size_t at = 0; at < data.size(); at += 16) {
    const std::size_t n = std::min<std::size_t>(16, data.size() - at);
    std::string hex, ascii;
    for (std::size_t i = 0; i < 16; ++i) {
      if (i < n) {
        hex += fmt::format("{:02x} ", data[at + i]);
        const char c = static_cast<char>(data[at + i]);
        ascii += (c >= 0x20 && c < 0x7f) ? c : '.';
      } else {
        hex += "   ";
      }
      if (i == 7) hex += ' ';
    }
    out += fmt::format("{}{:08x}  {} |{}|\n", indent, at, hex, ascii);
  }
  return out;
}

void printConnectionTable(std::ostream& out, const std::vector<const model::TraceConnection*>& connections,
                          const std::vector<std::size_t>* recordCounts) {
  out << fmt::format("{:>3}  {:<22} {:<22} {:<8} {:<40} {:<18} {:>7}  {}\n", "#", "client", "server", "version",
                     "cipher suite", "server name", "records", "decryption");
  for (const auto* c : connections) {
    std::string sni = c->negotiated.sni.empty() ? "-" : c->negotiated.sni;
    if (!c->startTlsProtocol.empty()) sni += " (" + c->startTlsProtocol + ")";
    std::string suite = c->negotiated.suiteName.empty() ? "-" : c->negotiated.suiteName;
    if (c->negotiated.resumption != model::Resumption::None) suite += " [resumed]";
    // QUIC connections count packets (there are no records).
    const std::size_t count = c->quic ? std::max(c->quic->packetCount, c->quic->packets.size())
                              : recordCounts && c->index < recordCounts->size() ? (*recordCounts)[c->index]
                                                                               : c->records.size();
    out << fmt::format("{:>3}  {:<22} {:<22} {:<8} {:<40} {:<18} {:>7}  {}\n", c->index, c->client, c->server,
                       c->quic ? "QUIC" : c->dtls && c->negotiated.version == 0 ? "DTLS"
                                      : c->dtls && c->negotiated.version == 0x0100 ? "DTLS 1.0"  // pre-RFC; the details say so
                                                                                   : versionText(c->negotiated.version),
                       shorten(suite, 40), shorten(sni, 18),
                       count, shorten(c->decryption.text, 70));
  }
}

std::string ladderLine(const model::TraceConnection& conn, const model::TraceRecord& rec) {
  std::string what;
  const bool opened = !rec.encrypted || rec.undecryptedReason.empty();
  const std::uint8_t type = opened && rec.innerContentType ? rec.innerContentType : rec.contentType;
  if (!rec.messages.empty()) {
    for (std::size_t i : rec.messages) {
      if (i >= conn.messages.size()) continue;
      const auto& m = conn.messages[i];
      std::string name = m.name;
      if (m.name == "Alert" && !m.tree.value.empty()) name += " (" + m.tree.value + ")";
      what += (what.empty() ? "" : ", ") + name;
    }
  } else if (rec.dtls && rec.dtls->resent) {
    what = "(handshake bytes seen before)";
  } else if (type == 23 && opened) {
    what = fmt::format("{} bytes", rec.plaintextSize);
  } else if (!opened) {
    // The length field (RFC 8446 §5.2): what an eavesdropper still learns.
    what = fmt::format("(encrypted, {} bytes)", rec.wireSize >= 5 ? rec.wireSize - 5 : 0);
  }
  std::string lock = rec.encrypted ? (rec.keyPhase.empty() ? "[encrypted]" : "[" + rec.keyPhase.name() + " keys]") : "";
  if (rec.encrypted && !rec.undecryptedReason.empty()) lock += " not decrypted";
  std::string line = fmt::format("  {:>10.6f}  {}  {:<17} {:<40} {}", rec.time, who(conn, rec.direction),
                                 contentName(type), what, lock);
  if (rec.dtls) line += dtlsLadderTag(*rec.dtls);
  return line;
}

void printLadder(std::ostream& out, const model::TraceConnection& conn) {
  for (const auto& rec : conn.records) {
    out << ladderLine(conn, rec) << "\n";
    // What a conformant peer would not send, under the record the message begins in.
    for (std::size_t i : rec.messages)
      if (i < conn.messages.size() && conn.messages[i].firstRecord == rec.index)
        for (const auto& verdict : conn.messages[i].flowVerdicts)
          out << fmt::format("               flow: {}: {}\n", conn.messages[i].name, verdict);
  }
}

void printDerivationSummary(std::ostream& out, const model::TraceConnection& conn) {
  if (conn.derivation.empty()) {
    out << "  (no key derivation: " << conn.decryption.text << ")\n";
    return;
  }
  for (const auto& step : conn.derivation) {
    std::string value = step.output.empty() ? "" : shorten(toHex(step.output), 32);
    out << fmt::format("  {:<4} {:<44} {:<34} {}\n", stepMark(step.status), shorten(step.name, 44), value,
                       step.status == model::StepStatus::Derived ? step.rfc : shorten(step.note, 90));
  }
  out << "  (= derived here, < from the key log, ? not derivable, OK/FAIL a check)\n";
}

void printApplicationData(std::ostream& out, const model::TraceConnection& conn, std::size_t maxBytesPerChunk) {
  if (conn.appData.empty()) {
    out << "  (none decrypted)\n";
    return;
  }
  for (const model::AppDataChunk& turn : model::conversationTurns(conn)) {
    const Bytes& data = turn.data;
    const std::size_t size = data.size() + turn.omitted;
    out << fmt::format("  {} ({} bytes):\n", who(conn, turn.direction), size);
    const bool cut = size > maxBytesPerChunk;
    ByteView shown = ByteView(data).first(std::min(data.size(), maxBytesPerChunk));
    if (isPrintable(shown)) {
      std::string text(shown.begin(), shown.end());
      std::string indented = "    ";
      for (char c : text) {
        if (c == '\r') continue;
        indented += c;
        if (c == '\n') indented += "    ";
      }
      out << indented << "\n";
    } else {
      out << hexDump(shown, "    ");
    }
    if (cut) out << fmt::format("    ... {} more bytes (tlslab follow shows all)\n", size - maxBytesPerChunk);
  }
}

// The plaintext bytes of a connection per direction (a STARTTLS preamble, or
// a connection that never used TLS), line by line.
static void printCleartext(std::ostream& out, const model::TraceConnection& conn) {
  for (int d = 0; d < 2; ++d) {
    const Bytes& pre = conn.preamble[d];
    if (pre.empty()) continue;
    out << "    " << (d == 0 ? "client:" : "server:") << "\n";
    std::string line;
    for (char c : std::string(pre.begin(), pre.end())) {
      if (c == '\r') continue;
      if (c == '\n') {
        out << "      " << line << "\n";
        line.clear();
      } else {
        line += isprint(static_cast<unsigned char>(c)) ? c : '.';
      }
    }
    if (!line.empty()) out << "      " << line << "\n";
  }
}

void printConnection(std::ostream& out, const model::TraceConnection& conn) {
  if (conn.quic) return printQuicConnection(out, conn);
  if (conn.dtls) return printDtlsConnection(out, conn);
  const auto& n = conn.negotiated;
  out << fmt::format("\n=== connection {}: {} -> {} ===\n", conn.index, conn.client, conn.server);
  const bool cleartext = conn.records.empty() && conn.startTlsProtocol.empty() &&
                         (!conn.preamble[0].empty() || !conn.preamble[1].empty());
  if (cleartext) {
    out << "  plain TCP: no TLS at all\n  state: " << conn.state.text << "; decryption: " << conn.decryption.text << "\n";
    out << "\n  cleartext: what each side sent, as anyone on the path sees it:\n";
    printCleartext(out, conn);
    return;
  }
  out << fmt::format("  {} {}", versionText(n.version), n.suiteName.empty() ? "(suite unknown)" : n.suiteName);
  if (!n.group.empty()) out << ", group " << n.group;
  if (!n.sni.empty()) out << ", SNI " << n.sni;
  if (!n.alpn.empty()) out << ", ALPN " << n.alpn;
  if (n.extendedMasterSecret) out << ", extended master secret";
  if (const int trips = model::handshakeRoundTrips(conn).count; trips > 0) out << fmt::format("; handshake: {}-RTT", trips);
  out << "\n";
  if (n.resumption != model::Resumption::None) {
    out << "  resumed by " << model::resumptionName(n.resumption);
    if (n.resumedFrom) out << " (session from connection " << *n.resumedFrom << ")";
    out << "\n";
  }
  out << "  state: " << conn.state.text << "; decryption: " << conn.decryption.text << "\n";
  if (!conn.startTlsProtocol.empty()) {
    out << "\n  " << conn.startTlsProtocol << " preamble (plaintext before STARTTLS):\n";
    printCleartext(out, conn);
  }
  printConnectionBody(out, conn);
}

void printConnectionBody(std::ostream& out, const model::TraceConnection& conn) {
  out << "\n  ladder:\n";
  printLadder(out, conn);
  out << "\n  key derivation:\n";
  printDerivationSummary(out, conn);
  out << "\n  application data:\n";
  printApplicationData(out, conn);
  for (const auto& d : conn.diagnostics) {
    out << fmt::format("  {}: {}{}\n", model::severityName(d.severity), d.where.empty() ? "" : d.where + ": ", d.message);
  }
}

}  // namespace tlslab::cli
