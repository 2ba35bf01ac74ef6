// Lab 14 (wrappers): every answer is judged against a run the check makes,
// and the two stunnel4 configurations are run for real. The teacher's key and
// the reference configurations pass; what students get wrong fails with its reason.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "CourseTestSupport.hpp"
#include "support/TestPaths.hpp"
#include "tlslab/scenarios/course/Lab.hpp"
#include "tlslab/scenarios/course/Workspace.hpp"

using namespace tlslab;
using namespace tlslab::course;
namespace fs = std::filesystem;

namespace {

using Workspace = test::StartedWorkspace;

bool stunnelInstalled() {
  for (const char* dir : {"/usr/bin", "/usr/local/bin", "/bin"})
    for (const char* name : {"stunnel4", "stunnel"})
      if (fs::exists(fs::path(dir) / name)) return true;
  return false;
}

LabReport check(const Workspace& ws, const std::string& text, std::vector<std::string> only = {}) {
  Answers answers = parseAnswers(text);
  const Variant variant = ws.info.variant();
  CheckEnv env{&variant, &answers, ws.dir, test::sourceDir() / "certs", {}, {}};
  return checkLab(*findLab(14), env, only);
}

const CheckResult& result(const LabReport& report, const std::string& id) {
  for (const auto& r : report.results)
    if (r.id == id) return r;
  throw std::runtime_error("no check " + id);
}

std::string referenceAnswers(const Variant& v) {
  std::string text;
  for (const auto& q : findLab(14)->questions) text += std::string(q.key) + ": " + q.reference(v) + "\n";
  return text;
}

void useSolution(const Workspace& ws, const std::string& name) {
  fs::copy_file(test::sourceDir() / "labs" / "exercises" / "solutions" / name, ws.dir / name,
                fs::copy_options::overwrite_existing);
}

std::string readFile(const fs::path& file) {
  std::ifstream in(file);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

}  // namespace

TEST(CourseLab14, TheTeachersKeyAndTheReferenceConfigurationsPassEveryCheck) {
  Workspace ws = test::startLabWorkspace(14, "alice");
  useSolution(ws, "stunnel-server.conf");
  useSolution(ws, "stunnel-client.conf");
  LabReport report = check(ws, referenceAnswers(ws.info.variant()));
  for (const auto& r : report.results) {
    if (!stunnelInstalled() && r.id.rfind("stunnel-", 0) == 0) {
      EXPECT_EQ(r.verdict, Verdict::Skipped) << r.id;
      continue;
    }
    EXPECT_EQ(r.verdict, Verdict::Pass) << r.id << ": " << r.detail << "\n" << r.hint;
  }
  fs::remove_all(ws.dir);
}

TEST(CourseLab14, WrongAnswersFailWithTheirExplanation) {
  Workspace ws = test::startLabWorkspace(14, "dave");
  const std::string host = readFile(ws.dir / "host.txt").substr(0, readFile(ws.dir / "host.txt").find('\n'));
  const std::string cn = findLab(14)->questions[0].reference(ws.info.variant());
  LabReport report = check(ws, "wrapper_client_subject: " + host + "\napplication_user: " + cn +
                                   "\napplication_connections: 2\nclient_received: hostname mismatch\n"
                                   "accepted_issuer: nobody\npeer_certificate_call: SSL_get_verify_result\n");
  EXPECT_NE(result(report, "wrapper_client_subject").detail.find("the wrapper's own certificate"), std::string::npos);
  EXPECT_NE(result(report, "application_user").detail.find("in the wrapper's log; the application never received"),
            std::string::npos);
  EXPECT_NE(result(report, "application_connections").detail.find("never reached the application"), std::string::npos);
  EXPECT_NE(result(report, "client_received").detail.find("never told why"), std::string::npos);
  EXPECT_NE(result(report, "accepted_issuer").detail.find("every certificate names an issuer"), std::string::npos);
  EXPECT_NE(result(report, "peer_certificate_call").detail.find("not whose certificate"), std::string::npos);
  for (const char* id : {"wrapper_client_subject", "application_user", "application_connections", "client_received",
                         "accepted_issuer", "peer_certificate_call"})
    EXPECT_EQ(result(report, id).verdict, Verdict::Fail) << id;
  fs::remove_all(ws.dir);
}

TEST(CourseLab14, StunnelConfigurationsThatDoNotVerifyFailForTheirReason) {
  if (!stunnelInstalled()) GTEST_SKIP() << "stunnel4 is not installed (scripts/setup-deps.sh)";
  Workspace ws = test::startLabWorkspace(14, "erin");
  // The starters as `lab start` wrote them: stunnel's defaults verify nothing.
  LabReport starters = check(ws, "", {"stunnel-server", "stunnel-client"});
  EXPECT_NE(result(starters, "stunnel-server").detail.find("without any certificate"), std::string::npos)
      << result(starters, "stunnel-server").detail;
  EXPECT_NE(result(starters, "stunnel-client").detail.find("read your login in the clear"), std::string::npos);
  EXPECT_NE(result(starters, "stunnel-client").hint.find("verifies nothing by default"), std::string::npos)
      << result(starters, "stunnel-client").hint;
  // The chain checked but not the name: only the attacker's own valid certificate gets through.
  std::string chainOnly = readFile(test::sourceDir() / "labs" / "exercises" / "solutions" / "stunnel-client.conf");
  chainOnly = chainOnly.substr(0, chainOnly.find("checkHost"));
  std::ofstream(ws.dir / "stunnel-client.conf", std::ios::trunc) << chainOnly;
  LabReport noName = check(ws, "", {"stunnel-client"});
  EXPECT_EQ(result(noName, "stunnel-client").verdict, Verdict::Fail);
  EXPECT_NE(result(noName, "stunnel-client").detail.find("attacker32.com"), std::string::npos);
  EXPECT_NE(result(noName, "stunnel-client").hint.find("checkHost = bank32.com"), std::string::npos);
  // A configuration stunnel cannot run is explained, not hung on.
  std::ofstream(ws.dir / "stunnel-server.conf", std::ios::trunc) << "[app]\naccept = 127.0.0.1:8444\n";
  LabReport broken = check(ws, "", {"stunnel-server"});
  EXPECT_NE(result(broken, "stunnel-server").detail.find("one `accept = ADDRESS:PORT` and one `connect"),
            std::string::npos)
      << result(broken, "stunnel-server").detail;
  fs::remove_all(ws.dir);
}

TEST(CourseLab14, TwoStudentsHaveTheirOwnCertificateAndCannotShareAnswers) {
  Workspace alice = test::startLabWorkspace(14, "alice");
  Workspace bob = test::startLabWorkspace(14, "bob");
  const std::string aliceKey = referenceAnswers(alice.info.variant());
  EXPECT_NE(aliceKey, referenceAnswers(bob.info.variant()));
  EXPECT_NE(readFile(alice.dir / "host.txt"), readFile(bob.dir / "host.txt"));
  LabReport copied = check(bob, aliceKey, {"wrapper_client_subject"});
  EXPECT_EQ(result(copied, "wrapper_client_subject").verdict, Verdict::Fail);
  fs::remove_all(alice.dir);
  fs::remove_all(bob.dir);
}
