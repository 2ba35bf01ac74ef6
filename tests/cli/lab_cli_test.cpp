// `tlslab lab`, `tlslab mitm`, `tlslab connect` and `tlslab serve` as a
// student runs them: the real binary, real endpoints on loopback.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/Process.hpp"
#include "support/TestPaths.hpp"

using namespace tlslab::test;

namespace {
std::string cli(const std::string& args) { return tlslabExe().string() + " " + args; }
}  // namespace

TEST(LabCli, MitmStoryShowsTheStolenPasswordAndTheFix) {
  auto result = run(cli("lab run mitm --quiet"));
  EXPECT_EQ(result.exitCode, 0) << result.out;
  EXPECT_NE(result.out.find("attacker's log: user=alice&password=hunter2"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("≠ subject         CN=attacker32.com"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("the victim aborted: HOSTNAME_MISMATCH @0"), std::string::npos) << result.out;
}

TEST(LabCli, MitmMatrixMatchesEveryExpectedOutcome) {
  auto result = run(cli("lab run mitm --matrix"));
  EXPECT_EQ(result.exitCode, 0) << result.out;
  EXPECT_NE(result.out.find("30 of 30 outcomes as the lab expects"), std::string::npos) << result.out;
}

TEST(LabCli, MitmJsonNamesTheFailedCheck) {
  auto result = run(cli("lab run mitm --json --strategy forged --victim correct 2>/dev/null"));
  ASSERT_EQ(result.exitCode, 0) << result.out;
  auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["connected"], false);
  EXPECT_EQ(json["password_stolen"], false);
  EXPECT_EQ(json["error"], "UNABLE_TO_GET_ISSUER_CERT_LOCALLY");
  EXPECT_EQ(json["error_depth"], 0);
}

TEST(LabCli, GalleryJsonHasEveryEntryAsExpected) {
  auto result = run(cli("lab run gallery --json 2>/dev/null"));
  ASSERT_EQ(result.exitCode, 0) << result.out;
  auto json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json.size(), 14u);
  for (const auto& entry : json) EXPECT_TRUE(entry["as_expected"].get<bool>()) << entry.dump();
}

// Each attack: TLS notices, no altered byte reaches the server's application
// (a replay delivers its genuine first copy only), and the run's own capture
// fails on the same record (or ends without close_notify).
TEST(LabCli, TamperLabShowsTlsNoticingEveryAttack) {
  for (const char* attack : {"flip-byte", "drop", "duplicate"}) {
    auto result = run(cli(std::string("lab run tamper --quiet --tls 1.2 --attack ") + attack));
    EXPECT_EQ(result.exitCode, 0) << attack << "\n" << result.out;
    EXPECT_NE(result.out.find("the server refused the connection: alert fatal bad record mac"), std::string::npos) << result.out;
    const std::string delivery = std::string(attack) == "duplicate"
                                     ? "the server's application received only genuine bytes: \"GET / HTTP/1.1\\r\\n\""
                                     : "not one byte of the request reached the server's application";
    EXPECT_NE(result.out.find(delivery), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("the capture of the run agrees: record"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("MAC/tag failure"), std::string::npos) << result.out;
  }
  auto cut = run(cli("lab run tamper --quiet --attack truncate"));
  EXPECT_EQ(cut.exitCode, 0) << cut.out;
  EXPECT_NE(cut.out.find("without close_notify"), std::string::npos) << cut.out;
  EXPECT_NE(run(cli("lab list")).out.find("tamper"), std::string::npos);
}

TEST(LabCli, UnknownLabOrOptionIsAUsageError) {
  EXPECT_EQ(run(cli("lab run no-such-lab")).exitCode, 2);
  EXPECT_EQ(run(cli("lab run mitm --strategy nonsense")).exitCode, 2);
  EXPECT_EQ(run(cli("lab run gallery --entry bank32-rsa")).exitCode, 2);
  auto attack = run(cli("lab run tamper --attack teleport"));
  EXPECT_EQ(attack.exitCode, 2);
  EXPECT_NE(attack.out.find("flip-byte, drop, duplicate, truncate"), std::string::npos) << attack.out;
}

TEST(ConnectCli, BadTargetsAreClearErrors) {
  auto badPort = run(cli("connect bank32.com:99999"));
  EXPECT_EQ(badPort.exitCode, 2);
  EXPECT_NE(badPort.out.find("HOST[:PORT]"), std::string::npos) << badPort.out;
  auto unknown = run(cli("connect nowhere.test:4433"));
  EXPECT_EQ(unknown.exitCode, 1);
  EXPECT_NE(unknown.out.find("cannot resolve 'nowhere.test'"), std::string::npos) << unknown.out;
  auto outside = run(cli("connect example.org:443 --resolve example.org=192.0.2.7"));
  EXPECT_EQ(outside.exitCode, 1);
  EXPECT_NE(outside.out.find("loopback addresses only"), std::string::npos) << outside.out;
}

// The hands-on version of the lab: three commands in three terminals.
TEST(MitmCli, ServeMitmAndConnectTogether) {
  auto port = freeLoopbackPort();
  BackgroundProcess server({tlslabExe().string(), "serve", "--port", std::to_string(port), "--seconds", "30"});
  ASSERT_TRUE(server.waitForOutput("serving", 10000)) << server.output();
  BackgroundProcess proxy({tlslabExe().string(), "mitm", "--port", std::to_string(port), "--target-port",
                           std::to_string(port), "--connections", "1", "--seconds", "30"});
  ASSERT_TRUE(proxy.waitForOutput("proxy on", 10000)) << proxy.output();
  auto victim = run(cli("connect bank32.com:" + std::to_string(port) +
                           " --resolve bank32.com=127.0.0.66 --verify chain-only --send 'POST /login HTTP/1.0\\r\\n"
                           "Content-Length: 13\\r\\n\\r\\npassword=1234' --expect 'Welcome back'"));
  EXPECT_EQ(victim.exitCode, 0) << victim.out;
  EXPECT_EQ(proxy.wait(20000), 0);
  EXPECT_NE(proxy.output().find("password=1234"), std::string::npos) << proxy.output();
  auto careful = run(cli("connect bank32.com:" + std::to_string(port) + " --resolve bank32.com=127.0.0.66"));
  EXPECT_EQ(careful.exitCode, 1);  // the proxy is gone; a correct client never gets that far anyway
}

// With no real server behind it the attacker's log names why each victim was
// cut off. (No probe at start-up: it would use up a `serve --connections 1`.)
TEST(MitmCli, AnUnreachableRealServerIsNamedAtStartAndPerVictim) {
  auto port = freeLoopbackPort();
  auto nobody = freeLoopbackPort();
  BackgroundProcess proxy({tlslabExe().string(), "mitm", "--port", std::to_string(port), "--target-port",
                           std::to_string(nobody), "--connections", "1", "--seconds", "30"});
  ASSERT_TRUE(proxy.waitForOutput("proxy on", 10000)) << proxy.output();
  auto victim = run(cli("connect bank32.com:" + std::to_string(port) + " --resolve bank32.com=127.0.0.66 --verify none"));
  EXPECT_EQ(victim.exitCode, 1) << victim.out;
  EXPECT_EQ(proxy.wait(20000), 0);
  EXPECT_NE(proxy.output().find("; the proxy could not reach the real server: connect to 127.0.0.1:" +
                                std::to_string(nobody)),
            std::string::npos)
      << proxy.output();
}

TEST(ConnectCli, WritesAPcapngThatTsharkDecrypts) {
  if (std::system("command -v tshark >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark not installed";
  auto port = freeLoopbackPort();
  BackgroundProcess server({tlslabExe().string(), "serve", "--port", std::to_string(port), "--connections", "1"});
  ASSERT_TRUE(server.waitForOutput("serving", 10000)) << server.output();
  auto file = std::filesystem::temp_directory_path() / ("tlslab-cli-" + std::to_string(port) + ".pcapng");
  auto client = run(cli("connect bank32.com:" + std::to_string(port) + " --pcapng " + file.string()));
  ASSERT_EQ(client.exitCode, 0) << client.out;
  auto shark = run("tshark -r " + file.string() + " -d tcp.port==" + std::to_string(port) +
                   ",tls -Y http.response -T fields -e http.response.code");
  std::filesystem::remove(file);
  EXPECT_NE(shark.out.find("200"), std::string::npos) << shark.out;
}

TEST(LabCli, LabRunsCheckThemselvesAndSaveADecryptableCapture) {
  auto file = binaryDir() / "lab-resumption-test.pcapng";
  std::filesystem::remove(file);
  auto result = run(cli("lab run resumption --quiet --tls 1.2 --save " + file.string()));
  EXPECT_EQ(result.exitCode, 0) << result.out;
  // Two connections (full, then resumed), each dissected from its own wire bytes.
  std::size_t checks = 0;
  for (const char* leg : {"self-check (client -> bank32.com): ✓", "self-check (client (resuming) -> bank32.com): ✓"})
    checks += result.out.find(leg) != std::string::npos;
  EXPECT_EQ(checks, 2u) << result.out;
  ASSERT_TRUE(std::filesystem::exists(file));
  // An independent decoder reads the saved run decrypted, with no key options.
  auto tshark = run("tshark -r " + file.string() + " -Y http -T fields -e http.request.method 2>/dev/null");
  EXPECT_NE(tshark.out.find("GET"), std::string::npos) << tshark.out;
  std::filesystem::remove(file);
}

// The --save'd capture holds every byte that crossed the wire (the proxy's
// CertificateVerify and Finished, which the aborting victim never read), one
// TCP segment per socket write: no record header alone in a segment.
TEST(LabCli, SavedMitmCaptureHasEveryRecordTheProxyWroteInWholeSegments) {
  if (std::system("command -v tshark >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark not installed";
  auto file = binaryDir() / "lab-mitm-correct-test.pcapng";
  std::filesystem::remove(file);
  auto result = run(cli("lab run mitm --quiet --victim correct --save " + file.string()));
  ASSERT_EQ(result.exitCode, 0) << result.out;
  auto shark = run("tshark -r " + file.string() + " -Y tls -T fields -e ip.src -e tls.handshake.type 2>/dev/null");
  // ServerHello, EncryptedExtensions, Certificate, CertificateVerify, Finished, decrypted by tshark.
  EXPECT_NE(shark.out.find("127.0.0.66\t2,8,11,15,20"), std::string::npos) << shark.out;
  auto lengths = run("tshark -r " + file.string() + " -T fields -e tcp.len 2>/dev/null");
  EXPECT_EQ(("\n" + lengths.out).find("\n5\n"), std::string::npos) << lengths.out;
  std::filesystem::remove(file);
}

// tutorials/mitm.md: the verify trace with the step where a correct client
// stops, the depths it never reached and why, and what an aborting victim saw.
TEST(LabCli, MitmStoryPrintsTheVerifyTraceTheTutorialDescribes) {
  auto story = run(cli("lab run mitm --quiet"));
  ASSERT_EQ(story.exitCode, 0) << story.out;
  const auto fix = story.out.find("The fix:");
  ASSERT_NE(fix, std::string::npos) << story.out;
  EXPECT_NE(story.out.find("verify depth 0  CN=attacker32.com,O=tlslab       ✗ X509_V_ERR_HOSTNAME_MISMATCH", fix),
            std::string::npos)
      << story.out;
  EXPECT_NE(story.out.find("verify depth 2  CN=tlslab Root CA,O=tlslab       – not reached: OpenSSL stops at the first "
                           "error the callback refuses (depth 0)",
                           fix),
            std::string::npos)
      << story.out;
  // The chain-only victim's own trace: every depth ok.
  EXPECT_NE(story.out.find("verify depth 0  CN=attacker32.com,O=tlslab       ✓ ok"), std::string::npos) << story.out;
  auto correct = run(cli("lab run mitm --quiet --victim correct"));
  ASSERT_EQ(correct.exitCode, 0) << correct.out;
  EXPECT_NE(correct.out.find("≠ names (SAN)     attacker32.com, www.attacker32.com            bank32.com, www.bank32.com"),
            std::string::npos)
      << correct.out;
  EXPECT_NE(correct.out.find("bank32.com (127.0.0.1), never reached by the proxy"), std::string::npos) << correct.out;
  EXPECT_EQ(correct.out.find("(none)"), std::string::npos) << correct.out;
}

// tutorials/gallery.md: every depth of wrong-host's chain, and revoked fools
// the chain-only client, which loads no CRL.
TEST(LabCli, GalleryShowsEveryDepthAndTheChainOnlyClientsBlindSpots) {
  auto wrongHost = run(cli("lab run gallery --entry wrong-host"));
  EXPECT_EQ(wrongHost.exitCode, 0) << wrongHost.out;
  for (const char* depth : {"depth 0  CN=other.test", "depth 1  CN=tlslab Issuing CA", "depth 2  CN=tlslab Root CA"})
    EXPECT_NE(wrongHost.out.find(depth), std::string::npos) << depth << "\n" << wrongHost.out;
  EXPECT_NE(wrongHost.out.find("not reached by the correct client (it stopped at depth 0); the chain-only client checked it: ✓ ok"),
            std::string::npos)
      << wrongHost.out;
  EXPECT_NE(wrongHost.out.find("accepted (fooled: it never compares names)"), std::string::npos) << wrongHost.out;
  auto revoked = run(cli("lab run gallery --entry revoked"));
  EXPECT_EQ(revoked.exitCode, 0) << revoked.out;
  EXPECT_NE(revoked.out.find("only a client that checks revocation notices"), std::string::npos) << revoked.out;
  EXPECT_NE(revoked.out.find("chain-only client: accepted (fooled: it loads no CRL"), std::string::npos) << revoked.out;
}

// `lab list` promises the comparison of the two handshakes: it is printed,
// and a resumed TLS 1.2 session claims no key exchange group.
TEST(LabCli, ResumptionComparesTheTwoHandshakesAndSaysHowItResumed) {
  auto result = run(cli("lab run resumption --quiet --tls 1.2"));
  ASSERT_EQ(result.exitCode, 0) << result.out;
  EXPECT_NE(result.out.find("negotiated: TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384, resumed session (by ticket)"), std::string::npos)
      << result.out;
  EXPECT_EQ(result.out.find("x25519, resumed session"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("The two handshakes side by side"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("← ServerKeyExchange       —                         no key exchange"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("resumed by a session ticket (RFC 5077)"), std::string::npos) << result.out;
  auto bySessionId = run(cli("lab run resumption --quiet --tls 1.2 --no-tickets"));
  EXPECT_NE(bySessionId.out.find("resumed by the session ID"), std::string::npos) << bySessionId.out;
  EXPECT_NE(run(cli("lab list")).out.find("compare the two handshakes side by side"), std::string::npos);
}
