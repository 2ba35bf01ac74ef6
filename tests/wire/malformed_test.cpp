// Dissector policy under bad input: every malformation becomes a diagnostic
// naming the structure and byte offset; nothing crashes or throws.
#include <gtest/gtest.h>

#include "WireTestUtil.hpp"
#include "support/Rfc8448.hpp"
#include "tlslab/wire/Explain.hpp"
#include "tlslab/wire/Messages.hpp"

namespace tlslab::wire {
namespace {

using testutil::hex;

TEST(Malformed, ClientHelloTruncatedAtEveryOffsetGivesADiagnosticEachTime) {
  const Bytes& ch = test::rfc8448::simple1Rtt().clientHello;
  ASSERT_GT(ch.size(), 100u);
  for (std::size_t cut = 0; cut < ch.size(); ++cut) {
    HandshakeMessage m = parseHandshakeMessage(ByteView(ch).first(cut));
    EXPECT_GE(testutil::errorCount(m.diagnostics), 1u) << "cut at " << cut;
    for (const auto& d : m.diagnostics)
      if (d.offset) {
        EXPECT_LE(*d.offset, cut) << "cut at " << cut << ": " << d.message;
      }
  }
  EXPECT_TRUE(parseHandshakeMessage(ch).ok());
}

TEST(Malformed, RecordStreamTruncatedAtEveryOffsetGivesADiagnosticEachTime) {
  const auto& rec = test::rfc8448::simple1Rtt().records.front().record;
  for (std::size_t cut = 1; cut < rec.size(); ++cut) {
    ExplainResult r = explainRecords(ByteView(rec).first(cut));
    EXPECT_TRUE(r.hasErrors()) << "cut at " << cut;
  }
  EXPECT_FALSE(explainRecords(rec).hasErrors());
}

TEST(Malformed, TrailingBytesAfterTheMessageBodyAreReported) {
  Bytes ch = testutil::smallClientHello();
  ch.push_back(0xAB);  // a byte beyond the declared length
  HandshakeMessage m = parseHandshakeMessage(ch);
  ASSERT_EQ(testutil::errorCount(m.diagnostics), 1u) << testutil::dump(m.diagnostics);
  EXPECT_NE(m.diagnostics[0].message.find("trailing"), std::string::npos);
  EXPECT_EQ(m.diagnostics[0].offset, ch.size() - 1);
  EXPECT_NE(model::findField(m.tree, "trailing_data"), nullptr);
}

TEST(Malformed, TrailingBytesInsideAnExtensionAreReported) {
  // supported_versions in a ServerHello must be exactly 2 bytes; here 3.
  Bytes sh = hex("02 00 00 2f 03 03" + std::string(64, '2') + "00 13 01 00 00 07 00 2b 00 03 03 04 ff");
  HandshakeMessage m = parseHandshakeMessage(sh);
  ASSERT_EQ(testutil::errorCount(m.diagnostics), 1u) << testutil::dump(m.diagnostics);
  EXPECT_NE(m.diagnostics[0].where.find("supported_versions"), std::string::npos);
  EXPECT_EQ(m.diagnostics[0].offset, sh.size() - 1);
  // The rest still parsed: the selected version is known.
  ASSERT_NE(m.as<ServerHello>(), nullptr);
  EXPECT_EQ(m.as<ServerHello>()->negotiatedVersion(), 0x0304);
}

TEST(Malformed, VectorLengthLargerThanItsContainerIsReportedAtTheLengthField) {
  Bytes ch = testutil::smallClientHello();
  ch[4 + 2 + 32 + 1 + 1] = 0x40;  // cipher_suites length 0x0040, far beyond the body
  HandshakeMessage m = parseHandshakeMessage(ch);
  ASSERT_GE(testutil::errorCount(m.diagnostics), 1u);
  EXPECT_EQ(m.diagnostics[0].offset, 4u + 2 + 32 + 1);
  EXPECT_NE(m.diagnostics[0].message.find("only"), std::string::npos);
  EXPECT_NE(m.diagnostics[0].where.find("cipher_suites"), std::string::npos);
}

TEST(Malformed, HandshakeLengthLargerThanTheBytesPresentIsReported) {
  Bytes ch = testutil::smallClientHello();
  ch[3] = 0xff;
  HandshakeMessage m = parseHandshakeMessage(ch);
  ASSERT_GE(testutil::errorCount(m.diagnostics), 1u);
  EXPECT_EQ(m.diagnostics[0].offset, 1u);
  EXPECT_NE(m.diagnostics[0].message.find("truncated message"), std::string::npos);
}

TEST(Malformed, ZeroLengthCipherSuitesIsForbidden) {
  Bytes ch = testutil::fixLength(hex("01 00 00 00 03 03" + std::string(64, '0') + "00 00 00 01 00 00 07 00 2b 00 03 02 03 04"));
  HandshakeMessage m = parseHandshakeMessage(ch);
  ASSERT_GE(testutil::errorCount(m.diagnostics), 1u) << testutil::dump(m.diagnostics);
  EXPECT_NE(m.diagnostics[0].message.find("outside the allowed <2..65534>"), std::string::npos);
}

TEST(Malformed, ZeroLengthCompressionMethodsIsForbidden) {
  Bytes ch = testutil::fixLength(hex("01 00 00 00 03 03" + std::string(64, '0') + "00 00 02 13 01 00 00 07 00 2b 00 03 02 03 04"));
  HandshakeMessage m = parseHandshakeMessage(ch);
  ASSERT_GE(testutil::errorCount(m.diagnostics), 1u) << testutil::dump(m.diagnostics);
  EXPECT_NE(m.diagnostics[0].where.find("legacy_compression_methods"), std::string::npos);
}

TEST(Malformed, OddCipherSuiteListLengthIsReported) {
  Bytes ch = testutil::fixLength(hex("01 00 00 00 03 03" + std::string(64, '0') + "00 00 03 13 01 13 01 00 00 07 00 2b 00 03 02 03 04"));
  HandshakeMessage m = parseHandshakeMessage(ch);
  EXPECT_GE(testutil::errorCount(m.diagnostics), 1u) << testutil::dump(m.diagnostics);
}

TEST(Malformed, KeyUpdateWithIllegalValueIsFlagged) {
  HandshakeMessage m = parseHandshakeMessage(hex("18 00 00 01 02"));
  ASSERT_EQ(testutil::errorCount(m.diagnostics), 1u);
  EXPECT_NE(m.diagnostics[0].message.find("illegal_parameter"), std::string::npos);
}

TEST(Malformed, UnknownHandshakeTypeIsKeptWithAWarning) {
  HandshakeMessage m = parseHandshakeMessage(hex("63 00 00 02 aa bb"));
  EXPECT_EQ(testutil::errorCount(m.diagnostics), 0u);
  ASSERT_EQ(m.diagnostics.size(), 1u);
  EXPECT_EQ(m.diagnostics[0].severity, model::Severity::Warning);
  ASSERT_NE(m.as<UnknownMessage>(), nullptr);
  EXPECT_EQ(m.as<UnknownMessage>()->body, hex("aa bb"));
}

TEST(Malformed, EmptyAndTinyInputsNeverCrash) {
  for (std::size_t n = 0; n < 6; ++n) {
    Bytes b(n, 0x16);
    (void)parseHandshakeMessage(b);
    (void)explainRecords(b);
    (void)explainMessages(b);
  }
  SUCCEED();
}

}  // namespace
}  // namespace tlslab::wire
