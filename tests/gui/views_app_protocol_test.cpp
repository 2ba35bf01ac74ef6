// The application data view decodes the protocol inside (issue 18): HTTP/2
// from a Wireshark test-suite capture (brotli body) shown decoded in Auto
// mode, HTTP/1.1 in Decoded mode, and the raw bytes still one choice away.
#include <gtest/gtest.h>

#include <QComboBox>

#include "ViewsTestSupport.hpp"
#include "support/TestPaths.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "views/AppDataView.hpp"

namespace tlslab::gui::views {
namespace {

using test::app;

std::optional<model::TraceConnection> brotliConnection() {
  const auto file = tlslab::test::conformanceDir() / "wireshark/captures/http2-brotli.pcapng";
  if (!std::filesystem::exists(file)) return std::nullopt;
  keys::KeyStore keys;
  auto trace = dissect::dissectFile(file, keys);
  if (!trace.ok() || trace->connections.empty()) return std::nullopt;
  return trace->connections[0];
}

TEST(AppDataViewProtocol, Http2IsShownDecodedWithHeadersAndTheBrotliBodyAsText) {
  app();
  const auto conn = brotliConnection();
  if (!conn) GTEST_SKIP() << "no conformance corpus";
  AppDataView view;
  view.setConnection(*conn);
  EXPECT_EQ(view.protocol(), tlslab::app::Protocol::Http2);
  const QString text = view.plainText();
  EXPECT_TRUE(text.contains("application protocol: HTTP/2 (ALPN h2)")) << text.toStdString();
  EXPECT_TRUE(text.contains("=== stream 1 ==="));
  EXPECT_TRUE(text.contains(":path: /test.txt"));
  EXPECT_TRUE(text.contains("content-encoding: br"));
  EXPECT_TRUE(text.contains("This is a test file for testing brotli decompression in Wireshark"));
  // The frames' bytes are still there, as a hex dump.
  view.setMode(AppDataView::Mode::Hex);
  EXPECT_FALSE(view.plainText().contains(":path: /test.txt"));
  EXPECT_TRUE(view.plainText().contains("50 52 49 20 2a 20 48 54"));  // "PRI * HT"
  view.findChildren<QComboBox*>().front()->setCurrentIndex(static_cast<int>(AppDataView::Mode::Decoded));
  EXPECT_EQ(view.mode(), AppDataView::Mode::Decoded);
  EXPECT_TRUE(view.plainText().contains(":path: /test.txt"));
}

TEST(AppDataViewProtocol, Http1IsDecodedOnRequestAndUnknownBytesStayBubbles) {
  app();
  const std::vector<model::AppDataChunk> chunks = {
      {model::Direction::ClientToServer, 4, toBytes("GET /login HTTP/1.1\r\nHost: bank32.com\r\n\r\n")},
      {model::Direction::ServerToClient, 5, toBytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")}};
  AppDataView view;
  view.setChunks(chunks);
  EXPECT_FALSE(view.plainText().contains("--- request")) << "Auto keeps HTTP/1.1 as the bytes";
  view.setMode(AppDataView::Mode::Decoded);
  const QString text = view.plainText();
  EXPECT_TRUE(text.contains("--- request · client -> server · record 4 · offset 0 ---")) << text.toStdString();
  EXPECT_TRUE(text.contains("Host: bank32.com"));
  EXPECT_TRUE(text.contains("body (5 bytes):\nhello"));
  view.setChunks({{model::Direction::ClientToServer, 1, Bytes{0, 1, 2}}});
  EXPECT_EQ(view.protocol(), tlslab::app::Protocol::None);
  EXPECT_TRUE(view.plainText().contains("00000000  00 01 02")) << view.plainText().toStdString();
}

}  // namespace
}  // namespace tlslab::gui::views
