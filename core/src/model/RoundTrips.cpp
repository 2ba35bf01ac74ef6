#include "tlslab/model/RoundTrips.hpp"

namespace tlslab::model {
namespace {

constexpr std::uint8_t kChangeCipherSpec = 20;
constexpr std::uint8_t kApplicationData = 23;

// The content type that matters: TLS 1.3 hides the real one inside the encryption.
std::uint8_t effectiveType(const TraceRecord& r) {
  return r.encrypted && r.innerContentType != 0 ? r.innerContentType : r.contentType;
}

}  // namespace

// A round trip is a client flight answered by a server flight. The client's
// last flight (its Finished, with application data right behind it) waits
// for nothing, so it is not one. 0-RTT data rides in the first flight. The
// handshake ends at both Finished messages or the first (non-early)
// application data read.
HandshakeRoundTrips handshakeRoundTrips(const TraceConnection& conn) {
  HandshakeRoundTrips out;
  out.ofRecord.assign(conn.records.size(), 0);
  int serverFlights = 0;
  bool lastFromServer = false;
  bool finished[2] = {false, false};
  bool ended = false;
  // TLS 1.2 without keys: the record after a side's ChangeCipherSpec is its
  // (unreadable) Finished. Not in TLS 1.3, whose compatibility CCS is no marker.
  const bool tls12 = conn.negotiated.version != 0 && conn.negotiated.version < 0x0304;
  bool afterCcs[2] = {false, false};
  for (std::size_t i = 0; i < conn.records.size(); ++i) {
    const TraceRecord& r = conn.records[i];
    const bool fromServer = r.direction == Direction::ServerToClient;
    const bool opened = !r.encrypted || r.undecryptedReason.empty();
    if (effectiveType(r) == kApplicationData && opened && r.keyPhase != KeyPhase::early()) {
      ended = true;
      break;
    }
    if (fromServer && !lastFromServer) ++serverFlights;
    lastFromServer = fromServer;
    out.ofRecord[i] = fromServer ? serverFlights : serverFlights + 1;
    const int side = fromServer ? 1 : 0;
    for (std::size_t mi : r.messages)
      if (mi < conn.messages.size() && conn.messages[mi].name == "Finished") finished[side] = true;
    if (afterCcs[side] && r.contentType != kChangeCipherSpec) finished[side] = true;
    if (tls12 && r.contentType == kChangeCipherSpec) afterCcs[side] = true;
    if (finished[0] && finished[1]) {
      ended = true;
      break;
    }
  }
  // Without its end (records not decrypted, a failed handshake) encrypted
  // application data would count as flights: say nothing rather than guess.
  if (!ended) {
    out.ofRecord.assign(conn.records.size(), 0);
    return out;
  }
  for (int& trip : out.ofRecord)
    if (trip > serverFlights) trip = 0;  // the final flight
  out.count = serverFlights;
  return out;
}

}  // namespace tlslab::model
