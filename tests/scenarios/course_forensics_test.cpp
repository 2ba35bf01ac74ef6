// Challenge 20 (forensics): the answers a student reads off the seized
// capture with the key log and the server key pass; the tempting wrong ones
// fail with their explanation; each student's capture is their own.
#include <gtest/gtest.h>

#include <filesystem>

#include "CourseCaptureSupport.hpp"
#include "tlslab/scenarios/course/Workspace.hpp"

using namespace tlslab;
using namespace tlslab::course;
namespace fs = std::filesystem;

namespace {

using Workspace = test::StartedWorkspace;

model::Trace opened(const Workspace& ws) {
  keys::KeyStore store;
  EXPECT_TRUE(store.addKeyLogFile(ws.dir / "keys.log"));
  EXPECT_TRUE(store.addPrivateKeyFile(ws.dir / "server.key"));
  model::Trace trace = test::dissectedWith(ws.dir / "capture.pcapng", store);
  EXPECT_EQ(trace.connections.size(), 4u);
  return trace;
}

struct Found {
  std::string answers;
  std::size_t secretAt = 0, closedAt = 0;
  std::vector<std::string> hosts;
};

// `tlslab dissect capture.pcapng --keylog keys.log --rsa-key server.key`, read as a student reads it.
Found studentAnswers(const Workspace& ws) {
  const model::Trace trace = opened(ws);
  Found found;
  std::string secret, host, suite, why;
  std::size_t starttls = 99;
  for (const auto& c : trace.connections) {
    found.hosts.push_back(c.negotiated.sni);
    const std::string sent = test::clientText(c);
    if (auto at = sent.find("the vault code is "); at != std::string::npos) {
      secret = sent.substr(at, sent.find_first_of("\r\n", at) - at);
      host = c.negotiated.sni;
      suite = c.negotiated.suiteName;
      found.secretAt = c.index;
    }
    if (c.decryption.kind != model::Decryption::Kind::Decrypted) {
      found.closedAt = c.index;
      why = c.negotiated.suiteName.find("ECDHE") != std::string::npos ? "ECDHE: forward secrecy" : "DHE: forward secrecy";
    }
    if (!c.startTlsProtocol.empty()) starttls = c.index;
  }
  found.answers = "secret: " + secret + "\nserver_name: " + host + "\ncipher_suite: " + suite +
                  "\nundecryptable: " + std::to_string(found.closedAt) + "\nwhy: " + why +
                  "\nstarttls_connection: " + std::to_string(starttls) + "\n";
  return found;
}

}  // namespace

TEST(CourseForensics, StartsInItsOwnFolderAfterTheLabs) {
  EXPECT_EQ(defaultWorkspaceDir(20), fs::path("tlslab-forensics"));
  EXPECT_EQ(defaultWorkspaceDir(11), fs::path("tlslab-lab-11"));
  ASSERT_NE(findLab("forensics"), nullptr);
  EXPECT_EQ(findLab("forensics")->number, 20);
  EXPECT_TRUE(isChallenge(*findLab("forensics")));
  EXPECT_EQ(course::course().back(), findLab(20)) << "challenges come after the labs";
}

TEST(CourseForensics, AnswersReadOffTheCapturePassEveryCheck) {
  Workspace ws = test::startLabWorkspace(20, "alice");
  const Found found = studentAnswers(ws);
  LabReport report = test::checkAnswers(20, ws, found.answers);
  for (const auto& r : report.results) EXPECT_EQ(r.verdict, Verdict::Pass) << r.id << ": " << r.detail << "\n" << found.answers;
  fs::remove_all(ws.dir);
}

TEST(CourseForensics, TheCaptureAloneOpensNothingAndOnlyOneConnectionStaysClosed) {
  Workspace ws = test::startLabWorkspace(20, "grace");
  keys::KeyStore none;
  model::Trace bare = test::dissectedWith(ws.dir / "capture.pcapng", none);
  ASSERT_EQ(bare.connections.size(), 4u);
  for (const auto& c : bare.connections) EXPECT_TRUE(c.appData.empty()) << "connection " << c.index << " opened without keys";
  int closed = 0;
  for (const auto& c : opened(ws).connections) closed += c.decryption.kind != model::Decryption::Kind::Decrypted;
  EXPECT_EQ(closed, 1);
  fs::remove_all(ws.dir);
}

TEST(CourseForensics, WrongAnswersFailWithTheirExplanation) {
  Workspace ws = test::startLabWorkspace(20, "dave");
  const Found found = studentAnswers(ws);
  const std::string otherHost = found.hosts[(found.secretAt + 1) % 4] == found.hosts[found.secretAt]
                                    ? found.hosts[(found.secretAt + 2) % 4]
                                    : found.hosts[(found.secretAt + 1) % 4];
  const std::string wrong = "secret: GET / HTTP/1.1\nserver_name: " + otherHost + "\ncipher_suite: TLS_NULL\n" +
                            "undecryptable: " + std::to_string(found.closedAt + 1) +
                            "\nwhy: there is no key log for it\nstarttls_connection: -1\n";
  LabReport report = test::checkAnswers(20, ws, wrong);
  EXPECT_EQ(report.passed(), 0);
  EXPECT_NE(test::resultOf(report, "secret").detail.find("not a secret"), std::string::npos);
  EXPECT_NE(test::resultOf(report, "server_name").detail.find("the secret went to another server"), std::string::npos);
  EXPECT_NE(test::resultOf(report, "cipher_suite").detail.find("not a suite of your capture"), std::string::npos);
  EXPECT_NE(test::resultOf(report, "undecryptable").detail.find("from 0"), std::string::npos);
  EXPECT_NE(test::resultOf(report, "why").detail.find("server.key belongs to its server too"), std::string::npos);
  LabReport rsa = test::checkAnswers(20, ws, "why: RSA\n");
  EXPECT_NE(test::resultOf(rsa, "why").detail.find("what server.key can open"), std::string::npos);
  fs::remove_all(ws.dir);
}

TEST(CourseForensics, TwoStudentsCannotPassWithEachOthersAnswers) {
  Workspace erin = test::startLabWorkspace(20, "erin");
  Workspace frank = test::startLabWorkspace(20, "frank");
  const std::string erinAnswers = studentAnswers(erin).answers;
  EXPECT_NE(erinAnswers, studentAnswers(frank).answers);
  LabReport copied = test::checkAnswers(20, frank, erinAnswers);
  EXPECT_EQ(test::resultOf(copied, "secret").verdict, Verdict::Fail);
  EXPECT_EQ(test::resultOf(copied, "server_name").verdict, Verdict::Fail);
  fs::remove_all(erin.dir);
  fs::remove_all(frank.dir);
}
