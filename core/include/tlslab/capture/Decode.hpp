#pragma once
// Link, IP and TCP decoding of one captured frame. Bounds-checked throughout:
// a short or malformed header yields a diagnostic and no segment.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "tlslab/capture/Types.hpp"

namespace tlslab::capture {

// Link-layer header types we decode (values are LINKTYPE_/DLT_ numbers as
// libpcap reports them through pcap_datalink()).
namespace linktype {
inline constexpr int Null = 0;        // BSD loopback, AF in the capturing host's byte order
inline constexpr int Ethernet = 1;
inline constexpr int Raw = 12;        // DLT_RAW on Linux (LINKTYPE_RAW 101 is mapped to it)
inline constexpr int RawOpenBsd = 14; // DLT_RAW on OpenBSD
inline constexpr int LinktypeRaw = 101;
inline constexpr int Loop = 108;      // OpenBSD loopback, AF in network byte order
inline constexpr int LinuxSll = 113;
inline constexpr int Ipv4 = 228;
inline constexpr int Ipv6 = 229;
inline constexpr int LinuxSll2 = 276;
}  // namespace linktype

bool isSupportedLinkType(int linkType);
std::string linkTypeName(int linkType);

// One captured frame as the source hands it over.
struct RawPacket {
  int linkType = linktype::Ethernet;
  Timestamp time;
  std::uint64_t frame = 0;          // 1-based
  ByteView data;                    // caplen bytes
  std::uint32_t originalLength = 0; // len on the wire (>= data.size() unless corrupt)
};

namespace tcpflag {
inline constexpr std::uint8_t Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10;
}

struct TcpSegment {
  Endpoint source;
  Endpoint destination;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint8_t flags = 0;
  ByteView payload;             // captured payload bytes
  std::uint32_t missing = 0;    // payload bytes announced by IP but cut by snaplen
  Timestamp time;
  std::uint64_t frame = 0;
  bool has(std::uint8_t flag) const { return (flags & flag) != 0; }
};

// An IP packet after the link layer: either complete (maybe reassembled) or a fragment.
struct IpPacket {
  bool ipv6 = false;
  std::array<std::uint8_t, 16> source{};
  std::array<std::uint8_t, 16> destination{};
  std::uint8_t protocol = 0;   // upper-layer protocol (6 = TCP)
  ByteView payload;            // captured upper-layer bytes
  std::uint32_t missing = 0;   // upper-layer bytes cut by snaplen
  bool fragment = false;
  std::uint32_t fragmentId = 0;
  std::uint32_t fragmentOffset = 0;  // bytes
  bool moreFragments = false;
};

struct DecodeOutcome {
  std::optional<IpPacket> ip;  // nullopt when the frame is not IP or is malformed
  std::vector<CaptureDiagnostic> diagnostics;
};

// Link layer + IPv4/IPv6 (with extension headers) of one frame.
DecodeOutcome decodeFrame(const RawPacket& packet);

// TCP header of a complete IP payload; nullopt (with a diagnostic) if malformed.
std::optional<TcpSegment> decodeTcp(const IpPacket& ip, Timestamp time, std::uint64_t frame,
                                    std::vector<CaptureDiagnostic>& diagnostics);

// Walks IPv6 extension headers (RFC 8200 §4) starting with header type `next`,
// advancing `data` to the upper-layer payload. Stops early at a non-atomic
// fragment header (filling `fragmentInfo`). False with `error` when malformed.
bool skipIpv6Extensions(ByteView& data, std::uint8_t& next, IpPacket* fragmentInfo, std::string& error,
                        std::size_t& consumed);

// Reassembles IPv4 and IPv6 fragments (RFC 791 §3.2, RFC 8200 §4.5). First copy
// of overlapping bytes wins; memory is capped and stale datagrams time out.
class IpDefragmenter {
 public:
  struct Limits {
    std::size_t maxDatagrams = 1024;
    std::int64_t timeoutNanos = 30'000'000'000;  // RFC 791 suggests 15 s; Linux uses 30 s
  };
  IpDefragmenter() = default;
  explicit IpDefragmenter(Limits limits) : limits_(limits) {}

  // Returns the reassembled datagram (payload owned by `storage`) when complete.
  std::optional<IpPacket> add(const IpPacket& fragment, Timestamp time, std::uint64_t frame,
                              Bytes& storage, std::vector<CaptureDiagnostic>& diagnostics);
  std::size_t pending() const { return datagrams_.size(); }

 private:
  using Key = std::tuple<bool, std::array<std::uint8_t, 16>, std::array<std::uint8_t, 16>,
                         std::uint32_t, std::uint8_t>;
  struct Datagram {
    std::map<std::uint32_t, Bytes> pieces;  // offset -> bytes
    std::optional<std::uint32_t> totalLength;
    Timestamp firstSeen;
    std::uint64_t firstFrame = 0;
    bool truncated = false;
  };
  void expire(Timestamp now, std::vector<CaptureDiagnostic>& diagnostics);

  Limits limits_;
  std::map<Key, Datagram> datagrams_;
};

}  // namespace tlslab::capture
