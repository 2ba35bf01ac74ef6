#pragma once
// The DTLS side of the dissector (issue 18; docs/DESIGN.md "DTLS over UDP"):
// UDP flows whose first datagram starts with a DTLS record header become one
// TraceConnection per association. Records are cut from datagrams and
// handshake fragments reassembled with wire/Dtls.hpp; everything after that
// is the TLS path's own code, run on the same `Connection` state: the
// ordinary message parsers and handshake handling (Handshake.cpp), the TLS
// 1.2 key sources (key log, DSB, RSA key, PSK; Tls12Keys.cpp), record content
// dispatch (Records.cpp) and the verdicts (Finalize.cpp). What DTLS changes:
// a record names its epoch, so the keys are picked per epoch, and its explicit
// sequence number opens it whatever was lost before (RecordCipher::decryptDtlsInto).
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "Connection.hpp"
#include "tlslab/capture/Udp.hpp"
#include "tlslab/wire/Dtls.hpp"

namespace tlslab::dissect {

// Where one handshake message (by message_seq) travelled.
struct DtlsMessagePlace {
  std::size_t firstRecord = 0, lastRecord = 0;  // positions in DirectionState::handshakeRecords
  std::vector<wire::Segment> segments;          // plaintext fragments: message offset -> datagram-stream offset
  std::size_t flight = 0;
};

struct DtlsDirection {
  wire::dtls::HandshakeReassembler reassembler;
  std::map<std::uint16_t, DtlsMessagePlace> places;       // by message_seq, this handshake
  std::map<std::uint16_t, crypto::RecordCipher> ciphers;  // read keys by epoch
  std::map<std::uint16_t, bool> keysTried;                // epochs whose keys were looked for
  std::uint16_t handshakeEpoch = 0;  // the epoch this side's current handshake began in
  bool ccsNumbered = false;          // 0x0100: this handshake's ChangeCipherSpec took its message_seq
  std::size_t lastFlight = 0;        // flight of this side's latest handshake record
  std::uint64_t streamBytes = 0;     // bytes of this side's earlier datagrams (record stream offsets)
};

struct DtlsAssociation {
  capture::UdpFlowInfo info;
  bool finished = false;
  Connection conn;  // the TLS dissector's per-connection state
  DtlsDirection dir[2];
  int flightSender = -1;  // direction of the flight in progress
};

// The first datagram of a flow decides: a DTLS record header (content type
// 20-25, a DTLS version, a length that fits the datagram).
bool looksLikeDtls(ByteView datagram);

class DtlsDissector {
 public:
  explicit DtlsDissector(Shared& shared) : shared_(shared) {}

  void opened(const capture::UdpFlowInfo& info);
  // False when the flow is not DTLS (then the QUIC side gets it).
  bool datagram(const capture::FlowDatagram& d);
  void closed(const capture::UdpFlowInfo& info);
  void finish();  // associations never closed (a caller feeding the sink by hand)

 private:
  void enterTrace(DtlsAssociation& a);
  void finalize(DtlsAssociation& a);

  Shared& shared_;
  std::map<capture::UdpFlowId, capture::UdpFlowInfo> undecided_;
  std::map<capture::UdpFlowId, std::unique_ptr<DtlsAssociation>> flows_;
};

// DtlsRecords.cpp: one record of a datagram, classified, opened and dispatched.
void dtlsRecord(Shared& shared, DtlsAssociation& a, const capture::FlowDatagram& d, const wire::dtls::Record& r,
                std::size_t datagramIndex);
// Verdicts that only DTLS has (after finalizeConnection).
void dtlsFinalNotes(Shared& shared, DtlsAssociation& a);

}  // namespace tlslab::dissect
