// The client program checks against real lab endpoints: the reference
// solution and a client in the SEED textbook's own style pass; clients with
// the classic mistakes fail, each with the explanation a student needs.
#include <gtest/gtest.h>
#include <unistd.h>

#include "CourseFixtures.hpp"
#include "tlslab/scenarios/course/ProgramChecks.hpp"

using namespace tlslab;
using namespace tlslab::course;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::string textbookClient() { return test::readText(test::textbookDir() / "tlsclient.c"); }

// The textbook's verify callback with the fatal line the textbook warns about.
constexpr std::string_view kUnsafeCallback = R"(int verify_callback(int preverify_ok, X509_STORE_CTX *x509_ctx)
{
    char buf[300];
    X509* cert = X509_STORE_CTX_get_current_cert(x509_ctx);
    X509_NAME_oneline(X509_get_subject_name(cert), buf, 300);
    printf("subject= %s\n", buf);
    if (preverify_ok == 1) {
        printf("Verification passed.\n");
    } else {
        int err = X509_STORE_CTX_get_error(x509_ctx);
        printf("Verification failed: %s.\n", X509_verify_cert_error_string(err));
    }
    return 1;  /* This is not safe! */
}

SSL* setupTLSClient)";

class CourseClientChecks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    shelf_ = new test::ProgramShelf("tlslab-client-checks");
    workspace_ = shelf_->dir() / "workspace";
    fs::create_directories(workspace_ / "cert");
    for (const auto& entry : fs::directory_iterator(test::sourceDir() / "certs" / "hashed"))
      fs::copy_file(entry.path(), workspace_ / "cert" / entry.path().filename());
  }
  static void TearDownTestSuite() {
    delete shelf_;
    shelf_ = nullptr;
  }

  static fs::path build(const std::string& name, const std::string& source) { return shelf_->build(name, source); }

  ClientCheckOptions options(const fs::path& program) const {
    ClientCheckOptions o;
    o.program = program;
    o.workspace = workspace_;
    o.certsDir = test::sourceDir() / "certs";
    o.pageToken = "5eed70c0ffee";
    o.relayedToken = "a77ac4ed7043";
    o.timeout = 3s;
    return o;
  }

  static test::ProgramShelf* shelf_;
  static fs::path workspace_;
};

test::ProgramShelf* CourseClientChecks::shelf_ = nullptr;
fs::path CourseClientChecks::workspace_;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string evidenceFor(const ClientCheck& check, const std::string& entry) {
  for (const auto& line : check.result.evidence)
    if (line.rfind(entry + ":", 0) == 0 || line.rfind(entry + " (bonus):", 0) == 0) return line;
  return "(no evidence line for " + entry + ")";
}

}  // namespace

TEST_F(CourseClientChecks, ReferenceSolutionPassesEveryClientCheckAndTheBonus) {
  fs::path solution = build("solution", test::readText(test::exercisesDir() / "solutions" / "tls_client.c"));
  ASSERT_FALSE(solution.empty());
  ClientCheck page = checkClientGetsPage(options(solution));
  EXPECT_EQ(page.result.verdict, Verdict::Pass) << page.result.detail;
  EXPECT_TRUE(has(page.result.detail, "5eed70c0ffee"));

  ClientCheck gallery = checkClientRejectsGallery(options(solution));
  EXPECT_EQ(gallery.result.verdict, Verdict::Pass) << gallery.result.detail;
  EXPECT_EQ(gallery.result.evidence.size(), 14u);  // one line per gallery entry
  EXPECT_TRUE(has(evidenceFor(gallery, "expired"), "rejected in the handshake")) << evidenceFor(gallery, "expired");
  EXPECT_TRUE(has(evidenceFor(gallery, "expired"), "X509_V_ERR_CERT_HAS_EXPIRED at depth 0"));
  // Beyond the textbook, the solution checks the CRL and never falls back to the CN.
  EXPECT_TRUE(has(evidenceFor(gallery, "revoked"), "rejected")) << evidenceFor(gallery, "revoked");
  EXPECT_TRUE(has(evidenceFor(gallery, "cn-only"), "rejected")) << evidenceFor(gallery, "cn-only");

  ClientCheck attacker = checkClientRejectsAttacker(options(solution));
  EXPECT_EQ(attacker.result.verdict, Verdict::Pass) << attacker.result.detail;
  ASSERT_EQ(attacker.trials.size(), 3u);
  EXPECT_EQ(attacker.trials[1].address, "127.0.0.66");
  EXPECT_TRUE(attacker.trials[1].request.empty());
  EXPECT_TRUE(has(lastLines(attacker.trials[1].attackerLog.back(), 1), "aborted the handshake"))
      << attacker.trials[1].attackerLog.back();
}

TEST_F(CourseClientChecks, TextbookStyleClientPassesAndTheBonusEntriesAreOnlyReported) {
  fs::path textbook = build("textbook", textbookClient());
  ASSERT_FALSE(textbook.empty());
  ClientCheck page = checkClientGetsPage(options(textbook));
  EXPECT_EQ(page.result.verdict, Verdict::Pass) << page.result.detail;
  // Its bare-LF request reached the server as it was sent.
  ASSERT_EQ(page.trials.size(), 1u);
  EXPECT_EQ(page.trials[0].request, "GET / HTTP/1.1\nHost: bank32.com\n\n");

  ClientCheck gallery = checkClientRejectsGallery(options(textbook));
  EXPECT_EQ(gallery.result.verdict, Verdict::Pass) << gallery.result.detail;
  std::string revoked = evidenceFor(gallery, "revoked"), cnOnly = evidenceFor(gallery, "cn-only");
  EXPECT_TRUE(has(revoked, "ACCEPTED") && has(revoked, "not required") && has(revoked, "X509_V_FLAG_CRL_CHECK")) << revoked;
  EXPECT_TRUE(has(cnOnly, "ACCEPTED") && has(cnOnly, "X509_CHECK_FLAG_NEVER_CHECK_SUBJECT")) << cnOnly;

  ClientCheck attacker = checkClientRejectsAttacker(options(textbook));
  EXPECT_EQ(attacker.result.verdict, Verdict::Pass) << attacker.result.detail;
}

TEST_F(CourseClientChecks, ClientWithoutTheHostCheckIsCaughtByTheAttackerAndTheGallery) {
  fs::path noHost = build("no-host-check", test::edited(textbookClient(), "X509_VERIFY_PARAM_set1_host(vpm, hostname, 0);", ""));
  ASSERT_FALSE(noHost.empty());
  ClientCheck attacker = checkClientRejectsAttacker(options(noHost));
  EXPECT_EQ(attacker.result.verdict, Verdict::Fail);
  EXPECT_TRUE(has(attacker.result.detail, "your client sent «GET / HTTP/1.1» to the attacker: it accepted "
                                          "CN=attacker32.com for bank32.com — nothing compares the host name"))
      << attacker.result.detail;
  EXPECT_TRUE(has(attacker.result.hint, "X509_VERIFY_PARAM_set1_host"));
  // The attacker read the request, fetched the real page and relayed its token.
  ASSERT_GE(attacker.trials.size(), 2u);
  EXPECT_TRUE(has(attacker.trials[1].relayedPage, "a77ac4ed7043"));
  EXPECT_TRUE(attacker.trials[1].printedToken("a77ac4ed7043"));
  std::string log;
  for (const auto& line : attacker.trials[1].attackerLog) log += line + "\n";
  EXPECT_TRUE(has(log, "the victim sent «GET / HTTP/1.1»")) << log;
  EXPECT_TRUE(has(log, "carrying the page token a77ac4ed7043")) << log;

  ClientCheck gallery = checkClientRejectsGallery(options(noHost));
  EXPECT_EQ(gallery.result.verdict, Verdict::Fail);
  EXPECT_TRUE(has(gallery.result.detail, "wrong-host")) << gallery.result.detail;
  EXPECT_TRUE(has(gallery.result.detail, "wildcard"));
  EXPECT_FALSE(has(gallery.result.detail, "expired"));
  EXPECT_TRUE(has(gallery.result.hint, "nothing compares the host name"));
  EXPECT_TRUE(has(evidenceFor(gallery, "wrong-host"), "ACCEPTED"));
}

TEST_F(CourseClientChecks, VerifyCallbackReturningOneIsToldApartFromAMissingHostCheck) {
  std::string source = test::edited(textbookClient(), "SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);",
                                    "SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_callback);");
  source = test::edited(source, "SSL* setupTLSClient", kUnsafeCallback);
  fs::path unsafe = build("callback-returns-1", source);
  ASSERT_FALSE(unsafe.empty());
  ClientCheck attacker = checkClientRejectsAttacker(options(unsafe));
  EXPECT_EQ(attacker.result.verdict, Verdict::Fail);
  EXPECT_TRUE(has(attacker.result.detail, "even when it presented a self-signed certificate claiming bank32.com"))
      << attacker.result.detail;
  EXPECT_TRUE(has(attacker.result.detail, "it also accepts the expired gallery entry"));
  EXPECT_TRUE(has(attacker.result.detail, "This is not safe!"));
  EXPECT_TRUE(has(attacker.result.hint, "return preverify_ok"));
}

TEST_F(CourseClientChecks, CrashingClientIsNamedWithItsSignalAndTheGalleryIsNotJudged) {
  fs::path crasher = build("crasher", test::edited(textbookClient(), "gethostbyname(hostname)", "gethostbyname(\"no-such-host.invalid\")"));
  ASSERT_FALSE(crasher.empty());
  ClientCheck page = checkClientGetsPage(options(crasher));
  EXPECT_EQ(page.result.verdict, Verdict::Fail);
  EXPECT_TRUE(has(page.result.detail, "crashed with SIGSEGV (segmentation fault")) << page.result.detail;
  EXPECT_TRUE(has(page.result.detail, "the server saw no connection from it"));
  EXPECT_TRUE(has(page.result.hint, "gdb"));
  // A client that never connects rejects every bad certificate without judging any.
  ClientCheck gallery = checkClientRejectsGallery(options(crasher), std::vector<std::string>{"expired"});
  EXPECT_EQ(gallery.result.verdict, Verdict::Fail);
  EXPECT_TRUE(has(gallery.result.detail, "does not get the page from the good lab server either")) << gallery.result.detail;
}

TEST_F(CourseClientChecks, HangingClientIsKilledAndTheReadLoopIsBlamed) {
  std::string source = test::readText(test::exercisesDir() / "solutions" / "tls_client.c");
  source = test::edited(source, "while ((len = SSL_read(ssl, buf, sizeof(buf))) > 0) fwrite(buf, 1, (size_t)len, stdout);",
                        "for (;;) { len = SSL_read(ssl, buf, sizeof(buf)); if (len > 0) fwrite(buf, 1, (size_t)len, stdout); }");
  fs::path hanger = build("hanger", source);
  ASSERT_FALSE(hanger.empty());
  ClientCheckOptions o = options(hanger);
  o.timeout = 1500ms;
  ClientCheck page = checkClientGetsPage(o);
  // It printed the page, but it never ends: the deadline ends it, and the check says so.
  EXPECT_EQ(page.result.verdict, Verdict::Fail);
  EXPECT_TRUE(page.trials[0].program.timedOut);
  EXPECT_TRUE(has(page.result.detail, "your client printed the page (token 5eed70c0ffee), but it was still running "
                                      "after")) << page.result.detail;
  EXPECT_TRUE(has(page.result.hint, "your read loop must stop when SSL_read returns 0"));
}

TEST_F(CourseClientChecks, ClientThatPrintsNothingIsToldWhereThePageWent) {
  std::string source = test::readText(test::exercisesDir() / "solutions" / "tls_client.c");
  source = test::edited(source, "fwrite(buf, 1, (size_t)len, stdout);", "(void)buf;");
  fs::path silent = build("silent", source);
  ASSERT_FALSE(silent.empty());
  ClientCheck page = checkClientGetsPage(options(silent));
  EXPECT_EQ(page.result.verdict, Verdict::Fail);
  EXPECT_TRUE(has(page.result.detail, "the server sent the page back, but your token 5eed70c0ffee is not in what your "
                                      "program printed on stdout")) << page.result.detail;
  EXPECT_TRUE(has(page.result.hint, "print everything SSL_read returns"));
}

TEST_F(CourseClientChecks, UnfinishedExerciseIsToldToConnect) {
  fs::path unfinished = build("unfinished", test::readText(test::exercisesDir() / "tls_client.c"));
  ASSERT_FALSE(unfinished.empty());
  ClientCheck page = checkClientGetsPage(options(unfinished));
  EXPECT_EQ(page.result.verdict, Verdict::Fail);
  EXPECT_TRUE(has(page.result.detail, "exited with status 1, printing nothing")) << page.result.detail;
  EXPECT_TRUE(has(page.result.hint, "TODO 2"));
}

TEST_F(CourseClientChecks, MissingProgramSaysHowToBuildIt) {
  ClientCheck page = checkClientGetsPage(options(shelf_->dir() / "tls_client"));
  EXPECT_EQ(page.result.verdict, Verdict::Fail);
  EXPECT_TRUE(has(page.result.detail, "could not start: no such file")) << page.result.detail;
  EXPECT_TRUE(has(page.result.hint, "make"));
}

TEST_F(CourseClientChecks, UnknownGalleryEntryIsNamed) {
  ClientCheck check = checkClientRejectsGallery(options("/bin/true"), std::vector<std::string>{"expird"});
  EXPECT_EQ(check.result.verdict, Verdict::Fail);
  EXPECT_TRUE(has(check.result.detail, "'expird' is not an entry"));
  EXPECT_TRUE(check.trials.empty());
}
