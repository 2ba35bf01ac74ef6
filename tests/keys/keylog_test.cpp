// NSS key log parsing: every label, comments, blank lines, CRLF, Wireshark's
// tolerance for trailing text, and bad lines reported with their line number
// and reason while the rest still loads.
#include <gtest/gtest.h>

#include <string>

#include "tlslab/keys/KeyLog.hpp"

namespace tlslab::keys {
namespace {

const std::string kRandom(64, 'a');
const std::string kMaster(96, 'b');
const std::string k32(64, 'c');
const std::string k48(96, 'd');

TEST(KeyLog, ParsesEveryLabel) {
  const std::string text =
      "CLIENT_RANDOM " + kRandom + " " + kMaster + "\n" +
      "PMS_CLIENT_RANDOM " + kRandom + " " + kMaster + "\n" +
      "RSA 0102030405060708 " + kMaster + "\n" +
      "RSA Session-ID:00112233 Master-Key:" + kMaster + "\n" +
      "CLIENT_EARLY_TRAFFIC_SECRET " + kRandom + " " + k32 + "\n" +
      "CLIENT_HANDSHAKE_TRAFFIC_SECRET " + kRandom + " " + k32 + "\n" +
      "SERVER_HANDSHAKE_TRAFFIC_SECRET " + kRandom + " " + k32 + "\n" +
      "CLIENT_TRAFFIC_SECRET_0 " + kRandom + " " + k48 + "\n" +
      "SERVER_TRAFFIC_SECRET_0 " + kRandom + " " + k48 + "\n" +
      "EARLY_EXPORTER_SECRET " + kRandom + " " + k32 + "\n" +
      "EXPORTER_SECRET " + kRandom + " " + k32 + "\n";
  const auto parsed = parseKeyLog(text);
  EXPECT_TRUE(parsed.diagnostics.empty());
  ASSERT_EQ(parsed.entries.size(), 11u);
  EXPECT_EQ(parsed.entries[0].type, KeyLogType::ClientRandom);
  EXPECT_EQ(parsed.entries[0].secret.size(), 48u);
  EXPECT_EQ(parsed.entries[1].type, KeyLogType::PmsClientRandom);
  EXPECT_EQ(parsed.entries[2].type, KeyLogType::RsaEncryptedPms);
  EXPECT_EQ(toHex(parsed.entries[2].id), "0102030405060708");
  EXPECT_EQ(parsed.entries[3].type, KeyLogType::RsaSessionId);
  EXPECT_EQ(toHex(parsed.entries[3].id), "00112233");
  EXPECT_EQ(parsed.entries[4].kind, crypto::SecretKind::ClientEarlyTrafficSecret);
  EXPECT_EQ(parsed.entries[5].kind, crypto::SecretKind::ClientHandshakeTrafficSecret);
  EXPECT_EQ(parsed.entries[6].kind, crypto::SecretKind::ServerHandshakeTrafficSecret);
  EXPECT_EQ(parsed.entries[7].kind, crypto::SecretKind::ClientApplicationTrafficSecret0);
  EXPECT_EQ(parsed.entries[7].secret.size(), 48u);
  EXPECT_EQ(parsed.entries[8].kind, crypto::SecretKind::ServerApplicationTrafficSecret0);
  EXPECT_EQ(parsed.entries[9].kind, crypto::SecretKind::EarlyExporterMasterSecret);
  EXPECT_EQ(parsed.entries[10].kind, crypto::SecretKind::ExporterMasterSecret);
  EXPECT_EQ(parsed.entries[10].line, 11u);
}

TEST(KeyLog, SkipsCommentsBlankLinesAndHandlesCrlf) {
  const std::string text = "# written by OpenSSL\r\n\r\n   \r\nCLIENT_RANDOM " + kRandom + " " + kMaster +
                           "\r\n# another comment\r\n";
  const auto parsed = parseKeyLog(text);
  EXPECT_TRUE(parsed.diagnostics.empty());
  ASSERT_EQ(parsed.entries.size(), 1u);
  EXPECT_EQ(parsed.entries[0].line, 4u);
  EXPECT_EQ(parsed.entries[0].secret.size(), 48u);
}

TEST(KeyLog, AcceptsUpperCaseHexAndALastLineWithoutNewline) {
  std::string upper = kMaster;
  for (auto& c : upper) c = 'B';
  const auto parsed = parseKeyLog("CLIENT_RANDOM " + std::string(64, 'F') + " " + upper);
  ASSERT_EQ(parsed.entries.size(), 1u);
  EXPECT_EQ(parsed.entries[0].id, Bytes(32, 0xff));
}

TEST(KeyLog, ToleratesTrailingTextAfterTheSecretWithAWarning) {
  const auto parsed = parseKeyLog("CLIENT_RANDOM " + kRandom + " " + kMaster + " trailing junk\n");
  ASSERT_EQ(parsed.entries.size(), 1u);
  ASSERT_EQ(parsed.diagnostics.size(), 1u);
  EXPECT_EQ(parsed.diagnostics[0].severity, model::Severity::Warning);
  EXPECT_NE(parsed.diagnostics[0].message.find("ignored"), std::string::npos);
}

TEST(KeyLog, ReportsBadLinesWithLineNumberAndReasonAndLoadsTheRest) {
  const std::string good = "CLIENT_RANDOM " + kRandom + " " + kMaster + "\n";
  const std::string text = good +                                              // 1
                           "NOT_A_LABEL " + kRandom + " " + kMaster + "\n" +    // 2 unknown label
                           "CLIENT_RANDOM " + kRandom.substr(2) + " " + kMaster + "\n" +  // 3 short random
                           "CLIENT_RANDOM " + kRandom + " " + kMaster.substr(1) + "\n" +  // 4 odd digits
                           "CLIENT_RANDOM " + kRandom + " " + kMaster.substr(2) + "\n" +  // 5 truncated master
                           "CLIENT_RANDOM " + kRandom + "\n" +                  // 6 no secret
                           "SERVER_TRAFFIC_SECRET_0 " + kRandom + " " + std::string(40, 'e') + "\n" +  // 7 bad length
                           "RSA Session-ID:0011 Master-Ke:" + kMaster + "\n" +  // 8 misspelt
                           "CLIENT_RANDOM zz" + kRandom + " " + kMaster + "\n" +  // 9 not hex
                           good;                                                // 10
  const auto parsed = parseKeyLog(text, "test.keys");
  EXPECT_EQ(parsed.entries.size(), 2u);
  EXPECT_EQ(parsed.entries.back().line, 10u);
  ASSERT_EQ(parsed.diagnostics.size(), 8u);
  const char* reasons[] = {"unknown label", "client random is 31 bytes", "odd number", "must be 48",
                           "expected a space and the secret", "SHA-256 suites use 32", "Master-Key", "not hex"};
  for (std::size_t i = 0; i < 8; ++i) {
    const auto& d = parsed.diagnostics[i];
    EXPECT_EQ(d.where, "test.keys line " + std::to_string(i + 2));
    EXPECT_EQ(d.severity, model::Severity::Error);
    EXPECT_NE(d.message.find(reasons[i]), std::string::npos) << d.message;
    ASSERT_TRUE(d.offset.has_value());
  }
  EXPECT_EQ(*parsed.diagnostics[0].offset, good.size());
}

TEST(KeyLog, AcceptsKeyUpdateSecretsIncludingOpensslsLiteralN) {
  const auto parsed = parseKeyLog("CLIENT_TRAFFIC_SECRET_N " + kRandom + " " + k32 + "\n" +
                                  "SERVER_TRAFFIC_SECRET_2 " + kRandom + " " + k48 + "\n" +
                                  "SERVER_TRAFFIC_SECRET_X " + kRandom + " " + k48 + "\n");
  ASSERT_EQ(parsed.entries.size(), 2u);
  EXPECT_EQ(parsed.entries[0].type, KeyLogType::Tls13UpdatedTrafficSecret);
  EXPECT_TRUE(parsed.entries[0].clientSide);
  EXPECT_EQ(parsed.entries[0].generation, 0u);
  EXPECT_FALSE(parsed.entries[1].clientSide);
  EXPECT_EQ(parsed.entries[1].generation, 2u);
  ASSERT_EQ(parsed.diagnostics.size(), 1u);
  EXPECT_EQ(parsed.diagnostics[0].where, "key log line 3");
}

TEST(KeyLog, EmptyInputGivesNothing) {
  const auto parsed = parseKeyLog("");
  EXPECT_TRUE(parsed.entries.empty());
  EXPECT_TRUE(parsed.diagnostics.empty());
}

TEST(KeyLog, OversizeAndBinaryLinesAreReportedNotCrashing) {
  std::string text(100000, 'A');
  text += "\n";
  text += std::string("\0\x01\xff CLIENT_RANDOM", 17);
  text += "\n";
  const auto parsed = parseKeyLog(text);
  EXPECT_TRUE(parsed.entries.empty());
  EXPECT_EQ(parsed.diagnostics.size(), 2u);
}

}  // namespace
}  // namespace tlslab::keys
