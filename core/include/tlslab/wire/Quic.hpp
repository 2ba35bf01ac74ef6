#pragma once
// QUIC wire formats (RFC 9000 §17 packets, §19 frames, §16 varints), read
// through the bounds-checked ByteReader. No crypto here: the header parser
// stops at the (protected) packet number, whose offset it reports; the
// dissector removes header protection (crypto/Quic.hpp) and hands the opened
// payload to parseFrames. Malformed input gives a ParseError {what, offset},
// never a crash; parsing goes on where it safely can (STYLE practice 4).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tlslab/util/ByteReader.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::wire::quic {

// RFC 9000 §16: 1, 2, 4 or 8 bytes, the two high bits of the first byte say which.
std::uint64_t readVarint(ByteReader& r, std::string_view what);

enum class PacketType : std::uint8_t { Initial, ZeroRtt, Handshake, Retry, VersionNegotiation, OneRtt };
const char* packetTypeName(PacketType type);  // "Initial", "0-RTT", "Handshake", "Retry", "Version Negotiation", "1-RTT"

struct PacketHeader {
  PacketType type = PacketType::OneRtt;
  bool longHeader = false;
  std::uint8_t firstByte = 0;  // as on the wire (low bits still protected)
  bool fixedBit = true;        // RFC 9000 §17.2: must be 1 (RFC 9287 greasing aside)
  std::uint32_t version = 0;
  Bytes dcid, scid;
  Bytes token;                       // Initial token; Retry token
  std::uint64_t length = 0;          // long header Length field: packet number + payload
  std::size_t offset = 0;            // of the first byte, in the datagram
  std::size_t pnOffset = 0;          // of the packet number, in the datagram
  std::size_t end = 0;               // one past the packet's last byte, in the datagram
  std::vector<std::uint32_t> supportedVersions;  // Version Negotiation
  Bytes retryIntegrityTag;                       // Retry: its last 16 bytes
};

struct HeaderResult {
  std::optional<PacketHeader> header;
  std::optional<ParseError> error;  // offsets are datagram offsets
};

// The header of the packet starting at `offset` in a datagram. Short headers
// carry no DCID length: `shortDcidLength` is the length the connection uses
// (known from its long-header packets).
HeaderResult parsePacketHeader(ByteView datagram, std::size_t offset, std::size_t shortDcidLength);

// Every packet of a datagram (RFC 9000 §12.2, coalesced packets): long-header
// packets end where their Length says; a short-header packet runs to the end.
// Trailing bytes that are not a packet (e.g. padding zeros) end the walk with
// an error naming their offset.
struct DatagramPackets {
  std::vector<PacketHeader> packets;
  std::optional<ParseError> error;
};
DatagramPackets splitDatagram(ByteView datagram, std::size_t shortDcidLength);

// Frame types (RFC 9000 §19; DATAGRAM RFC 9221).
namespace frame {
inline constexpr std::uint64_t Padding = 0x00, Ping = 0x01, Ack = 0x02, AckEcn = 0x03, ResetStream = 0x04,
                               StopSending = 0x05, Crypto = 0x06, NewToken = 0x07, StreamFirst = 0x08,
                               StreamLast = 0x0f, MaxData = 0x10, MaxStreamData = 0x11, MaxStreamsBidi = 0x12,
                               MaxStreamsUni = 0x13, DataBlocked = 0x14, StreamDataBlocked = 0x15,
                               StreamsBlockedBidi = 0x16, StreamsBlockedUni = 0x17, NewConnectionId = 0x18,
                               RetireConnectionId = 0x19, PathChallenge = 0x1a, PathResponse = 0x1b,
                               ConnectionClose = 0x1c, ConnectionCloseApp = 0x1d, HandshakeDone = 0x1e,
                               Datagram = 0x30, DatagramLen = 0x31;
}
std::string frameTypeName(std::uint64_t type);  // "CRYPTO", "STREAM", "0x21" for unknown

struct AckRange {
  std::uint64_t smallest = 0, largest = 0;
};

struct Frame {
  std::uint64_t type = 0;
  std::size_t offset = 0;  // in the payload
  std::size_t length = 0;  // bytes of the whole frame
  std::size_t count = 1;   // PADDING: a run of padding bytes is one frame
  // CRYPTO and STREAM: where `data` sits in its stream; STREAM's fin bit.
  std::uint64_t streamId = 0;
  std::uint64_t dataOffset = 0;
  Bytes data;
  bool fin = false;
  // ACK
  std::uint64_t ackDelay = 0;
  std::vector<AckRange> ackRanges;  // largest first
  // CONNECTION_CLOSE, RESET_STREAM, STOP_SENDING
  std::uint64_t errorCode = 0;
  std::uint64_t frameType = 0;  // CONNECTION_CLOSE 0x1c: the frame that caused it
  std::string reason;
  // NEW_CONNECTION_ID (sequence, retire prior to, cid, reset token); MAX_* values
  std::uint64_t sequence = 0, retirePriorTo = 0, value = 0;
  Bytes connectionId, token;
  std::string summary;  // one line: "CRYPTO offset 0, 241 bytes"
};

struct FrameList {
  std::vector<Frame> frames;
  std::optional<ParseError> error;  // payload offsets; frames before it are kept
};
// The frames of one opened packet payload. An unknown frame type ends parsing
// (frames carry no length, RFC 9000 §12.4) with an error naming type and offset.
// maxDataCopy bounds the bytes copied per STREAM/CRYPTO frame's `data`.
FrameList parseFrames(ByteView payload, std::size_t maxDataCopy = std::size_t{1} << 20);

// One transport parameter (RFC 9000 §18): id, its value bytes and a decoded text.
struct TransportParameter {
  std::uint64_t id = 0;
  std::string name;  // "initial_max_data", or the hex id
  std::size_t offset = 0;
  Bytes value;
  std::string text;  // the integer for integer parameters, hex otherwise
};
struct TransportParameters {
  std::vector<TransportParameter> parameters;
  std::optional<ParseError> error;
};
TransportParameters parseTransportParameters(ByteView body);
std::string transportParameterName(std::uint64_t id);

}  // namespace tlslab::wire::quic
