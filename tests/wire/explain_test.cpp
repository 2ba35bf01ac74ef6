#include <gtest/gtest.h>

#include "WireTestUtil.hpp"
#include "support/Rfc8448.hpp"
#include "tlslab/wire/Explain.hpp"

namespace tlslab::wire {
namespace {

using testutil::hex;
using testutil::record;

TEST(Explain, MessageSplitAcrossRecordsIsShownOnceWithExactStreamOffsets) {
  Bytes ch = testutil::smallClientHello();
  Bytes stream = testutil::cat({record(22, Bytes(ch.begin(), ch.begin() + 20), 0x0301),
                                record(22, Bytes(ch.begin() + 20, ch.end()), 0x0301)});
  ExplainResult r = explainRecords(stream);
  ASSERT_FALSE(r.hasErrors()) << testutil::dump(r.diagnostics);
  ASSERT_EQ(r.records.size(), 2u);
  ASSERT_EQ(r.records[0].contents.size(), 1u);
  EXPECT_TRUE(r.records[1].contents.empty());
  const ExplainUnit& u = r.records[0].contents[0];
  EXPECT_NE(u.tree.value.find("reassembled from 2 records"), std::string::npos);
  // cipher_suites starts at message offset 39, i.e. in the second record:
  // stream offset = second record start (25) + header (5) + (39 - 20).
  const model::Field* suites = model::findField(u.tree, "cipher_suites");
  ASSERT_NE(suites, nullptr);
  ASSERT_TRUE(suites->streamOffset.has_value());
  EXPECT_EQ(*suites->streamOffset, 25u + 5u + 19u);
  EXPECT_EQ(toHex(u.rawOf(*suites)), "00021301");
  // The random lies in the first record: record-relative offset 5 + 6.
  const model::Field* random = model::findField(u.tree, "random");
  ASSERT_NE(random, nullptr);
  EXPECT_EQ(random->offset, 11u);
  EXPECT_EQ(*random->streamOffset, 11u);
}

TEST(Explain, OutOfOrderMessageIsFlaggedByTheFlowTable) {
  Bytes stream = testutil::cat({record(22, testutil::smallClientHello(), 0x0301), record(22, hex("0e 00 00 00"))});
  ExplainResult r = explainRecords(stream);
  ASSERT_FALSE(r.flowNotes.empty());
  EXPECT_NE(r.flowNotes[0].find("unexpected ServerHelloDone"), std::string::npos) << r.flowNotes[0];
  bool warned = std::any_of(r.diagnostics.begin(), r.diagnostics.end(), [](const model::Diagnostic& d) {
    return d.where == "handshake flow" && d.severity == model::Severity::Warning;
  });
  EXPECT_TRUE(warned);
}

TEST(Explain, SaysWhatComesNextAfterAClientHello) {
  ExplainResult r = explainRecords(record(22, testutil::smallClientHello(), 0x0301));
  ASSERT_FALSE(r.flowNotes.empty());
  EXPECT_NE(r.flowNotes.back().find("ServerHello from the server"), std::string::npos);
}

TEST(Explain, HandshakeAfterChangeCipherSpecIsShownAsEncrypted) {
  Bytes stream = testutil::cat({record(20, hex("01")), record(22, Bytes(40, 0x9c))});
  ExplainResult r = explainRecords(stream);
  ASSERT_EQ(r.records.size(), 2u);
  ASSERT_EQ(r.records[1].contents.size(), 1u);
  EXPECT_EQ(r.records[1].contents[0].tree.name, "encrypted_handshake_message");
  EXPECT_FALSE(r.hasErrors()) << testutil::dump(r.diagnostics);
}

TEST(Explain, JsonCarriesTheTreeWithRawBytesAndDiagnostics) {
  Bytes stream = record(21, hex("02 28"));
  stream.push_back(0x15);  // a truncated second record
  nlohmann::json j = toJson(explainRecords(stream));
  ASSERT_EQ(j["records"].size(), 2u);
  const auto& alert = j["records"][0]["contents"][0];
  EXPECT_EQ(alert["name"], "Alert");
  EXPECT_EQ(alert["value"], "fatal handshake_failure");
  EXPECT_EQ(alert["raw"], "0228");
  EXPECT_EQ(alert["children"][1]["name"], "description");
  EXPECT_EQ(alert["children"][1]["stream_offset"], 6);
  ASSERT_EQ(j["diagnostics"].size(), 1u);
  EXPECT_EQ(j["diagnostics"][0]["severity"], "error");
  EXPECT_EQ(j["diagnostics"][0]["offset"], 7);
}

TEST(Explain, BareMessagesWithoutRecordHeaders) {
  const auto& t = test::rfc8448::simple1Rtt();
  Bytes two = testutil::cat({t.clientHello, t.serverHello});
  ExplainResult r = explainMessages(two);
  ASSERT_FALSE(r.hasErrors()) << testutil::dump(r.diagnostics);
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[1].contents[0].tree.name, "ServerHello");
  EXPECT_EQ(r.records[1].contents[0].tree.offset, t.clientHello.size());
}

TEST(Explain, TextShowsOffsetsRawBytesValuesAndMeanings) {
  std::string text = toText(explainRecords(record(21, hex("01 00"))));
  EXPECT_NE(text.find("description: 0x00 close_notify"), std::string::npos) << text;
  EXPECT_NE(text.find("[00]"), std::string::npos);
  EXPECT_NE(text.find("# "), std::string::npos);
  EXPECT_NE(text.find("[   6 @    6]"), std::string::npos) << text;
}

}  // namespace
}  // namespace tlslab::wire

namespace tlslab::wire {
namespace {

// Found by the wire fuzzer (UBSan): a "not TLS" tail made explain memcpy
// into an empty buffer.
TEST(Explain, NonTlsTailIsReportedWithoutTouchingEmptyBuffers) {
  Bytes s = testutil::cat({record(21, hex("01 00")), toBytes("hello, not TLS")});
  ExplainResult r = explainRecords(s);
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_TRUE(r.hasErrors());
  EXPECT_EQ(r.records[1].header.tree.streamOffset, 7u);
}

}  // namespace
}  // namespace tlslab::wire
