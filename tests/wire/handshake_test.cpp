#include <gtest/gtest.h>

#include "WireTestUtil.hpp"
#include "tlslab/wire/Handshake.hpp"
#include "tlslab/wire/Messages.hpp"

namespace tlslab::wire {
namespace {

using testutil::hex;

TEST(HandshakeReassembler, MessageSplitAcrossThreeRecordsIsReassembled) {
  Bytes ch = testutil::smallClientHello();
  HandshakeReassembler r;
  std::vector<ReassembledMessage> out;
  r.addRecord(ByteView(ch).first(2), 0, 5, 0, out);       // not even the whole header
  EXPECT_TRUE(out.empty());
  r.addRecord(ByteView(ch).subspan(2, 20), 7, 5, 0, out);
  EXPECT_TRUE(out.empty());
  r.addRecord(ByteView(ch).subspan(22), 32, 5, 0, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].bytes, ch);
  EXPECT_EQ(out[0].type, 1);
  EXPECT_EQ(out[0].recordCount, 3u);
  EXPECT_EQ(out[0].firstRecord, 0u);
  EXPECT_TRUE(out[0].diagnostics.empty());
  // Byte 25 of the message is byte 3 of the third record's fragment.
  EXPECT_EQ(out[0].streamOffsetOf(25), 32u + 5u + 3u);
  EXPECT_EQ(out[0].streamOffsetOf(0), 5u);
  EXPECT_FALSE(r.hasPartial());
}

TEST(HandshakeReassembler, SeveralMessagesInOneRecord) {
  Bytes payload = testutil::cat({hex("0e 00 00 00"), hex("14 00 00 0c 00 01 02 03 04 05 06 07 08 09 0a 0b"),
                                 hex("18 00 00 01 00")});
  HandshakeReassembler r;
  std::vector<ReassembledMessage> out;
  r.addRecord(payload, 100, 5, 0, out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].type, 14);
  EXPECT_EQ(out[1].type, 20);
  EXPECT_EQ(out[1].offsetInFirstRecord, 5u + 4u);
  EXPECT_EQ(out[2].type, 24);
  EXPECT_EQ(out[2].streamOffsetOf(0), 100u + 5u + 20u);
}

TEST(HandshakeReassembler, MessageSpanningAKeyChangeIsDiagnosed) {
  Bytes fin = hex("14 00 00 0c 00 01 02 03 04 05 06 07 08 09 0a 0b");
  HandshakeReassembler r;
  std::vector<ReassembledMessage> out;
  r.addRecord(ByteView(fin).first(6), 0, 5, 0, out);
  r.addRecord(ByteView(fin).subspan(6), 11, 5, 1, out);  // epoch changed in the middle
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(testutil::errorCount(out[0].diagnostics), 1u);
  EXPECT_NE(out[0].diagnostics[0].message.find("spans a key change"), std::string::npos);
  EXPECT_EQ(out[0].diagnostics[0].offset, 11u);
}

TEST(HandshakeReassembler, Tls13ServerHelloSharingARecordWithTheNextMessageIsDiagnosed) {
  // A ServerHello (normal random) followed by EncryptedExtensions in the same
  // plaintext record: the EE was not encrypted, which TLS 1.3 forbids.
  Bytes sh = hex("02 00 00 26 03 03" + std::string(64, '1') + "00 13 01 00");
  sh[3] = static_cast<std::uint8_t>(sh.size() - 4);
  Bytes payload = testutil::cat({sh, hex("08 00 00 02 00 00")});
  HandshakeReassembler r;
  r.setTls13(true);
  std::vector<ReassembledMessage> out;
  r.addRecord(payload, 0, 5, 0, out);
  ASSERT_EQ(out.size(), 2u);
  ASSERT_EQ(testutil::errorCount(out[0].diagnostics), 1u);
  EXPECT_NE(out[0].diagnostics[0].message.find("record boundary"), std::string::npos);
}

TEST(HandshakeReassembler, HelloRetryRequestMayShareItsRecord) {
  Bytes hrr = testutil::cat({hex("02 00 00 28 03 03"), Bytes(kHelloRetryRequestRandom, kHelloRetryRequestRandom + 32),
                             hex("00 13 01 00 00 00")});
  hrr[3] = static_cast<std::uint8_t>(hrr.size() - 4);
  Bytes payload = testutil::cat({hrr, hex("0e 00 00 00")});
  HandshakeReassembler r;
  r.setTls13(true);
  std::vector<ReassembledMessage> out;
  r.addRecord(payload, 0, 5, 0, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[0].diagnostics.empty()) << testutil::dump(out[0].diagnostics);
}

TEST(HandshakeReassembler, StreamEndingInsideAMessageDeliversItTruncated) {
  Bytes ch = testutil::smallClientHello();
  HandshakeReassembler r;
  std::vector<ReassembledMessage> out;
  r.addRecord(ByteView(ch).first(10), 0, 5, 0, out);
  r.finish(out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].truncated);
  EXPECT_NE(out[0].diagnostics[0].message.find("10 of 54"), std::string::npos) << out[0].diagnostics[0].message;
}

}  // namespace
}  // namespace tlslab::wire
