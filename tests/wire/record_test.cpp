#include <gtest/gtest.h>

#include "WireTestUtil.hpp"
#include "tlslab/wire/Record.hpp"

namespace tlslab::wire {
namespace {

using testutil::hex;
using testutil::record;

Bytes sampleStream() {
  Bytes s = testutil::cat({record(22, testutil::smallClientHello(), 0x0301), record(20, hex("01")),
                           record(23, Bytes(300, 0x42)), record(21, hex("01 00"))});
  return s;
}

TEST(RecordFramer, FramesWholeBufferIntoRecordsWithStreamOffsets) {
  RecordFramer f;
  auto recs = f.feed(sampleStream());
  auto tail = f.finish();
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_TRUE(tail.empty());
  EXPECT_EQ(recs[0].contentType, 22);
  EXPECT_EQ(recs[0].version, 0x0301);
  EXPECT_EQ(recs[0].streamOffset, 0u);
  EXPECT_EQ(recs[1].streamOffset, 5u + testutil::smallClientHello().size());
  EXPECT_EQ(recs[2].fragment.size(), 300u);
  EXPECT_EQ(recs[3].fragment, hex("01 00"));
  for (const auto& r : recs) EXPECT_TRUE(r.diagnostics.empty()) << testutil::dump(r.diagnostics);
}

bool sameRecords(const std::vector<Record>& a, const std::vector<Record>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].contentType != b[i].contentType || a[i].version != b[i].version || a[i].fragment != b[i].fragment ||
        a[i].streamOffset != b[i].streamOffset)
      return false;
  return true;
}

TEST(RecordFramer, OneByteAtATimeEqualsWholeBuffer) {
  Bytes s = sampleStream();
  RecordFramer whole;
  auto expected = whole.feed(s);
  RecordFramer bytewise;
  std::vector<Record> got;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto part = bytewise.feed(ByteView(s).subspan(i, 1));
    got.insert(got.end(), part.begin(), part.end());
  }
  EXPECT_TRUE(bytewise.finish().empty());
  EXPECT_TRUE(sameRecords(expected, got));
}

TEST(RecordFramer, ArbitraryChunkSizesEqualWholeBuffer) {
  Bytes s = sampleStream();
  RecordFramer whole;
  auto expected = whole.feed(s);
  for (std::size_t chunk : {2u, 3u, 4u, 5u, 6u, 7u, 13u, 64u, 301u}) {
    RecordFramer f;
    std::vector<Record> got;
    for (std::size_t i = 0; i < s.size(); i += chunk) {
      auto part = f.feed(ByteView(s).subspan(i, std::min(chunk, s.size() - i)));
      got.insert(got.end(), part.begin(), part.end());
    }
    EXPECT_TRUE(sameRecords(expected, got)) << "chunk " << chunk;
  }
}

TEST(RecordFramer, RecordLength2To14Plus2049IsDiagnosedAsOverflow) {
  Bytes s = hex("17 03 03");
  std::size_t len = (1u << 14) + 2049;
  s.push_back(static_cast<std::uint8_t>(len >> 8));
  s.push_back(static_cast<std::uint8_t>(len));
  s.resize(s.size() + len, 0);
  RecordFramer f;
  auto recs = f.feed(s);
  ASSERT_FALSE(recs.empty());
  ASSERT_FALSE(recs[0].diagnostics.empty());
  EXPECT_EQ(recs[0].diagnostics[0].severity, model::Severity::Error);
  EXPECT_EQ(recs[0].diagnostics[0].offset, 3u);
  EXPECT_NE(recs[0].diagnostics[0].message.find("record_overflow"), std::string::npos);
  EXPECT_TRUE(f.desynchronized());
}

TEST(RecordFramer, RecordLengthExactly2To14Plus2048IsAccepted) {
  std::size_t len = kMaxRecordLength;
  Bytes s = record(23, Bytes(len, 1));
  RecordFramer f;
  auto recs = f.feed(s);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].fragment.size(), len);
  EXPECT_TRUE(recs[0].diagnostics.empty());
}

TEST(RecordFramer, TruncatedFinalRecordIsDeliveredWithDiagnostic) {
  Bytes s = record(22, testutil::smallClientHello());
  s.resize(s.size() - 7);
  RecordFramer f;
  EXPECT_TRUE(f.feed(s).empty());
  auto tail = f.finish();
  ASSERT_EQ(tail.size(), 1u);
  EXPECT_TRUE(tail[0].truncated);
  ASSERT_FALSE(tail[0].diagnostics.empty());
  EXPECT_NE(tail[0].diagnostics[0].message.find("stream ends inside a record"), std::string::npos);
}

TEST(RecordFramer, ZeroLengthHandshakeRecordIsForbidden) {
  RecordFramer f;
  auto recs = f.feed(record(22, {}));
  ASSERT_EQ(recs.size(), 1u);
  ASSERT_EQ(recs[0].diagnostics.size(), 1u);
  EXPECT_NE(recs[0].diagnostics[0].message.find("zero-length"), std::string::npos);
}

TEST(RecordFramer, NonTlsBytesStopFramingWithOneDiagnostic) {
  Bytes s = testutil::cat({record(21, hex("02 28")), toBytes("GET / HTTP/1.1\r\n")});
  RecordFramer f;
  auto recs = f.feed(s);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_TRUE(f.desynchronized());
  auto tail = f.finish();
  ASSERT_EQ(tail.size(), 1u);
  EXPECT_EQ(tail[0].streamOffset, 7u);
  EXPECT_NE(tail[0].diagnostics[0].message.find("not TLS records"), std::string::npos);
  EXPECT_TRUE(f.finish().empty());  // reported once
}

// An SSLv2-compatible ClientHello (RFC 5246 §E.2) offering two TLS suites.
Bytes sslv2Hello() {
  return hex(
      "80 1f"           // 2-byte header, length 31
      "01 03 01"        // CLIENT-HELLO, version TLS 1.0
      "00 06 00 00 00 10"  // cipher_spec_length 6, session_id 0, challenge 16
      "00 00 2f 00 00 35"  // TLS_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_256_CBC_SHA
      "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f");
}

TEST(RecordFramer, Sslv2ClientHelloIsLabelledNotMisparsed) {
  RecordFramer f;
  Bytes s = testutil::cat({sslv2Hello(), record(21, hex("01 00"))});
  auto recs = f.feed(s);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_TRUE(recs[0].sslv2ClientHello);
  EXPECT_EQ(recs[0].headerLength, 2u);
  EXPECT_EQ(recs[0].version, 0x0301);
  EXPECT_EQ(recs[0].fragment.size(), 31u);
  EXPECT_EQ(recs[1].contentType, 21);
  EXPECT_EQ(recs[1].streamOffset, 33u);

  std::vector<model::Diagnostic> diags;
  RecordView v;
  v.sslv2ClientHello = true;
  v.headerLength = 2;
  v.fragment = recs[0].fragment;
  model::Field tree = describeSslv2ClientHello(v, diags);
  EXPECT_TRUE(diags.empty()) << testutil::dump(diags);
  const model::Field* specs = model::findField(tree, "cipher_specs");
  ASSERT_NE(specs, nullptr);
  ASSERT_EQ(specs->children.size(), 2u);
  EXPECT_EQ(specs->children[0].value, "0x002f TLS_RSA_WITH_AES_128_CBC_SHA");
}

TEST(RecordFramer, Sslv2ClientHelloOneByteAtATime) {
  Bytes s = sslv2Hello();
  RecordFramer f;
  std::vector<Record> got;
  for (auto b : s) {
    auto part = f.feed(ByteView(&b, 1));
    got.insert(got.end(), part.begin(), part.end());
  }
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].sslv2ClientHello);
}

TEST(RecordFields, AlertIsNamed) {
  std::vector<model::Diagnostic> diags;
  model::Field a = describeAlert(hex("02 28"), 5, diags);
  EXPECT_EQ(a.value, "fatal handshake_failure");
  EXPECT_TRUE(diags.empty());
  model::Field b = describeAlert(hex("02"), 5, diags);
  EXPECT_EQ(testutil::errorCount(diags), 1u);
  EXPECT_EQ(diags[0].offset, 6u);
}

TEST(RecordFields, HeartbeatOverlongPayloadLengthIsFlagged) {
  std::vector<model::Diagnostic> diags;
  describeHeartbeat(hex("01 40 00 61 62 63"), 5, diags);  // claims 16384 bytes, sends 3 (Heartbleed)
  ASSERT_EQ(testutil::errorCount(diags), 1u);
  EXPECT_NE(diags[0].message.find("Heartbleed"), std::string::npos);
}

TEST(RecordFields, ChangeCipherSpecMustBeOne) {
  std::vector<model::Diagnostic> diags;
  describeChangeCipherSpec(hex("01"), 5, diags);
  EXPECT_TRUE(diags.empty());
  describeChangeCipherSpec(hex("02"), 5, diags);
  EXPECT_EQ(testutil::errorCount(diags), 1u);
}

TEST(RecordFields, HeaderFieldsCarryRecordAndStreamOffsets) {
  RecordFramer f;
  Bytes s = testutil::cat({record(21, hex("01 00")), record(22, testutil::smallClientHello())});
  auto recs = f.feed(s);
  ASSERT_EQ(recs.size(), 2u);
  model::Field tree = describeRecordHeader(recs[1]);
  const model::Field* len = model::findField(tree, "length");
  ASSERT_NE(len, nullptr);
  EXPECT_EQ(len->offset, 3u);
  EXPECT_EQ(len->streamOffset, 7u + 3u);
  EXPECT_EQ(len->value, std::to_string(testutil::smallClientHello().size()));
}

}  // namespace
}  // namespace tlslab::wire

namespace tlslab::wire {
namespace {

// Found by the wire fuzzer: after an SSLv2 hello, a non-TLS header arriving
// in small chunks made the framer wait for its bogus length instead of
// reporting "not TLS" as the whole-buffer path did.
TEST(RecordFramer, NonTlsHeaderAfterSslv2HelloIsRejectedTheSameInChunks) {
  Bytes s = testutil::hex(
      "801f01030100060000001000002f00003500801f01030100060000001000002f000035000102030405060708090a0b0c01020304050607"
      "08090a0b0c0d0e0f");
  auto frame = [&](std::size_t chunk) {
    RecordFramer f;
    std::vector<Record> out;
    for (std::size_t i = 0; i < s.size(); i += chunk) {
      auto part = f.feed(ByteView(s).subspan(i, std::min(chunk, s.size() - i)));
      out.insert(out.end(), part.begin(), part.end());
    }
    auto tail = f.finish();
    out.insert(out.end(), tail.begin(), tail.end());
    return out;
  };
  auto whole = frame(s.size());
  for (std::size_t chunk : {1u, 2u, 3u, 4u, 5u, 6u, 7u}) {
    auto got = frame(chunk);
    ASSERT_EQ(got.size(), whole.size()) << "chunk " << chunk;
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].streamOffset, whole[i].streamOffset);
      EXPECT_EQ(got[i].headerLength, whole[i].headerLength);
      EXPECT_EQ(got[i].fragment, whole[i].fragment);
    }
  }
  ASSERT_EQ(whole.size(), 2u);
  EXPECT_TRUE(whole[0].sslv2ClientHello);
  EXPECT_EQ(whole[1].headerLength, 0u);  // the "not TLS" report
}

}  // namespace
}  // namespace tlslab::wire
