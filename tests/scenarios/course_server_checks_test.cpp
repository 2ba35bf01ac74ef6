// The server program checks: the student's server started with a fresh
// chain, talked to by tlslab's LabClient, openssl s_client and gnutls-cli,
// then with CLIENT_CA by student01, a client without a certificate and one
// from the Rogue CA. The reference solution and a textbook-style server pass;
// the classic mistakes fail with their explanation.
#include <gtest/gtest.h>

#include "CourseFixtures.hpp"
#include "tlslab/scenarios/course/ProgramChecks.hpp"

using namespace tlslab;
using namespace tlslab::course;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::string solutionServer() { return test::readText(test::exercisesDir() / "solutions" / "tls_server.c"); }
std::string textbookServer() { return test::readText(test::textbookDir() / "tlsserver.c"); }

class CourseServerChecks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shelf_ = new test::ProgramShelf("tlslab-server-checks"); }
  static void TearDownTestSuite() {
    delete shelf_;
    shelf_ = nullptr;
  }
  static fs::path build(const std::string& name, const std::string& source) { return shelf_->build(name, source); }

  ServerCheckOptions options(const fs::path& program) const {
    ServerCheckOptions o;
    o.program = program;
    o.workspace = shelf_->dir();
    o.certsDir = test::sourceDir() / "certs";
    o.host = "www.cedar4242.test";
    o.timeout = 20s;
    o.clientTimeout = 3s;
    return o;
  }

  static test::ProgramShelf* shelf_;
};

test::ProgramShelf* CourseServerChecks::shelf_ = nullptr;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string all(const ServerCheck& check) {
  std::string text = check.result.detail + "\n";
  for (const auto& line : check.result.evidence) text += line + "\n";
  return text;
}

}  // namespace

TEST_F(CourseServerChecks, ReferenceSolutionServesEveryClientAndRequiresClientCertificates) {
  fs::path server = build("solution", solutionServer());
  ASSERT_FALSE(server.empty());
  ServerCheck page = checkServerServesPage(options(server));
  EXPECT_EQ(page.result.verdict, Verdict::Pass) << all(page);
  ASSERT_EQ(page.probes.size(), 3u);
  for (const auto& probe : page.probes) {
    EXPECT_TRUE(probe.gotPage) << probe.client << ": " << probe.detail;
    EXPECT_EQ(probe.statusLine, "HTTP/1.1 200 OK") << probe.client;
  }
  EXPECT_TRUE(page.probes[0].presentedOurLeaf);
  EXPECT_EQ(page.probes[0].presentedChain.size(), 2u);
  EXPECT_TRUE(page.server.stopped) << page.server.describe();
  EXPECT_FALSE(fs::exists(page.chainFile)) << "the check's temporary chain was left behind";

  ServerCheck mtls = checkServerRequiresClientCertificate(options(server));
  EXPECT_EQ(mtls.result.verdict, Verdict::Pass) << all(mtls);
  ASSERT_EQ(mtls.probes.size(), 3u);
  EXPECT_TRUE(mtls.probes[0].certificateRequested);
  EXPECT_TRUE(mtls.probes[0].gotPage);
  EXPECT_FALSE(mtls.probes[1].gotPage);
  EXPECT_FALSE(mtls.probes[2].gotPage);
  // TLS 1.3: the refusal arrives as an alert after the client's Finished.
  EXPECT_TRUE(has(mtls.probes[1].detail, "certificate_required (116)")) << mtls.probes[1].detail;
  EXPECT_TRUE(has(mtls.probes[2].detail, "unknown_ca (48)")) << mtls.probes[2].detail;
  EXPECT_TRUE(has(all(mtls), "student01's handshake: ")) << all(mtls);
  EXPECT_TRUE(has(all(mtls), "<- certificate_request"));
}

TEST_F(CourseServerChecks, TextbookStyleForkingServerPasses) {
  fs::path server = build("textbook", textbookServer());
  ASSERT_FALSE(server.empty());
  ServerCheck page = checkServerServesPage(options(server));
  EXPECT_EQ(page.result.verdict, Verdict::Pass) << all(page);
  ServerCheck mtls = checkServerRequiresClientCertificate(options(server));
  EXPECT_EQ(mtls.result.verdict, Verdict::Pass) << all(mtls);
}

TEST_F(CourseServerChecks, ServerSendingOnlyItsLeafIsToldToLoadTheChain) {
  // The textbook's own call: right for its one-level PKI, wrong with an intermediate.
  fs::path server = build("leaf-only", test::edited(textbookServer(), "SSL_CTX_use_certificate_chain_file(ctx, argv[2]);",
                                                    "SSL_CTX_use_certificate_file(ctx, argv[2], SSL_FILETYPE_PEM);"));
  ASSERT_FALSE(server.empty());
  ServerCheck page = checkServerServesPage(options(server));
  EXPECT_EQ(page.result.verdict, Verdict::Fail);
  EXPECT_TRUE(has(page.result.detail, "your server sent only its own certificate")) << all(page);
  EXPECT_TRUE(has(page.result.detail, "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY at depth 0"));
  EXPECT_TRUE(has(page.result.hint, "SSL_CTX_use_certificate_chain_file"));
  EXPECT_TRUE(has(page.result.hint, "SSL_CTX_use_certificate_file reads only the first certificate"));
}

TEST_F(CourseServerChecks, ServerIgnoringItsArgumentsIsCaught) {
  // A fixed file name: it serves bank32.com's certificate whatever CHAIN it is given.
  std::string certs = (test::sourceDir() / "certs" / "bank32-rsa").string();
  std::string source = test::edited(solutionServer(), "setup_tls_server(argv[2], argv[3],",
                                    "setup_tls_server(\"" + certs + "/chain.pem\", \"" + certs + "/key.pem\",");
  fs::path server = build("fixed-files", source);
  ASSERT_FALSE(server.empty());
  ServerCheck page = checkServerServesPage(options(server));
  EXPECT_EQ(page.result.verdict, Verdict::Fail);
  EXPECT_TRUE(has(page.result.detail, "your server presented «CN=bank32.com,O=tlslab», not the certificate in the "
                                      "CHAIN file it was given")) << all(page);
  EXPECT_TRUE(has(page.result.hint, "argv[2] is the CHAIN"));
}

TEST_F(CourseServerChecks, ServerThatServesOneClientThenExitsIsCaught) {
  fs::path server = build("one-shot", test::edited(solutionServer(), "    SSL_free(ssl);\n    close(sock);\n  }",
                                                   "    SSL_free(ssl);\n    close(sock);\n    return 0;\n  }"));
  ASSERT_FALSE(server.empty());
  ServerCheck page = checkServerServesPage(options(server));
  EXPECT_EQ(page.result.verdict, Verdict::Fail);
  EXPECT_TRUE(has(page.result.detail, "your server answered the first client, then exited with status 0")) << all(page);
  EXPECT_TRUE(has(page.result.hint, "loop around accept()"));
}

TEST_F(CourseServerChecks, ServerThatNeverAnswersIsCaught) {
  fs::path server = build("silent", test::edited(solutionServer(), "  SSL_write(ssl, kPage, (int)strlen(kPage));",
                                                 "  sleep(30);"));
  ASSERT_FALSE(server.empty());
  ServerCheckOptions o = options(server);
  o.clientTimeout = 1500ms;
  ServerCheck page = checkServerServesPage(o);
  EXPECT_EQ(page.result.verdict, Verdict::Fail);
  EXPECT_TRUE(has(page.result.detail, "the handshake with your server worked, but tlslab LabClient got no HTTP 200 page"))
      << all(page);
  EXPECT_TRUE(has(page.result.hint, "SSL_write a response"));
}

TEST_F(CourseServerChecks, ServerThatCannotLoadItsFilesIsToldBeforeAnyClient) {
  fs::path unfinished = build("unfinished", test::readText(test::exercisesDir() / "tls_server.c"));
  ASSERT_FALSE(unfinished.empty());
  ServerCheck page = checkServerServesPage(options(unfinished));
  EXPECT_EQ(page.result.verdict, Verdict::Fail);
  EXPECT_TRUE(has(page.result.detail, "before it listened on 127.0.0.1:")) << all(page);
  EXPECT_TRUE(has(page.result.detail, ", your server exited with status 1, printing nothing"));
  EXPECT_TRUE(page.probes.empty());
}

TEST_F(CourseServerChecks, ServerThatDoesNotRequireTheCertificateIsCaught) {
  fs::path server = build("optional-cert", test::edited(solutionServer(), "SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT",
                                                        "SSL_VERIFY_PEER"));
  ASSERT_FALSE(server.empty());
  ServerCheck mtls = checkServerRequiresClientCertificate(options(server));
  EXPECT_EQ(mtls.result.verdict, Verdict::Fail);
  EXPECT_TRUE(has(mtls.result.detail, "asks for a client certificate (CertificateRequest), but also serves a client "
                                      "that sends none")) << all(mtls);
  EXPECT_TRUE(has(mtls.result.hint, "SSL_VERIFY_FAIL_IF_NO_PEER_CERT"));
}

TEST_F(CourseServerChecks, ServerThatIgnoresClientCaIsCaught) {
  fs::path server = build("no-client-ca", test::edited(solutionServer(), "  if (client_ca) {", "  if (0) {"));
  ASSERT_FALSE(server.empty());
  ServerCheck mtls = checkServerRequiresClientCertificate(options(server));
  EXPECT_EQ(mtls.result.verdict, Verdict::Fail);
  EXPECT_TRUE(has(mtls.result.detail, "never asked for a client certificate: there is no CertificateRequest"))
      << all(mtls);
  EXPECT_FALSE(mtls.probes[0].certificateRequested);
}
