// PSK modes of the lab endpoints (issue 18: "lab endpoints gain PSK modes so
// the course can run them"): `tlslab serve --psk` and `tlslab connect --psk`
// talk TLS 1.2 PSK suites and TLS 1.3 external PSK; OpenSSL's s_client and
// GnuTLS's gnutls-cli (independent peers) talk to the tlslab server; the run's
// capture, with its embedded secrets removed (editcap), decrypts only with
// `--psk`, and tshark (with -o tls.psk) finds the same records.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "support/Process.hpp"
#include "support/TestPaths.hpp"

using namespace tlslab::test;

namespace {

const std::string kPsk = "1a2b3c4d5e6f708192a3b4c5d6e7f809";

bool have(const char* tool) { return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0; }
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::unique_ptr<BackgroundProcess> startPskServer(std::uint16_t port, const std::vector<std::string>& extra) {
  std::vector<std::string> argv{tlslabExe().string(), "serve", "--port", std::to_string(port), "--connections", "1",
                                "--seconds", "20", "--psk", kPsk, "--psk-identity", "student"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto server = std::make_unique<BackgroundProcess>(argv);
  EXPECT_TRUE(server->waitForOutput("serving", 10000)) << server->output();
  return server;
}

std::filesystem::path tempDir() {
  auto dir = std::filesystem::temp_directory_path() / ("tlslab-psk-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(PskEndpoints, Tls12PskRunDecryptsFromTheCaptureOnlyWithThePsk) {
  if (!have("editcap") || !have("tshark") || !have("jq")) GTEST_SKIP() << "editcap/tshark/jq not installed";
  const auto dir = tempDir();
  const auto port = freeLoopbackPort();
  auto server = startPskServer(port, {"--tls", "1.2", "--ciphers", "PSK-AES128-GCM-SHA256"});
  const auto withKeys = dir / "psk-run.pcapng", bare = dir / "psk-bare.pcapng";
  auto client = run(tlslabExe().string() + " connect 127.0.0.1:" + std::to_string(port) +
                    " --tls 1.2 --psk " + kPsk + " --psk-identity student --pcapng " + withKeys.string());
  EXPECT_EQ(client.exitCode, 0) << client.out;
  EXPECT_TRUE(contains(client.out, "PSK")) << client.out;
  EXPECT_EQ(server->wait(20000), 0) << server->output();

  // The run's pcapng carries its key log; without it only the PSK can open it.
  ASSERT_EQ(run("editcap --discard-all-secrets " + withKeys.string() + " " + bare.string()).exitCode, 0);
  auto closed = run(tlslabExe().string() + " dissect " + bare.string() + " -q");
  EXPECT_FALSE(contains(closed.out, "GET / HTTP/1.1")) << closed.out;
  auto open = run(tlslabExe().string() + " dissect " + bare.string() + " -q --psk " + kPsk +
                  " --json | jq -r '.connections[0].decryption'");
  EXPECT_EQ(open.exitCode, 0) << open.out;
  EXPECT_TRUE(contains(open.out, "decrypted")) << open.out;
  auto text = run(tlslabExe().string() + " follow " + bare.string() + " 0 -q --psk " + kPsk);
  EXPECT_TRUE(contains(text.out, "GET / HTTP/1.1")) << text.out;

  // tshark decrypts the same number of application data records.
  auto theirs = run("tshark -r " + bare.string() + " -o tls.psk:" + kPsk + " -d tcp.port==" + std::to_string(port) +
                    ",tls -Y 'tls.app_data' -T fields -e tls.app_data | tr ',' '\\n' | grep -c .");
  auto mine = run(tlslabExe().string() + " dissect " + bare.string() + " -q --psk " + kPsk +
                  " --json | jq '[.connections[0].records[] | select(.contentType == 23)] | length'");
  EXPECT_EQ(mine.out, theirs.out);
  EXPECT_GE(std::atoi(theirs.out.c_str()), 2) << theirs.out;  // the request and the answer at least
  std::filesystem::remove_all(dir);
}

TEST(PskEndpoints, Tls13ExternalPskHandshakeHasNoCertificate) {
  const auto port = freeLoopbackPort();
  auto server = startPskServer(port, {"--tls", "1.3"});
  auto client = run(tlslabExe().string() + " connect 127.0.0.1:" + std::to_string(port) + " --tls 1.3 --psk " + kPsk +
                    " --psk-identity student");
  EXPECT_EQ(client.exitCode, 0) << client.out;
  EXPECT_FALSE(contains(client.out, "◀─────────── certificate")) << client.out;
  EXPECT_TRUE(contains(client.out, "TLS_AES_128_GCM_SHA256")) << client.out;
  EXPECT_TRUE(contains(client.out, "an external PSK, no certificate")) << client.out;
  EXPECT_EQ(server->wait(20000), 0) << server->output();
}

TEST(PskEndpoints, OpensslAndGnutlsClientsTalkToThePskServer) {
  if (!have("openssl")) GTEST_SKIP() << "openssl not installed";
  auto port = freeLoopbackPort();
  auto server = startPskServer(port, {"--tls", "1.2"});
  auto ossl = run("printf 'GET /from-openssl HTTP/1.0\\r\\n\\r\\n' | timeout 20 openssl s_client -connect 127.0.0.1:" +
                  std::to_string(port) + " -tls1_2 -psk " + kPsk + " -psk_identity student -cipher PSK -ign_eof -quiet");
  EXPECT_TRUE(contains(ossl.out, "You asked: GET /from-openssl")) << ossl.out;
  EXPECT_EQ(server->wait(20000), 0) << server->output();
  if (!have("gnutls-cli")) GTEST_SKIP() << "gnutls-cli not installed";
  port = freeLoopbackPort();
  server = startPskServer(port, {"--tls", "1.2"});
  auto gnutls = run("printf 'GET /from-gnutls HTTP/1.0\\r\\n\\r\\n' | timeout 20 gnutls-cli 127.0.0.1 -p " +
                    std::to_string(port) + " --pskusername student --pskkey " + kPsk +
                    " --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.2:+PSK:-ECDHE-RSA:-ECDHE-ECDSA:-RSA' --insecure");
  EXPECT_TRUE(contains(gnutls.out, "You asked: GET /from-gnutls")) << gnutls.out;
  EXPECT_EQ(server->wait(20000), 0) << server->output();
}

TEST(PskEndpoints, AWrongIdentityIsRefusedAndABadKeyIsNamed) {
  auto port = freeLoopbackPort();
  auto server = startPskServer(port, {"--tls", "1.2"});
  auto client = run(tlslabExe().string() + " connect 127.0.0.1:" + std::to_string(port) + " --tls 1.2 --psk " + kPsk +
                    " --psk-identity intruder");
  EXPECT_NE(client.exitCode, 0) << client.out;
  server->wait(20000);
  auto bad = run(tlslabExe().string() + " connect 127.0.0.1:1 --psk xyz");
  EXPECT_EQ(bad.exitCode, 2) << bad.out;
  EXPECT_TRUE(contains(bad.out, "--psk 'xyz' is not a key in hex")) << bad.out;
}

}  // namespace
