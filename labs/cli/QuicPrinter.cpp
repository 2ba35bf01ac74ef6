// The printout of a QUIC connection (issue 19): packets by packet-number space
// with their frames, the TLS messages their CRYPTO frames carried, which keys
// protected each packet, the key derivation and each stream's data.
#include <fmt/format.h>

#include <algorithm>

#include "cli/TracePrinter.hpp"

namespace tlslab::cli {
namespace {

const char* arrow(const model::QuicPacket& p) {
  return p.direction == model::Direction::ClientToServer ? "client ->" : "<- server";
}

std::string packetLine(const model::TraceConnection& conn, const model::QuicPacket& p) {
  std::string head = p.type;
  if (p.packetNumber) head += fmt::format(" pn {}", *p.packetNumber);
  if (p.keyPhase >= 0) head += fmt::format(" K{}", p.keyPhase);
  std::string what;
  for (std::size_t i : p.messages)
    if (i < conn.messages.size()) what += (what.empty() ? "TLS " : ", ") + conn.messages[i].name;
  std::string lock = p.decrypted ? "[" + (p.crypto ? p.crypto->keys : std::string("opened")) + "]"
                     : p.undecryptedReason.empty() ? ""
                                                   : "not decrypted: " + p.undecryptedReason;
  return fmt::format("  {:>10.6f}  {}  {:<22} {:>5} B  frame {:<6} {}{}{}", p.time, arrow(p), head, p.length, p.frame,
                     what, what.empty() ? "" : "  ", lock);
}

void printFrames(std::ostream& out, const model::QuicPacket& p) {
  std::string line;
  std::size_t shown = 0;
  for (const auto& f : p.frames) {
    if (shown == 12) {
      line += fmt::format("; ... {} more", p.frames.size() - shown);
      break;
    }
    line += (line.empty() ? "" : "; ") + f.summary;
    ++shown;
  }
  if (!line.empty()) out << "                 frames: " << line << "\n";
  if (!p.note.empty()) out << "                 " << p.note << "\n";
  for (const auto& d : p.diagnostics)
    out << fmt::format("                 {}: {}{}{}\n", model::severityName(d.severity), d.where,
                       d.offset ? fmt::format(" (offset {})", *d.offset) : "", ": " + d.message);
}

}  // namespace

void printQuicConnection(std::ostream& out, const model::TraceConnection& conn) {
  const auto& q = *conn.quic;
  const auto& n = conn.negotiated;
  out << fmt::format("\n=== connection {}: {} -> {} (QUIC) ===\n", conn.index, conn.client, conn.server);
  out << fmt::format("  {}{}, TLS 1.3 {}", q.versionName.empty() ? "QUIC" : q.versionName, q.retry ? " (after a Retry)" : "",
                     n.suiteName.empty() ? "(suite unknown)" : n.suiteName);
  if (!n.group.empty()) out << ", group " << n.group;
  if (!n.sni.empty()) out << ", SNI " << n.sni;
  if (!n.alpn.empty()) out << ", ALPN " << n.alpn;
  out << "\n  state: " << conn.state.text << "; decryption: " << conn.decryption.text << "\n";
  out << fmt::format("  {} datagrams, {} packets, {} 1-RTT packets decrypted; Initial keys from the DCID {}\n",
                     q.datagrams, q.packetCount ? q.packetCount : q.packets.size(), q.oneRttDecrypted,
                     toHex(q.originalDcid));
  for (const char* space : {"Initial", "Handshake", "0-RTT", "1-RTT", "Retry", "Version Negotiation"}) {
    const auto count = std::count_if(q.packets.begin(), q.packets.end(), [&](const auto& p) { return p.type == space; });
    if (count == 0) continue;
    out << fmt::format("\n  {} packets ({}):\n", space, count);
    for (const auto& p : q.packets) {
      if (p.type != space) continue;
      out << packetLine(conn, p) << "\n";
      printFrames(out, p);
    }
  }
  out << "\n  key derivation:\n";
  printDerivationSummary(out, conn);
  out << "\n  streams:\n";
  if (q.streams.empty()) out << "  (no stream data decrypted)\n";
  for (const auto& s : q.streams) {
    out << fmt::format("  stream {} {} ({} bytes{}):\n", s.id,
                       s.direction == model::Direction::ClientToServer ? "client -> server" : "server -> client",
                       s.data.size(), s.fin ? ", FIN" : "");
    const ByteView shown = ByteView(s.data).first(std::min<std::size_t>(s.data.size(), 1024));
    if (isPrintable(shown)) out << "    " << std::string(shown.begin(), shown.end()) << "\n";
    else out << hexDump(shown, "    ");
    if (shown.size() < s.data.size()) out << fmt::format("    ... {} more bytes (tlslab follow shows all)\n", s.data.size() - shown.size());
  }
  for (const auto& d : conn.diagnostics)
    out << fmt::format("  {}: {}{}\n", model::severityName(d.severity), d.where.empty() ? "" : d.where + ": ", d.message);
}

}  // namespace tlslab::cli
