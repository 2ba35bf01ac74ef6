#include <gtest/gtest.h>

#include "tlslab/util/ByteReader.hpp"

namespace tlslab {
namespace {

Bytes hexBytes(std::string_view text) { return fromHex(text).value(); }

TEST(ByteReaderList, ReadsSixteenBitItems) {
  Bytes b = hexBytes("0004 1301 1302 ff");
  ByteReader r(b);
  EXPECT_EQ(r.list<std::uint16_t>(2, 2, 0xfffe, "cipher_suites"), (std::vector<std::uint16_t>{0x1301, 0x1302}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.u8("after"), 0xff);
}

TEST(ByteReaderList, AnOddLengthOfSixteenBitItemsIsRejectedAtTheLengthField) {
  Bytes b = hexBytes("aa 0003 1301 13");
  ByteReader r(b, 40);
  r.u8("before");
  auto items = r.list<std::uint16_t>(2, 2, 0xfffe, "ClientHello.cipher_suites");
  EXPECT_TRUE(items.empty());
  ASSERT_TRUE(r.failed());
  EXPECT_EQ(r.error()->offset, 41u);  // the length field, in unit offsets
  EXPECT_EQ(r.error()->what, "ClientHello.cipher_suites: length 3 is odd, not a list of 2-byte values");
  EXPECT_EQ(r.error()->alert, ParseAlert::DecodeError);
}

TEST(ByteReaderList, BoundsAndTruncationAreCheckedAsForAnyVector) {
  Bytes tooShort = hexBytes("0000");
  ByteReader a(tooShort);
  a.list<std::uint16_t>(2, 2, 0xfffe, "supported_groups");
  ASSERT_TRUE(a.failed());
  EXPECT_NE(a.error()->what.find("outside the allowed <2..65534>"), std::string::npos);

  Bytes cut = hexBytes("0006 0017");
  ByteReader b(cut);
  b.list<std::uint16_t>(2, 2, 0xfffe, "supported_groups");
  ASSERT_TRUE(b.failed());
  EXPECT_NE(b.error()->what.find("only 2 remain"), std::string::npos);
}

TEST(ByteReaderList, OtherItemWidthsNeedWholeItems) {
  Bytes bytes = hexBytes("02 00 01");
  ByteReader r8(bytes);
  EXPECT_EQ(r8.list<std::uint8_t>(1, 1, 255, "compression_methods"), (std::vector<std::uint8_t>{0, 1}));
  Bytes words = hexBytes("06 00000001 0002");
  ByteReader r32(words);
  r32.list<std::uint32_t>(1, 0, 255, "words");
  ASSERT_TRUE(r32.failed());
  EXPECT_NE(r32.error()->what.find("not a multiple of the 4-byte item"), std::string::npos);
}

TEST(ByteReader, SkipAndU64) {
  Bytes b = hexBytes("0102 0000000000000203");
  ByteReader r(b);
  EXPECT_TRUE(r.skip(2, "pad"));
  EXPECT_EQ(r.u64("seq"), 0x203u);
  EXPECT_FALSE(r.skip(1, "past the end"));
  EXPECT_TRUE(r.failed());
}

}  // namespace
}  // namespace tlslab
