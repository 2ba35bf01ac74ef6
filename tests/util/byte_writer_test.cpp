#include <gtest/gtest.h>

#include "tlslab/util/ByteReader.hpp"
#include "tlslab/util/ByteWriter.hpp"

namespace tlslab {
namespace {

Bytes hexBytes(std::string_view text) { return fromHex(text).value(); }

TEST(ByteWriter, WritesBigEndianIntegersOfEachWidth) {
  ByteWriter w;
  w.u8(0x01).u16(0x0203).u24(0x040506).u32(0x0708090a).u64(0x1112131415161718);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(std::move(w).take(), hexBytes("01 0203 040506 0708090a 1112131415161718"));
}

TEST(ByteWriter, LittleEndianWritesIntegersAndPrefixesLowByteFirst) {
  // pcap files are written in the host's order: the magic must read d4 c3 b2 a1.
  ByteWriter w(ByteOrder::Little);
  w.u32(0xA1B2C3D4).u16(0x0102).u24(0x030405);
  {
    auto s = w.prefixed(2);
    w.text("abc");
  }
  w.padTo(4);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(std::move(w).take(), hexBytes("d4c3b2a1 0201 050403 0300 616263 0000"));
}

TEST(ByteWriter, PadToAddsNothingWhenAlreadyAligned) {
  ByteWriter w;
  w.u32(1).padTo(4);
  EXPECT_EQ(w.size(), 4u);
  w.u8(2).padTo(4);
  EXPECT_EQ(std::move(w).take(), hexBytes("00000001 02000000"));
}

TEST(ByteWriter, FillsU8U16AndU24PrefixesWhenTheirScopeCloses) {
  ByteWriter w;
  {
    auto one = w.prefixed(1);
    w.text("ab");
  }
  {
    auto two = w.prefixed(2);
    w.zeros(3);
  }
  {
    auto three = w.prefixed(3);
    w.u8(0xff);
  }
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(std::move(w).take(), hexBytes("02 6162  0003 000000  000001 ff"));
}

TEST(ByteWriter, NestedScopesEachCountTheirOwnContents) {
  // A handshake message (u24) holding extensions (u16) holding one extension's data (u16).
  ByteWriter w;
  w.u8(1);
  {
    auto message = w.prefixed(3);
    w.u16(0x0303);
    w.prefixed(2, [&] {
      w.u16(0x002b);
      w.prefixed(2, [&] { w.u8(2).u16(0x0304); });
    });
  }
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(std::move(w).take(), hexBytes("01 00000b 0303 0007 002b 0003 02 0304"));
}

TEST(ByteWriter, AnEmptyVectorGetsAZeroPrefix) {
  ByteWriter w;
  w.prefixed(2, [] {});
  w.vector(1, {});
  EXPECT_EQ(std::move(w).take(), hexBytes("0000 00"));
}

TEST(ByteWriter, OverflowingAPrefixIsAnErrorNotAWrap) {
  ByteWriter w;
  {
    auto v = w.prefixed(1);
    w.zeros(256);  // one more than a u8 length can say
  }
  EXPECT_FALSE(w.ok());
  EXPECT_NE(w.error()->find("256 bytes overflows its 1-byte length prefix"), std::string::npos) << *w.error();
  EXPECT_TRUE(std::move(w).take().empty());  // never the wrapped bytes (00 ...)
}

TEST(ByteWriter, TheLargestLengthAPrefixCanSayStillFits) {
  ByteWriter w;
  w.prefixed(1, [&] { w.zeros(255); });
  ASSERT_TRUE(w.ok());
  Bytes out = std::move(w).take();
  ASSERT_EQ(out.size(), 256u);
  EXPECT_EQ(out[0], 0xff);
}

TEST(ByteWriter, AValueWiderThanItsFieldIsAnError) {
  ByteWriter w;
  w.u16(0x10000);
  EXPECT_FALSE(w.ok());
  EXPECT_NE(w.error()->find("65536 does not fit in 2 byte(s)"), std::string::npos) << *w.error();
  ByteWriter v;
  v.vector(1, Bytes(300, 0));
  EXPECT_FALSE(v.ok());
}

TEST(ByteWriter, AnInnerOverflowIsReportedAndKeptFirst) {
  ByteWriter w;
  {
    auto outer = w.prefixed(2);
    w.prefixed(1, [&] { w.zeros(300); });
  }
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.error()->find("1-byte length prefix"), std::string::npos);
}

TEST(ByteWriter, WhatItWritesTheReaderReadsBack) {
  ByteWriter w;
  w.prefixed(2, [&] {
    for (std::uint16_t suite : {0x1301, 0x1302, 0xc02f}) w.u16(suite);
  });
  Bytes out = std::move(w).take();
  ByteReader r(out);
  EXPECT_EQ(r.list<std::uint16_t>(2, 2, 0xfffe, "cipher_suites"), (std::vector<std::uint16_t>{0x1301, 0x1302, 0xc02f}));
  EXPECT_TRUE(r.expectEnd("hello"));
}

}  // namespace
}  // namespace tlslab
