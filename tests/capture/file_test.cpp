// Capture files on disk, including every hostile input the CLI must explain.
#include <gtest/gtest.h>

#include <cstdlib>

#include "CaptureTestUtil.hpp"

namespace tlslab::test {
namespace {

using capture::readCapture;

std::vector<FrameSpec> exchange() {
  Conversation c(kClient, kServer);
  auto segs = c.handshake();
  segs.push_back(c.send(0, tlsRecord(22, 30)));
  segs.push_back(c.send(1, tlsRecord(22, 40)));
  return frames(Link::Ethernet, segs);
}

std::string errorOf(const std::filesystem::path& path) {
  RecordingSink sink;
  auto result = readCapture(path, sink);
  return result.ok() ? std::string("<opened>") : result.error().message();
}

TEST(CaptureFileErrors, EmptyFileSaysItIsEmpty) {
  TempFile f("empty.pcap");
  EXPECT_NE(errorOf(f.path()).find("empty file (0 bytes)"), std::string::npos) << errorOf(f.path());
}

TEST(CaptureFileErrors, TextFileRenamedPcapNamesItsFirstBytes) {
  TempFile f("notes.pcap", asBytes("Hello, this is not a capture\n"));
  std::string e = errorOf(f.path());
  EXPECT_NE(e.find("not a pcap or pcapng file"), std::string::npos) << e;
  EXPECT_NE(e.find("48656c6c"), std::string::npos) << e;
  EXPECT_NE(e.find("notes.pcap"), std::string::npos) << e;
}

TEST(CaptureFileErrors, TruncatedPcapHeaderSaysHowManyBytes) {
  Bytes bytes = pcapBytes(Link::Ethernet, {});
  bytes.resize(10);
  TempFile f("short.pcap", bytes);
  EXPECT_NE(errorOf(f.path()).find("truncated pcap file header: 10 of 24 bytes"), std::string::npos)
      << errorOf(f.path());
}

TEST(CaptureFileErrors, MissingFileAndDirectoryAreErrors) {
  EXPECT_NE(errorOf("/nonexistent/capture.pcap").find("no such file"), std::string::npos);
  EXPECT_NE(errorOf(std::filesystem::temp_directory_path()).find("directory"), std::string::npos);
}

TEST(CaptureFileErrors, TruncatedPacketRecordStopsWithDiagnosticAfterEarlierFrames) {
  Bytes bytes = pcapBytes(Link::Ethernet, exchange());
  bytes.resize(bytes.size() - 30);  // cut inside the last record's data
  TempFile f("cut.pcap", bytes);
  RecordingSink sink;
  auto summary = readCapture(f.path(), sink);
  ASSERT_TRUE(summary.ok());
  EXPECT_FALSE(summary.value().complete);
  EXPECT_NE(summary.value().stopReason.find("after frame 4"), std::string::npos) << summary.value().stopReason;
  EXPECT_NE(summary.value().stopReason.find("truncated"), std::string::npos) << summary.value().stopReason;
  EXPECT_EQ(summary.value().stats.frames, 4u);
  EXPECT_EQ(sink.stream(0, C2S), text(tlsRecord(22, 30)));  // what came before is kept
  EXPECT_TRUE(sink.hasDiagnostic("truncated"));
}

TEST(CaptureFileErrors, TruncatedRecordHeaderStopsWithDiagnostic) {
  Bytes bytes = pcapBytes(Link::Ethernet, exchange());
  bytes.insert(bytes.end(), {1, 2, 3, 4, 5, 6});  // 6 bytes of a 16-byte record header
  TempFile f("trailing.pcap", bytes);
  RecordingSink sink;
  auto summary = readCapture(f.path(), sink);
  ASSERT_TRUE(summary.ok());
  EXPECT_FALSE(summary.value().complete);
  EXPECT_EQ(summary.value().stats.frames, 5u);
}

TEST(CaptureFileErrors, AbsurdRecordLengthStopsWithDiagnostic) {
  Bytes bytes = pcapBytes(Link::Ethernet, exchange());
  Bytes record = {0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0x7F};
  bytes.insert(bytes.end(), record.begin(), record.end());
  TempFile f("huge.pcap", bytes);
  RecordingSink sink;
  auto summary = readCapture(f.path(), sink);
  ASSERT_TRUE(summary.ok());
  EXPECT_FALSE(summary.value().complete);
}

TEST(CaptureFileErrors, UnknownLinkTypeIsReportedOnceAndFramesSkipped) {
  std::ostringstream out;
  capture::PcapWriter writer(out, 147);  // LINKTYPE_USER0
  for (int i = 0; i < 3; ++i) writer.writePacket(capture::Timestamp{i}, Bytes{1, 2, 3, 4});
  std::string s = out.str();
  TempFile f("user0.pcap", asBytes(s));
  RecordingSink sink;
  auto summary = readCapture(f.path(), sink);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary.value().stats.skippedFrames, 3u);
  ASSERT_EQ(sink.diagnostics.size(), 1u);
  EXPECT_NE(sink.diagnostics[0].diagnostic.message.find("link type 147 is not supported"), std::string::npos)
      << sink.diagnostics[0].diagnostic.message;
}

TEST(CaptureFile, ByteSwappedMicrosecondPcapIsReadWithCorrectTimestamps) {
  Bytes bytes = pcapBytes(Link::Ethernet, exchange(), /*nanoseconds=*/false, /*bigEndian=*/true);
  TempFile f("be.pcap", bytes);
  RecordingSink sink;
  auto summary = readCapture(f.path(), sink);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(sink.stream(0, C2S), text(tlsRecord(22, 30)));
  ASSERT_FALSE(sink.chunks.empty());
  EXPECT_EQ(sink.chunks[0].nanos, 1'700'000'000'000'000'000 + 3'000'000);  // 4th frame, 1 ms apart
}

TEST(CaptureFile, GzipCompressedCaptureIsReadTransparently) {
  TempFile f("plain.pcapng", pcapngBytes(Link::Ethernet, exchange(), {"CLIENT_RANDOM 01 02\n"}));
  std::string command = "gzip -k '" + f.path().string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::filesystem::path gz = f.path().string() + ".gz";
  RecordingSink sink;
  auto summary = readCapture(gz, sink);
  ASSERT_TRUE(summary.ok()) << summary.error().message();
  EXPECT_TRUE(summary.value().file.gzip);
  EXPECT_EQ(summary.value().file.format, capture::FileFormat::Pcapng);
  EXPECT_EQ(sink.keyLogs.size(), 1u);
  EXPECT_EQ(sink.stream(0, S2C), text(tlsRecord(22, 40)));
}

TEST(CaptureFile, GzipOfATextFileIsStillNamedAsNotACapture) {
  TempFile f("notes.txt", asBytes("just text\n"));
  std::string command = "gzip -k '" + f.path().string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::string e = errorOf(f.path().string() + ".gz");
  EXPECT_NE(e.find("after gzip decompression"), std::string::npos) << e;
}

TEST(CaptureFile, ProgressReportsPositionAndConnectionsAndCanCancel) {
  std::vector<FrameSpec> many;
  for (int i = 0; i < 3; ++i) {
    Conversation c(endpoint("10.3.0.1", static_cast<std::uint16_t>(41000 + i)), kServer);
    auto segs = c.handshake();
    for (int k = 0; k < 3000; ++k) segs.push_back(c.send(0, "x"));
    for (auto& f : frames(Link::Ethernet, segs)) many.push_back(f);
  }
  TempFile f("many.pcap", pcapBytes(Link::Ethernet, many));
  std::vector<capture::ReadProgress> reports;
  RecordingSink sink;
  auto summary = readCapture(f.path(), sink, {}, [&](const capture::ReadProgress& p) {
    reports.push_back(p);
    return true;
  });
  ASSERT_TRUE(summary.ok());
  ASSERT_EQ(reports.size(), 3u);  // frames 4096, 8192, and the end
  EXPECT_EQ(reports[0].frames, 4096u);
  EXPECT_GT(reports[0].position, 0u);
  EXPECT_LT(reports[0].position, reports[1].position);
  EXPECT_EQ(reports.back().position, reports.back().total);
  EXPECT_EQ(reports.back().total, std::filesystem::file_size(f.path()));
  EXPECT_EQ(reports.back().connections, 3u);

  RecordingSink cancelledSink;
  auto cancelled = readCapture(f.path(), cancelledSink, {}, [](const capture::ReadProgress&) { return false; });
  ASSERT_TRUE(cancelled.ok());
  EXPECT_FALSE(cancelled.value().complete);
  EXPECT_NE(cancelled.value().stopReason.find("cancelled after frame 4096"), std::string::npos);
  EXPECT_EQ(cancelled.value().stats.frames, 4096u);
}

}  // namespace
}  // namespace tlslab::test
