// `tlslab dissect`, `--json` and `follow` on a DTLS capture (issue 18): the
// real binary on Wireshark's DTLS 1.2 PSK capture, when it is there.
#include <gtest/gtest.h>

#include "support/TestPaths.hpp"

namespace tlslab::test {
namespace {

std::filesystem::path dtlsCapture() { return conformanceDir() / "wireshark/captures/dtls12-aes128ccm8.pcap"; }
const std::string kPsk = " --psk ca19e028a8a372ad2d325f950fcaceed ";

#define REQUIRE_DTLS_CAPTURE() \
  if (!std::filesystem::exists(dtlsCapture())) GTEST_SKIP() << "no conformance capture " << dtlsCapture()

TEST(DtlsCli, DissectShowsVersionFlightsCookieEpochsAndTheData) {
  REQUIRE_DTLS_CAPTURE();
  auto r = run(tlslabExe().string() + " dissect -q" + kPsk + dtlsCapture().string());
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_NE(r.out.find("(DTLS over UDP) ==="), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("DTLS 1.2 TLS_PSK_WITH_AES_128_CCM_8"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cookie exchange: HelloVerifyRequest"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[epoch 1 seq 0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("HelloVerifyRequest"), std::string::npos);
  EXPECT_NE(r.out.find("OK   client Finished check"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Works for me!"), std::string::npos);
  EXPECT_EQ(r.out.find("not decrypted"), std::string::npos) << r.out;
}

TEST(DtlsCli, JsonCarriesEpochsAndFollowShowsTheApplicationData) {
  REQUIRE_DTLS_CAPTURE();
  auto json = run(tlslabExe().string() + " dissect -q --json" + kPsk + dtlsCapture().string());
  EXPECT_EQ(json.exitCode, 0);
  EXPECT_NE(json.out.find("\"dtls\""), std::string::npos);
  EXPECT_NE(json.out.find("\"epoch\": 1"), std::string::npos);
  EXPECT_NE(json.out.find("\"cookieExchange\": true"), std::string::npos);
  auto follow = run(tlslabExe().string() + " follow -q" + kPsk + dtlsCapture().string() + " 0");
  EXPECT_EQ(follow.exitCode, 0) << follow.out;
  EXPECT_NE(follow.out.find("Works for me!"), std::string::npos) << follow.out;
  EXPECT_NE(follow.out.find("DTLS1.2 test using GnuTLS 3.5.8"), std::string::npos) << follow.out;
}

}  // namespace
}  // namespace tlslab::test
