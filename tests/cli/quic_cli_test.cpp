// `tlslab dissect` and `tlslab follow` on a QUIC capture (issue 19): the real
// binary on Wireshark's QUIC test capture, when it is there.
#include <gtest/gtest.h>

#include "support/TestPaths.hpp"

namespace tlslab::test {
namespace {

std::filesystem::path quicCapture() {
  return conformanceDir() / "wireshark/captures/quic-fragmented-handshakes.pcapng.gz";
}

#define REQUIRE_QUIC_CAPTURE() \
  if (!std::filesystem::exists(quicCapture())) GTEST_SKIP() << "no conformance capture " << quicCapture()

TEST(QuicCli, DissectPrintsPacketsBySpaceWithFramesAndTlsMessages) {
  REQUIRE_QUIC_CAPTURE();
  auto r = run(tlslabExe().string() + " dissect -q " + quicCapture().string() + " --filter 0");
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_NE(r.out.find("=== connection 0: 10.9.0.1:36588 -> 10.9.0.2:443 (QUIC) ==="), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Initial packets (6):"), std::string::npos);
  EXPECT_NE(r.out.find("1-RTT packets (7):"), std::string::npos);
  EXPECT_NE(r.out.find("TLS ClientHello"), std::string::npos);
  EXPECT_NE(r.out.find("Retry integrity tag verifies"), std::string::npos);
  EXPECT_NE(r.out.find("HANDSHAKE_DONE"), std::string::npos);
  EXPECT_EQ(r.out.find("error:"), std::string::npos) << r.out;
}

TEST(QuicCli, JsonCarriesTheQuicPacketsAndFollowShowsTheStreams) {
  REQUIRE_QUIC_CAPTURE();
  auto json = run(tlslabExe().string() + " dissect -q --json " + quicCapture().string());
  EXPECT_EQ(json.exitCode, 0);
  EXPECT_NE(json.out.find("\"quic\""), std::string::npos);
  EXPECT_NE(json.out.find("\"oneRttDecrypted\": 7"), std::string::npos);
  auto follow = run(tlslabExe().string() + " follow -q " + quicCapture().string() + " 0");
  EXPECT_EQ(follow.exitCode, 0) << follow.out;
  EXPECT_NE(follow.out.find("(QUIC, decrypted"), std::string::npos) << follow.out.substr(0, 300);
  EXPECT_NE(follow.out.find("--- stream 0 server -> client"), std::string::npos);
  EXPECT_NE(follow.out.find("404 Not Found"), std::string::npos);
}

}  // namespace
}  // namespace tlslab::test
