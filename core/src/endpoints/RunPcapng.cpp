#include "tlslab/endpoints/RunPcapng.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <set>

#include "tlslab/capture/Pcapng.hpp"
#include "tlslab/util/ByteWriter.hpp"

namespace tlslab::endpoints {

namespace {

constexpr int kLinkTypeEthernet = 1;
constexpr std::size_t kMaxSegment = 16384;  // keep packets well under the snaplen
constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kPsh = 0x08, kAck = 0x10;

struct Ip {
  bool v6 = false;
  std::uint8_t bytes[16] = {};
};

bool parseIp(const std::string& text, Ip& ip) {
  if (inet_pton(AF_INET, text.c_str(), ip.bytes) == 1) return true;
  ip.v6 = true;
  return inet_pton(AF_INET6, text.c_str(), ip.bytes) == 1;
}

// A checksum is known only once the bytes it covers are written: fill it in place.
void setU16(Bytes& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}

// RFC 1071 ones'-complement sum.
std::uint32_t sum16(const std::uint8_t* data, std::size_t len, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i + 1 < len; i += 2) sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
  if (len % 2 != 0) sum += static_cast<std::uint32_t>(data[len - 1] << 8);
  return sum;
}
std::uint16_t fold(std::uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

// One direction's TCP state while synthesizing.
struct Side {
  Ip ip;
  std::uint16_t port = 0;
  std::uint32_t seq = 0;
};

class Synthesizer {
 public:
  Synthesizer(capture::PcapngWriter& writer, std::uint32_t interfaceId) : writer_(writer), interface_(interfaceId) {}

  void segment(TimeUs time, const Side& from, const Side& to, std::uint32_t ack, std::uint8_t flags, ByteView payload) {
    ByteWriter tcpw;
    tcpw.u16(from.port).u16(to.port).u32(from.seq).u32((flags & kAck) ? ack : 0);
    tcpw.u8(5 << 4).u8(flags);  // data offset: 20 bytes, no options
    tcpw.u16(65535).u16(0).u16(0);  // window, checksum (filled below), urgent pointer
    tcpw.bytes(payload);
    Bytes tcp = std::move(tcpw).take();
    ByteWriter fw;
    fw.zeros(12);  // Ethernet: zero MACs (loopback has none)
    fw.u16(from.ip.v6 ? 0x86dd : 0x0800);
    const std::size_t ipStart = fw.size();
    if (from.ip.v6) {
      fw.u32(0x60000000).u16(tcp.size()).u8(6).u8(64);  // payload length, next header TCP, hop limit
      fw.bytes(ByteView(from.ip.bytes, 16)).bytes(ByteView(to.ip.bytes, 16));
    } else {
      fw.u8(0x45).u8(0).u16(20 + tcp.size()).u16(ipId_++);
      fw.u16(0x4000).u8(64).u8(6).u16(0);  // don't fragment, TTL, TCP, checksum (filled below)
      fw.bytes(ByteView(from.ip.bytes, 4)).bytes(ByteView(to.ip.bytes, 4));
    }
    Bytes frame = std::move(fw).take();
    if (!from.ip.v6) setU16(frame, ipStart + 10, fold(sum16(frame.data() + ipStart, 20)));
    setU16(tcp, 16, fold(sum16(tcp.data(), tcp.size(), pseudoHeaderSum(from, to, tcp.size()))));
    frame.insert(frame.end(), tcp.begin(), tcp.end());
    writer_.writePacket(interface_, capture::Timestamp{time * 1000}, frame);
  }

 private:
  static std::uint32_t pseudoHeaderSum(const Side& from, const Side& to, std::size_t tcpLength) {
    std::size_t addrLen = from.ip.v6 ? 16 : 4;
    std::uint32_t sum = sum16(from.ip.bytes, addrLen) + sum16(to.ip.bytes, addrLen);
    return sum + 6 + static_cast<std::uint32_t>(tcpLength);
  }

  capture::PcapngWriter& writer_;
  std::uint32_t interface_;
  std::uint16_t ipId_ = 1;
};

// One TCP segment's worth: a socket write, and how many of the peer's bytes
// its writer had read before it (what the write may depend on).
struct Write {
  TimeUs time = 0;
  bool fromClient = true;
  Bytes bytes;
  std::size_t peerBytesRead = 0;
};

std::vector<Write> writesOf(const std::vector<Event>& events, bool fromClient) {
  std::vector<Write> writes;
  std::size_t read = 0;
  for (const auto& e : events)
    if (const auto* w = std::get_if<WireEvent>(&e)) {
      if (w->sent) writes.push_back({w->time, fromClient, w->bytes, read});
      else read += w->bytes.size();
    }
  return writes;
}

// Both sides' writes in an order that respects cause and effect: a write
// comes after the peer's bytes its writer had read. Two threads' clocks
// alone cannot say (a writer may record its write after the peer already
// answered it); the time decides only between writes that are both possible.
std::vector<Write> mergeWrites(const std::vector<Write>& client, const std::vector<Write>& server) {
  std::vector<Write> merged;
  std::size_t i = 0, j = 0, clientBytes = 0, serverBytes = 0;
  while (i < client.size() || j < server.size()) {
    const bool clientReady = i < client.size() && client[i].peerBytesRead <= serverBytes;
    const bool serverReady = j < server.size() && server[j].peerBytesRead <= clientBytes;
    bool takeClient = clientReady && !serverReady;
    if (clientReady == serverReady)  // both possible, or (an inconsistent record) neither: go by time
      takeClient = j >= server.size() || (i < client.size() && client[i].time <= server[j].time);
    const Write& w = takeClient ? client[i++] : server[j++];
    (takeClient ? clientBytes : serverBytes) += w.bytes.size();
    merged.push_back(w);
    if (merged.size() > 1) merged.back().time = std::max(merged.back().time, merged[merged.size() - 2].time);
  }
  return merged;
}

// The connection's socket writes, in order. Server writes come from the
// server's own record when there is one; else from the client's reads,
// joined while no client write comes between them (OpenSSL reads a record
// header and its body separately, which is not how they crossed the wire).
std::vector<Write> writesOf(const RecordedConnection& conn) {
  std::vector<Write> server = writesOf(conn.serverEvents, false);
  if (!server.empty()) return mergeWrites(writesOf(conn.clientEvents, true), server);
  std::vector<Write> writes;
  bool joining = false;
  for (const auto& e : conn.clientEvents) {
    const auto* w = std::get_if<WireEvent>(&e);
    if (w == nullptr) continue;
    if (w->sent) {
      writes.push_back({w->time, true, w->bytes, 0});
      joining = false;
    } else if (joining) {
      writes.back().bytes.insert(writes.back().bytes.end(), w->bytes.begin(), w->bytes.end());
    } else {
      writes.push_back({w->time, false, w->bytes, 0});
      joining = true;
    }
  }
  return writes;
}

std::string writeConnection(Synthesizer& synth, const RecordedConnection& conn, std::uint32_t isn) {
  Side client, server;
  if (!parseIp(conn.peers.clientAddress, client.ip) || !parseIp(conn.peers.serverAddress, server.ip) ||
      client.ip.v6 != server.ip.v6)
    return "cannot write packets for " + conn.peers.clientAddress + " -> " + conn.peers.serverAddress;
  client.port = conn.peers.clientPort;
  server.port = conn.peers.serverPort;
  client.seq = isn;
  server.seq = isn ^ 0x5a5a5a5a;
  const std::vector<Write> writes = writesOf(conn);
  TimeUs start = writes.empty() ? nowUs() : writes.front().time;
  // The three-way handshake the wire tap cannot see (it starts after connect()).
  synth.segment(start, client, server, 0, kSyn, {});
  ++client.seq;
  synth.segment(start, server, client, client.seq, kSyn | kAck, {});
  ++server.seq;
  synth.segment(start, client, server, server.seq, kAck, {});
  TimeUs last = start;
  for (const Write& w : writes) {
    Side& from = w.fromClient ? client : server;
    Side& to = w.fromClient ? server : client;
    for (std::size_t off = 0; off < w.bytes.size(); off += kMaxSegment) {
      std::size_t n = std::min(kMaxSegment, w.bytes.size() - off);
      synth.segment(w.time, from, to, to.seq, kPsh | kAck, ByteView(w.bytes).subspan(off, n));
      from.seq += static_cast<std::uint32_t>(n);
    }
    last = w.time;
  }
  synth.segment(last, client, server, server.seq, kFin | kAck, {});
  ++client.seq;
  synth.segment(last, server, client, client.seq, kFin | kAck, {});
  ++server.seq;
  synth.segment(last, client, server, server.seq, kAck, {});
  return {};
}

}  // namespace

std::string keyLogText(const std::vector<Event>& events) {
  std::string text;
  for (const auto& e : events)
    if (const auto* k = std::get_if<KeyLogEvent>(&e)) text += k->line + "\n";
  return text;
}

std::string writeRunPcapng(std::ostream& out, const std::vector<RecordedConnection>& connections) {
  capture::PcapngWriter writer(out);
  std::uint32_t interfaceId = writer.addInterface(kLinkTypeEthernet, 262144, "tlslab-run");
  // Both sides' key logs: a server may log secrets a client that gave up never did.
  std::string keys;
  std::set<std::string> seen;
  for (const auto& conn : connections)
    for (const auto* events : {&conn.clientEvents, &conn.serverEvents})
      for (const auto& e : *events)
        if (const auto* k = std::get_if<KeyLogEvent>(&e); k && seen.insert(k->line).second) keys += k->line + "\n";
  // Secrets first: readers apply a DSB to the packets that follow it.
  if (!keys.empty()) writer.writeKeyLog(keys);
  Synthesizer synth(writer, interfaceId);
  std::uint32_t isn = 0x10000000;
  for (const auto& conn : connections) {
    if (auto err = writeConnection(synth, conn, isn); !err.empty()) return err;
    isn += 0x01000000;
  }
  return writer.ok() ? "" : "writing the capture failed";
}

}  // namespace tlslab::endpoints
