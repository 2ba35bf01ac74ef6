#pragma once
// QUIC in the Trace (issue 19; docs/DESIGN.md "QUIC"): a QUIC connection is a
// TraceConnection whose TLS handshake travels in CRYPTO frames of QUIC packets
// instead of records. Its `quic` member holds the packets (by packet number
// space), their frames, how each was protected, and the streams' data; the
// TLS messages stay in TraceConnection::messages, where firstRecord/lastRecord
// then index QuicInfo::packets.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tlslab/model/Diagnostic.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::model {

enum class Direction : std::uint8_t;

struct QuicFrame {
  std::uint64_t type = 0;
  std::string name;          // "CRYPTO", "STREAM", "ACK", ...
  std::size_t offset = 0;    // in the packet's plaintext payload
  std::size_t length = 0;
  std::string summary;       // "STREAM id 0 offset 0, 38 bytes, FIN"
  std::optional<std::uint64_t> streamId;
};

// How a packet was protected and opened (RFC 9001 §5.3, §5.4): the packet crypto view.
struct QuicPacketCrypto {
  std::string keys;   // "client Initial (from the DCID)", "server 1-RTT, key phase 1 (key log)"
  Bytes sample, mask;  // header protection: 16-byte sample, 5-byte mask
  Bytes nonce;         // iv XOR packet number
  Bytes aad;           // the unprotected header
  Bytes tag;           // the AEAD tag (last 16 bytes)
};

struct QuicPacket {
  std::size_t index = 0;     // within the connection, in capture order
  Direction direction{};
  double time = 0;           // seconds since the connection's first packet
  std::uint64_t frame = 0;   // capture frame
  std::size_t datagram = 0;  // index of the UDP datagram in the connection
  std::size_t offsetInDatagram = 0;
  std::size_t length = 0;    // bytes of this packet on the wire
  std::string type;          // "Initial", "0-RTT", "Handshake", "1-RTT", "Retry", "Version Negotiation"
  std::uint32_t version = 0;
  Bytes dcid, scid, token;
  std::optional<std::uint64_t> packetNumber;  // full, once header protection is off
  int keyPhase = -1;                          // 1-RTT: the key phase bit (0/1), -1 otherwise
  bool decrypted = false;
  std::string undecryptedReason;  // empty when opened (or nothing to open: Retry, VN)
  std::vector<QuicFrame> frames;
  std::vector<std::size_t> messages;  // TLS handshake messages completed by this packet's CRYPTO frames
  std::optional<QuicPacketCrypto> crypto;
  std::vector<std::uint32_t> supportedVersions;  // Version Negotiation
  std::string note;                              // Retry: whether its integrity tag verifies
  std::vector<Diagnostic> diagnostics;
};

// One direction of one stream, reassembled by offset (RFC 9000 §2.2).
struct QuicStream {
  std::uint64_t id = 0;
  Direction direction{};
  Bytes data;                 // from offset 0, up to the first hole
  bool fin = false;
  std::uint64_t missing = 0;  // bytes announced (beyond `data`) but not seen
  std::vector<std::uint64_t> frames;  // capture frames that carried its data
};

struct QuicInfo {
  std::uint32_t version = 0;
  std::string versionName;     // "QUIC v1", "draft-29"
  Bytes originalDcid;          // the client's first Destination Connection ID (Initial keys)
  bool retry = false;
  std::vector<QuicPacket> packets;
  std::vector<QuicStream> streams;  // in order of first appearance
  std::size_t datagrams = 0;
  std::size_t packetCount = 0;      // packets.size() before a streaming run dropped them
  std::size_t oneRttDecrypted = 0;  // 1-RTT packets opened
};

}  // namespace tlslab::model
