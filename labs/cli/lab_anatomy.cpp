// `tlslab lab run anatomy`: TLS 1.3, TLS 1.2 and a HelloRetryRequest from
// the same client and server, taken apart side by side (scenarios::anatomyOf).
#include <fmt/core.h>

#include <algorithm>
#include <iostream>
#include <sstream>

#include "cli/LabArgs.hpp"
#include "cli/RunPrinter.hpp"
#include "cli/SelfCheckOutput.hpp"
#include "tlslab/scenarios/AnatomyLab.hpp"
#include "tlslab/scenarios/PairLab.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {

using namespace tlslab::scenarios;

namespace {

constexpr int kColumn = 31;

std::string list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "(none)" : out;
}

std::string padded(const std::string& text) {
  return text.size() >= kColumn ? text + " " : text + std::string(kColumn - text.size(), ' ');
}

void printFlights(std::ostream& out, const std::vector<AnatomyKind>& kinds, const std::vector<HandshakeAnatomy>& all) {
  out << "\nFlights, side by side (→ client to server, ← server to client; each flight waits for the one before)\n";
  std::string header(9, ' ');
  for (AnatomyKind k : kinds) header += padded(anatomyKindName(k));
  out << header.substr(0, header.find_last_not_of(' ') + 1) << "\n";
  std::size_t flights = 0;
  for (const auto& a : all) flights = std::max(flights, a.flights.size());
  for (std::size_t f = 0; f < flights; ++f) {
    std::size_t lines = 0;
    for (const auto& a : all) lines = std::max(lines, f < a.flights.size() ? a.flights[f].items.size() : 0);
    for (std::size_t line = 0; line < lines; ++line) {
      std::string row = line == 0 ? fmt::format("  {} {}    ", f + 1, f % 2 == 0 ? "→" : "←") : std::string(9, ' ');
      for (const auto& a : all) {
        const bool has = f < a.flights.size() && line < a.flights[f].items.size();
        row += padded(has ? a.flights[f].items[line] : "");
      }
      out << row.substr(0, row.find_last_not_of(' ') + 1) << "\n";
    }
  }
  out << "  round trips before the request: ";
  for (std::size_t i = 0; i < all.size(); ++i)
    out << (i ? ", " : "") << anatomyKindName(kinds[i]) << " " << all[i].roundTrips;
  out << "\n";
}

void printObserver(std::ostream& out, const std::vector<AnatomyKind>& kinds, const std::vector<HandshakeAnatomy>& all) {
  out << "\nWhat a passive observer reads (the same capture, without the keys)\n";
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& a = all[i];
    out << "  " << anatomyKindName(kinds[i]) << ": in the clear " << list(a.clearMessages) << "; " << a.sealedRecords
        << " records sealed\n";
    out << "    the server's certificate: "
        << (a.observerCertificates.empty() ? std::string("not readable: TLS 1.3 sends it encrypted under the handshake keys")
                                           : a.observerCertificates.front() + ", readable by anyone on the path")
        << "\n";
  }
  if (all.empty()) return;
  const auto& a = all.front();
  out << "  every connection: SNI " << (a.sni.empty() ? "(none)" : a.sni) << " and the ALPN offer (" << list(a.alpnOffered)
      << ") travel in the ClientHello, in the clear\n";
  for (std::size_t i = 0; i < all.size(); ++i)
    out << "  " << anatomyKindName(kinds[i]) << ": the server chose ALPN "
        << (all[i].alpnSelected.empty() ? "(none)" : all[i].alpnSelected)
        << (all[i].alpnSelectedInClear ? ", in its ServerHello: in the clear" : ", in EncryptedExtensions: encrypted") << "\n";
}

std::string ccsLine(const HandshakeAnatomy::Ccs& ccs) {
  if (ccs.from == model::Direction::ServerToClient) return "the server's right after its " + ccs.before;
  // After a HelloRetryRequest the client's CCS precedes its second ClientHello.
  return "the client's right before its " + std::string(ccs.after == "ClientHello" ? "second " : "") + ccs.after;
}

void printCompatibility(std::ostream& out, const std::vector<AnatomyKind>& kinds, const std::vector<HandshakeAnatomy>& all) {
  out << "\nMiddlebox compatibility (RFC 8446 Appendix D.4)\n";
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].version != 0x0304) continue;
    std::string lines;
    for (const auto& ccs : all[i].changeCipherSpecs) lines += (lines.empty() ? "" : "; ") + ccsLine(ccs);
    out << "  " << anatomyKindName(kinds[i]) << ": legacy_session_id of " << all[i].sessionIdLength
        << " bytes; ChangeCipherSpec records: " << (lines.empty() ? "none" : lines) << "\n";
  }
  out << "  TLS 1.3 has no use for ChangeCipherSpec: an endpoint drops these 1-byte records unread. They, and the\n"
      << "  non-empty session ID, make a 1.3 handshake look like a resumed TLS 1.2 one to middleboxes that broke\n"
      << "  on anything else when TLS 1.3 was first deployed.\n";
}

void printRetry(std::ostream& out, const HandshakeAnatomy& a, const std::string& group) {
  out << "\nHelloRetryRequest (RFC 8446 §4.1.4)\n"
      << "  the first ClientHello carried one key share, for " << a.firstKeyShare << "; the server takes only " << group
      << ":\n  its HelloRetryRequest (a ServerHello whose random is SHA-256(\"HelloRetryRequest\") = cf21ad74…339c)\n"
      << "  asked for " << (a.retryGroup.empty() ? std::string("(none)") : a.retryGroup)
      << ", and the second ClientHello carried that share: one round trip more.\n";
}

void printDowngrade(std::ostream& out, const std::vector<AnatomyKind>& kinds, const std::vector<HandshakeAnatomy>& all) {
  out << "\nDowngrade protection (RFC 8446 §4.1.3)\n";
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (kinds[i] == AnatomyKind::HelloRetry) continue;
    const auto& a = all[i];
    const std::string hex = toHex(a.serverRandom);
    out << "  " << padded(std::string(anatomyKindName(kinds[i])) + " ServerHello.random:") << hex.substr(0, 48) << " "
        << hex.substr(48) << "\n";
    if (!a.downgradeSentinel.empty())
      out << "    its last 8 bytes: " << sentinelText(a.downgradeSentinel) << " = \"DOWNGRD\\x0"
          << static_cast<int>(a.downgradeSentinel.back())
          << "\": a server that can do TLS 1.3, made to use TLS 1.2\n";
  }
  out << "  A TLS 1.3 client that receives a TLS 1.2 ServerHello ending in DOWNGRD\\x01 aborts (illegal_parameter): an\n"
      << "  attacker who struck 1.3 from the ClientHello cannot hide it, because with (EC)DHE the server signs both\n"
      << "  randoms in its ServerKeyExchange. The client here was capped at 1.2, knows no better, and goes on.\n";
}

}  // namespace

int runAnatomyLab(const LabArgs& args) {
  RunPrinter printer(std::cout, args.fullLog ? LogStyle::Full : LogStyle::Ladder, RunLanes::pair(true));
  AnatomyOptions options;
  options.certsDir = certsDir();
  if (!args.serverGroups.empty()) options.hrrGroup = args.serverGroups;
  if (!args.alpn.empty()) {
    options.alpn.clear();
    std::stringstream in(args.alpn);
    for (std::string protocol; std::getline(in, protocol, ',');) options.alpn.push_back(protocol);
  }
  if (!args.quiet) options.observer = printer.observer();
  if (auto err = checkAnatomyOptions(options); !err.empty()) {
    std::cerr << "tlslab lab run anatomy: " << err << "\n";
    return 2;
  }
  std::cout << "The handshake-anatomy lab (tutorials/08-handshake-anatomy.md)\n\n"
            << "One lab client and one lab server for " << options.host << " (TLS 1.2 and 1.3), three connections:\n"
            << "  1. TLS 1.3\n"
            << "  2. TLS 1.2: the client is capped at 1.2, so the 1.3-capable server must downgrade\n"
            << "  3. TLS 1.3 + HelloRetryRequest: the same server, taking only " << options.hrrGroup << "\n"
            << "The client offers ALPN " << list(options.alpn) << "; the server prefers " << list(labServerAlpn()) << ".\n";
  // Each connection's ladder under its own heading, then one line of what it agreed on.
  std::size_t done = 0;
  auto heading = [&](std::size_t i) {
    if (!args.quiet && i < options.order.size())
      std::cout << "\n--- connection " << i << ": " << anatomyKindName(options.order[i]) << " ---\n";
  };
  options.onConnectionDone = [&](AnatomyKind, const endpoints::ClientRun& run) {
    if (!args.quiet) {
      const auto& n = run.negotiated;
      std::cout << "negotiated: " << n.version << " " << n.cipher << (n.group.empty() ? "" : ", group " + n.group)
                << (n.alpn.empty() ? "" : ", ALPN " + n.alpn) << "; " << (run.error.empty() ? "ok" : "FAILED: " + run.error)
                << "\n";
    }
    heading(++done);
  };
  heading(0);
  AnatomyRun run = runAnatomy(options);
  if (!run.setupError.empty()) {
    std::cerr << "tlslab lab: " << run.setupError << "\n";
    return 1;
  }
  const AnatomyReport report = anatomize(run);
  if (!report.error.empty()) {
    std::cout << "the run could not be read back: " << report.error << "\n";
    return 1;
  }
  const auto& all = report.connections;
  printFlights(std::cout, run.kinds, all);
  printObserver(std::cout, run.kinds, all);
  printCompatibility(std::cout, run.kinds, all);
  for (std::size_t i = 0; i < all.size(); ++i)
    if (run.kinds[i] == AnatomyKind::HelloRetry) printRetry(std::cout, all[i], options.hrrGroup);
  printDowngrade(std::cout, run.kinds, all);
  std::cout << "\n";
  const bool selfCheck = reportSelfCheck(std::cout, report.traced, args.save);
  return run.ok() && selfCheck ? 0 : 1;
}

}  // namespace tlslab::cli
