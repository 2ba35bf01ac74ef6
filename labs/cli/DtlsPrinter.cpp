// The printout of a DTLS association (issue 18): the TLS printout with what
// UDP adds: the DTLS version, datagrams and flights, the cookie exchange,
// flights sent again, and each record's epoch and 48-bit sequence number.
#include <fmt/format.h>

#include "cli/TracePrinter.hpp"

namespace tlslab::cli {

std::string dtlsLadderTag(const model::DtlsRecordInfo& d) {
  std::string tag = fmt::format("  [epoch {} seq {}", d.epoch, d.sequence);
  if (d.flight > 0) tag += fmt::format(", flight {}", d.flight);
  if (d.resent) tag += d.flight > 0 ? " resent" : ", resent";
  return tag + "]";
}

void printDtlsConnection(std::ostream& out, const model::TraceConnection& conn) {
  const auto& n = conn.negotiated;
  const model::DtlsInfo& d = *conn.dtls;
  out << fmt::format("\n=== connection {}: {} -> {} (DTLS over UDP) ===\n", conn.index, conn.client, conn.server);
  out << fmt::format("  {} {}", d.versionName.empty() ? std::string("DTLS (version not seen)") : d.versionName,
                     n.suiteName.empty() ? "(suite unknown)" : n.suiteName);
  if (!n.group.empty()) out << ", group " << n.group;
  if (!n.sni.empty()) out << ", SNI " << n.sni;
  if (n.extendedMasterSecret) out << ", extended master secret";
  out << "\n";
  if (n.resumption != model::Resumption::None) {
    out << "  resumed by " << model::resumptionName(n.resumption);
    if (n.resumedFrom) out << " (session from connection " << *n.resumedFrom << ")";
    out << "\n";
  }
  out << fmt::format("  {} datagram(s), {} handshake flight(s)", d.datagrams, d.flights);
  if (d.cookieExchange)
    out << (d.cookie.empty() ? std::string("; cookie exchange: HelloVerifyRequest with an empty cookie")
                             : fmt::format("; cookie exchange: HelloVerifyRequest, cookie {} ({} bytes)",
                                           toHex(d.cookie), d.cookie.size()));
  out << "\n";
  const std::size_t resent = d.resentFragments[0] + d.resentFragments[1];
  if (resent > 0)
    out << fmt::format("  flight resent: {} fragment(s) again ({} from the client, {} from the server), {} record(s) "
                       "with nothing new\n",
                       resent, d.resentFragments[0], d.resentFragments[1], d.resentRecords);
  out << "  state: " << conn.state.text << "; decryption: " << conn.decryption.text << "\n";
  printConnectionBody(out, conn);
}

}  // namespace tlslab::cli
