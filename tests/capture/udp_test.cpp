// UDP decode and flows (capture/Udp.hpp): frames built by hand go through the
// whole CaptureProcessor; a real capture is counted against tshark.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "PcapBuilder.hpp"
#include "support/TestPaths.hpp"
#include "tlslab/capture/CaptureProcessor.hpp"
#include "tlslab/capture/Source.hpp"

namespace tlslab::test {
namespace {

using capture::CloseReason;
using capture::Direction;

struct UdpSink : capture::StreamSink {
  std::vector<capture::UdpFlowInfo> opened, closed;
  std::vector<std::pair<capture::FlowDatagram, std::string>> datagrams;
  std::vector<capture::CaptureDiagnostic> diagnostics;
  void onUdpFlowOpened(const capture::UdpFlowInfo& i) override { opened.push_back(i); }
  void onUdpFlowClosed(const capture::UdpFlowInfo& i) override { closed.push_back(i); }
  void onDatagram(const capture::FlowDatagram& d) override {
    datagrams.emplace_back(d, std::string(d.data.begin(), d.data.end()));
    datagrams.back().first.data = {};
  }
  void onDiagnostic(const capture::CaptureDiagnostic& d) override { diagnostics.push_back(d); }
};

// A raw-IP frame (LINKTYPE_RAW) carrying one UDP datagram; `lengthDelta` skews the UDP length field.
Bytes udpFrame(const Endpoint& from, const Endpoint& to, std::string_view payload, int lengthDelta = 0,
               std::size_t trailing = 0) {
  Bytes udp;
  put16(udp, from.port);
  put16(udp, to.port);
  put16(udp, static_cast<std::uint16_t>(8 + payload.size() + lengthDelta));
  put16(udp, 0);  // checksum 0: "no checksum" (RFC 768), allowed for IPv4
  udp.insert(udp.end(), payload.begin(), payload.end());
  udp.insert(udp.end(), trailing, 0);
  Bytes ip;
  if (!from.ipv6) {
    ip = {0x45, 0};
    put16(ip, static_cast<std::uint16_t>(20 + udp.size()));
    ip.insert(ip.end(), {0, 1, 0x40, 0, 64, 17, 0, 0});
    ip.insert(ip.end(), from.address.begin(), from.address.begin() + 4);
    ip.insert(ip.end(), to.address.begin(), to.address.begin() + 4);
    set16(ip, 10, checksum(ip));
  } else {
    ip = {0x60, 0, 0, 0};
    put16(ip, static_cast<std::uint16_t>(udp.size()));
    ip.insert(ip.end(), {17, 64});
    ip.insert(ip.end(), from.address.begin(), from.address.end());
    ip.insert(ip.end(), to.address.begin(), to.address.end());
  }
  ip.insert(ip.end(), udp.begin(), udp.end());
  return ip;
}

void feed(capture::CaptureProcessor& p, const Bytes& frame, std::uint64_t n, std::int64_t seconds) {
  capture::RawPacket raw;
  raw.linkType = capture::linktype::Raw;
  raw.frame = n;
  raw.time = Timestamp{seconds * 1'000'000'000};
  raw.data = frame;
  raw.originalLength = static_cast<std::uint32_t>(frame.size());
  p.processPacket(raw);
}

TEST(UdpFlows, DatagramsOfBothDirectionsFormOneFlowPerFourTuple) {
  const Endpoint client = endpoint("10.0.0.1", 50000), server = endpoint("10.0.0.2", 443);
  const Endpoint other = endpoint("10.0.0.1", 50001);
  UdpSink sink;
  capture::CaptureProcessor p(sink);
  feed(p, udpFrame(client, server, "one"), 1, 0);
  feed(p, udpFrame(server, client, "two"), 2, 0);
  feed(p, udpFrame(other, server, "three"), 3, 1);
  feed(p, udpFrame(client, server, "four", 0, 6), 4, 1);  // 6 bytes of link padding after the datagram
  p.finish();
  ASSERT_EQ(sink.opened.size(), 2u);
  EXPECT_EQ(sink.opened[0].client, client);
  EXPECT_EQ(sink.opened[0].server, server);
  ASSERT_EQ(sink.datagrams.size(), 4u);
  EXPECT_EQ(sink.datagrams[1].first.direction, Direction::ServerToClient);
  EXPECT_EQ(sink.datagrams[1].first.flow, 0u);
  EXPECT_EQ(sink.datagrams[2].first.flow, 1u);
  EXPECT_EQ(sink.datagrams[3].second, "four");  // padding is not payload
  EXPECT_EQ(sink.datagrams[3].first.index, 2u);
  EXPECT_EQ(sink.datagrams[3].first.frame, 4u);
  ASSERT_EQ(sink.closed.size(), 2u);
  EXPECT_EQ(sink.closed[0].closed, CloseReason::EndOfCapture);
  EXPECT_EQ(sink.closed[0].datagrams[0], 2u);
  EXPECT_EQ(sink.closed[0].datagrams[1], 1u);
  EXPECT_EQ(p.stats().udpDatagrams, 4u);
  EXPECT_EQ(p.stats().tcpSegments, 0u);
  EXPECT_TRUE(sink.diagnostics.empty());
}

TEST(UdpFlows, AServerPortSendingFirstIsStillTheServer) {
  UdpSink sink;
  capture::CaptureProcessor p(sink);
  const Endpoint client = endpoint("::1", 40000), server = endpoint("::1", 443);
  feed(p, udpFrame(server, client, "late start"), 1, 0);
  p.finish();
  ASSERT_EQ(sink.opened.size(), 1u);
  EXPECT_TRUE(sink.opened[0].server.ipv6);
  EXPECT_EQ(sink.opened[0].server.port, 443);
  EXPECT_EQ(sink.datagrams.at(0).first.direction, Direction::ServerToClient);
  EXPECT_EQ(sink.datagrams.at(0).second, "late start");
}

TEST(UdpFlows, IdleFlowsCloseAndTheFlowTableIsBounded) {
  capture::ProcessorOptions options;
  options.udp.maxOpenFlows = 2;
  options.udp.idleTimeoutNanos = 10'000'000'000;
  UdpSink sink;
  capture::CaptureProcessor p(sink, options);
  const Endpoint server = endpoint("10.0.0.2", 53);
  for (std::uint16_t i = 0; i < 3; ++i) feed(p, udpFrame(endpoint("10.0.0.1", 40000 + i), server, "q"), i + 1, 0);
  ASSERT_EQ(sink.closed.size(), 1u);
  EXPECT_EQ(sink.closed[0].closed, CloseReason::Evicted);
  EXPECT_EQ(sink.closed[0].id, 0u);
  EXPECT_EQ(sink.diagnostics.size(), 1u);
  feed(p, udpFrame(endpoint("10.0.0.1", 40002), server, "q"), 4, 5);
  feed(p, udpFrame(endpoint("10.0.0.1", 40003), server, "q"), 5, 12);  // flow 1 silent for 12 s
  ASSERT_EQ(sink.closed.size(), 2u);
  EXPECT_EQ(sink.closed[1].closed, CloseReason::Idle);
  EXPECT_EQ(sink.closed[1].id, 1u);
  p.finish();
  EXPECT_EQ(sink.closed.size(), 4u);
}

TEST(UdpDecode, ShortOrInconsistentHeadersAreDiagnosedNeverDelivered) {
  const Endpoint a = endpoint("10.0.0.1", 1000), b = endpoint("10.0.0.2", 2000);
  UdpSink sink;
  capture::CaptureProcessor p(sink);
  Bytes shortHeader = udpFrame(a, b, "");
  shortHeader.resize(20 + 5);
  set16(shortHeader, 2, 25);
  set16(shortHeader, 10, 0);
  set16(shortHeader, 10, checksum(ByteView(shortHeader).first(20)));
  feed(p, shortHeader, 1, 0);
  feed(p, udpFrame(a, b, "abc", -6), 2, 0);  // UDP length 5 < 8
  feed(p, udpFrame(a, b, "abcdef", +10), 3, 0);  // longer than the IP payload: read to the IP end
  p.finish();
  ASSERT_EQ(sink.diagnostics.size(), 3u);
  EXPECT_NE(sink.diagnostics[0].diagnostic.message.find("truncated"), std::string::npos);
  EXPECT_EQ(sink.diagnostics[1].diagnostic.offset, std::optional<std::size_t>(4));
  EXPECT_NE(sink.diagnostics[1].diagnostic.message.find("below the 8-byte header"), std::string::npos);
  ASSERT_EQ(sink.datagrams.size(), 1u);
  EXPECT_EQ(sink.datagrams[0].second, "abcdef");
}

// tshark counts the UDP datagrams and conversations of a real capture; the flow table must agree.
TEST(UdpFlows, RealCaptureMatchesTsharksUdpConversations) {
  const auto file = conformanceDir() / "wireshark/captures/quic-fragmented-handshakes.pcapng.gz";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << "no conformance capture " << file;
  if (std::system("command -v tshark >/dev/null 2>&1") != 0) GTEST_SKIP() << "no tshark";
  UdpSink sink;
  auto summary = capture::readCapture(file, sink);
  ASSERT_TRUE(summary.ok()) << summary.error().message();
  // One line per datagram: "<udp.stream> <udp.length>".
  auto out = run("tshark -r " + file.string() + " -Y udp -T fields -e udp.stream -e udp.length 2>/dev/null");
  std::istringstream in(out.out);
  std::map<std::uint64_t, std::uint64_t> perStream;
  std::vector<std::uint64_t> lengths;
  std::string line;
  while (std::getline(in, line)) {
    unsigned long long stream = 0, length = 0;
    if (std::sscanf(line.c_str(), "%llu\t%llu", &stream, &length) != 2) continue;  // tshark's warnings
    perStream[stream]++;
    lengths.push_back(length - 8);
  }
  ASSERT_FALSE(lengths.empty()) << out.out;
  ASSERT_EQ(sink.datagrams.size(), lengths.size());
  for (std::size_t i = 0; i < lengths.size(); ++i) EXPECT_EQ(sink.datagrams[i].second.size(), lengths[i]) << i;
  ASSERT_EQ(sink.opened.size(), perStream.size());
  for (const auto& c : sink.closed) EXPECT_EQ(c.datagrams[0] + c.datagrams[1], perStream[c.id]) << c.id;
}

}  // namespace
}  // namespace tlslab::test
