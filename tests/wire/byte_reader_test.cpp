#include <gtest/gtest.h>

#include "WireTestUtil.hpp"
#include "tlslab/wire/ByteReader.hpp"

namespace tlslab::wire {
namespace {

using testutil::hex;

TEST(ByteReader, ReadsBigEndianIntegersOfEachWidth) {
  Bytes b = hex("01 0203 040506 0708090a");
  ByteReader r(b);
  EXPECT_EQ(r.u8("a"), 0x01);
  EXPECT_EQ(r.u16("b"), 0x0203);
  EXPECT_EQ(r.u24("c"), 0x040506u);
  EXPECT_EQ(r.u32("d"), 0x0708090au);
  EXPECT_TRUE(r.empty());
  EXPECT_TRUE(r.expectEnd("x"));
}

TEST(ByteReader, TruncatedReadFailsWithOffsetAndStaysFailed) {
  Bytes b = hex("01 02 03");
  ByteReader r(b, 100);
  r.u8("first");
  EXPECT_EQ(r.u32("ClientHello.random"), 0u);
  ASSERT_TRUE(r.failed());
  EXPECT_EQ(r.error()->offset, 101u);
  EXPECT_NE(r.error()->what.find("ClientHello.random"), std::string::npos);
  EXPECT_EQ(r.error()->alert, ParseAlert::DecodeError);
  EXPECT_EQ(r.u8("later"), 0);  // sticky: later reads do not overwrite the first error
  EXPECT_EQ(r.error()->offset, 101u);
}

TEST(ByteReader, VectorChildCannotReadPastItsEnd) {
  Bytes b = hex("00 02 aa bb cc");
  ByteReader r(b);
  ByteReader child = r.vector(2, 0, 10, "v");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(child.remaining(), 2u);
  EXPECT_EQ(child.offset(), 2u);
  child.u16("inner");
  child.u8("past the end");
  EXPECT_TRUE(child.failed());
  EXPECT_TRUE(r.ok());  // the parent is unaffected
  EXPECT_EQ(r.u8("next"), 0xcc);
}

TEST(ByteReader, VectorLengthLargerThanContainerIsAnError) {
  Bytes b = hex("00 09 aa bb");
  ByteReader r(b);
  ByteReader child = r.vector(2, 0, 100, "extensions");
  ASSERT_TRUE(r.failed());
  EXPECT_EQ(r.error()->offset, 0u);
  EXPECT_NE(r.error()->what.find("only 2 remain"), std::string::npos);
  EXPECT_TRUE(child.failed());
}

TEST(ByteReader, VectorBelowMinimumOrAboveMaximumIsAnError) {
  Bytes zero = hex("00 00");
  ByteReader r(zero);
  r.vector(2, 2, 0xfffe, "cipher_suites");
  ASSERT_TRUE(r.failed());
  EXPECT_NE(r.error()->what.find("outside the allowed <2..65534>"), std::string::npos);

  Bytes big = hex("21 " + std::string(33 * 2, 'a'));
  ByteReader r2(big);
  r2.vector(1, 0, 32, "legacy_session_id");
  EXPECT_TRUE(r2.failed());
}

TEST(ByteReader, ExpectEndNamesTrailingBytes) {
  Bytes b = hex("01 02 03");
  ByteReader r(b);
  r.u8("x");
  EXPECT_FALSE(r.expectEnd("Alert"));
  EXPECT_NE(r.error()->what.find("2 trailing byte(s)"), std::string::npos);
  EXPECT_EQ(r.error()->offset, 1u);
}

TEST(Result, HoldsValueOrError) {
  Result<int> good = 5;
  Result<int> bad = ParseError{ParseAlert::IllegalParameter, "x", 3};
  EXPECT_TRUE(good.ok());
  EXPECT_EQ(good.value(), 5);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().offset, 3u);
}

}  // namespace
}  // namespace tlslab::wire
