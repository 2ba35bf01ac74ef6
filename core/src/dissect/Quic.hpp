#pragma once
// The QUIC side of the dissector (issue 19; docs/DESIGN.md "QUIC"): UDP flows
// from the capture layer in, QUIC connections out as TraceConnections with
// packets. Per datagram: coalesced packets split (wire/Quic.hpp), header
// protection removed and payload opened (crypto/Quic.hpp) with Initial keys
// from the client's DCID, Handshake / 0-RTT / 1-RTT keys from the KeyStore's
// TLS 1.3 secrets; frames parsed; CRYPTO frames reassembled per packet-number
// space into handshake messages for the ordinary TLS parsers; STREAM frames
// into per-stream data. One QUIC connection per UDP flow (no migration).
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tlslab/capture/Udp.hpp"
#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/Quic.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/keys/KeyStore.hpp"
#include "tlslab/model/Trace.hpp"
#include "tlslab/wire/Messages.hpp"
#include "tlslab/wire/Quic.hpp"

namespace tlslab::dissect {

// CRYPTO frame bytes of one space and direction, put back in order (RFC 9000
// §19.6: offsets, retransmissions and overlaps allowed), then cut into
// handshake messages (4-byte header, RFC 8446 §4).
struct QuicCryptoStream {
  std::uint64_t delivered = 0;          // bytes before this offset are in `buffer` or done
  std::map<std::uint64_t, Bytes> pending;  // out-of-order pieces, by offset
  std::size_t pendingBytes = 0;
  Bytes buffer;                          // contiguous, not yet a whole message
  std::size_t firstPacket = 0;           // packet that delivered buffer[0]
  bool broken = false;                   // over a bound: stop reassembling
};

struct QuicStreamState {
  std::size_t index = 0;  // into QuicInfo::streams
  std::uint64_t next = 0;
  std::map<std::uint64_t, Bytes> pending;
  std::size_t pendingBytes = 0;
};

// The packet protection keys of one direction.
struct QuicDirectionKeys {
  crypto::quic::PacketKeys handshake, zeroRtt;
  std::vector<crypto::quic::PacketKeys> oneRtt;  // generation g = key update g (RFC 9001 §6)
  std::size_t generation = 0;                    // the one in use
};

struct QuicConnection {
  capture::UdpFlowInfo info;
  bool decided = false, isQuic = false, inTrace = false, finished = false;
  std::size_t index = 0;  // in the Trace
  std::uint32_t version = 0;
  // Initial keys come from the DCID of the client's latest Initial (a new one after Retry).
  Bytes initialDcid;
  bool retryPending = false;  // a Retry came: the client's next Initial brings new keys
  std::optional<crypto::quic::InitialKeys> initial;
  std::array<Bytes, 2> scid;          // the SCID each side gave (the DCID of packets sent to it)
  std::array<bool, 2> scidKnown{};
  std::array<std::array<std::uint64_t, 2>, 3> largestPn{};  // [space][direction]
  std::array<std::array<bool, 2>, 3> anyPn{};
  std::array<std::array<QuicCryptoStream, 2>, 3> crypto;
  std::array<QuicDirectionKeys, 2> keys;
  bool handshakeKeysTried = false, oneRttKeysTried = false, zeroRttKeysTried = false;
  const crypto::CipherSuite* suite = nullptr;
  const crypto::CipherSuite* offeredSuite = nullptr;  // the ClientHello's first TLS 1.3 suite (0-RTT)
  Bytes clientRandom;
  wire::ParseContext context;
  std::map<std::pair<std::uint64_t, int>, QuicStreamState> streams;
  std::size_t keptStreamBytes = 0;
  bool sawHandshakeDone = false, sawClose = false;
  std::string closeText;
  int finishedSeen = 0;
};

class QuicDissector {
 public:
  QuicDissector(keys::KeyStore& keys, const DissectOptions& options, model::Trace& trace)
      : keys_(keys), options_(options), trace_(trace) {}

  void opened(const capture::UdpFlowInfo& info);
  void datagram(const capture::FlowDatagram& d);
  void closed(const capture::UdpFlowInfo& info);
  void finish();  // flows never closed (a caller feeding the sink by hand)

 private:
  void enterTrace(QuicConnection& c);
  void packet(QuicConnection& c, const capture::FlowDatagram& d, const wire::quic::PacketHeader& h, std::size_t datagramIndex);
  void finalize(QuicConnection& c);
  model::TraceConnection& tc(QuicConnection& c) { return trace_.connections[c.index]; }

  keys::KeyStore& keys_;
  const DissectOptions& options_;
  model::Trace& trace_;
  std::map<capture::UdpFlowId, std::unique_ptr<QuicConnection>> flows_;
};

// QuicPayload.cpp: what an opened packet carries.
namespace quic {
// Frames into the packet (and CRYPTO into messages, STREAM into stream data).
void dissectFrames(keys::KeyStore& keys, const DissectOptions& options, QuicConnection& c, model::TraceConnection& tc,
                   model::QuicPacket& packet, int space, ByteView plaintext);
// Loads the TLS 1.3 secrets the key log has for this connection's client random.
void loadKeys(keys::KeyStore& keys, QuicConnection& c, model::TraceConnection& tc);
// The plain-words verdicts once the flow has closed.
void finalizeVerdicts(QuicConnection& c, model::TraceConnection& tc);
}  // namespace quic

}  // namespace tlslab::dissect
