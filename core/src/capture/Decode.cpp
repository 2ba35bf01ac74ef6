// Link-layer, IPv4 and IPv6 decoding. Unknown or non-IP frames are skipped
// quietly (ARP and friends are normal); malformed IP/TCP headers are diagnosed
// with the frame number and the byte offset inside the frame.
#include "tlslab/capture/Decode.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "Diagnostics.hpp"
#include "tlslab/util/ByteReader.hpp"

namespace tlslab::capture {

using detail::makeDiagnostic;
using model::Severity;

namespace {

constexpr std::uint16_t kEtherIpv4 = 0x0800;
constexpr std::uint16_t kEtherIpv6 = 0x86DD;
constexpr std::uint8_t kIpProtoTcp = 6;

bool isVlanTag(std::uint16_t type) { return type == 0x8100 || type == 0x88A8 || type == 0x9100; }

// BSD loopback address families differ per OS; IPv4 is 2 everywhere.
std::optional<std::uint16_t> etherTypeForAf(std::uint32_t af) {
  switch (af) {
    case 2: return kEtherIpv4;
    case 10:  // Linux
    case 24:  // NetBSD, OpenBSD, BSD/OS
    case 28:  // FreeBSD, DragonFly
    case 30:  // Darwin
      return kEtherIpv6;
    default: return std::nullopt;
  }
}

struct FrameContext {
  const RawPacket& packet;
  std::size_t linkHeader = 0;  // bytes before the IP header (for diagnostic offsets)
  DecodeOutcome& out;
  void diagnose(Severity s, std::string where, std::string message, std::size_t offsetInIp) {
    out.diagnostics.push_back(
        makeDiagnostic(model::DiagnosticCode::PacketHeader, s, std::move(where), std::move(message), packet.frame,
                       linkHeader + offsetInIp));
  }
  bool snapCut() const { return packet.originalLength > packet.data.size(); }
};

// Trims the IP payload to the length the header announces and counts the bytes
// a snaplen cut removed.
void setPayload(FrameContext& ctx, IpPacket& ip, ByteView rest, std::size_t announced,
                std::size_t headerEnd, const char* where) {
  if (announced <= rest.size()) {
    ip.payload = rest.first(announced);
    return;
  }
  ip.payload = rest;
  ip.missing = static_cast<std::uint32_t>(announced - rest.size());
  if (!ctx.snapCut()) {
    ctx.diagnose(Severity::Warning, where,
                 fmt::format("the header announces {} payload bytes but the frame holds only {}; "
                             "the rest is treated as missing",
                             announced, rest.size()),
                 headerEnd);
  }
}

std::optional<IpPacket> decodeIpv4(FrameContext& ctx, ByteView data) {
  ByteReader r(data);
  const std::uint8_t versionIhl = r.u8("IPv4 version/IHL");
  r.skip(1, "IPv4 type of service");
  const std::uint16_t totalLength = r.u16("IPv4 total length");
  const std::uint16_t id = r.u16("IPv4 identification");
  const std::uint16_t flagsFragment = r.u16("IPv4 flags/fragment offset");
  r.skip(1, "IPv4 time to live");
  const std::uint8_t protocol = r.u8("IPv4 protocol");
  r.skip(2, "IPv4 header checksum");
  const ByteView src = r.bytes(4, "IPv4 source address");
  const ByteView dst = r.bytes(4, "IPv4 destination address");
  if (!r.ok()) {
    ctx.diagnose(Severity::Warning, "IPv4 header",
                 fmt::format("truncated: {} bytes, a header needs at least 20", data.size()), 0);
    return std::nullopt;
  }
  std::size_t headerLength = static_cast<std::size_t>(versionIhl & 0x0F) * 4;
  if ((versionIhl >> 4) != 4 || headerLength < 20) {
    ctx.diagnose(Severity::Warning, "IPv4 header",
                 fmt::format("bad version/IHL byte 0x{:02x} (RFC 791 §3.1 needs version 4, IHL >= 5)",
                             versionIhl),
                 0);
    return std::nullopt;
  }
  if (!r.skip(headerLength - 20, "IPv4 options")) {  // options are not needed for TCP reassembly
    ctx.diagnose(Severity::Warning, "IPv4 options",
                 fmt::format("header length {} exceeds the {} captured bytes", headerLength, data.size()), 20);
    return std::nullopt;
  }
  IpPacket ip;
  ip.protocol = protocol;
  std::copy(src.begin(), src.end(), ip.source.begin());
  std::copy(dst.begin(), dst.end(), ip.destination.begin());
  std::size_t announced = 0;
  if (totalLength == 0) {
    // Linux captures of TSO-offloaded segments carry total length 0: trust the frame.
    announced = r.remaining();
  } else if (totalLength < headerLength) {
    ctx.diagnose(Severity::Warning, "IPv4 total length",
                 fmt::format("total length {} is smaller than the header length {}", totalLength, headerLength), 2);
    return std::nullopt;
  } else {
    announced = totalLength - headerLength;
  }
  setPayload(ctx, ip, r.rest(), announced, headerLength, "IPv4 total length");
  std::uint16_t fragmentOffset = flagsFragment & 0x1FFF;
  ip.moreFragments = (flagsFragment & 0x2000) != 0;
  ip.fragment = ip.moreFragments || fragmentOffset != 0;
  ip.fragmentOffset = static_cast<std::uint32_t>(fragmentOffset) * 8;
  ip.fragmentId = id;
  return ip;
}

}  // namespace

// Walks IPv6 extension headers (RFC 8200 §4) until an upper-layer protocol.
// Returns false (with `error` set) when a header does not fit.
bool skipIpv6Extensions(ByteView& data, std::uint8_t& next, IpPacket* fragmentInfo, std::string& error,
                        std::size_t& consumed) {
  consumed = 0;
  for (int count = 0; count < 32; ++count) {
    ByteReader r(data);
    std::uint8_t following = 0;
    switch (next) {
      case 0:    // hop-by-hop options
      case 43:   // routing
      case 60:   // destination options
      case 135:  // mobility
      case 139:  // HIP
      case 140:  // shim6
      case 51: {  // authentication header: length in 4-byte units minus 2 (RFC 4302 §2.2)
        following = r.u8("IPv6 extension next header");
        const std::uint8_t length = r.u8("IPv6 extension length");
        std::size_t size = next == 51 ? (static_cast<std::size_t>(length) + 2) * 4
                                      : (static_cast<std::size_t>(length) + 1) * 8;
        if (!r.ok() || size > data.size()) {
          error = fmt::format("extension header {} of {} bytes does not fit in the {} bytes left", next, size,
                              data.size());
          return false;
        }
        data = data.subspan(size);
        consumed += size;
        next = following;
        break;
      }
      case 44: {  // fragment header (RFC 8200 §4.5)
        following = r.u8("IPv6 fragment next header");
        r.skip(1, "IPv6 fragment reserved");
        const std::uint16_t offsetFlags = r.u16("IPv6 fragment offset/flags");
        const std::uint32_t id = r.u32("IPv6 fragment identification");
        if (!r.ok()) {
          error = "fragment header truncated";
          return false;
        }
        if (fragmentInfo != nullptr) {
          fragmentInfo->fragmentOffset = static_cast<std::uint32_t>(offsetFlags >> 3) * 8;
          fragmentInfo->moreFragments = (offsetFlags & 1) != 0;
          fragmentInfo->fragmentId = id;
          fragmentInfo->fragment = fragmentInfo->moreFragments || fragmentInfo->fragmentOffset != 0;
        }
        data = data.subspan(8);
        consumed += 8;
        next = following;
        // An atomic fragment (offset 0, M=0, RFC 8200 §4.5) is a whole datagram: keep walking.
        if (fragmentInfo != nullptr && fragmentInfo->fragment) return true;
        break;
      }
      default:
        return true;  // upper-layer protocol (or 59, no next header)
    }
  }
  error = "more than 32 extension headers";
  return false;
}

namespace {

std::optional<IpPacket> decodeIpv6(FrameContext& ctx, ByteView data) {
  ByteReader r(data);
  const std::uint32_t versionClassFlow = r.u32("IPv6 version/class/flow");
  const std::uint16_t payloadLength = r.u16("IPv6 payload length");
  std::uint8_t next = r.u8("IPv6 next header");
  r.skip(1, "IPv6 hop limit");
  const ByteView src = r.bytes(16, "IPv6 source address");
  const ByteView dst = r.bytes(16, "IPv6 destination address");
  if (!r.ok()) {
    ctx.diagnose(Severity::Warning, "IPv6 header",
                 fmt::format("truncated: {} bytes, the fixed header needs 40", data.size()), 0);
    return std::nullopt;
  }
  if ((versionClassFlow >> 28) != 6) {
    ctx.diagnose(Severity::Warning, "IPv6 header",
                 fmt::format("version {} where 6 was expected (RFC 8200 §3)", versionClassFlow >> 28), 0);
    return std::nullopt;
  }
  IpPacket ip;
  ip.ipv6 = true;
  std::copy(src.begin(), src.end(), ip.source.begin());
  std::copy(dst.begin(), dst.end(), ip.destination.begin());
  // Payload length 0 means a jumbogram (RFC 2675) or offload: trust the frame.
  std::size_t announced = payloadLength == 0 ? r.remaining() : payloadLength;
  ByteView rest = r.rest();
  std::size_t missing = 0;
  if (announced <= rest.size()) {
    rest = rest.first(announced);
  } else {
    missing = announced - rest.size();
    if (!ctx.snapCut()) {
      ctx.diagnose(Severity::Warning, "IPv6 payload length",
                   fmt::format("payload length {} exceeds the {} bytes in the frame; the rest is treated as missing",
                               announced, rest.size()),
                   4);
    }
  }
  std::string error;
  std::size_t consumed = 0;
  if (!skipIpv6Extensions(rest, next, &ip, error, consumed)) {
    ctx.diagnose(Severity::Warning, "IPv6 extension headers", error, 40 + consumed);
    return std::nullopt;
  }
  ip.protocol = next;
  ip.payload = rest;
  ip.missing = static_cast<std::uint32_t>(missing);
  return ip;
}

std::optional<IpPacket> decodeNetwork(FrameContext& ctx, std::uint16_t etherType, ByteView data) {
  switch (etherType) {
    case kEtherIpv4: return decodeIpv4(ctx, data);
    case kEtherIpv6: return decodeIpv6(ctx, data);
    default: return std::nullopt;  // ARP, LLDP, ...: not ours, not an error
  }
}

std::optional<std::uint16_t> etherTypeFromVersion(std::optional<std::uint8_t> firstByte) {
  if (!firstByte) return std::nullopt;
  switch (*firstByte >> 4) {
    case 4: return kEtherIpv4;
    case 6: return kEtherIpv6;
    default: return std::nullopt;
  }
}

// Returns the EtherType and advances `reader` past the link header.
std::optional<std::uint16_t> decodeLink(FrameContext& ctx, ByteReader& r) {
  const RawPacket& p = ctx.packet;
  std::uint16_t type = 0;
  switch (p.linkType) {
    case linktype::Ethernet:
      r.skip(12, "Ethernet addresses");
      type = r.u16("EtherType");
      while (r.ok() && isVlanTag(type)) {  // 802.1Q / 802.1ad: skip the TCI, read the inner type
        r.skip(2, "VLAN tag");
        type = r.u16("EtherType");
      }
      break;
    case linktype::LinuxSll:  // packet type, ARPHRD, addr len, 8-byte addr, protocol
      r.skip(14, "SLL header");
      type = r.u16("SLL protocol");
      break;
    case linktype::LinuxSll2:  // protocol, reserved, ifindex, ARPHRD, packet type, addr len, addr
      type = r.u16("SLL2 protocol");
      r.skip(18, "SLL2 header");
      break;
    case linktype::Null:
    case linktype::Loop: {
      const ByteView af = r.bytes(4, "loopback address family");
      if (r.failed()) break;
      std::uint32_t be = static_cast<std::uint32_t>(af[0]) << 24 | static_cast<std::uint32_t>(af[1]) << 16 |
                         static_cast<std::uint32_t>(af[2]) << 8 | af[3];
      std::uint32_t le = static_cast<std::uint32_t>(af[3]) << 24 | static_cast<std::uint32_t>(af[2]) << 16 |
                         static_cast<std::uint32_t>(af[1]) << 8 | af[0];
      // DLT_NULL is in the capturing host's order: the small value is the right one.
      std::uint32_t value = p.linkType == linktype::Loop ? be : (le <= 0xFFFF ? le : be);
      return etherTypeForAf(value);
    }
    case linktype::Raw:
    case linktype::RawOpenBsd:
    case linktype::LinktypeRaw:
      return etherTypeFromVersion(r.peekU8());
    case linktype::Ipv4: return kEtherIpv4;
    case linktype::Ipv6: return kEtherIpv6;
    default: return std::nullopt;
  }
  if (!r.ok()) {
    ctx.out.diagnostics.push_back(makeDiagnostic(model::DiagnosticCode::PacketHeader,
        Severity::Warning, linkTypeName(p.linkType) + " header",
        fmt::format("frame of {} bytes is shorter than its link-layer header", p.data.size()), p.frame, 0));
    return std::nullopt;
  }
  return type;
}

}  // namespace

bool isSupportedLinkType(int linkType) {
  switch (linkType) {
    case linktype::Null:
    case linktype::Ethernet:
    case linktype::Raw:
    case linktype::RawOpenBsd:
    case linktype::LinktypeRaw:
    case linktype::Loop:
    case linktype::LinuxSll:
    case linktype::Ipv4:
    case linktype::Ipv6:
    case linktype::LinuxSll2:
      return true;
    default:
      return false;
  }
}

std::string linkTypeName(int linkType) {
  switch (linkType) {
    case linktype::Null: return "NULL (BSD loopback)";
    case linktype::Ethernet: return "Ethernet";
    case linktype::Raw:
    case linktype::RawOpenBsd:
    case linktype::LinktypeRaw: return "raw IP";
    case linktype::Loop: return "LOOP (OpenBSD loopback)";
    case linktype::LinuxSll: return "Linux cooked (SLL)";
    case linktype::Ipv4: return "raw IPv4";
    case linktype::Ipv6: return "raw IPv6";
    case linktype::LinuxSll2: return "Linux cooked v2 (SLL2)";
    default: return fmt::format("link type {}", linkType);
  }
}

DecodeOutcome decodeFrame(const RawPacket& packet) {
  DecodeOutcome out;
  FrameContext ctx{packet, 0, out};
  ByteReader r(packet.data);
  auto etherType = decodeLink(ctx, r);
  if (!etherType) return out;
  ctx.linkHeader = r.offset();
  out.ip = decodeNetwork(ctx, *etherType, r.rest());
  return out;
}

std::optional<TcpSegment> decodeTcp(const IpPacket& ip, Timestamp time, std::uint64_t frame,
                                    std::vector<CaptureDiagnostic>& diagnostics) {
  if (ip.protocol != kIpProtoTcp) return std::nullopt;
  ByteReader r(ip.payload);
  TcpSegment s;
  s.source.port = r.u16("TCP source port");
  s.destination.port = r.u16("TCP destination port");
  s.seq = r.u32("TCP sequence number");
  s.ack = r.u32("TCP acknowledgment number");
  const std::uint8_t dataOffset = r.u8("TCP data offset");
  const std::uint8_t flags = r.u8("TCP flags");
  r.skip(6, "TCP window, checksum and urgent pointer");
  if (!r.ok()) {
    diagnostics.push_back(makeDiagnostic(model::DiagnosticCode::PacketHeader,
        Severity::Warning, "TCP header",
        fmt::format("truncated: {} bytes, a header needs 20{}", ip.payload.size(),
                    ip.missing > 0 ? " (cut by the capture's snaplen)" : ""),
        frame));
    return std::nullopt;
  }
  std::size_t headerLength = static_cast<std::size_t>(dataOffset >> 4) * 4;
  if (headerLength < 20) {
    diagnostics.push_back(makeDiagnostic(model::DiagnosticCode::PacketHeader, Severity::Warning, "TCP data offset",
                                         fmt::format("header length {} is below the minimum 20 (RFC 9293 §3.1)",
                                                     headerLength),
                                         frame, 12));
    return std::nullopt;
  }
  if (!r.skip(headerLength - 20, "TCP options")) {  // options (MSS, SACK, timestamps) are not needed
    diagnostics.push_back(makeDiagnostic(model::DiagnosticCode::PacketHeader,
        Severity::Warning, "TCP options",
        fmt::format("header length {} exceeds the {} captured bytes", headerLength, ip.payload.size()), frame, 20));
    return std::nullopt;
  }
  s.source.ipv6 = s.destination.ipv6 = ip.ipv6;
  s.source.address = ip.source;
  s.destination.address = ip.destination;
  s.flags = flags;
  s.payload = r.rest();
  s.missing = ip.missing;
  s.time = time;
  s.frame = frame;
  return s;
}

}  // namespace tlslab::capture
