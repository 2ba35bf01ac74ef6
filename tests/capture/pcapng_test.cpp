// pcapng: the writer read back by libpcap, Decryption Secrets Blocks, and the
// block walker's diagnostics for corrupt structure.
#include <gtest/gtest.h>

#include <limits>
#include <sstream>

#include "CaptureTestUtil.hpp"
#include "tlslab/capture/Pcapng.hpp"

namespace tlslab::test {
namespace {

using capture::CaptureFile;
using capture::PcapngWriter;
using capture::scanPcapng;
using capture::SecretsBlock;

std::vector<FrameSpec> smallExchange() {
  Conversation c(kClient, kServer);
  auto segs = c.handshake();
  segs.push_back(c.send(0, tlsRecord(22, 30)));
  segs.push_back(c.send(1, tlsRecord(22, 40)));
  return frames(Link::Ethernet, segs);
}

std::vector<SecretsBlock> secretsOf(const Bytes& file, capture::PcapngScan* scanOut = nullptr) {
  std::vector<SecretsBlock> blocks;
  auto scan = scanPcapng(file, [&](const SecretsBlock& b) { blocks.push_back(b); });
  if (scanOut != nullptr) *scanOut = scan;
  return blocks;
}

// Every byte as draft-ietf-opsawg-pcapng §4 lays it out (little-endian), so a
// rewrite of the writer cannot shift a length or a pad unnoticed.
TEST(PcapngWriter, WritesEachBlockByteForByte) {
  std::ostringstream out;
  PcapngWriter writer(out, false, "ab");
  auto id = writer.addInterface(capture::linktype::Ethernet, 0x40000, "lo");
  writer.writePacket(id, capture::Timestamp{0x100000002}, asBytes(std::string_view("xyz")));
  writer.writeKeyLog("k");
  std::string s = out.str();
  Bytes expected = fromHex(
                       // SHB: magic, 1.0, length -1, shb_userappl "ab", opt_endofopt
                       "0a0d0d0a 28000000 4d3c2b1a 01000000 ffffffffffffffff 04000200 61620000 00000000 28000000"
                       // IDB: Ethernet, snaplen, if_name "lo", if_tsresol 9, opt_endofopt
                       "01000000 28000000 01000000 00000400 02000200 6c6f0000 09000100 09000000 00000000 28000000"
                       // EPB: interface 0, timestamp high/low, captured/original 3, "xyz" + pad
                       "06000000 24000000 00000000 01000000 02000000 03000000 03000000 78797a00 24000000"
                       // DSB: TLSK, 1 byte, "k" + pad
                       "0a000000 18000000 4b534c54 01000000 6b000000 18000000")
                       .value();
  EXPECT_EQ(toHex(asBytes(s)), toHex(expected));
}

TEST(PcapWriter, WritesHeaderAndRecordByteForByte) {
  std::ostringstream out;
  capture::PcapWriter writer(out, 147, 0xFFFF, /*nanoseconds=*/false);
  writer.writePacket(capture::Timestamp{3'000'004'000}, asBytes(std::string_view("ab")));
  capture::PcapWriter big(out, 147, 0xFFFF, /*nanoseconds=*/true, /*bigEndian=*/true);
  big.writePacket(capture::Timestamp{3'000'004'000}, asBytes(std::string_view("ab")), 9);
  std::string s = out.str();
  Bytes expected = fromHex(
                       // microseconds magic, 2.4, thiszone, sigfigs, snaplen, LINKTYPE_USER0; one record
                       "d4c3b2a1 02000400 00000000 00000000 ffff0000 93000000 03000000 04000000 02000000 02000000 6162"
                       // big-endian, nanoseconds magic; original length 9
                       "a1b23c4d 00020004 00000000 00000000 0000ffff 00000093 00000003 00000fa0 00000002 00000009 6162")
                       .value();
  EXPECT_EQ(toHex(asBytes(s)), toHex(expected));
}

TEST(PcapngWriter, PacketsReadBackThroughLibpcapWithNanosecondTimestamps) {
  for (bool bigEndian : {false, true}) {
    std::ostringstream out;
    PcapngWriter writer(out, bigEndian);
    auto id = writer.addInterface(capture::linktype::Ethernet, 65535, "eth0");
    Bytes f1 = smallExchange()[3].bytes;
    writer.writePacket(id, capture::Timestamp{1'700'000'000'123'456'789}, f1);
    writer.writePacket(id, capture::Timestamp{1'700'000'001'000'000'001}, Bytes{1, 2, 3}, 60);
    std::string s = out.str();
    auto file = CaptureFile::openMemory(asBytes(s));
    ASSERT_TRUE(file.ok()) << file.error().message();
    EXPECT_EQ(file.value()->info().format, capture::FileFormat::Pcapng);
    EXPECT_EQ(file.value()->info().linkType, capture::linktype::Ethernet);
    capture::RawPacket p;
    ASSERT_EQ(file.value()->next(p), CaptureFile::Status::Packet);
    EXPECT_EQ(p.time.nanos, 1'700'000'000'123'456'789);
    EXPECT_EQ(Bytes(p.data.begin(), p.data.end()), f1);
    ASSERT_EQ(file.value()->next(p), CaptureFile::Status::Packet);
    EXPECT_EQ(p.frame, 2u);
    EXPECT_EQ(p.originalLength, 60u);
    EXPECT_EQ(p.data.size(), 3u);
    EXPECT_EQ(file.value()->next(p), CaptureFile::Status::End);
  }
}

TEST(PcapngReader, InterfacesWithDifferentLinkTypesAreAllRead) {
  // libpcap 1.10 refuses this file; tlslab's own pcapng reader takes over.
  std::ostringstream out;
  PcapngWriter writer(out);
  auto eth = writer.addInterface(capture::linktype::Ethernet, 262144, "eth0");
  auto raw = writer.addInterface(capture::linktype::Raw, 65535, "tun0");
  Conversation a(kClient, kServer), b(endpoint("10.9.9.1", 40000), endpoint("10.9.9.2", 465));
  std::int64_t t = 1;
  for (auto& s : a.handshake()) writer.writePacket(eth, capture::Timestamp{t++}, frame(Link::Ethernet, ipPacket(s)));
  for (auto& s : b.handshake()) writer.writePacket(raw, capture::Timestamp{t++}, frame(Link::Raw, ipPacket(s)));
  writer.writePacket(eth, capture::Timestamp{t++}, frame(Link::Ethernet, ipPacket(a.send(0, "via ethernet"))));
  writer.writePacket(raw, capture::Timestamp{t++}, frame(Link::Raw, ipPacket(b.send(0, "via tun"))));
  std::string s = out.str();
  RecordingSink sink;
  auto summary = capture::readCapture(asBytes(s), sink);
  ASSERT_TRUE(summary.ok()) << summary.error().message();
  EXPECT_FALSE(summary.value().file.viaLibpcap);
  EXPECT_TRUE(summary.value().complete) << summary.value().stopReason;
  EXPECT_EQ(sink.stream(0, C2S), "via ethernet");
  EXPECT_EQ(sink.stream(1, C2S), "via tun");
  EXPECT_EQ(sink.chunks.at(1).nanos, 8);
}

TEST(PcapngReader, InterfaceWithoutTsresolCountsMicroseconds) {
  std::ostringstream out;
  PcapngWriter writer(out);
  Bytes idb{1, 0, 0, 0, 0xFF, 0xFF, 0, 0};  // Ethernet, snaplen 65535, no options
  writer.writeBlock(capture::pcapng::kInterfaceDescription, idb);
  writer.addInterface(capture::linktype::Raw);  // a second, different interface: native reader
  Bytes epb{0, 0, 0, 0, 0, 0, 0, 0, 0x60, 0xE3, 0x16, 0, 3, 0, 0, 0, 3, 0, 0, 0, 9, 9, 9, 0};  // 1.5 s
  writer.writeBlock(capture::pcapng::kEnhancedPacket, epb);
  std::string s = out.str();
  auto file = capture::CaptureFile::openMemory(asBytes(s));
  ASSERT_TRUE(file.ok());
  capture::RawPacket p;
  ASSERT_EQ(file.value()->next(p), CaptureFile::Status::Packet);
  EXPECT_EQ(p.time.nanos, 1'500'000'000);
  EXPECT_EQ(p.data.size(), 3u);
  EXPECT_EQ(p.linkType, capture::linktype::Ethernet);
}

TEST(Timestamp, FromPartsSaturatesInsteadOfOverflowing) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(capture::Timestamp::fromParts(1, 5).nanos, 1'000'000'005);
  EXPECT_EQ(capture::Timestamp::fromParts(std::int64_t{1} << 62, 0).nanos, kMax);
  EXPECT_EQ(capture::Timestamp::fromParts(-(std::int64_t{1} << 62), 0).nanos, kMin);
  EXPECT_EQ(capture::Timestamp::fromParts(9'223'372'036, 999'999'999).nanos, kMax);  // the addition overflows
}

// A pcapng interface counting whole seconds (if_tsresol 10^0) with a packet
// 2^62 s after the epoch: libpcap hands over tv_sec = 2^62, whose nanoseconds
// overflowed int64 (a fuzzer finding under UBSan). Both readers saturate.
TEST(PcapngReader, TimestampsBeyondTheNanosecondRangeSaturate) {
  for (bool twoInterfaces : {false, true}) {
    std::ostringstream out;
    PcapngWriter writer(out);
    Bytes idb{1, 0, 0, 0, 0xFF, 0xFF, 0, 0, 9, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};  // Ethernet, if_tsresol 0
    writer.writeBlock(capture::pcapng::kInterfaceDescription, idb);
    if (twoInterfaces) writer.addInterface(capture::linktype::Raw);  // libpcap refuses: the native reader
    Bytes epb{0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0, 9, 9, 9, 0};  // 2^62 s
    writer.writeBlock(capture::pcapng::kEnhancedPacket, epb);
    std::string s = out.str();
    auto file = capture::CaptureFile::openMemory(asBytes(s));
    ASSERT_TRUE(file.ok()) << file.error().message();
    capture::RawPacket p;
    ASSERT_EQ(file.value()->next(p), CaptureFile::Status::Packet) << file.value()->error();
    EXPECT_EQ(p.time.nanos, std::numeric_limits<std::int64_t>::max()) << (twoInterfaces ? "native" : "libpcap");
  }
}

TEST(PcapngReader, PacketBlockNamingAMissingInterfaceStopsWithError) {
  std::ostringstream out;
  PcapngWriter writer(out);
  writer.addInterface(capture::linktype::Ethernet, 100);
  writer.addInterface(capture::linktype::Raw, 200);
  writer.writePacket(7, capture::Timestamp{1}, Bytes{1, 2, 3});
  std::string s = out.str();
  RecordingSink sink;
  auto summary = capture::readCapture(asBytes(s), sink);
  ASSERT_TRUE(summary.ok());
  EXPECT_FALSE(summary.value().complete);
  EXPECT_NE(summary.value().stopReason.find("interface 7"), std::string::npos) << summary.value().stopReason;
}

TEST(PcapngSecrets, SeveralKeyLogBlocksWithCommentLinesAreReadInOrder) {
  std::vector<std::string> logs{"# first\nCLIENT_RANDOM 0011 aabb\n",
                                "CLIENT_HANDSHAKE_TRAFFIC_SECRET 22 33\nSERVER_HANDSHAKE_TRAFFIC_SECRET 22 44\n",
                                "x"};  // odd length: padding must not leak into the text
  for (bool bigEndian : {false, true}) {
    Bytes file = pcapngBytes(Link::Ethernet, smallExchange(), logs, bigEndian);
    capture::PcapngScan scan;
    auto blocks = secretsOf(file, &scan);
    ASSERT_EQ(blocks.size(), 3u);
    for (std::size_t i = 0; i < logs.size(); ++i) {
      EXPECT_EQ(blocks[i].data, logs[i]);
      EXPECT_EQ(blocks[i].secretsType, capture::pcapng::kSecretsTls);
    }
    EXPECT_LT(blocks[0].fileOffset, blocks[1].fileOffset);
    EXPECT_TRUE(scan.complete);
    EXPECT_EQ(scan.sections, 1u);
    EXPECT_EQ(scan.interfaces, 1u);
    EXPECT_EQ(scan.packets, 5u);
  }
}

class OrderSink : public RecordingSink {
 public:
  void onKeyLog(std::string_view text, std::uint64_t offset) override {
    if (!opened.empty()) keyLogAfterPackets = true;
    RecordingSink::onKeyLog(text, offset);
  }
  bool keyLogAfterPackets = false;
};

TEST(PcapngSecrets, ReadCaptureHandsKeyLogsOverBeforeAnyConnection) {
  // The DSB is written after the packets; keys must still come first.
  std::ostringstream out;
  PcapngWriter writer(out);
  auto id = writer.addInterface(capture::linktype::Ethernet);
  for (const auto& f : smallExchange()) writer.writePacket(id, capture::Timestamp{1}, f.bytes);
  writer.writeKeyLog("CLIENT_RANDOM 01 02\n");
  std::string s = out.str();
  OrderSink sink;
  auto summary = capture::readCapture(asBytes(s), sink);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary.value().secretsBlocks, 1u);
  ASSERT_EQ(sink.keyLogs.size(), 1u);
  EXPECT_EQ(sink.keyLogs[0], "CLIENT_RANDOM 01 02\n");
  EXPECT_FALSE(sink.keyLogAfterPackets);
  EXPECT_EQ(sink.opened.size(), 1u);
}

// A file on disk is walked through a sliding 8 MiB mapping (FileSource.cpp):
// a block that straddles a window, and blocks in a later window, read whole.
TEST(PcapngSecrets, KeyLogBlocksAcrossTheFileWalksWindowsAreReadWhole) {
  std::string big;
  for (int i = 0; big.size() < (9u << 20); ++i) big += "# filler line " + std::to_string(i) + "\n";
  big += "CLIENT_RANDOM 0011 aabb\n";
  std::ostringstream out;
  PcapngWriter writer(out);
  auto id = writer.addInterface(capture::linktype::Ethernet);
  writer.writeKeyLog(big);
  for (const auto& f : smallExchange()) writer.writePacket(id, capture::Timestamp{1}, f.bytes);
  writer.writeKeyLog("CLIENT_RANDOM 01 02\n");
  TempFile file("big-keylog.pcapng", asBytes(out.str()));
  RecordingSink sink;
  auto summary = capture::readCapture(file.path(), sink);
  ASSERT_TRUE(summary.ok());
  EXPECT_TRUE(summary.value().complete);
  EXPECT_EQ(summary.value().secretsBlocks, 2u);
  ASSERT_EQ(sink.keyLogs.size(), 2u);
  EXPECT_TRUE(sink.keyLogs[0] == big) << sink.keyLogs[0].size() << " of " << big.size() << " bytes";
  EXPECT_EQ(sink.keyLogs[1], "CLIENT_RANDOM 01 02\n");
  EXPECT_EQ(sink.opened.size(), 1u);
}

TEST(PcapngSecrets, SectionsOfBothByteOrdersInOneFileAreAllWalked) {
  Bytes a = pcapngBytes(Link::Ethernet, smallExchange(), {"A\n"}, false);
  Bytes b = pcapngBytes(Link::Ethernet, smallExchange(), {"B\n"}, true);
  a.insert(a.end(), b.begin(), b.end());
  capture::PcapngScan scan;
  auto blocks = secretsOf(a, &scan);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[1].data, "B\n");
  EXPECT_EQ(scan.sections, 2u);
  EXPECT_TRUE(scan.complete);
}

TEST(PcapngSecrets, OtherSecretsTypesAreReportedButNotTakenAsKeyLogs) {
  std::ostringstream out;
  PcapngWriter writer(out);
  writer.addInterface(capture::linktype::Ethernet);
  writer.writeSecrets(0x57474b4c, "wireguard keys");  // "WGKL"
  std::string s = out.str();
  RecordingSink sink;
  ASSERT_TRUE(capture::readCapture(asBytes(s), sink).ok());
  EXPECT_TRUE(sink.keyLogs.empty());
  EXPECT_TRUE(sink.hasDiagnostic("not a TLS key log"));
}

// Offset of the first block of `type` in a little-endian pcapng file.
std::size_t findBlock(const Bytes& file, std::uint32_t type) {
  std::size_t at = 0;
  while (at + 8 <= file.size()) {
    std::uint32_t t = file[at] | file[at + 1] << 8 | file[at + 2] << 16 | static_cast<std::uint32_t>(file[at + 3]) << 24;
    std::uint32_t len = file[at + 4] | file[at + 5] << 8 | file[at + 6] << 16 | static_cast<std::uint32_t>(file[at + 7]) << 24;
    if (t == type) return at;
    at += len;
  }
  return std::string::npos;
}

TEST(PcapngStructure, CorruptBlockLengthIsAnErrorNamingTheBlockOffset) {
  Bytes file = pcapngBytes(Link::Ethernet, smallExchange(), {"K\n"});
  std::size_t epb = findBlock(file, capture::pcapng::kEnhancedPacket);
  ASSERT_NE(epb, std::string::npos);
  file[epb + 4] += 8;  // leading length no longer matches the trailing copy
  capture::PcapngScan scan;
  secretsOf(file, &scan);
  EXPECT_FALSE(scan.complete);
  ASSERT_FALSE(scan.diagnostics.empty());
  const auto& d = scan.diagnostics.back().diagnostic;
  EXPECT_EQ(d.severity, model::Severity::Error);
  EXPECT_NE(d.message.find("corrupt block length"), std::string::npos) << d.message;
  ASSERT_TRUE(d.offset.has_value());
  EXPECT_GT(*d.offset, epb);

  RecordingSink sink;
  auto summary = capture::readCapture(file, sink);
  ASSERT_TRUE(summary.ok());  // the file opens; reading stops at the corrupt block
  EXPECT_FALSE(summary.value().complete);
  EXPECT_FALSE(summary.value().stopReason.empty());
  EXPECT_TRUE(sink.hasDiagnostic("corrupt block length"));
}

TEST(PcapngStructure, ImpossibleBlockLengthsAreDiagnosed) {
  for (std::uint8_t bad : {4, 13}) {  // below the 12-byte minimum; not a multiple of 4
    Bytes file = pcapngBytes(Link::Ethernet, smallExchange());
    std::size_t idb = findBlock(file, capture::pcapng::kInterfaceDescription);
    file[idb + 4] = bad;
    file[idb + 5] = file[idb + 6] = file[idb + 7] = 0;
    capture::PcapngScan scan;
    secretsOf(file, &scan);
    EXPECT_FALSE(scan.complete);
    EXPECT_NE(scan.diagnostics.back().diagnostic.message.find("impossible total length"), std::string::npos);
    EXPECT_EQ(scan.diagnostics.back().diagnostic.offset, idb + 4);
  }
}

TEST(PcapngStructure, BlockRunningPastTheEndOfTheFileIsDiagnosed) {
  Bytes file = pcapngBytes(Link::Ethernet, smallExchange(), {"CLIENT_RANDOM 01 02\n"});
  std::size_t dsb = findBlock(file, capture::pcapng::kDecryptionSecrets);
  file.resize(dsb + 20);
  capture::PcapngScan scan;
  auto blocks = secretsOf(file, &scan);
  EXPECT_TRUE(blocks.empty());
  EXPECT_FALSE(scan.complete);
  EXPECT_NE(scan.diagnostics.back().diagnostic.message.find("truncated"), std::string::npos);
}

TEST(PcapngStructure, SecretsLengthBeyondItsBlockIsDiagnosed) {
  Bytes file = pcapngBytes(Link::Ethernet, {}, {"CLIENT_RANDOM 01 02\n"});
  std::size_t dsb = findBlock(file, capture::pcapng::kDecryptionSecrets);
  file[dsb + 12] = 0xF0;  // secrets length
  capture::PcapngScan scan;
  EXPECT_TRUE(secretsOf(file, &scan).empty());
  EXPECT_TRUE(std::any_of(scan.diagnostics.begin(), scan.diagnostics.end(), [](const auto& d) {
    return d.diagnostic.message.find("exceeds the") != std::string::npos;
  }));
}

TEST(PcapngStructure, BadByteOrderMagicIsDiagnosed) {
  Bytes file = pcapngBytes(Link::Ethernet, {});
  file[8] = 0x00;
  capture::PcapngScan scan;
  secretsOf(file, &scan);
  EXPECT_NE(scan.diagnostics.back().diagnostic.message.find("byte-order magic"), std::string::npos);
}

}  // namespace
}  // namespace tlslab::test
