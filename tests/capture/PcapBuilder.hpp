#pragma once
// Test helper: builds real frames (Ethernet, VLAN, SLL, SLL2, raw IP, NULL;
// IPv4 and IPv6 with extension headers and fragments; TCP) from scripted
// conversations and writes them as pcap or pcapng files through the capture
// module's own writers. Header-only so each test file stays self-contained.
#include <arpa/inet.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tlslab/capture/Decode.hpp"
#include "tlslab/capture/Pcapng.hpp"

namespace tlslab::test {

using capture::Endpoint;
using capture::Timestamp;

inline Endpoint endpoint(const std::string& ip, std::uint16_t port) {
  Endpoint e;
  e.port = port;
  if (ip.find(':') != std::string::npos) {
    e.ipv6 = true;
    if (inet_pton(AF_INET6, ip.c_str(), e.address.data()) != 1) throw std::invalid_argument(ip);
  } else if (inet_pton(AF_INET, ip.c_str(), e.address.data()) != 1) {
    throw std::invalid_argument(ip);
  }
  return e;
}

inline void put16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
inline void put32(Bytes& b, std::uint32_t v) {
  put16(b, static_cast<std::uint16_t>(v >> 16));
  put16(b, static_cast<std::uint16_t>(v));
}
inline void set16(Bytes& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}

// RFC 1071 Internet checksum.
inline std::uint16_t checksum(ByteView data, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i + 1 < data.size(); i += 2) sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
  if (data.size() % 2 != 0) sum += static_cast<std::uint32_t>(data.back() << 8);
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

struct TcpSpec {
  Endpoint source;
  Endpoint destination;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint8_t flags = capture::tcpflag::Ack;
  Bytes payload;
};

inline Bytes tcpHeaderAndPayload(const TcpSpec& s, bool withOptions = true) {
  Bytes t;
  put16(t, s.source.port);
  put16(t, s.destination.port);
  put32(t, s.seq);
  put32(t, s.ack);
  std::size_t headerLength = withOptions ? 32 : 20;  // NOP NOP timestamps: options must be skipped safely
  t.push_back(static_cast<std::uint8_t>((headerLength / 4) << 4));
  t.push_back(s.flags);
  put16(t, 65535);
  put16(t, 0);  // checksum, filled in by the IP layer builder
  put16(t, 0);
  if (withOptions) {
    t.insert(t.end(), {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2});
  }
  t.insert(t.end(), s.payload.begin(), s.payload.end());
  return t;
}

// IPv6 extension headers to put between the fixed header and TCP.
struct Ipv6Options {
  std::vector<std::uint8_t> extensions;  // 0 hop-by-hop, 43 routing, 60 destination options
};

inline Bytes ipPacket(const TcpSpec& s, const Ipv6Options& v6 = {}, std::uint16_t ipId = 1) {
  Bytes tcp = tcpHeaderAndPayload(s);
  if (!s.source.ipv6) {
    Bytes pseudo(s.source.address.begin(), s.source.address.begin() + 4);
    pseudo.insert(pseudo.end(), s.destination.address.begin(), s.destination.address.begin() + 4);
    pseudo.insert(pseudo.end(), {0, 6});
    put16(pseudo, static_cast<std::uint16_t>(tcp.size()));
    pseudo.insert(pseudo.end(), tcp.begin(), tcp.end());
    set16(tcp, 16, checksum(pseudo));
    Bytes ip{0x45, 0};
    put16(ip, static_cast<std::uint16_t>(20 + tcp.size()));
    put16(ip, ipId);
    put16(ip, 0x4000);  // DF
    ip.insert(ip.end(), {64, 6, 0, 0});
    ip.insert(ip.end(), s.source.address.begin(), s.source.address.begin() + 4);
    ip.insert(ip.end(), s.destination.address.begin(), s.destination.address.begin() + 4);
    set16(ip, 10, checksum(ip));
    ip.insert(ip.end(), tcp.begin(), tcp.end());
    return ip;
  }
  Bytes pseudo(s.source.address.begin(), s.source.address.end());
  pseudo.insert(pseudo.end(), s.destination.address.begin(), s.destination.address.end());
  put32(pseudo, static_cast<std::uint32_t>(tcp.size()));
  pseudo.insert(pseudo.end(), {0, 0, 0, 6});
  pseudo.insert(pseudo.end(), tcp.begin(), tcp.end());
  set16(tcp, 16, checksum(pseudo));
  Bytes ext;
  for (std::size_t i = 0; i < v6.extensions.size(); ++i) {
    std::uint8_t next = i + 1 < v6.extensions.size() ? v6.extensions[i + 1] : 6;
    if (v6.extensions[i] == 43) {  // routing header type 0 with no addresses left, 8 bytes
      ext.insert(ext.end(), {next, 0, 0, 0, 0, 0, 0, 0});
    } else {  // options header of 16 bytes: PadN filling it
      ext.insert(ext.end(), {next, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    }
  }
  Bytes ip{0x60, 0, 0, 0};
  put16(ip, static_cast<std::uint16_t>(ext.size() + tcp.size()));
  ip.push_back(v6.extensions.empty() ? 6 : v6.extensions.front());
  ip.push_back(64);
  ip.insert(ip.end(), s.source.address.begin(), s.source.address.end());
  ip.insert(ip.end(), s.destination.address.begin(), s.destination.address.end());
  ip.insert(ip.end(), ext.begin(), ext.end());
  ip.insert(ip.end(), tcp.begin(), tcp.end());
  return ip;
}

// Splits an IPv4 packet (20-byte header, no options) into fragments of
// `chunk` payload bytes (a multiple of 8), RFC 791 §3.2.
inline std::vector<Bytes> fragmentIpv4(const Bytes& packet, std::size_t chunk) {
  std::vector<Bytes> out;
  Bytes header(packet.begin(), packet.begin() + 20);
  ByteView payload = ByteView(packet).subspan(20);
  for (std::size_t offset = 0; offset < payload.size(); offset += chunk) {
    std::size_t n = std::min(chunk, payload.size() - offset);
    Bytes f = header;
    set16(f, 2, static_cast<std::uint16_t>(20 + n));
    bool more = offset + n < payload.size();
    set16(f, 6, static_cast<std::uint16_t>((more ? 0x2000 : 0) | (offset / 8)));
    set16(f, 10, 0);
    set16(f, 10, checksum(ByteView(f).first(20)));
    f.insert(f.end(), payload.begin() + static_cast<std::ptrdiff_t>(offset),
             payload.begin() + static_cast<std::ptrdiff_t>(offset + n));
    out.push_back(f);
  }
  return out;
}

// Splits an IPv6 packet without extension headers into fragments (RFC 8200 §4.5).
inline std::vector<Bytes> fragmentIpv6(const Bytes& packet, std::size_t chunk, std::uint32_t id = 0x1234) {
  std::vector<Bytes> out;
  std::uint8_t next = packet[6];
  ByteView payload = ByteView(packet).subspan(40);
  for (std::size_t offset = 0; offset < payload.size(); offset += chunk) {
    std::size_t n = std::min(chunk, payload.size() - offset);
    Bytes f(packet.begin(), packet.begin() + 40);
    f[6] = 44;
    set16(f, 4, static_cast<std::uint16_t>(8 + n));
    bool more = offset + n < payload.size();
    f.insert(f.end(), {next, 0});
    put16(f, static_cast<std::uint16_t>((offset / 8) << 3 | (more ? 1 : 0)));
    put32(f, id);
    f.insert(f.end(), payload.begin() + static_cast<std::ptrdiff_t>(offset),
             payload.begin() + static_cast<std::ptrdiff_t>(offset + n));
    out.push_back(f);
  }
  return out;
}

enum class Link { Ethernet, EthernetVlan, EthernetQinQ, Sll, Sll2, Raw, Null, NullBigEndian, Loop, Ipv4, Ipv6 };

inline int linkTypeOf(Link link) {
  switch (link) {
    case Link::Ethernet:
    case Link::EthernetVlan:
    case Link::EthernetQinQ: return capture::linktype::Ethernet;
    case Link::Sll: return capture::linktype::LinuxSll;
    case Link::Sll2: return capture::linktype::LinuxSll2;
    case Link::Raw: return capture::linktype::LinktypeRaw;
    case Link::Null:
    case Link::NullBigEndian: return capture::linktype::Null;
    case Link::Loop: return capture::linktype::Loop;
    case Link::Ipv4: return capture::linktype::Ipv4;
    case Link::Ipv6: return capture::linktype::Ipv6;
    default: return -1;
  }
}

inline Bytes frame(Link link, const Bytes& ip) {
  bool v6 = !ip.empty() && (ip[0] >> 4) == 6;
  std::uint16_t etherType = v6 ? 0x86DD : 0x0800;
  Bytes f;
  switch (link) {
    case Link::Ethernet:
    case Link::EthernetVlan:
    case Link::EthernetQinQ:
      f = {0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1};
      if (link == Link::EthernetQinQ) {
        put16(f, 0x88A8);
        put16(f, 100);
      }
      if (link != Link::Ethernet) {
        put16(f, 0x8100);
        put16(f, 42);
      }
      put16(f, etherType);
      break;
    case Link::Sll:
      f = {0, 0, 0x03, 0x04, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0};
      put16(f, etherType);
      break;
    case Link::Sll2:
      put16(f, etherType);
      f.insert(f.end(), {0, 0, 0, 0, 0, 1, 0x03, 0x04, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0});
      break;
    case Link::Null:  // little-endian host
      f = {static_cast<std::uint8_t>(v6 ? 30 : 2), 0, 0, 0};
      break;
    case Link::NullBigEndian:
    case Link::Loop:
      f = {0, 0, 0, static_cast<std::uint8_t>(v6 ? 28 : 2)};
      break;
    case Link::Raw:
    case Link::Ipv4:
    case Link::Ipv6:
    default:
      break;
  }
  f.insert(f.end(), ip.begin(), ip.end());
  return f;
}

// A scripted TCP conversation: tracks both sequence numbers so a test writes
// what happens, then reorders, duplicates or drops packets before writing.
class Conversation {
 public:
  Conversation(Endpoint client, Endpoint server, std::uint32_t clientIsn = 1000, std::uint32_t serverIsn = 5000)
      : client_(client), server_(server), seq_{clientIsn, serverIsn} {}

  TcpSpec syn() { return advance(0, capture::tcpflag::Syn, {}, 1, false); }
  TcpSpec synAck() {
    return advance(1, capture::tcpflag::Syn | capture::tcpflag::Ack, {}, 1, true);
  }
  TcpSpec ack(int side) { return advance(side, capture::tcpflag::Ack, {}, 0, true); }
  std::vector<TcpSpec> handshake() { return {syn(), synAck(), ack(0)}; }
  // side 0 = client, 1 = server.
  TcpSpec send(int side, std::string_view text) { return send(side, toBytes(text)); }
  TcpSpec send(int side, const Bytes& data) {
    return advance(side, capture::tcpflag::Ack | capture::tcpflag::Psh, data, data.size(), true);
  }
  TcpSpec fin(int side) { return advance(side, capture::tcpflag::Fin | capture::tcpflag::Ack, {}, 1, true); }
  TcpSpec rst(int side) { return advance(side, capture::tcpflag::Rst | capture::tcpflag::Ack, {}, 0, true); }
  // A segment at an explicit sequence number relative to the current one (no advance).
  TcpSpec at(int side, std::int64_t relative, const Bytes& data) {
    TcpSpec s = base(side);
    s.seq = static_cast<std::uint32_t>(seq_[side] + relative);
    s.flags = capture::tcpflag::Ack | capture::tcpflag::Psh;
    s.payload = data;
    return s;
  }
  std::uint32_t seq(int side) const { return seq_[side]; }
  void skip(int side, std::uint32_t n) { seq_[side] += n; }

 private:
  TcpSpec base(int side) const {
    TcpSpec s;
    s.source = side == 0 ? client_ : server_;
    s.destination = side == 0 ? server_ : client_;
    s.seq = seq_[side];
    s.ack = seq_[1 - side];
    return s;
  }
  TcpSpec advance(int side, std::uint8_t flags, const Bytes& data, std::size_t consumes, bool withAck) {
    TcpSpec s = base(side);
    s.flags = flags;
    if (!withAck) s.ack = 0;
    s.payload = data;
    seq_[side] += static_cast<std::uint32_t>(consumes);
    return s;
  }
  Endpoint client_;
  Endpoint server_;
  std::uint32_t seq_[2];
};

struct FrameSpec {
  Bytes bytes;
  std::uint32_t originalLength = 0;  // 0 = bytes.size()
};

inline std::vector<FrameSpec> frames(Link link, const std::vector<TcpSpec>& segments, const Ipv6Options& v6 = {}) {
  std::vector<FrameSpec> out;
  std::uint16_t id = 1;
  for (const TcpSpec& s : segments) out.push_back({frame(link, ipPacket(s, v6, id++)), 0});
  return out;
}

inline Bytes pcapBytes(Link link, const std::vector<FrameSpec>& frames, bool nanoseconds = true,
                       bool bigEndian = false, std::uint32_t snaplen = 262144) {
  std::ostringstream out;
  capture::PcapWriter writer(out, linkTypeOf(link), snaplen, nanoseconds, bigEndian);
  std::int64_t t = 1'700'000'000'000'000'000;
  for (const FrameSpec& f : frames) {
    writer.writePacket(Timestamp{t}, f.bytes, f.originalLength);
    t += 1'000'000;  // 1 ms apart
  }
  std::string s = out.str();
  return Bytes(s.begin(), s.end());
}

inline Bytes pcapngBytes(Link link, const std::vector<FrameSpec>& frames, const std::vector<std::string>& keyLogs = {},
                         bool bigEndian = false) {
  std::ostringstream out;
  capture::PcapngWriter writer(out, bigEndian);
  std::uint32_t id = writer.addInterface(linkTypeOf(link), 262144, "test0");
  for (const std::string& k : keyLogs) writer.writeKeyLog(k);
  std::int64_t t = 1'700'000'000'000'000'000;
  for (const FrameSpec& f : frames) {
    writer.writePacket(id, Timestamp{t}, f.bytes, f.originalLength);
    t += 1'000'000;
  }
  std::string s = out.str();
  return Bytes(s.begin(), s.end());
}

// A file in a per-test temporary folder, removed with the object.
class TempFile {
 public:
  explicit TempFile(const std::string& name, ByteView content = {}) {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("tlslab-capture-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
    path_ = dir_ / name;
    std::ofstream out(path_, std::ios::binary);
    out.write(reinterpret_cast<const char*>(content.data()), static_cast<std::streamsize>(content.size()));
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path dir_;
  std::filesystem::path path_;
};

}  // namespace tlslab::test
