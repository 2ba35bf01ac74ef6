// Real captures from Wireshark's test suite (../shared/conformance, outside the
// project): used only when present, never copied into the repository.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "CaptureTestUtil.hpp"
#include "support/TestPaths.hpp"

namespace tlslab::test {
namespace {

std::filesystem::path wireshark() { return conformanceDir() / "wireshark"; }

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

#define REQUIRE_CONFORMANCE()                                                          \
  if (!std::filesystem::exists(wireshark() / "captures"))                              \
  GTEST_SKIP() << "no conformance captures at " << wireshark()

TEST(WiresharkCaptures, Tls12DsbHasTwoKeyLogsEqualToThePublishedKeyFiles) {
  REQUIRE_CONFORMANCE();
  RecordingSink sink;
  auto summary = capture::readCapture(wireshark() / "captures/tls12-dsb.pcapng", sink);
  ASSERT_TRUE(summary.ok()) << summary.error().message();
  ASSERT_EQ(sink.keyLogs.size(), 2u);
  EXPECT_EQ(sink.keyLogs[0].rfind("# first", 0), 0u);
  EXPECT_EQ(sink.keyLogs[0], slurp(wireshark() / "keys/tls12-dsb-1.keys"));
  EXPECT_EQ(sink.keyLogs[1], slurp(wireshark() / "keys/tls12-dsb-2.keys"));
  ASSERT_EQ(sink.opened.size(), 2u);
  for (ConnectionId id : {0u, 1u}) {
    EXPECT_NE(sink.tlsStart(id, C2S), nullptr);
    EXPECT_NE(sink.tlsStart(id, S2C), nullptr);
  }
  EXPECT_TRUE(summary.value().complete);
}

TEST(WiresharkCaptures, EmbeddedKeyLogsMatchTheExtractedKeyFiles) {
  REQUIRE_CONFORMANCE();
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(wireshark() / "keys/extracted-from-dsb")) {
    std::string name = entry.path().filename().string();
    std::string stem = name.substr(0, name.find(".dsb.keys"));
    std::filesystem::path capturePath = wireshark() / "captures" / (stem + ".pcapng");
    if (!std::filesystem::exists(capturePath)) capturePath += ".gz";
    ASSERT_TRUE(std::filesystem::exists(capturePath)) << capturePath;
    RecordingSink sink;
    ASSERT_TRUE(capture::readCapture(capturePath, sink).ok()) << capturePath;
    ASSERT_FALSE(sink.keyLogs.empty()) << capturePath;
    std::string all, distinct;
    for (const auto& k : sink.keyLogs) {
      all += k;
      if (distinct.find(k) == std::string::npos) distinct += k;
    }
    std::string expected = slurp(entry.path());
    EXPECT_TRUE(all == expected || distinct == expected) << capturePath;  // some files repeat one DSB
    ++checked;
  }
  EXPECT_GE(checked, 6);
}

TEST(WiresharkCaptures, RetransmittedRecordIsDeliveredOnce) {
  REQUIRE_CONFORMANCE();
  RecordingSink sink;
  auto summary = capture::readCapture(wireshark() / "captures/retrans-tls.pcap", sink);
  ASSERT_TRUE(summary.ok());
  ASSERT_EQ(sink.opened.size(), 1u);
  std::string stream = sink.stream(0, sink.chunks.at(0).direction);
  ASSERT_EQ(stream.size(), 21u);  // one 5-byte header + 16 bytes of application data
  EXPECT_EQ(static_cast<std::uint8_t>(stream[0]), 23);
  EXPECT_EQ(sink.chunks.at(0).frame, 1u);  // first copy of byte 0 came in frame 1
  EXPECT_EQ(sink.chunks.back().frame, 2u);
  EXPECT_FALSE(sink.hasDiagnostic("differ"));
}

TEST(WiresharkCaptures, GzipCaptureWithHundredConnectionsIsAllTls) {
  REQUIRE_CONFORMANCE();
  RecordingSink sink;
  auto summary = capture::readCapture(wireshark() / "captures/tls-fragmented-handshakes.pcap.gz", sink);
  ASSERT_TRUE(summary.ok()) << summary.error().message();
  EXPECT_TRUE(summary.value().file.gzip);
  EXPECT_EQ(sink.opened.size(), 100u);
  std::set<ConnectionId> tls;
  for (const auto& s : sink.tlsStarts)
    if (s.direction == C2S) tls.insert(s.connection);
  EXPECT_EQ(tls.size(), 100u);
  EXPECT_EQ(sink.offsetErrors, 0);
}

TEST(WiresharkCaptures, EveryCaptureReadsToTheEndWithoutErrors) {
  REQUIRE_CONFORMANCE();
  for (const auto& entry : std::filesystem::directory_iterator(wireshark() / "captures")) {
    RecordingSink sink;
    auto summary = capture::readCapture(entry.path(), sink);
    ASSERT_TRUE(summary.ok()) << entry.path() << ": " << summary.error().message();
    EXPECT_TRUE(summary.value().complete) << entry.path() << ": " << summary.value().stopReason;
    for (const auto& d : sink.diagnostics)
      EXPECT_NE(d.diagnostic.severity, model::Severity::Error) << entry.path() << ": " << d.diagnostic.message;
    EXPECT_EQ(sink.offsetErrors, 0) << entry.path();
  }
}

}  // namespace
}  // namespace tlslab::test
