// FlowJudge: the flow table and the extension allow lists applied to parsed
// messages, as the dissector applies them to a connection.
#include <gtest/gtest.h>

#include "WireTestUtil.hpp"
#include "tlslab/wire/FlowVerdict.hpp"

namespace tlslab::wire {
namespace {

using testutil::hex;

HandshakeMessage parse(const Bytes& bytes, const ParseContext& context = {}) {
  return parseHandshakeMessage(bytes, context);
}

// A TLS 1.3 ServerHello: supported_versions says 0x0304.
Bytes tls13ServerHello() {
  return hex("02 00 00 2e 03 03"
             "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f"
             "00 13 01 00 00 06 00 2b 00 02 03 04");
}

ParseContext tls13() {
  ParseContext c;
  c.version = 0x0304;
  c.cipherSuite = 0x1301;
  return c;
}

struct Tls13Start : ::testing::Test {
  FlowJudge judge;
  void SetUp() override {
    ASSERT_TRUE(judge.judge(Sender::Client, parse(testutil::smallClientHello())).empty());
    ASSERT_TRUE(judge.judge(Sender::Server, parse(tls13ServerHello())).empty());
  }
};

TEST_F(Tls13Start, KeyShareInEncryptedExtensionsIsNotAllowed) {
  // EncryptedExtensions { key_share { x25519, 1-byte key } }
  auto verdicts = judge.judge(Sender::Server, parse(hex("08 00 00 0b 00 09 00 33 00 05 00 1d 00 01 aa"), tls13()));
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0], "key_share is not allowed in EncryptedExtensions (RFC 8446 §4.2: the peer must answer "
                         "illegal_parameter)");
}

TEST_F(Tls13Start, ATls12ExtensionInEncryptedExtensionsSaysSo) {
  auto verdicts = judge.judge(Sender::Server, parse(hex("08 00 00 06 00 04 00 17 00 00"), tls13()));
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_NE(verdicts[0].find("extended_master_secret is not allowed in EncryptedExtensions: it is a TLS 1.2 extension"),
            std::string::npos)
      << verdicts[0];
}

TEST_F(Tls13Start, ARepeatedExtensionIsReportedOnce) {
  auto verdicts =
      judge.judge(Sender::Server, parse(hex("08 00 00 0e 00 0c 00 00 00 00 00 00 00 00 00 00 00 00"), tls13()));
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_NE(verdicts[0].find("server_name appears 3 times in EncryptedExtensions"), std::string::npos) << verdicts[0];
}

TEST_F(Tls13Start, AMessageOutOfOrderNamesWhatWasExpected) {
  // Finished from the client before the server's EncryptedExtensions.
  auto verdicts = judge.judge(Sender::Client, parse(hex("14 00 00 20" + std::string(64, '0')), tls13()));
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_NE(verdicts[0].find("unexpected Finished from the client"), std::string::npos) << verdicts[0];
  EXPECT_NE(verdicts[0].find("EncryptedExtensions from the server"), std::string::npos) << verdicts[0];
  // The unexpected message left the state alone: the real flight still fits.
  EXPECT_TRUE(judge.judge(Sender::Server, parse(hex("08 00 00 02 00 00"), tls13())).empty());
}

TEST_F(Tls13Start, AfterAGapTheOrderIsNotJudged) {
  // Messages lost to undecryptable records: NewSessionTicket right after the ServerHello.
  auto verdicts = judge.judge(Sender::Server, parse(hex("04 00 00 0e 00 00 00 3c 00 00 00 01 00 00 01 aa 00 00"), tls13()),
                              /*afterGap=*/true);
  EXPECT_TRUE(verdicts.empty()) << verdicts[0];
}

TEST(FlowJudge, Tls12RenegotiationStartsANewFlowAndHelloRequestFitsAnywhere) {
  FlowJudge judge;
  ParseContext tls12;
  tls12.version = 0x0303;
  tls12.cipherSuite = 0x002f;  // TLS_RSA_WITH_AES_128_CBC_SHA
  const Bytes serverHello = hex("02 00 00 26 03 03"
                                "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b 1c "
                                "1d 1e 1f 00 00 2f 00");
  const Bytes certificate = hex("0b 00 00 03 00 00 00");
  const Bytes done = hex("0e 00 00 00");
  const Bytes cke = hex("10 00 00 04 00 02 aa bb");
  const Bytes finished = hex("14 00 00 0c 00 01 02 03 04 05 06 07 08 09 0a 0b");
  for (int round = 0; round < 2; ++round) {
    EXPECT_TRUE(judge.judge(Sender::Client, parse(testutil::smallClientHello(), tls12)).empty()) << round;
    EXPECT_TRUE(judge.judge(Sender::Server, parse(serverHello, tls12)).empty()) << round;
    EXPECT_TRUE(judge.judge(Sender::Server, parse(certificate, tls12)).empty()) << round;
    EXPECT_TRUE(judge.judge(Sender::Server, parse(done, tls12)).empty()) << round;
    EXPECT_TRUE(judge.judge(Sender::Client, parse(cke, tls12)).empty()) << round;
    EXPECT_TRUE(judge.judge(Sender::Client, parse(finished, tls12)).empty()) << round;  // after its ChangeCipherSpec
    EXPECT_TRUE(judge.judge(Sender::Server, parse(finished, tls12)).empty()) << round;
    EXPECT_TRUE(judge.judge(Sender::Server, parse(hex("00 00 00 00"), tls12)).empty()) << round;  // HelloRequest
  }
}

// A TLS 1.2 ServerHello choosing `suite`, no extensions.
Bytes tls12ServerHello(std::uint16_t suite) {
  Bytes m = hex("02 00 00 26 03 03"
                "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f 00");
  m.push_back(static_cast<std::uint8_t>(suite >> 8));
  m.push_back(static_cast<std::uint8_t>(suite));
  m.push_back(0);
  return m;
}

TEST(FlowJudge, TheSuitesKeyExchangeDecidesWhetherACertificateMustCome) {
  // TLS_PSK_WITH_AES_128_GCM_SHA256: no certificate (RFC 4279 §2).
  FlowJudge psk;
  EXPECT_TRUE(psk.judge(Sender::Client, parse(testutil::smallClientHello())).empty());
  EXPECT_TRUE(psk.judge(Sender::Server, parse(tls12ServerHello(0x00a8))).empty());
  EXPECT_TRUE(psk.judge(Sender::Server, parse(hex("0e 00 00 00"))).empty());
  // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: the same order lacks the Certificate.
  FlowJudge ecdhe;
  EXPECT_TRUE(ecdhe.judge(Sender::Client, parse(testutil::smallClientHello())).empty());
  EXPECT_TRUE(ecdhe.judge(Sender::Server, parse(tls12ServerHello(0xc02f))).empty());
  auto verdicts = ecdhe.judge(Sender::Server, parse(hex("0e 00 00 00")));
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_NE(verdicts[0].find("unexpected ServerHelloDone from the server"), std::string::npos) << verdicts[0];
  EXPECT_NE(verdicts[0].find("Certificate from the server"), std::string::npos) << verdicts[0];
}

}  // namespace
}  // namespace tlslab::wire
