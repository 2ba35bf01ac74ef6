// Lab 1 (eavesdropping) checked the way a student works: the answers are
// read off the workspace's own captures with the dissector, then judged.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "CourseTestSupport.hpp"
#include "support/TestPaths.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/scenarios/course/Workspace.hpp"

using namespace tlslab;
using namespace tlslab::course;
namespace fs = std::filesystem;

namespace {

using Workspace = test::StartedWorkspace;

Workspace start(const std::string& student) { return test::startLabWorkspace(1, student); }

model::Trace dissected(const fs::path& file) {
  keys::KeyStore none;
  auto trace = dissect::dissectFile(file, none);
  EXPECT_TRUE(trace) << trace.error().message();
  return trace ? trace.value() : model::Trace{};
}

// What a student finds: the password in the cleartext, the rest in the TLS capture.
std::string studentAnswers(const fs::path& dir) {
  model::Trace plain = dissected(dir / "plain-login.pcapng");
  model::Trace tls = dissected(dir / "tls-login.pcapng");
  EXPECT_EQ(plain.connections.size(), 1u);
  EXPECT_EQ(tls.connections.size(), 1u);
  if (plain.connections.empty() || tls.connections.empty()) return {};
  const Bytes& sent = plain.connections[0].preamble[0];
  const std::string request(sent.begin(), sent.end());
  std::smatch m;
  EXPECT_TRUE(std::regex_search(request, m, std::regex("password=([^&\\s]+)")));
  const std::string password = m[1];
  const auto& conn = tls.connections[0];
  // The client's encrypted records: Finished first, then the request.
  std::vector<std::size_t> lengths;
  for (const auto& r : conn.records)
    if (r.direction == model::Direction::ClientToServer && r.contentType == 23) lengths.push_back(r.wire.size() - 5);
  EXPECT_GE(lengths.size(), 2u);
  const std::size_t record = lengths.size() >= 2 ? lengths[1] : 0;
  const std::size_t passwordLength = record - 17 - (request.size() - password.size());
  return "password: " + password + "\nserver_name: " + conn.negotiated.sni + "\ncipher_suite: " +
         conn.negotiated.suiteName + "\nlogin_record_length: " + std::to_string(record) +
         "\npassword_length: " + std::to_string(passwordLength) + "\n";
}

LabReport check(const Workspace& ws, const std::string& answersText) {
  Answers answers = parseAnswers(answersText);
  const Variant variant = ws.info.variant();
  CheckEnv env{&variant, &answers, ws.dir, test::sourceDir() / "certs", {}, {}};
  return checkLab(*findLab(1), env);
}

const CheckResult& result(const LabReport& report, const std::string& id) {
  for (const auto& r : report.results)
    if (r.id == id) return r;
  throw std::runtime_error("no check " + id);
}

}  // namespace

TEST(CourseLab01, AnswersReadOffTheCapturesPassEveryCheck) {
  Workspace ws = start("alice");
  const std::string answers = studentAnswers(ws.dir);
  LabReport report = check(ws, answers);
  EXPECT_TRUE(report.allPassed()) << answers;
  for (const auto& r : report.results) EXPECT_EQ(r.verdict, Verdict::Pass) << r.id << ": " << r.detail;
  fs::remove_all(ws.dir);
}

TEST(CourseLab01, WrongAnswersFailWithTheirExplanation) {
  Workspace ws = start("dave");
  const std::string right = studentAnswers(ws.dir);
  Answers good = parseAnswers(right);
  const std::size_t record = std::stoul(good.find("login_record_length")->value);
  std::string wrong = "password: dave\nserver_name: bank32.com\ncipher_suite: TLS_AES_256_GCM_SHA384\n"
                      "login_record_length: " + std::to_string(record - 17) + "\npassword_length: 3\n";
  LabReport report = check(ws, wrong);
  EXPECT_EQ(report.passed(), good.find("cipher_suite")->value == "TLS_AES_256_GCM_SHA384" ? 1 : 0);
  EXPECT_NE(result(report, "password").detail.find("that is the user name"), std::string::npos);
  EXPECT_NE(result(report, "server_name").detail.find("not the name in your capture"), std::string::npos);
  EXPECT_NE(result(report, "login_record_length").detail.find("length of the login itself"), std::string::npos);
  EXPECT_NE(result(report, "login_record_length").hint.find("16 bytes"), std::string::npos);
  LabReport header = check(ws, "login_record_length: " + std::to_string(record + 5) + "\n");
  EXPECT_NE(result(header, "login_record_length").detail.find("5-byte record header"), std::string::npos);
  LabReport notNumber = check(ws, "login_record_length: about two hundred\n");
  EXPECT_NE(result(notNumber, "login_record_length").detail.find("not a number"), std::string::npos);
  LabReport missing = check(ws, "");
  EXPECT_EQ(result(missing, "password").verdict, Verdict::Missing);
  fs::remove_all(ws.dir);
}

TEST(CourseLab01, TwoStudentsCannotPassWithEachOthersAnswers) {
  Workspace erin = start("erin");
  Workspace frank = start("frank");
  const std::string erinAnswers = studentAnswers(erin.dir);
  const std::string frankAnswers = studentAnswers(frank.dir);
  EXPECT_NE(erinAnswers, frankAnswers);
  EXPECT_TRUE(check(erin, erinAnswers).allPassed());
  LabReport copied = check(frank, erinAnswers);
  EXPECT_FALSE(copied.allPassed());
  EXPECT_EQ(result(copied, "password").verdict, Verdict::Fail);
  EXPECT_EQ(result(copied, "server_name").verdict, Verdict::Fail);
  fs::remove_all(erin.dir);
  fs::remove_all(frank.dir);
}

TEST(CourseLab01, TheTlsCaptureHoldsNoKeysAndNoPassword) {
  Workspace ws = start("grace");
  model::Trace tls = dissected(ws.dir / "tls-login.pcapng");
  ASSERT_EQ(tls.connections.size(), 1u);
  EXPECT_TRUE(tls.connections[0].appData.empty());
  // An eavesdropper's capture must not carry the keys: the schedule is there, every secret not derivable.
  for (const auto& step : tls.connections[0].derivation) {
    EXPECT_EQ(step.status, model::StepStatus::NotDerivable) << step.name;
    EXPECT_TRUE(step.output.empty()) << step.name;
  }
  std::ifstream in(ws.dir / "tls-login.pcapng", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(bytes.find(ws.info.variant().password()), std::string::npos);
  fs::remove_all(ws.dir);
}
