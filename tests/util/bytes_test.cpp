#include <gtest/gtest.h>

#include "tlslab/util/Bytes.hpp"

using tlslab::fromHex;
using tlslab::toHex;

TEST(Hex, RoundTripsBytes) {
  tlslab::Bytes bytes{0x16, 0x03, 0x01, 0x00, 0xff};
  EXPECT_EQ(toHex(bytes), "16030100ff");
  EXPECT_EQ(toHex(bytes, ":"), "16:03:01:00:ff");
  EXPECT_EQ(fromHex("16030100ff"), bytes);
}

TEST(Hex, ToleratesPastedSeparatorsAndPrefixes) {
  EXPECT_EQ(fromHex("16 03:01\n00\tFF"), (tlslab::Bytes{0x16, 0x03, 0x01, 0x00, 0xff}));
  EXPECT_EQ(fromHex("0x16 0x03"), (tlslab::Bytes{0x16, 0x03}));
}

TEST(Hex, RejectsOddDigitsAndGarbage) {
  EXPECT_FALSE(fromHex("160"));
  EXPECT_FALSE(fromHex("16zz"));
  EXPECT_FALSE(fromHex("1 6x"));
}

TEST(Hex, EmptyInputIsEmptyBytes) { EXPECT_EQ(fromHex(""), tlslab::Bytes{}); }
