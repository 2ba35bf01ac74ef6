// HTTP/1.1 messages (RFC 9112) on bytes written here: pipelining, chunked
// coding with gzip, bodies framed by the request (HEAD) and status (1xx, 204),
// incomplete messages, and lines after STARTTLS.
#include <gtest/gtest.h>

#include "AppTestUtil.hpp"
#include "Builders.hpp"
#include "tlslab/app/Render.hpp"

using namespace tlslab;
using namespace tlslab::apptest;

namespace {

app::Conversation decodeH1(const std::vector<std::pair<bool, std::string>>& turns, std::string_view alpn = "") {
  std::vector<std::pair<bool, Bytes>> bytes;
  for (const auto& [client, text] : turns) bytes.emplace_back(client, toBytes(text));
  const auto c = chunks(bytes);
  return app::decodeConversation(c, alpn, "");
}

}  // namespace

TEST(Http1, PipelinedRequestsPairWithTheirResponsesAndHeadHasNoBody) {
  auto c = decodeH1({{true, "GET /a HTTP/1.1\r\nHost: h\r\n\r\nHEAD /b HTTP/1.1\r\nHost: h\r\n\r\n"
                            "POST /c HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"},
                     {false, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
                             "HTTP/1.1 200 OK\r\nContent-Length: 999\r\n\r\n"
                             "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"}});
  EXPECT_EQ(c.selectedBy, "detected: an HTTP/1.x start line");
  EXPECT_TRUE(c.diagnostics.empty()) << app::conversationText(c);
  ASSERT_EQ(c.messages.size(), 7u) << app::conversationText(c);
  EXPECT_EQ(c.messages[2].startLine, "POST /c HTTP/1.1");
  EXPECT_EQ(asString(c.messages[2].body.data), "hello");
  EXPECT_EQ(asString(c.messages[3].body.data), "abc");
  EXPECT_EQ(c.messages[4].body.length, 0u) << "a response to HEAD has no body, whatever Content-Length says";
  EXPECT_EQ(c.messages[5].startLine, "HTTP/1.1 100 Continue");
  EXPECT_EQ(c.messages[6].startLine, "HTTP/1.1 204 No Content");
  for (const auto& m : c.messages) EXPECT_TRUE(m.complete) << m.startLine;
}

TEST(Http1, AChunkedGzipBodyIsDechunkedAndDecoded) {
  const Bytes gz = gzip("<html>hello, chunks</html>\n");
  const std::string half1(gz.begin(), gz.begin() + 10), half2(gz.begin() + 10, gz.end());
  char size1[16], size2[16];
  std::snprintf(size1, sizeof size1, "%zx", half1.size());
  std::snprintf(size2, sizeof size2, "%zX;ext=1", half2.size());
  auto c = decodeH1({{true, "GET / HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n"},
                     {false, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n" +
                                 std::string(size1) + "\r\n" + half1 + "\r\n" + size2 + "\r\n" + half2 +
                                 "\r\n0\r\nX-Trailer: t\r\n\r\n"}},
                    "http/1.1");
  EXPECT_EQ(c.selectedBy, "ALPN http/1.1");
  ASSERT_EQ(c.messages.size(), 2u);
  const auto& body = c.messages[1].body;
  EXPECT_EQ(body.data, gz);
  ASSERT_TRUE(body.decoded) << body.decodeError;
  EXPECT_EQ(asString(*body.decoded), "<html>hello, chunks</html>\n");
  ASSERT_EQ(c.messages[1].trailers.size(), 1u);
  EXPECT_EQ(c.messages[1].trailers[0].value, "t");
  EXPECT_TRUE(c.messages[1].complete);
  EXPECT_NE(app::conversationText(c).find("hello, chunks"), std::string::npos);
}

TEST(Http1, AnIncompleteBodyIsFlagged) {
  auto c = decodeH1({{true, "PUT /x HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"}});
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_FALSE(c.messages[0].complete);
  EXPECT_EQ(c.messages[0].note, "incomplete: 3 of 10 body bytes in the capture");
}

TEST(Http1, AHeadThatNeverEndsIsFlaggedAndAnOversizedOneCapped) {
  auto c = decodeH1({{true, "GET / HTTP/1.1\r\nHost: h\r\n"}});
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_FALSE(c.messages[0].complete);
  app::Limits limits;
  limits.maxHeaderBlock = 100;
  const auto big = chunks({{true, toBytes("GET / HTTP/1.1\r\nX: " + std::string(500, 'a') + "\r\n\r\n")}});
  auto capped = app::decodeConversation(big, "", "", limits);
  ASSERT_FALSE(capped.diagnostics.empty());
  EXPECT_EQ(capped.diagnostics[0].code, model::DiagnosticCode::AppLimit);
}

TEST(Http1, BytesThatAreNotAStatusLineAreMalformedAtTheirOffset) {
  auto c = decodeH1({{true, "GET / HTTP/1.1\r\n\r\n"}, {false, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokGARBAGE\r\n\r\n"}});
  ASSERT_EQ(c.diagnostics.size(), 1u) << app::conversationText(c);
  EXPECT_EQ(c.diagnostics[0].code, model::DiagnosticCode::Malformed);
  EXPECT_EQ(c.diagnostics[0].offset, 40u);
}

TEST(Http1, ABadChunkSizeIsMalformed) {
  auto c = decodeH1({{true, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}});
  ASSERT_EQ(c.diagnostics.size(), 1u);
  EXPECT_EQ(c.diagnostics[0].offset, 47u);
}

TEST(Lines, SmtpAfterStarttlsIsShownAsCommandsAndReplies) {
  const auto c = chunks({{true, toBytes("EHLO x\r\n")}, {false, toBytes("250-hi\r\n250 OK\r\n")},
                         {true, toBytes("QUIT\r\n")}});
  const auto conv = app::decodeConversation(c, "", "SMTP");
  EXPECT_EQ(conv.protocol, app::Protocol::Lines);
  ASSERT_EQ(conv.lines.size(), 4u);
  EXPECT_EQ(app::conversationText(conv), "application protocol: lines (SMTP after STARTTLS)\n\nC: EHLO x\nS: 250-hi\nS: 250 OK\nC: QUIT\n");
}

TEST(Selection, BinaryWithoutAlpnIsNoProtocol) {
  const auto c = chunks({{true, Bytes{0, 1, 2, 3}}});
  EXPECT_EQ(app::decodeConversation(c, "", "").protocol, app::Protocol::None);
}
