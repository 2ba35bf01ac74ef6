// The record-layer lab (scenarios::runRecordLab, recordLayout): one real
// SSL_write of 20 000 bytes, a reader with a 9 000-byte buffer, and the
// records, sequence numbers and TCP segments of the run's own capture.
#include <gtest/gtest.h>

#include <numeric>

#include "support/LabConfigs.hpp"
#include "tlslab/scenarios/RecordLab.hpp"

using namespace tlslab;
using namespace tlslab::scenarios;

namespace {

struct Ran {
  RecordLabRun run;
  RecordLayout layout;
};

Ran ran(RecordLabOptions options) {
  options.certsDir = test::labCerts();
  Ran r{runRecordLab(options), {}};
  EXPECT_TRUE(r.run.ok()) << r.run.setupError << r.run.client.error;
  r.layout = recordLayout(asBytes(r.run.pcapng));
  EXPECT_TRUE(r.layout.error.empty()) << r.layout.error;
  return r;
}

const Ran& textbookRun() {
  static const Ran r = ran({});
  return r;
}

std::vector<std::size_t> dataOf(const std::vector<const RecordRow*>& rows) {
  std::vector<std::size_t> sizes;
  for (const auto* r : rows) sizes.push_back(r->plaintext);
  return sizes;
}

}  // namespace

TEST(RecordLab, OneWriteOf20000BytesBecomesTwoRecordsOfAtMost16384) {
  const Ran& r = textbookRun();
  EXPECT_EQ(r.run.clientWrites, (std::vector<std::size_t>{20000}));
  auto write = clientDataRecords(r.layout);
  EXPECT_EQ(dataOf(write), (std::vector<std::size_t>{16384, 3616}));
  ASSERT_EQ(write.size(), 2u);
  EXPECT_EQ(write[0]->length, 16384u + 1 + 16);  // RFC 8446 §5.2: inner type + AEAD tag
  EXPECT_EQ(write[1]->length, 3616u + 1 + 16);
  EXPECT_EQ(write[0]->innerType, 23);
  EXPECT_EQ(write[0]->sequence, 0u);
  EXPECT_EQ(write[1]->sequence, 1u);
}

TEST(RecordLab, SslReadWithA9000ByteBufferReturnsLessThanARecord) {
  const Ran& r = textbookRun();
  // The buffering section: 9000 of the first record, its remaining 7384, then the second record.
  EXPECT_EQ(r.run.serverReads, (std::vector<std::size_t>{9000, 7384, 3616}));
  auto echo = serverDataRecords(r.layout);
  EXPECT_EQ(dataOf(echo), r.run.serverReads);  // one SSL_write per read, one record per write
  ASSERT_EQ(echo.size(), 3u);
  EXPECT_EQ(echo[0]->sequence, 2u);  // after the two NewSessionTickets
  EXPECT_EQ(echo[2]->sequence, 4u);
}

TEST(RecordLab, SegmentsAndRecordsDoNotLineUp) {
  const Ran& r = textbookRun();
  // Every byte of every record is in some segment, and the server's first
  // flight (ServerHello .. Finished) is one write: one segment, six records.
  std::size_t most = 0;
  for (const auto& s : r.layout.segments) most = std::max(most, s.records.size());
  EXPECT_GE(most, 6u);
  for (const auto& rec : r.layout.records) {
    EXPECT_FALSE(rec.frames.empty()) << "record " << rec.index;
    std::size_t covered = 0;
    for (const auto& s : r.layout.segments)
      if (std::find(rec.frames.begin(), rec.frames.end(), s.frame) != rec.frames.end()) covered += s.size;
    EXPECT_GE(covered, rec.length + 5) << "record " << rec.index;
  }
}

TEST(RecordLab, CbcMacThenEncryptRecordsCarryIvMacAndPadding) {
  RecordLabOptions options;
  options.tls = "1.2";
  options.ciphers = "AES128-SHA";
  options.macThenEncrypt = true;
  Ran r = ran(options);
  auto write = clientDataRecords(r.layout);
  ASSERT_EQ(write.size(), 2u);
  EXPECT_EQ(write[0]->construction, "MAC-then-encrypt");
  EXPECT_EQ(write[1]->explicitIv, 16u);
  EXPECT_EQ(write[1]->mac, 20u);
  // RFC 5246 §6.2.3.2: IV + (data + MAC + padding) in whole 16-byte blocks.
  EXPECT_EQ(write[1]->length, 16 + (3616u + 20 + 1 + 15) / 16 * 16);
  EXPECT_EQ(write[0]->sequence, 1u);  // the client's Finished was 0 under these keys
}

TEST(RecordLab, Tls13PaddingFillsTheInnerPlaintextToTheBlock) {
  RecordLabOptions options;
  options.padding = 512;
  options.writeSize = 1000;
  Ran r = ran(options);
  auto write = clientDataRecords(r.layout);
  ASSERT_EQ(write.size(), 1u);
  EXPECT_EQ(write[0]->plaintext, 1000u);
  EXPECT_EQ(write[0]->padding, 23u);          // 1000 + 1 + 23 = 1024 = 2 × 512
  EXPECT_EQ(write[0]->length, 1024u + 16);
}

TEST(RecordLab, ThePayloadEndsInItsMarkerAndHasTheAskedSize) {
  for (std::size_t size : {1000u, 20000u, 40000u}) {
    const std::string payload = recordLabPayload(size);
    EXPECT_EQ(payload.size(), size);
    EXPECT_EQ(payload.find("[end of"), payload.rfind("[end of"));
  }
}

TEST(RecordLab, OutOfBoundOptionsAreRefusedByName) {
  RecordLabOptions options;
  options.writeSize = 10;
  EXPECT_NE(checkRecordLabOptions(options).find("--size 10"), std::string::npos);
  options.writeSize = 20000;
  options.readBuffer = 1u << 20;
  EXPECT_NE(checkRecordLabOptions(options).find("--buffer"), std::string::npos);
  options.readBuffer = 9000;
  options.padding = 256;
  options.tls = "1.2";
  EXPECT_NE(checkRecordLabOptions(options).find("--pad"), std::string::npos);
  options.padding = 0;
  options.macThenEncrypt = true;
  EXPECT_NE(checkRecordLabOptions(options).find("CBC"), std::string::npos);
  options.certsDir = test::labCerts();
  EXPECT_FALSE(runRecordLab(options).setupError.empty());
}
