// `tlslab lab run tamper` for the tampering lab's comparisons: without TLS
// (--plain), with a CBC suite (--ciphers, --mac-then-encrypt) and with the
// byte and bits to flip (--offset, --mask).
#include <gtest/gtest.h>

#include "support/TestPaths.hpp"

using namespace tlslab::test;

namespace {
std::string cli(const std::string& args) { return tlslabExe().string() + " " + args; }
}  // namespace

TEST(TamperCli, PlainTcpDeliversTheAlteredRequestAndNothingNotices) {
  auto result = run(cli("lab run tamper --quiet --plain"));
  EXPECT_EQ(result.exitCode, 0) << result.out;
  EXPECT_NE(result.out.find("this time there is no TLS"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("✗ the server's application received the altered request: \"FET / HTTP/1.1\\r\\nHost: "
                            "bank32.com\\r\\n\\r\\n\"; nothing noticed"),
            std::string::npos)
      << result.out;
  EXPECT_EQ(result.out.find("bad record mac"), std::string::npos) << result.out;
  // The ladder shows, in the server's column, what its application got (the
  // request crosses in two writes, so it may arrive in one read or two).
  auto live = run(cli("lab run tamper --plain"));
  EXPECT_NE(live.out.find("got cleartext HTTP \"FET / HTTP/1.1\\r\\n"), std::string::npos) << live.out;
  auto drop = run(cli("lab run tamper --quiet --plain --attack drop"));
  EXPECT_EQ(drop.exitCode, 0) << drop.out;
  EXPECT_NE(drop.out.find("received the altered request: \"Host: bank32.com\\r\\n\\r\\n\"; nothing noticed"), std::string::npos)
      << drop.out;
}

TEST(TamperCli, PlainOffsetAndMaskPickTheByte) {
  auto result = run(cli("lab run tamper --quiet --plain --offset 4 --mask 0x01"));
  EXPECT_EQ(result.exitCode, 0) << result.out;
  EXPECT_NE(result.out.find("byte 4 of the request flipped in flight (mask 0x01): '/' -> '.'"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\"GET . HTTP/1.1"), std::string::npos) << result.out;
}

// The MAC-then-encrypt vs AEAD discussion: the capture names the construction
// and which check failed; the server says bad_record_mac whatever it was.
TEST(TamperCli, CbcMacThenEncryptAndAeadBothRefuseTheFlip) {
  auto mte = run(cli("lab run tamper --quiet --tls 1.2 --ciphers AES128-SHA --mac-then-encrypt"));
  EXPECT_EQ(mte.exitCode, 0) << mte.out;
  EXPECT_NE(mte.out.find("negotiated: TLSv1.2 AES128-SHA; records: AES-128-CBC, MAC-then-encrypt (RFC 5246"), std::string::npos)
      << mte.out;
  // The flip garbles the last block: its padding is invalid, except about one
  // run in 256 where the garbage is valid padding and the MAC fails instead.
  EXPECT_TRUE(mte.out.find("the CBC padding is invalid") != std::string::npos ||
              mte.out.find("the MAC does not match") != std::string::npos)
      << mte.out;
  EXPECT_NE(mte.out.find("alert fatal bad record mac"), std::string::npos) << mte.out;
  auto etm = run(cli("lab run tamper --quiet --tls 1.2 --ciphers AES128-SHA"));
  EXPECT_EQ(etm.exitCode, 0) << etm.out;
  EXPECT_NE(etm.out.find("records: AES-128-CBC, encrypt-then-MAC (RFC 7366"), std::string::npos) << etm.out;
  auto aead = run(cli("lab run tamper --quiet --tls 1.2 --ciphers ECDHE-RSA-AES128-GCM-SHA256 --offset 5 --mask 0x80"));
  EXPECT_EQ(aead.exitCode, 0) << aead.out;
  EXPECT_NE(aead.out.find("records: AES-128-GCM, AEAD"), std::string::npos) << aead.out;
  EXPECT_NE(aead.out.find("byte 5 flipped in flight (mask 0x80)"), std::string::npos) << aead.out;
  auto tls13 = run(cli("lab run tamper --quiet --tls 1.3 --offset 5"));
  EXPECT_EQ(tls13.exitCode, 0) << tls13.out;
  EXPECT_NE(tls13.out.find("alert fatal bad record mac"), std::string::npos) << tls13.out;
}

TEST(TamperCli, TruncateAgreementLineSaysWhatCrossedTheWire) {
  auto result = run(cli("lab run tamper --quiet --attack truncate"));
  EXPECT_EQ(result.exitCode, 0) << result.out;
  EXPECT_NE(result.out.find("the capture of the run agrees: of the 36 bytes the client's application wrote, 0 crossed the wire"),
            std::string::npos)
      << result.out;
  EXPECT_EQ(result.out.find("first difference"), std::string::npos) << result.out;
}

TEST(TamperCli, OptionsThatMakeNoSenseAreUsageErrors) {
  for (const char* args : {"--ciphers AES128-SHA", "--mask 0", "--mask 0x100", "--attack drop --offset 2",
                           "--plain --offset 36", "--plain --tls 1.2", "--mac-then-encrypt"}) {
    auto result = run(cli(std::string("lab run tamper --quiet ") + args));
    EXPECT_EQ(result.exitCode, 2) << args << "\n" << result.out;
  }
  EXPECT_EQ(run(cli("lab run resumption --plain")).exitCode, 2);
}
