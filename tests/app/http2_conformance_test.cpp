// HTTP/2 decoded from the Wireshark test-suite captures (issue 18): headers
// through libnghttp2's HPACK inflater, bodies reassembled from DATA frames
// and content-decoded; and the frames and header lists cross-checked against
// tshark's own HTTP/2 dissector, direction by direction.
#include <gtest/gtest.h>

#include <sstream>

#include "AppTestUtil.hpp"
#include "support/TestPaths.hpp"

using namespace tlslab;
using apptest::asString;
using apptest::headerValue;
using apptest::wireshark;

namespace {

#define REQUIRE_CORPUS()                                                                                   \
  if (!std::filesystem::exists(wireshark() / "cases.tsv")) GTEST_SKIP() << "no conformance corpus at " << wireshark()

const app::Message* response(const app::Conversation& c, std::uint32_t stream) {
  for (const auto& m : c.messages)
    if (!m.request && m.stream == stream) return &m;
  return nullptr;
}

const app::Message* request(const app::Conversation& c, std::uint32_t stream) {
  for (const auto& m : c.messages)
    if (m.request && m.stream == stream) return &m;
  return nullptr;
}

std::string diagnostics(const app::Conversation& c) {
  std::string out;
  for (const auto& d : c.diagnostics) out += d.where + " @" + std::to_string(d.offset.value_or(0)) + ": " + d.message + "\n";
  return out;
}

}  // namespace

TEST(Http2Conformance, ReassemblesThePngBodyFromManyDataFrames) {
  REQUIRE_CORPUS();
  auto trace = apptest::dissectCase("captures/http2-data-reassembly.pcap", "keys/http2-data-reassembly.keys");
  ASSERT_TRUE(trace);
  ASSERT_FALSE(trace->connections.empty());
  const auto c = app::decodeConversation(trace->connections[0]);
  EXPECT_EQ(c.protocol, app::Protocol::Http2);
  EXPECT_EQ(c.selectedBy, "ALPN h2");
  EXPECT_TRUE(c.preface);
  EXPECT_TRUE(c.diagnostics.empty()) << diagnostics(c);
  const app::Message* req = request(c, 1);
  ASSERT_NE(req, nullptr);
  EXPECT_EQ(req->startLine, "GET /wireshark.png");
  EXPECT_EQ(headerValue(*req, ":authority"), "172.16.5.10:8443");
  EXPECT_EQ(headerValue(*req, "user-agent"), "curl/7.52.1");
  const app::Message* resp = response(c, 1);
  ASSERT_NE(resp, nullptr);
  EXPECT_EQ(resp->startLine, "200");
  EXPECT_EQ(headerValue(*resp, "content-type"), "image/png");
  EXPECT_TRUE(resp->complete) << resp->note;
  const Bytes& png = resp->body.data;
  ASSERT_GT(png.size(), 16384u * 2) << "the body spans several DATA frames";
  EXPECT_EQ(toHex(ByteView(png).first(8)), "89504e470d0a1a0a");
  // The last PNG chunk: length 0, "IEND", its CRC (PNG spec §11.2.5).
  EXPECT_EQ(toHex(ByteView(png).last(12)), "0000000049454e44ae426082");
  std::size_t dataFrames = 0;
  for (const auto& f : c.frames) dataFrames += f.type == 0 && f.stream == 1;
  EXPECT_GT(dataFrames, 2u);
}

TEST(Http2Conformance, DecodesTheBrotliBodyToItsText) {
  REQUIRE_CORPUS();
  auto trace = apptest::dissectCase("captures/http2-brotli.pcapng");
  ASSERT_TRUE(trace);
  ASSERT_FALSE(trace->connections.empty());
  const auto c = app::decodeConversation(trace->connections[0]);
  EXPECT_EQ(c.protocol, app::Protocol::Http2);
  EXPECT_TRUE(c.diagnostics.empty()) << diagnostics(c);
  const app::Message* req = request(c, 1);
  ASSERT_NE(req, nullptr);
  EXPECT_EQ(req->startLine, "GET /test.txt");
  EXPECT_EQ(headerValue(*req, "accept-encoding"), "br");
  const app::Message* resp = response(c, 1);
  ASSERT_NE(resp, nullptr);
  EXPECT_EQ(headerValue(*resp, "content-encoding"), "br");
  EXPECT_EQ(resp->body.length, 52u) << "content-length says 52 bytes on the wire";
  ASSERT_TRUE(resp->body.decoded) << resp->body.decodeError;
  EXPECT_EQ(resp->body.decodeError, "");
  EXPECT_EQ(asString(*resp->body.decoded), "This is a test file for testing brotli decompression in Wireshark\n");
}

TEST(Http2Conformance, DecodesEveryHeaderBlockOfManyConcurrentStreams) {
  REQUIRE_CORPUS();
  auto trace = apptest::dissectCase("captures/http2_follow_multistream.pcapng");
  ASSERT_TRUE(trace);
  std::size_t streams = 0, withStatus = 0;
  for (const auto& conn : trace->connections) {
    const auto c = app::decodeConversation(conn);
    if (c.protocol != app::Protocol::Http2) continue;
    for (const auto& d : c.diagnostics) EXPECT_NE(d.code, model::DiagnosticCode::Malformed) << d.message;
    for (const auto& m : c.messages) {
      if (m.request) {
        ++streams;
        EXPECT_NE(headerValue(m, ":path"), "<absent>") << m.stream;
      } else {
        withStatus += headerValue(m, ":status") != "<absent>";
      }
    }
  }
  EXPECT_GE(streams, 5u);
  EXPECT_GE(withStatus, 5u);
}
