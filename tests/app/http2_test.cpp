// HTTP/2 framing and streams on frames built here (HPACK by libnghttp2's
// encoder): padding, CONTINUATION, the dynamic table across blocks, push,
// resets, and every malformed or oversized case ending in a diagnostic.
#include <gtest/gtest.h>

#include "AppTestUtil.hpp"
#include "Builders.hpp"
#include "tlslab/app/Render.hpp"

using namespace tlslab;
using namespace tlslab::apptest;

namespace {

app::Conversation decodeH2(const std::vector<std::pair<bool, Bytes>>& turns, const app::Limits& limits = {}) {
  const auto c = chunks(turns);
  return app::decodeConversation(c, "h2", "", limits);
}

bool hasDiagnostic(const app::Conversation& c, model::DiagnosticCode code, std::size_t offset) {
  for (const auto& d : c.diagnostics)
    if (d.code == code && d.offset == offset) return true;
  return false;
}

std::string all(const app::Conversation& c) { return app::conversationText(c); }

}  // namespace

TEST(Http2, DecodesHeadersAcrossContinuationAndAPaddedGzipBody) {
  Hpack client, server;
  const Bytes req = client.block({{":method", "PUT"}, {":path", "/up"}, {":scheme", "https"}, {":authority", "h"}});
  const Bytes resp = server.block({{":status", "201"}, {"content-encoding", "gzip"}, {"content-type", "text/plain"}});
  const Bytes body = gzip("stored, thank you\n");
  Bytes padded = {5};  // Pad Length 5, then the data, then 5 zero bytes
  padded.insert(padded.end(), body.begin(), body.end());
  padded.insert(padded.end(), 5, 0);
  const Bytes head1(req.begin(), req.begin() + 3), head2(req.begin() + 3, req.end());
  auto c = decodeH2({{true, cat({kPreface, frame(4, 0, 0, {}), frame(1, 0, 1, head1), frame(9, 4, 1, head2)})},
                     {true, frame(0, 1, 1, toBytes("file contents"))},
                     {false, cat({frame(4, 0, 0, {}), frame(1, 4, 1, resp), frame(0, 0x9, 1, padded)})}});
  EXPECT_TRUE(c.diagnostics.empty()) << all(c);
  ASSERT_EQ(c.messages.size(), 2u);
  EXPECT_EQ(c.messages[0].startLine, "PUT /up");
  EXPECT_EQ(asString(c.messages[0].body.data), "file contents");
  EXPECT_TRUE(c.messages[0].complete);
  EXPECT_EQ(c.messages[1].startLine, "201");
  ASSERT_TRUE(c.messages[1].body.decoded);
  EXPECT_EQ(asString(*c.messages[1].body.decoded), "stored, thank you\n");
  EXPECT_EQ(c.frames.size(), 7u);
  const std::string text = all(c);
  EXPECT_NE(text.find("=== stream 1 ==="), std::string::npos) << text;
  EXPECT_NE(text.find("stored, thank you"), std::string::npos) << text;
  EXPECT_NE(text.find("5 bytes of padding"), std::string::npos) << text;
}

TEST(Http2, TheDynamicTableCarriesOverFromOneBlockToTheNext) {
  Hpack client;
  const Bytes first = client.block({{":method", "GET"}, {":path", "/a"}, {"x-custom", "a long custom value"}});
  const Bytes second = client.block({{":method", "GET"}, {":path", "/b"}, {"x-custom", "a long custom value"}});
  ASSERT_LT(second.size(), first.size()) << "the second block refers to the dynamic table";
  auto c = decodeH2({{true, cat({kPreface, frame(1, 5, 1, first), frame(1, 5, 3, second)})}});
  ASSERT_EQ(c.messages.size(), 2u);
  EXPECT_EQ(headerValue(c.messages[1], "x-custom"), "a long custom value");
  EXPECT_EQ(c.messages[1].startLine, "GET /b");
}

TEST(Http2, APushPromiseBecomesThePromisedStreamsRequest) {
  Hpack client, server;
  Bytes promise = {0, 0, 0, 2};
  const Bytes pushed = server.block({{":method", "GET"}, {":path", "/style.css"}, {":scheme", "https"}, {":authority", "h"}});
  promise.insert(promise.end(), pushed.begin(), pushed.end());
  auto c = decodeH2({{true, cat({kPreface, frame(1, 5, 1, client.block({{":method", "GET"}, {":path", "/"}}))})},
                     {false, cat({frame(5, 4, 1, promise), frame(1, 5, 2, server.block({{":status", "200"}}))})}});
  EXPECT_TRUE(c.diagnostics.empty()) << all(c);
  ASSERT_EQ(c.messages.size(), 3u);
  EXPECT_EQ(c.messages[1].stream, 2u);
  EXPECT_TRUE(c.messages[1].request);
  EXPECT_EQ(c.messages[1].startLine, "GET /style.css");
  EXPECT_NE(c.messages[1].note.find("PUSH_PROMISE on stream 1"), std::string::npos);
  EXPECT_EQ(c.messages[2].stream, 2u);
  EXPECT_EQ(c.messages[2].startLine, "200");
}

TEST(Http2, ResetsGoawaySettingsAndUnknownFramesAreNamed) {
  Hpack client;
  auto c = decodeH2({{true, cat({kPreface, frame(4, 0, 0, {0, 3, 0, 0, 0, 100}),
                                 frame(1, 5, 1, client.block({{":method", "GET"}, {":path", "/"}})),
                                 frame(3, 0, 1, {0, 0, 0, 8}), frame(0x42, 0, 0, {1, 2}),
                                 frame(7, 0, 0, {0, 0, 0, 1, 0, 0, 0, 0}), frame(6, 0, 0, Bytes(8, 7))})}});
  EXPECT_TRUE(c.diagnostics.empty()) << all(c);
  ASSERT_EQ(c.frames.size(), 6u);
  EXPECT_EQ(c.frames[0].summary, "MAX_CONCURRENT_STREAMS=100");
  EXPECT_EQ(c.frames[2].summary, "CANCEL");
  EXPECT_EQ(app::frameTypeName(c.frames[3].type), "0x42");
  EXPECT_EQ(c.frames[4].summary, "last stream 1, NO_ERROR");
  EXPECT_EQ(c.messages[0].note, "stream reset by the client: CANCEL");
}

TEST(Http2, ATruncatedFrameIsADiagnosticAtItsOffset) {
  Bytes cut = frame(0, 0, 1, Bytes(100, 'x'));
  cut.resize(50);
  auto c = decodeH2({{true, cat({kPreface, frame(4, 0, 0, {}), cut})}});
  // The preface (24) and an empty SETTINGS (9) come first.
  EXPECT_TRUE(hasDiagnostic(c, model::DiagnosticCode::Truncated, 33)) << all(c);
}

TEST(Http2, APadLengthPastThePayloadIsMalformed) {
  auto c = decodeH2({{true, cat({kPreface, frame(0, 0x8, 1, {200, 'a', 'b'})})}});
  EXPECT_TRUE(hasDiagnostic(c, model::DiagnosticCode::Malformed, 24 + 9)) << all(c);
  EXPECT_NE(all(c).find("Pad Length 200"), std::string::npos);
}

TEST(Http2, AContinuationWithoutAnOpenBlockIsMalformed) {
  auto c = decodeH2({{true, cat({kPreface, frame(9, 4, 1, {0x82})})}});
  EXPECT_TRUE(hasDiagnostic(c, model::DiagnosticCode::Malformed, 24)) << all(c);
}

TEST(Http2, AFrameInsideAHeaderBlockIsMalformedAndStopsHeaderDecoding) {
  Hpack client;
  const Bytes block = client.block({{":method", "GET"}, {":path", "/"}});
  auto c = decodeH2({{true, cat({kPreface, frame(1, 0, 1, block), frame(4, 0, 0, {}),
                                 frame(1, 5, 3, client.block({{":method", "GET"}, {":path", "/x"}}))})}});
  EXPECT_TRUE(hasDiagnostic(c, model::DiagnosticCode::Malformed, 24 + 9 + block.size())) << all(c);
  EXPECT_NE(all(c).find("HPACK context was lost"), std::string::npos) << all(c);
}

TEST(Http2, BrokenHpackIsADiagnosticNotACrash) {
  auto c = decodeH2({{true, cat({kPreface, frame(1, 5, 1, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff})})}});
  EXPECT_TRUE(hasDiagnostic(c, model::DiagnosticCode::Malformed, 24)) << all(c);
}

TEST(Http2, AHeaderBlockOverTheCapIsSaidAndNotDecoded) {
  Hpack client;
  app::Limits limits;
  limits.maxHeaderBlock = 64;
  auto c = decodeH2({{true, cat({kPreface, frame(1, 5, 1, client.block({{":method", "GET"}, {"x", std::string(200, 'v')}}))})}},
                    limits);
  EXPECT_TRUE(hasDiagnostic(c, model::DiagnosticCode::AppLimit, 24)) << all(c);
}

TEST(Http2, ABodyOverTheCapIsCountedButNotKept) {
  Hpack client;
  app::Limits limits;
  limits.maxBody = 1000;
  auto c = decodeH2({{true, cat({kPreface, frame(1, 4, 1, client.block({{":method", "POST"}, {":path", "/"}})),
                                 frame(0, 0, 1, Bytes(800, 'a')), frame(0, 1, 1, Bytes(800, 'b'))})}},
                    limits);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].body.length, 1600u);
  EXPECT_EQ(c.messages[0].body.data.size(), 1000u);
  EXPECT_TRUE(c.messages[0].body.capped);
  EXPECT_FALSE(c.diagnostics.empty());
}

TEST(Http2, AGzipBombStopsAtTheDecodedCap) {
  Hpack client, server;
  app::Limits limits;
  limits.maxBody = 1 << 20;
  const Bytes bomb = gzip(std::string(8 << 20, '\0'));
  ASSERT_LT(bomb.size(), limits.maxBody);
  auto c = decodeH2({{true, cat({kPreface, frame(1, 5, 1, client.block({{":method", "GET"}, {":path", "/"}}))})},
                     {false, cat({frame(1, 4, 1, server.block({{":status", "200"}, {"content-encoding", "gzip"}})),
                                  frame(0, 1, 1, bomb)})}},
                    limits);
  ASSERT_EQ(c.messages.size(), 2u);
  ASSERT_TRUE(c.messages[1].body.decoded);
  EXPECT_EQ(c.messages[1].body.decoded->size(), limits.maxBody);
  EXPECT_TRUE(c.messages[1].body.decodedCapped);
}

TEST(Http2, IsDetectedByItsPrefaceWithoutAlpn) {
  const auto c = chunks({{true, cat({kPreface, frame(4, 0, 0, {})})}});
  const auto conv = app::decodeConversation(c, "", "");
  EXPECT_EQ(conv.protocol, app::Protocol::Http2);
  EXPECT_EQ(conv.selectedBy, "detected: the HTTP/2 connection preface");
}

TEST(Http2, WithoutThePrefaceUnderAlpnH2ItSaysSo) {
  auto c = decodeH2({{true, frame(4, 0, 0, {})}});
  EXPECT_TRUE(hasDiagnostic(c, model::DiagnosticCode::Malformed, 0)) << all(c);
  EXPECT_EQ(c.frames.size(), 1u);
}
