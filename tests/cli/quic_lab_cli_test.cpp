// `tlslab keys quic-initial` against RFC 9001 Appendix A, and `tlslab lab run
// quic` (ngtcp2 on loopback, captured by tlslab), run as the real binary.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/TestPaths.hpp"

namespace tlslab::test {
namespace {
namespace fs = std::filesystem;

CommandResult tlslab(const std::string& args) { return run(tlslabExe().string() + " " + args); }
bool has(const CommandResult& r, const std::string& text) { return r.out.find(text) != std::string::npos; }

bool have(const char* tool) {
  return std::system((std::string("PATH=$PATH:/usr/sbin command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
}

// RFC 9001 A.1: "These packets use an 8-byte client-chosen Destination
// Connection ID of 0x8394c8f03e515708." and the values it derives:
//   initial_secret        = 7db5df06e7a69e432496adedb0085192 3595221596ae2ae9fb8115c1e9ed0a44
//   client_initial_secret = c00cf151ca5be075ed0ebfb5c80323c4 2d6b7db67881289af4008f1f6c357aea
//   key = 1f369613dd76d5467730efcbe3b1a22d  iv = fa044b2f42a3fd3b46fb255c  hp = 9f50449e04a0e810283a1e9933adedd2
//   server_initial_secret = 3c199828fd139efd216c155ad844cc81 fb82fa8d7446fa7d78be803acdda951b
//   key = cf3a5331653c364c88f0f379b6067e37  iv = 0ac1493ca1905853b0bba03e  hp = c206b8d9b9f0f37644430b490eeaa314
TEST(QuicKeysCli, QuicInitialPrintsRfc9001AppendixAStepByStep) {
  auto r = tlslab("keys quic-initial --dcid 8394c8f03e515708");
  ASSERT_EQ(r.exitCode, 0) << r.out;
  for (const char* value : {"7db5df06e7a69e432496adedb00851923595221596ae2ae9fb8115c1e9ed0a44",
                            "c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea",
                            "1f369613dd76d5467730efcbe3b1a22d", "fa044b2f42a3fd3b46fb255c",
                            "9f50449e04a0e810283a1e9933adedd2",
                            "3c199828fd139efd216c155ad844cc81fb82fa8d7446fa7d78be803acdda951b",
                            "cf3a5331653c364c88f0f379b6067e37", "0ac1493ca1905853b0bba03e",
                            "c206b8d9b9f0f37644430b490eeaa314", "38762cf7f55934b34d179ae6a4c80cadccbb7f0a"})
    EXPECT_TRUE(has(r, value)) << value << "\n" << r.out;
  // The labels of RFC 9001 §5.1-5.2, in the order the RFC derives them.
  std::size_t at = 0;
  for (const char* label : {"initial_secret", "\"tls13 client in\"", "\"tls13 server in\"", "\"tls13 quic key\"",
                            "\"tls13 quic iv\"", "\"tls13 quic hp\""}) {
    const std::size_t found = r.out.find(label, at);
    EXPECT_NE(found, std::string::npos) << label << "\n" << r.out;
    if (found != std::string::npos) at = found;
  }
  EXPECT_TRUE(has(r, "  client Initial: quic key 1f369613dd76d5467730efcbe3b1a22d  quic iv fa044b2f42a3fd3b46fb255c  "
                     "quic hp 9f50449e04a0e810283a1e9933adedd2"))
      << r.out;
}

TEST(QuicKeysCli, QuicInitialJsonHasBothSidesAndEveryStep) {
  auto r = tlslab("keys quic-initial --dcid 83:94:c8:f0:3e:51:57:08 --json");
  ASSERT_EQ(r.exitCode, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["dcid"], "8394c8f03e515708");
  EXPECT_EQ(j["initial_secret"], "7db5df06e7a69e432496adedb00851923595221596ae2ae9fb8115c1e9ed0a44");
  EXPECT_EQ(j["client"]["hp"], "9f50449e04a0e810283a1e9933adedd2");
  EXPECT_EQ(j["server"]["key"], "cf3a5331653c364c88f0f379b6067e37");
  EXPECT_EQ(j["steps"].size(), 9u);
  // draft-29 has its own salt, so other keys.
  auto d29 = nlohmann::json::parse(tlslab("keys quic-initial --dcid 8394c8f03e515708 --version draft-29 --json").out);
  EXPECT_EQ(d29["salt"], "afbfec289993d24c9e9786f19c6111e04390a899");
  EXPECT_NE(d29["client"]["key"], j["client"]["key"]);
}

TEST(QuicKeysCli, QuicInitialRejectsBadInputWithAClearMessage) {
  auto none = tlslab("keys quic-initial");
  EXPECT_EQ(none.exitCode, 2);
  EXPECT_NE(none.out.find("--dcid is required"), std::string::npos) << none.out;
  auto bad = tlslab("keys quic-initial --dcid 83zz");
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_NE(bad.out.find("not valid hex"), std::string::npos) << bad.out;
  auto tooLong = tlslab("keys quic-initial --dcid " + std::string(42, 'a'));
  EXPECT_EQ(tooLong.exitCode, 2);
  EXPECT_NE(tooLong.out.find("21 bytes"), std::string::npos) << tooLong.out;
  auto version = tlslab("keys quic-initial --dcid 8394c8f03e515708 --version 1a2a3a4a");
  EXPECT_EQ(version.exitCode, 2);
  EXPECT_NE(version.out.find("--version"), std::string::npos) << version.out;
}

TEST(QuicLabCli, RunShowsTheHandshakeWithoutAndWithKeysAndSavesTheRun) {
  if (!have("gtlsserver") || !have("gtlsclient")) GTEST_SKIP() << "ngtcp2-server / ngtcp2-client not installed";
  if (::geteuid() != 0) GTEST_SKIP() << "capturing on lo needs root";
  const fs::path dir = fs::temp_directory_path() / ("tlslab-quic-cli-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto r = tlslab("lab run quic --student alice -o " + (dir / "quic").string());
  ASSERT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, "The QUIC lab (tutorials/15-quic.md)")) << r.out;
  EXPECT_TRUE(has(r, "1. Without keys: what anyone on the path reads")) << r.out;
  EXPECT_TRUE(has(r, "ALPN offered h3")) << r.out;
  EXPECT_TRUE(has(r, "SNI h3.")) << r.out;  // alice's own server name
  EXPECT_TRUE(has(r, "(QUIC) ===")) << r.out;
  EXPECT_TRUE(has(r, "Initial packets (")) << r.out;
  EXPECT_TRUE(has(r, "1-RTT packets (")) << r.out;
  EXPECT_TRUE(has(r, "TLS ClientHello")) << r.out;
  EXPECT_TRUE(has(r, "Hello alice, over QUIC. Your token: ")) << r.out;
  EXPECT_TRUE(fs::is_regular_file(dir / "quic" / "quic.pcapng"));
  EXPECT_TRUE(fs::is_regular_file(dir / "quic" / "keys.log"));
  // The saved capture alone: the Initials open, the page does not.
  auto blind = tlslab("dissect " + (dir / "quic" / "quic.pcapng").string());
  EXPECT_EQ(blind.exitCode, 0) << blind.out;
  EXPECT_TRUE(blind.out.find("TLS ClientHello") != std::string::npos) << blind.out;
  EXPECT_EQ(blind.out.find("Your token"), std::string::npos) << blind.out;
  auto opened = tlslab("dissect " + (dir / "quic" / "quic.pcapng").string() + " --keylog " + (dir / "quic" / "keys.log").string());
  EXPECT_NE(opened.out.find("Your token"), std::string::npos) << opened.out;
  fs::remove_all(dir);
}

TEST(QuicLabCli, JsonCarriesTheRunAndBothReadings) {
  if (!have("gtlsserver") || !have("gtlsclient")) GTEST_SKIP() << "ngtcp2-server / ngtcp2-client not installed";
  if (::geteuid() != 0) GTEST_SKIP() << "capturing on lo needs root";
  auto r = tlslab("lab run quic --json");
  ASSERT_EQ(r.exitCode, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["lab"], "quic");
  EXPECT_TRUE(j["clientOk"].get<bool>());
  EXPECT_EQ(j["withoutKeys"]["sni"], "bank32.com");
  EXPECT_EQ(j["withoutKeys"]["alpn"], nlohmann::json::array({"h3"}));
  EXPECT_EQ(j["withoutKeys"]["dcid"], j["withKeys"]["dcid"]);
  for (const auto& s : j["withoutKeys"]["spaces"]) {
    if (s["space"] == "1-RTT") {
      EXPECT_EQ(s["opened"], 0);
    }
  }
  EXPECT_EQ(j["trace"]["connections"].size(), 1u);
  EXPECT_TRUE(j["trace"]["connections"][0].contains("quic"));
}

}  // namespace
}  // namespace tlslab::test
