// Link types, IPv4/IPv6 decoding, extension headers and fragment reassembly.
#include <gtest/gtest.h>

#include "CaptureTestUtil.hpp"

namespace tlslab::test {
namespace {

std::vector<TcpSpec> simpleExchange(const Endpoint& client, const Endpoint& server) {
  Conversation c(client, server);
  auto segs = c.handshake();
  segs.push_back(c.send(0, "client bytes"));
  segs.push_back(c.send(1, "server bytes"));
  return segs;
}

class LinkTypes : public ::testing::TestWithParam<std::tuple<Link, bool>> {};

TEST_P(LinkTypes, EveryLinkTypeDeliversTheSameStreams) {
  auto [link, v6] = GetParam();
  Endpoint client = v6 ? endpoint("2001:db8::1", 40000) : endpoint("192.0.2.1", 40000);
  Endpoint server = v6 ? endpoint("2001:db8::2", 25) : endpoint("192.0.2.2", 25);
  auto sink = runSegments(simpleExchange(client, server), {}, link);
  ASSERT_EQ(sink.opened.size(), 1u) << linkTypeOf(link);
  EXPECT_EQ(sink.opened[0].client, client);
  EXPECT_EQ(sink.stream(0, C2S), "client bytes");
  EXPECT_EQ(sink.stream(0, S2C), "server bytes");
  EXPECT_TRUE(sink.diagnostics.empty()) << sink.diagnostics[0].diagnostic.message;
}

std::vector<std::tuple<Link, bool>> linkCases() {
  std::vector<std::tuple<Link, bool>> cases;
  for (Link link : {Link::Ethernet, Link::EthernetVlan, Link::EthernetQinQ, Link::Sll, Link::Sll2, Link::Raw, Link::Null,
                    Link::NullBigEndian, Link::Loop}) {
    cases.emplace_back(link, false);
    cases.emplace_back(link, true);
  }
  cases.emplace_back(Link::Ipv4, false);  // LINKTYPE_IPV4/IPV6 carry one version each
  cases.emplace_back(Link::Ipv6, true);
  return cases;
}

INSTANTIATE_TEST_SUITE_P(AllLinks, LinkTypes, ::testing::ValuesIn(linkCases()));

TEST(Decode, Ipv6ExtensionHeadersAreSkippedToReachTcp) {
  Endpoint client = endpoint("2001:db8::10", 40001), server = endpoint("2001:db8::20", 443);
  Ipv6Options v6{{0, 43, 60}};  // hop-by-hop, routing, destination options
  auto sink = runFrames(Link::Ethernet, frames(Link::Ethernet, simpleExchange(client, server), v6));
  EXPECT_EQ(sink.stream(0, C2S), "client bytes");
  EXPECT_TRUE(sink.diagnostics.empty());
}

TEST(Decode, Ipv4FragmentsAreReassembledInAnyOrder) {
  Conversation c(kClient, kServer);
  auto segs = c.handshake();
  std::string big(1000, 'z');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  TcpSpec data = c.send(0, big);
  auto fs = frames(Link::Raw, segs);
  auto pieces = fragmentIpv4(ipPacket(data), 256);
  ASSERT_EQ(pieces.size(), 5u);
  std::swap(pieces[0], pieces[3]);  // out of order
  pieces.push_back(pieces[1]);      // and a duplicate
  for (auto& p : pieces) fs.push_back({frame(Link::Raw, p), 0});
  auto sink = runFrames(Link::Raw, fs);
  EXPECT_EQ(sink.stream(0, C2S), big);
}

TEST(Decode, Ipv6FragmentsAreReassembled) {
  Endpoint client = endpoint("2001:db8::1", 40002), server = endpoint("2001:db8::2", 993);
  Conversation c(client, server);
  auto segs = c.handshake();
  std::string big(700, 'q');
  TcpSpec data = c.send(0, big);
  auto fs = frames(Link::Ethernet, segs);
  for (auto& p : fragmentIpv6(ipPacket(data), 200)) fs.push_back({frame(Link::Ethernet, p), 0});
  auto sink = runFrames(Link::Ethernet, fs);
  EXPECT_EQ(sink.stream(0, C2S), big);
}

TEST(Decode, IncompleteFragmentsNeverProduceData) {
  Conversation c(kClient, kServer);
  TcpSpec data = c.send(0, std::string(600, 'k'));
  auto pieces = fragmentIpv4(ipPacket(data), 200);
  pieces.pop_back();  // the last fragment is missing
  std::vector<FrameSpec> fs;
  for (auto& p : pieces) fs.push_back({frame(Link::Raw, p), 0});
  auto sink = runFrames(Link::Raw, fs);
  EXPECT_TRUE(sink.chunks.empty());
}

TEST(Decode, TruncatedIpv4HeaderIsDiagnosedWithFrameNumber) {
  Bytes ip = ipPacket(Conversation(kClient, kServer).send(0, "x"));
  ip.resize(12);
  auto sink = runFrames(Link::Raw, {{frame(Link::Raw, ip), 0}});
  ASSERT_TRUE(sink.hasDiagnostic("truncated"));
  EXPECT_EQ(sink.diagnostics[0].frame, 1u);
  EXPECT_EQ(sink.diagnostics[0].diagnostic.where, "IPv4 header");
}

TEST(Decode, TcpDataOffsetBelowMinimumIsDiagnosed) {
  Bytes ip = ipPacket(Conversation(kClient, kServer).send(0, "x"));
  ip[20 + 12] = 0x30;  // data offset 3 words
  auto sink = runFrames(Link::Raw, {{frame(Link::Raw, ip), 0}});
  EXPECT_TRUE(sink.hasDiagnostic("below the minimum 20"));
  EXPECT_TRUE(sink.chunks.empty());
}

TEST(Decode, EthernetPaddingAfterTheIpPacketIsNotPayload) {
  Conversation c(kClient, kServer);
  auto segs = c.handshake();
  auto fs = frames(Link::Ethernet, segs);
  Bytes f = frame(Link::Ethernet, ipPacket(c.send(0, "ab")));
  f.insert(f.end(), 6, 0xEE);  // padding to the 60-byte Ethernet minimum
  fs.push_back({f, 0});
  auto sink = runFrames(Link::Ethernet, fs);
  EXPECT_EQ(sink.stream(0, C2S), "ab");
}

TEST(Decode, SnaplenCutPayloadIsDeliveredUpToTheCutThenAGap) {
  Conversation c(kClient, kServer);
  auto segs = c.handshake();
  auto fs = frames(Link::Ethernet, segs);
  Bytes full = frame(Link::Ethernet, ipPacket(c.send(0, std::string(100, 'p'))));
  Bytes cut(full.begin(), full.end() - 60);
  fs.push_back({cut, static_cast<std::uint32_t>(full.size())});
  fs.push_back({frame(Link::Ethernet, ipPacket(c.send(0, "next"))), 0});
  auto sink = runFrames(Link::Ethernet, fs);
  EXPECT_EQ(sink.stream(0, C2S), std::string(40, 'p') + "next");
  ASSERT_EQ(sink.gaps.size(), 1u);
  EXPECT_EQ(sink.gaps[0].offset, 40u);
  EXPECT_EQ(sink.gaps[0].size, 60u);
  EXPECT_NE(sink.gaps[0].reason.find("snaplen"), std::string::npos);
  EXPECT_TRUE(sink.chunks.back().afterGap);
}

TEST(Decode, NonIpFramesAreSkippedQuietly) {
  Bytes arp{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 2, 0, 0, 0, 0, 1, 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1};
  auto sink = runFrames(Link::Ethernet, {{arp, 0}});
  EXPECT_TRUE(sink.diagnostics.empty());
  EXPECT_TRUE(sink.opened.empty());
}

TEST(Decode, FrameShorterThanItsLinkHeaderIsDiagnosed) {
  auto sink = runFrames(Link::Sll2, {{Bytes{0x08, 0x00, 0, 0}, 0}});
  EXPECT_TRUE(sink.hasDiagnostic("shorter than its link-layer header"));
}

}  // namespace
}  // namespace tlslab::test
