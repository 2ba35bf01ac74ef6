// Lab 3's real clients against the attacker's proxy: what Debian's curl,
// wget, python3, gnutls-cli, openssl s_client and Chromium really do, asserted
// by running them (scripts/setup-deps.sh installs them). The evidence for
// "sent the password" is the proxy's own log. A client whose package is
// missing skips its test and says so.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>

#include "support/TestPaths.hpp"
#include "tlslab/scenarios/course/RealClients.hpp"

using namespace tlslab::course;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPassword = "plucky-heron-2718";

std::string readFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

RealClientsOptions baseOptions() {
  RealClientsOptions options;
  options.certsDir = tlslab::test::sourceDir() / "certs";
  options.password = kPassword;
  return options;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

// Runs against attacker-own, cached for the tests of one process: one run per
// client for the tests of that client (ctest starts each test on its own, so
// a test pays only for its client), and one run of them all.
class RealClients : public ::testing::Test {
 protected:
  static void TearDownTestSuite() {
    std::error_code ec;
    if (shotDir_) fs::remove_all(*shotDir_, ec);
    delete shotDir_;
    delete single_;
    delete full_;
    shotDir_ = nullptr;
    single_ = nullptr;
    full_ = nullptr;
  }

  static const fs::path& shotDir() {
    if (!shotDir_) {
      shotDir_ = new fs::path(fs::temp_directory_path() / ("tlslab-real-clients-test-" + std::to_string(::getpid())));
      fs::create_directories(*shotDir_);
    }
    return *shotDir_;
  }
  static fs::path screenshot() { return shotDir() / "error-page.png"; }

  static const RealClientsRun& runOf(RealClient client) {
    if (!single_) single_ = new std::map<RealClient, RealClientsRun>;
    auto it = single_->find(client);
    if (it == single_->end()) {
      RealClientsOptions options = baseOptions();
      options.clients = {client};
      if (client == RealClient::Chromium) options.screenshot = screenshot();
      it = single_->emplace(client, runRealClients(options)).first;
    }
    return it->second;
  }

  static const RealClientsRun& fullRun() {
    if (!full_) full_ = new RealClientsRun(runRealClients(baseOptions()));
    return *full_;
  }

  // The client's result, or nullptr (and the test skips) when it is not installed here.
  const RealClientResult* ran(RealClient client) {
    const RealClientResult* r = runOf(client).find(client);
    if (r == nullptr || r->state == ClientState::NotInstalled) return nullptr;
    EXPECT_EQ(r->state, ClientState::Ran) << realClientName(client) << ": " << r->skipReason;
    return r->state == ClientState::Ran ? r : nullptr;
  }
  std::string whyNot(RealClient client) {
    const RealClientResult* r = runOf(client).find(client);
    return r ? r->skipReason : runOf(client).setupError;
  }
  std::uint16_t port(RealClient client) { return runOf(client).port; }

  static fs::path* shotDir_;
  static std::map<RealClient, RealClientsRun>* single_;
  static RealClientsRun* full_;
};

fs::path* RealClients::shotDir_ = nullptr;
std::map<RealClient, RealClientsRun>* RealClients::single_ = nullptr;
RealClientsRun* RealClients::full_ = nullptr;

#define REQUIRE_CLIENT(var, client)       \
  const RealClientResult* var = ran(client); \
  if (var == nullptr) GTEST_SKIP() << realClientName(client) << " did not run here: " << whyNot(client)

// All of them against one bank, one after the other: each client's verdict
// agrees with the attacker's log, and the log holds the password only from
// the clients that never compare the host name.
TEST_F(RealClients, InOneRunOnlyTheClientsWithoutAHostNameCheckSendThePassword) {
  const RealClientsRun& run = fullRun();
  ASSERT_EQ(run.setupError, "");
  EXPECT_NE(run.port, 0);
  EXPECT_EQ(run.proxyAddress, "127.0.0.66");
  EXPECT_EQ(run.clients.size(), allRealClients().size());
  for (const auto& r : run.clients)
    if (r.state == ClientState::Ran) {
      EXPECT_TRUE(r.consistent()) << realClientName(r.client) << ": " << r.words << " / " << r.ended;
    }
  EXPECT_TRUE(run.consistent());
  std::vector<std::string> expected;
  for (auto c : {RealClient::CurlInsecure, RealClient::OpensslDefault})
    if (run.find(c) && run.find(c)->state == ClientState::Ran) expected.emplace_back(realClientName(c));
  EXPECT_EQ(run.passwordSenders(), expected);
}

TEST_F(RealClients, CurlRefusesWithTheHostNameError) {
  REQUIRE_CLIENT(r, RealClient::Curl);
  EXPECT_TRUE(r->refused);
  EXPECT_FALSE(r->attackerGotRequest);
  EXPECT_FALSE(r->passwordSent);
  EXPECT_GE(r->proxyConnections, 1) << "curl reached the attacker's proxy (the hosts line worked)";
  EXPECT_EQ(r->words, "curl: (60) SSL: no alternative certificate subject name matches target host name 'bank32.com'");
  EXPECT_EQ(r->ended, "exited with status 60");
  EXPECT_TRUE(contains(r->commandLine, "--cacert")) << r->commandLine;
  EXPECT_TRUE(contains(r->commandLine, "https://bank32.com:" + std::to_string(port(RealClient::Curl)) + "/login")) << r->commandLine;
}

TEST_F(RealClients, CurlInsecureSendsThePasswordToTheAttacker) {
  REQUIRE_CLIENT(r, RealClient::CurlInsecure);
  EXPECT_FALSE(r->refused);
  EXPECT_TRUE(r->passwordSent);
  EXPECT_EQ(r->stolen, std::string("user=alice&password=") + kPassword);
  // The proxy relayed the login to the real bank, whose answer curl printed.
  EXPECT_TRUE(contains(r->words, "Welcome back")) << r->words;
  EXPECT_TRUE(contains(r->commandLine, " -k ")) << r->commandLine;
}

TEST_F(RealClients, OpensslSClientWithDefaultFlagsSendsThePasswordAndCallsItOk) {
  REQUIRE_CLIENT(r, RealClient::OpensslDefault);
  EXPECT_FALSE(r->refused);
  EXPECT_TRUE(r->passwordSent);
  EXPECT_EQ(r->words, "Verify return code: 0 (ok)");
}

TEST_F(RealClients, OpensslSClientWithVerifyHostnameRefuses) {
  REQUIRE_CLIENT(r, RealClient::OpensslStrict);
  EXPECT_TRUE(r->refused);
  EXPECT_FALSE(r->passwordSent);
  EXPECT_EQ(r->words, "verify error:num=62:hostname mismatch");
  EXPECT_TRUE(contains(r->commandLine, "-verify_return_error -verify_hostname bank32.com")) << r->commandLine;
}

TEST_F(RealClients, PythonsDefaultContextRefusesWithHostnameMismatch) {
  REQUIRE_CLIENT(r, RealClient::Python);
  EXPECT_TRUE(r->refused);
  EXPECT_FALSE(r->passwordSent);
  EXPECT_TRUE(contains(r->words, "ssl.SSLCertVerificationError")) << r->words;
  EXPECT_TRUE(contains(r->words, "Hostname mismatch, certificate is not valid for 'bank32.com'")) << r->words;
}

TEST_F(RealClients, GnutlsCliRefusesBecauseTheNameDoesNotMatch) {
  REQUIRE_CLIENT(r, RealClient::GnutlsCli);
  EXPECT_TRUE(r->refused);
  EXPECT_FALSE(r->passwordSent);
  EXPECT_TRUE(contains(r->words, "The name in the certificate does not match the expected")) << r->words;
}

TEST_F(RealClients, WgetRefusesBecauseTheOwnerDoesNotMatch) {
  REQUIRE_CLIENT(r, RealClient::Wget);
  EXPECT_TRUE(r->refused);
  EXPECT_FALSE(r->passwordSent);
  EXPECT_TRUE(contains(r->words, "does not match hostname ‘bank32.com’")) << r->words;
}

TEST_F(RealClients, ChromiumShowsCommonNameInvalidAndWritesTheScreenshot) {
  REQUIRE_CLIENT(r, RealClient::Chromium);
  EXPECT_TRUE(r->refused);
  EXPECT_FALSE(r->passwordSent);
  EXPECT_GE(r->proxyConnections, 1);
  EXPECT_EQ(r->errorCode, "ERR_CERT_COMMON_NAME_INVALID") << r->words;
  EXPECT_TRUE(contains(r->words, "its security certificate is from attacker32.com")) << r->words;
  ASSERT_TRUE(r->screenshotWritten);
  const std::string png = readFile(screenshot());
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_GT(png.size(), 5000u) << "an error page, not an empty picture";
  EXPECT_EQ(r->setupCommands.size(), 4u) << "mkdir, two certutil calls and the login page";
}

TEST_F(RealClients, TheHostsLineIsPrivateAndTheRealEtcHostsIsUntouched) {
  const std::string before = readFile("/etc/hosts");
  RealClientsOptions options = baseOptions();
  options.clients = {RealClient::Curl};
  const RealClientsRun run = runRealClients(options);
  EXPECT_EQ(readFile("/etc/hosts"), before);
  EXPECT_FALSE(contains(before, "127.0.0.66")) << "the attacker's address never reached /etc/hosts";
  EXPECT_EQ(run.hostsLine, "127.0.0.66 bank32.com\n");
  const RealClientResult* curl = run.find(RealClient::Curl);
  ASSERT_NE(curl, nullptr);
  if (curl->state == ClientState::NotInstalled) GTEST_SKIP() << curl->skipReason;
  EXPECT_GE(curl->proxyConnections, 1) << "curl reached the attacker through the private hosts line";
  if (run.hosts == HostsMethod::MountNamespace || run.hosts == HostsMethod::UserNamespace) {
    EXPECT_EQ(curl->resolution, std::string("a private /etc/hosts (") +
                                    (run.hosts == HostsMethod::MountNamespace ? "mount namespace)" : "user + mount namespace)"));
  }
}

// Without the hosts file, curl, gnutls-cli, s_client and Chromium map the name
// themselves; wget and python3 cannot, and say so rather than run unpoisoned.
TEST(RealClientsOwnResolution, ClientsMapTheNameThemselvesOrSayTheyCannot) {
  RealClientsOptions options = baseOptions();
  options.clientOwnResolution = true;
  options.clients = {RealClient::Curl, RealClient::Wget, RealClient::GnutlsCli, RealClient::OpensslStrict, RealClient::Chromium};
  const RealClientsRun run = runRealClients(options);
  ASSERT_EQ(run.setupError, "");
  const auto* curl = run.find(RealClient::Curl);
  ASSERT_NE(curl, nullptr);
  if (curl->state == ClientState::Ran) {
    EXPECT_TRUE(curl->refused);
    EXPECT_TRUE(contains(curl->resolution, "curl --resolve bank32.com:")) << curl->resolution;
    EXPECT_TRUE(contains(curl->commandLine, "--resolve bank32.com:" + std::to_string(run.port) + ":127.0.0.66")) << curl->commandLine;
    EXPECT_TRUE(contains(curl->words, "no alternative certificate subject name")) << curl->words;
  }
  const auto* wget = run.find(RealClient::Wget);
  ASSERT_NE(wget, nullptr);
  if (wget->state != ClientState::NotInstalled) {
    EXPECT_EQ(wget->state, ClientState::NeedsHostsFile);
    EXPECT_TRUE(contains(wget->skipReason, "wget has no option to map bank32.com")) << wget->skipReason;
  }
  for (auto c : {RealClient::GnutlsCli, RealClient::OpensslStrict, RealClient::Chromium}) {
    const auto* r = run.find(c);
    ASSERT_NE(r, nullptr);
    if (r->state == ClientState::NotInstalled) continue;
    EXPECT_EQ(r->state, ClientState::Ran) << realClientName(c) << ": " << r->skipReason;
    EXPECT_TRUE(r->refused) << realClientName(c) << ": " << r->words;
    EXPECT_GE(r->proxyConnections, 1) << realClientName(c) << " reached the attacker by its own mapping";
    EXPECT_FALSE(r->resolution.empty());
  }
  if (const auto* chromium = run.find(RealClient::Chromium); chromium && chromium->state == ClientState::Ran) {
    EXPECT_EQ(chromium->errorCode, "ERR_CERT_COMMON_NAME_INVALID");
    EXPECT_TRUE(contains(chromium->commandLine, "--host-resolver-rules='MAP bank32.com 127.0.0.66'")) << chromium->commandLine;
  }
  EXPECT_TRUE(run.consistent());
}

// A chain the lab root does not vouch for: every chain check stops it, and
// s_client's default still only reports the error and sends the password.
TEST(RealClientsRogueCa, ChainChecksStopItAndSClientStillOnlyReports) {
  RealClientsOptions options = baseOptions();
  options.strategy = tlslab::endpoints::AttackerCertificate::RogueSigned;
  options.clients = {RealClient::Curl, RealClient::OpensslDefault};
  const RealClientsRun run = runRealClients(options);
  ASSERT_EQ(run.setupError, "");
  const auto* curl = run.find(RealClient::Curl);
  if (curl && curl->state == ClientState::Ran) {
    EXPECT_TRUE(curl->refused);
    EXPECT_EQ(curl->words, "curl: (60) SSL certificate problem: unable to get local issuer certificate");
  }
  const auto* sclient = run.find(RealClient::OpensslDefault);
  if (sclient && sclient->state == ClientState::Ran) {
    EXPECT_FALSE(sclient->refused);
    EXPECT_TRUE(sclient->passwordSent);
    EXPECT_TRUE(contains(sclient->words, "Verify return code: 21")) << sclient->words;
  }
}

TEST(RealClientsSetup, AMissingClientIsReportedNotInstalledWithItsPackage) {
  RealClientsOptions options = baseOptions();
  options.programDir = fs::temp_directory_path() / "tlslab-no-such-programs";
  options.clients = {RealClient::Curl, RealClient::Chromium};
  const RealClientsRun run = runRealClients(options);
  ASSERT_EQ(run.setupError, "");
  ASSERT_EQ(run.clients.size(), 2u);
  EXPECT_EQ(run.clients[0].state, ClientState::NotInstalled);
  EXPECT_TRUE(contains(run.clients[0].skipReason, "(apt-get install curl)")) << run.clients[0].skipReason;
  EXPECT_EQ(run.clients[1].state, ClientState::NotInstalled);
  EXPECT_TRUE(contains(run.clients[1].skipReason, "(apt-get install chromium)")) << run.clients[1].skipReason;
  EXPECT_TRUE(run.consistent()) << "a client that did not run is no inconsistency";
  EXPECT_TRUE(run.passwordSenders().empty());
}

TEST(RealClientsSetup, APasswordThatNeedsEscapingIsRefusedWithTheReason) {
  RealClientsOptions options = baseOptions();
  options.password = "a&b";
  const RealClientsRun run = runRealClients(options);
  EXPECT_TRUE(contains(run.setupError, "the password may use letters, digits")) << run.setupError;
  EXPECT_TRUE(contains(run.setupError, "not '&'")) << run.setupError;
  EXPECT_TRUE(run.clients.empty());
  EXPECT_FALSE(run.consistent());
}

TEST(RealClientsSetup, AMissingLabRootIsNamed) {
  RealClientsOptions options = baseOptions();
  options.certsDir = "/nonexistent/certs";
  const RealClientsRun run = runRealClients(options);
  EXPECT_TRUE(contains(run.setupError, "/nonexistent/certs/root-ca/cert.pem")) << run.setupError;
}

TEST(RealClientNames, AreReadTheWayStudentsWriteThem) {
  EXPECT_EQ(parseRealClient("curl"), RealClient::Curl);
  EXPECT_EQ(parseRealClient("curl -k"), RealClient::CurlInsecure);
  EXPECT_EQ(parseRealClient("curl --insecure"), RealClient::CurlInsecure);
  EXPECT_EQ(parseRealClient("Curl-K"), RealClient::CurlInsecure);
  EXPECT_EQ(parseRealClient("python"), RealClient::Python);
  EXPECT_EQ(parseRealClient("python3's ssl"), RealClient::Python);
  EXPECT_EQ(parseRealClient("openssl s_client"), RealClient::OpensslDefault);
  EXPECT_EQ(parseRealClient("s_client"), RealClient::OpensslDefault);
  EXPECT_EQ(parseRealClient("openssl s_client -verify_return_error -verify_hostname bank32.com"), RealClient::OpensslStrict);
  EXPECT_EQ(parseRealClient("GnuTLS"), RealClient::GnutlsCli);
  EXPECT_EQ(parseRealClient("headless Chromium"), RealClient::Chromium);
  EXPECT_EQ(parseRealClient("firefox"), std::nullopt);
  EXPECT_EQ(parseRealClient("curl and wget"), std::nullopt) << "two clients are not one name";
  for (auto c : allRealClients()) EXPECT_EQ(parseRealClient(realClientName(c)), c) << realClientName(c);
}

// What makes a result proof: the client's verdict and the attacker's log agree.
TEST(RealClientResults, AreConsistentOnlyWhenTheClientsVerdictMatchesTheAttackersLog) {
  RealClientResult refused;
  refused.state = ClientState::Ran;
  refused.refused = true;
  EXPECT_TRUE(refused.consistent());
  RealClientResult fooled = refused;
  fooled.refused = false;
  fooled.attackerGotRequest = fooled.passwordSent = true;
  EXPECT_TRUE(fooled.consistent());
  RealClientResult complainedButSent = fooled;
  complainedButSent.refused = true;  // an error status, yet the attacker has the password
  EXPECT_FALSE(complainedButSent.consistent());
  RealClientResult hung;  // killed at its deadline: neither refused nor logged in
  hung.state = ClientState::Ran;
  EXPECT_FALSE(hung.consistent());
  RealClientResult requestWithoutPassword = fooled;
  requestWithoutPassword.passwordSent = false;
  EXPECT_FALSE(requestWithoutPassword.consistent());

  RealClientsRun run;
  run.clients = {refused, fooled};
  EXPECT_TRUE(run.consistent());
  RealClientResult broken;
  broken.state = ClientState::CouldNotRun;
  run.clients.push_back(broken);
  EXPECT_FALSE(run.consistent()) << "an installed client that could not run leaves the run unproven";
  run.clients.back().state = ClientState::NeedsHostsFile;
  EXPECT_TRUE(run.consistent()) << "a client this machine cannot poison is reported, not failed";
}
