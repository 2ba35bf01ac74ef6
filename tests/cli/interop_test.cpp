// tlslab's endpoints against independent TLS implementations: OpenSSL's own
// s_client/s_server and GnuTLS's gnutls-cli/gnutls-serv, in TLS 1.2 and 1.3,
// with and without client certificates. All on 127.0.0.1.
#include <gtest/gtest.h>

#include <cstdlib>

#include "support/Process.hpp"
#include "support/TestPaths.hpp"

using namespace tlslab::test;

namespace {

std::string certs(const std::string& file) { return (sourceDir() / "certs" / file).string(); }
bool have(const char* tool) { return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0; }
std::string quote(const std::string& s) { return "'" + s + "'"; }

struct TlsVersionCase {
  const char* name;
  const char* tlslab;   // --tls value
  const char* openssl;  // s_client/s_server flag
  const char* gnutls;   // priority string
};

const TlsVersionCase kVersions[] = {
    {"Tls12", "1.2", "-tls1_2", "NORMAL:-VERS-ALL:+VERS-TLS1.2"},
    {"Tls13", "1.3", "-tls1_3", "NORMAL:-VERS-ALL:+VERS-TLS1.3"},
};

// (openssl's -cert takes only the first certificate of a file; -cert_chain
// sends the intermediate too, without which clients fail: the incomplete-chain
// gallery entry.)

// Starts `tlslab serve` for exactly one connection and waits until it listens.
std::unique_ptr<BackgroundProcess> startTlslabServer(std::uint16_t port, const std::vector<std::string>& extra) {
  std::vector<std::string> argv{tlslabExe().string(), "serve", "--port", std::to_string(port), "--connections", "1",
                                "--seconds", "20"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto server = std::make_unique<BackgroundProcess>(argv);
  EXPECT_TRUE(server->waitForOutput("serving", 10000)) << server->output();
  return server;
}

}  // namespace

class Interop : public ::testing::TestWithParam<TlsVersionCase> {};

TEST_P(Interop, OpensslClientTalksToTlslabServer) {
  if (!have("openssl")) GTEST_SKIP() << "openssl not installed";
  auto port = freeLoopbackPort();
  auto server = startTlslabServer(port, {"--tls", GetParam().tlslab});
  auto result = run("printf 'GET /from-openssl HTTP/1.0\\r\\n\\r\\n' | timeout 20 openssl s_client -connect 127.0.0.1:" +
                    std::to_string(port) + " " + GetParam().openssl + " -servername bank32.com -verify_hostname bank32.com" +
                    " -verify_return_error -CAfile " + quote(certs("root-ca/cert.pem")) + " -ign_eof -quiet");
  EXPECT_NE(result.out.find("You asked: GET /from-openssl"), std::string::npos) << result.out;
  EXPECT_EQ(server->wait(20000), 0);
  EXPECT_NE(server->output().find("served 1 connection(s), 0 failed"), std::string::npos) << server->output();
}

TEST_P(Interop, TlslabClientTalksToOpensslServer) {
  if (!have("openssl")) GTEST_SKIP() << "openssl not installed";
  auto port = freeLoopbackPort();
  BackgroundProcess server({"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port), "-www",
                            GetParam().openssl, "-cert", certs("bank32-ecdsa/cert.pem"), "-cert_chain",
                            certs("bank32-ecdsa/chain.pem"), "-key", certs("bank32-ecdsa/key.pem"), "-naccept", "1"});
  ASSERT_TRUE(server.waitForOutput("ACCEPT", 10000)) << server.output();
  auto result = run(tlslabExe().string() + " connect bank32.com:" + std::to_string(port) + " --tls " + GetParam().tlslab +
                    " --send 'GET / HTTP/1.0\\r\\n\\r\\n' --expect 'HTTP/1.0 200 ok'");
  EXPECT_EQ(result.exitCode, 0) << result.out;
  EXPECT_NE(result.out.find("certificate check: ✓ passed"), std::string::npos) << result.out;
}

TEST_P(Interop, GnutlsClientTalksToTlslabServer) {
  if (!have("gnutls-cli")) GTEST_SKIP() << "gnutls-cli not installed";
  auto port = freeLoopbackPort();
  auto server = startTlslabServer(port, {"--tls", GetParam().tlslab});
  auto result = run("printf 'GET /from-gnutls HTTP/1.0\\r\\n\\r\\n' | timeout 20 gnutls-cli 127.0.0.1 --port " +
                    std::to_string(port) + " --priority " + GetParam().gnutls +
                    " --sni-hostname bank32.com --verify-hostname bank32.com --x509cafile " +
                    quote(certs("root-ca/cert.pem")));
  EXPECT_NE(result.out.find("You asked: GET /from-gnutls"), std::string::npos) << result.out;
  EXPECT_EQ(server->wait(20000), 0);
}

TEST_P(Interop, TlslabClientTalksToGnutlsServer) {
  if (!have("gnutls-serv")) GTEST_SKIP() << "gnutls-serv not installed";
  auto port = freeLoopbackPort();
  BackgroundProcess server({"gnutls-serv", "--http", "--port", std::to_string(port), "--priority", GetParam().gnutls,
                            "--x509certfile", certs("bank32-rsa/chain.pem"), "--x509keyfile", certs("bank32-rsa/key.pem")});
  ASSERT_TRUE(waitForListener(port, 10000)) << server.output();
  auto result = run(tlslabExe().string() + " connect bank32.com:" + std::to_string(port) + " --tls " + GetParam().tlslab +
                    " --send 'GET / HTTP/1.0\\r\\n\\r\\n' --expect 'HTTP/1.0 200 OK'");
  EXPECT_EQ(result.exitCode, 0) << result.out;
  EXPECT_NE(result.out.find(GetParam().tlslab == std::string("1.3") ? "TLSv1.3" : "TLSv1.2"), std::string::npos) << result.out;
}

TEST_P(Interop, OpensslClientCertificateIsVerifiedByTlslabServer) {
  if (!have("openssl")) GTEST_SKIP() << "openssl not installed";
  auto port = freeLoopbackPort();
  auto server = startTlslabServer(port, {"--tls", GetParam().tlslab, "--client-auth", "require"});
  auto result = run("printf 'GET /mtls HTTP/1.0\\r\\n\\r\\n' | timeout 20 openssl s_client -connect 127.0.0.1:" +
                    std::to_string(port) + " " + GetParam().openssl + " -servername bank32.com -CAfile " +
                    quote(certs("root-ca/cert.pem")) + " -cert " + quote(certs("student01/cert.pem")) + " -cert_chain " + quote(certs("student01/chain.pem")) + " -key " +
                    quote(certs("student01/key.pem")) + " -ign_eof -quiet");
  EXPECT_NE(result.out.find("You asked: GET /mtls"), std::string::npos) << result.out;
  EXPECT_EQ(server->wait(20000), 0);
  EXPECT_NE(server->output().find("✓ depth 0 CN=student01"), std::string::npos) << server->output();
}

TEST_P(Interop, TlslabClientCertificateIsVerifiedByOpensslServer) {
  if (!have("openssl")) GTEST_SKIP() << "openssl not installed";
  auto port = freeLoopbackPort();
  BackgroundProcess server({"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port), "-www",
                            GetParam().openssl, "-cert", certs("bank32-rsa/cert.pem"), "-cert_chain", certs("bank32-rsa/chain.pem"),
                            "-key", certs("bank32-rsa/key.pem"),
                            "-Verify", "2", "-CAfile", certs("root-ca/cert.pem"), "-verify_return_error", "-naccept", "1"});
  ASSERT_TRUE(server.waitForOutput("ACCEPT", 10000)) << server.output();
  auto result = run(tlslabExe().string() + " connect bank32.com:" + std::to_string(port) + " --tls " + GetParam().tlslab +
                    " --cert " + quote(certs("student01/chain.pem")) + " --key " + quote(certs("student01/key.pem")) +
                    " --send 'GET / HTTP/1.0\\r\\n\\r\\n' --expect 'HTTP/1.0 200 ok'");
  EXPECT_EQ(result.exitCode, 0) << result.out;
}

INSTANTIATE_TEST_SUITE_P(Versions, Interop, ::testing::ValuesIn(kVersions), [](const auto& p) { return p.param.name; });
