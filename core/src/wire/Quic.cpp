// QUIC packet headers (RFC 9000 §17), coalesced packets (§12.2), varints (§16)
// and transport parameters (§18).
#include "tlslab/wire/Quic.hpp"

#include <fmt/format.h>

namespace tlslab::wire::quic {
namespace {

constexpr std::size_t kMaxCid = 20;  // RFC 9000 §17.2 (v1; other versions may differ)
constexpr std::size_t kRetryTag = 16;

ParseError errorAt(std::string what, std::size_t offset) {
  return ParseError{ParseAlert::DecodeError, std::move(what), offset};
}

Bytes copy(ByteView v) { return Bytes(v.begin(), v.end()); }

}  // namespace

std::uint64_t readVarint(ByteReader& r, std::string_view what) {
  auto first = r.peekU8();
  if (!first) {
    r.u8(what);  // records the failure with its offset
    return 0;
  }
  const std::size_t n = std::size_t{1} << (*first >> 6);
  std::uint64_t v = r.uN(n, what);
  const std::uint64_t masks[] = {0x3f, 0x3fff, 0x3fffffff, 0x3fffffffffffffff};
  return v & masks[*first >> 6];
}

const char* packetTypeName(PacketType type) {
  switch (type) {
    case PacketType::Initial: return "Initial";
    case PacketType::ZeroRtt: return "0-RTT";
    case PacketType::Handshake: return "Handshake";
    case PacketType::Retry: return "Retry";
    case PacketType::VersionNegotiation: return "Version Negotiation";
    case PacketType::OneRtt: return "1-RTT";
    default: return "?";
  }
}

HeaderResult parsePacketHeader(ByteView datagram, std::size_t offset, std::size_t shortDcidLength) {
  HeaderResult out;
  if (offset >= datagram.size()) {
    out.error = errorAt("QUIC packet: no bytes left for a header", offset);
    return out;
  }
  ByteReader r(datagram.subspan(offset), offset);
  PacketHeader h;
  h.offset = offset;
  h.firstByte = r.u8("QUIC first byte");
  h.longHeader = (h.firstByte & 0x80) != 0;
  h.fixedBit = (h.firstByte & 0x40) != 0;
  if (!h.longHeader) {
    // §17.3.1: 0 1 S R R K P P, then the DCID (length known to the connection), then the packet number.
    h.type = PacketType::OneRtt;
    h.dcid = copy(r.bytes(shortDcidLength, "1-RTT Destination Connection ID"));
    h.pnOffset = r.offset();
    h.end = datagram.size();
    if (r.failed() || h.pnOffset >= h.end) {
      out.error = r.failed() ? *r.error() : errorAt("1-RTT packet: ends before its packet number", r.offset());
      return out;
    }
    out.header = std::move(h);
    return out;
  }
  h.version = r.u32("QUIC version");
  // v1 and the drafts cap connection IDs at 20 bytes (§17.2); other versions
  // (and Version Negotiation, §17.2.1) may use up to 255.
  const bool capped = h.version == 0x00000001 || (h.version >> 8) == 0xff0000;
  for (bool destination : {true, false}) {
    const std::size_t at = r.offset();
    const std::uint8_t n = r.u8(destination ? "Destination Connection ID Length" : "Source Connection ID Length");
    if (r.ok() && capped && n > kMaxCid) {
      out.error = errorAt(fmt::format("{} Connection ID Length {} exceeds 20 (RFC 9000 §17.2)",
                                      destination ? "Destination" : "Source", n),
                          at);
      return out;
    }
    (destination ? h.dcid : h.scid) =
        copy(r.bytes(n, destination ? "Destination Connection ID" : "Source Connection ID"));
  }
  if (r.failed()) {
    out.error = *r.error();
    return out;
  }
  if (h.version == 0) {
    // §17.2.1: Version Negotiation: the rest is a list of 32-bit versions.
    h.type = PacketType::VersionNegotiation;
    const std::size_t listAt = r.offset();
    if (r.remaining() % 4 != 0 || r.remaining() == 0) {
      out.error = errorAt(fmt::format("Version Negotiation: {} bytes of versions, not a non-empty multiple of 4",
                                      r.remaining()),
                          listAt);
      return out;
    }
    while (!r.empty()) h.supportedVersions.push_back(r.u32("Supported Version"));
    h.pnOffset = h.end = datagram.size();
    out.header = std::move(h);
    return out;
  }
  // Long header packet types (§17.2): bits 4-5 of the first byte (same in v1 and draft-29).
  const int typeBits = (h.firstByte >> 4) & 0x03;
  static constexpr PacketType kTypes[] = {PacketType::Initial, PacketType::ZeroRtt, PacketType::Handshake,
                                          PacketType::Retry};
  h.type = kTypes[typeBits];
  if (h.type == PacketType::Retry) {
    // §17.2.5: Retry Token (to the end) then a 16-byte Retry Integrity Tag.
    if (r.remaining() < kRetryTag) {
      out.error = errorAt(fmt::format("Retry: {} bytes left, the integrity tag alone needs 16", r.remaining()),
                          r.offset());
      return out;
    }
    h.token = copy(r.bytes(r.remaining() - kRetryTag, "Retry Token"));
    h.retryIntegrityTag = copy(r.bytes(kRetryTag, "Retry Integrity Tag"));
    h.pnOffset = h.end = datagram.size();
    out.header = std::move(h);
    return out;
  }
  if (h.type == PacketType::Initial) {
    const std::size_t tokenAt = r.offset();
    const std::uint64_t tokenLength = readVarint(r, "Initial Token Length");
    if (r.ok() && tokenLength > r.remaining()) {
      out.error = errorAt(fmt::format("Initial Token Length {} exceeds the {} bytes left", tokenLength, r.remaining()),
                          tokenAt);
      return out;
    }
    h.token = copy(r.bytes(static_cast<std::size_t>(tokenLength), "Initial Token"));
  }
  const std::size_t lengthAt = r.offset();
  h.length = readVarint(r, "Length");
  h.pnOffset = r.offset();
  if (r.failed()) {
    out.error = *r.error();
    return out;
  }
  if (h.length > r.remaining()) {
    out.error = errorAt(fmt::format("{} packet: Length {} exceeds the {} bytes left in the datagram",
                                    packetTypeName(h.type), h.length, r.remaining()),
                        lengthAt);
    return out;
  }
  if (h.length == 0) {
    out.error = errorAt(fmt::format("{} packet: Length 0 leaves no room for a packet number", packetTypeName(h.type)),
                        lengthAt);
    return out;
  }
  h.end = h.pnOffset + static_cast<std::size_t>(h.length);
  out.header = std::move(h);
  return out;
}

DatagramPackets splitDatagram(ByteView datagram, std::size_t shortDcidLength) {
  DatagramPackets out;
  std::size_t offset = 0;
  while (offset < datagram.size() && out.packets.size() < 64) {
    if ((datagram[offset] & 0x80) == 0 && !out.packets.empty() && datagram[offset] == 0) {
      // Zeros after a long-header packet: padding of the UDP datagram, not a packet (§14.1 allows it).
      out.error = errorAt(fmt::format("{} bytes after the last packet are not a QUIC packet (padding?)",
                                      datagram.size() - offset),
                          offset);
      break;
    }
    HeaderResult h = parsePacketHeader(datagram, offset, shortDcidLength);
    if (!h.header) {
      out.error = h.error;
      break;
    }
    offset = h.header->end;
    out.packets.push_back(std::move(*h.header));
  }
  return out;
}

std::string transportParameterName(std::uint64_t id) {
  switch (id) {
    case 0x00: return "original_destination_connection_id";
    case 0x01: return "max_idle_timeout";
    case 0x02: return "stateless_reset_token";
    case 0x03: return "max_udp_payload_size";
    case 0x04: return "initial_max_data";
    case 0x05: return "initial_max_stream_data_bidi_local";
    case 0x06: return "initial_max_stream_data_bidi_remote";
    case 0x07: return "initial_max_stream_data_uni";
    case 0x08: return "initial_max_streams_bidi";
    case 0x09: return "initial_max_streams_uni";
    case 0x0a: return "ack_delay_exponent";
    case 0x0b: return "max_ack_delay";
    case 0x0c: return "disable_active_migration";
    case 0x0d: return "preferred_address";
    case 0x0e: return "active_connection_id_limit";
    case 0x0f: return "initial_source_connection_id";
    case 0x10: return "retry_source_connection_id";
    case 0x11: return "version_information";     // RFC 9368
    case 0x20: return "max_datagram_frame_size";  // RFC 9221
    case 0x2ab2: return "grease_quic_bit";        // RFC 9287
    default:
      // §18.1: ids of the form 31 * N + 27 are reserved for greasing.
      if (id >= 27 && (id - 27) % 31 == 0) return fmt::format("GREASE (0x{:x})", id);
      return fmt::format("0x{:x}", id);
  }
}

namespace {

bool integerParameter(std::uint64_t id) { return (id >= 0x01 && id <= 0x0b && id != 0x02) || id == 0x0e || id == 0x20; }

}  // namespace

TransportParameters parseTransportParameters(ByteView body) {
  TransportParameters out;
  ByteReader r(body);
  while (!r.empty() && out.parameters.size() < 256) {
    TransportParameter p;
    p.offset = r.offset();
    p.id = readVarint(r, "transport parameter id");
    const std::size_t lengthAt = r.offset();
    const std::uint64_t length = readVarint(r, "transport parameter length");
    if (r.ok() && length > r.remaining()) {
      out.error = errorAt(fmt::format("transport parameter {}: length {} exceeds the {} bytes left",
                                      transportParameterName(p.id), length, r.remaining()),
                          lengthAt);
      return out;
    }
    p.value = copy(r.bytes(static_cast<std::size_t>(length), "transport parameter value"));
    if (r.failed()) {
      out.error = *r.error();
      return out;
    }
    p.name = transportParameterName(p.id);
    if (integerParameter(p.id) && !p.value.empty()) {
      ByteReader v(p.value);
      const std::uint64_t n = readVarint(v, "value");
      p.text = v.ok() && v.empty() ? std::to_string(n) : "malformed integer " + toHex(p.value);
    } else {
      p.text = p.value.empty() ? "(empty)" : toHex(p.value);
    }
    out.parameters.push_back(std::move(p));
  }
  return out;
}

}  // namespace tlslab::wire::quic
