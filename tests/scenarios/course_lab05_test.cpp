// Lab 5 (being a CA): a PKI made with the openssl commands of the tutorial
// passes every check; the classic mistakes fail with their explanation.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "CourseTestSupport.hpp"
#include "support/TestPaths.hpp"
#include "tlslab/scenarios/course/Workspace.hpp"

using namespace tlslab;
using namespace tlslab::course;
namespace fs = std::filesystem;

namespace {

struct Lab5 {
  fs::path dir;
  Variant variant = Variant::selfStudy("x", 5);
  std::string host;
};

Lab5 start(const std::string& student) {
  test::StartedWorkspace started = test::startLabWorkspace(5, student);
  Lab5 ws{started.dir, started.info.variant(), {}};
  std::ifstream host(ws.dir / "host.txt");
  std::getline(host, ws.host);
  return ws;
}

// The tutorial's commands; `rootExt`, `serverExt` and the last lines vary per mistake.
int makePki(const Lab5& ws, const std::string& rootExt, const std::string& serverExt, const std::string& finish) {
  const std::string script =
      "set -e; cd '" + ws.dir.string() + "'; HOST=$(cat host.txt)\n"
      "openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -keyout ca/root.key -out ca/root.crt "
      "-days 3650 -subj '/O=t/CN=t Root CA' " + rootExt + "\n"
      "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -keyout ca/intermediate.key "
      "-out ca/intermediate.csr -subj '/O=t/CN=t Issuing CA'\n"
      "printf 'basicConstraints=critical,CA:TRUE,pathlen:0\\nkeyUsage=critical,keyCertSign,cRLSign\\n' > ca/i.ext\n"
      "openssl x509 -req -in ca/intermediate.csr -CA ca/root.crt -CAkey ca/root.key -CAcreateserial -days 1825 "
      "-extfile ca/i.ext -out ca/intermediate.crt\n"
      "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -keyout server/server.key "
      "-out server/server.csr -subj \"/CN=$HOST\"\n"
      "printf \"" + serverExt + "\" > server/s.ext\n"
      "openssl x509 -req -in server/server.csr -CA ca/intermediate.crt -CAkey ca/intermediate.key -CAcreateserial "
      "-days 825 -extfile server/s.ext -out server/server.crt\n" + finish;
  return std::system(("bash -c '" + [&] {
                        std::string quoted;
                        for (char c : script) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
                        return quoted;
                      }() + "' >/dev/null 2>&1")
                         .c_str());
}

const std::string kGoodRoot = "-addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign'";
const std::string kGoodServer =
    "subjectAltName=DNS:$HOST\\nbasicConstraints=critical,CA:FALSE\\nkeyUsage=critical,digitalSignature\\n"
    "extendedKeyUsage=serverAuth\\n";
const std::string kGoodFinish =
    "cat server/server.crt ca/intermediate.crt > server/chain.pem\n"
    "cp ca/root.crt cert/$(openssl x509 -in ca/root.crt -noout -subject_hash).0\n";

LabReport check(const Lab5& ws, const std::string& answers = "") {
  Answers parsed = parseAnswers(answers);
  CheckEnv env{&ws.variant, &parsed, ws.dir, test::sourceDir() / "certs", {}, {}};
  return checkLab(*findLab(5), env);
}

const CheckResult& result(const LabReport& report, const std::string& id) {
  for (const auto& r : report.results)
    if (r.id == id) return r;
  throw std::runtime_error("no check " + id);
}

std::string referenceAnswers(const Lab5& ws) {
  std::string text;
  for (const auto& q : findLab(5)->questions) text += std::string(q.key) + ": " + q.reference(ws.variant) + "\n";
  return text;
}

}  // namespace

TEST(CourseLab05, ThePkiOfTheTutorialPassesEveryCheck) {
  Lab5 ws = start("alice5");
  ASSERT_EQ(makePki(ws, kGoodRoot, kGoodServer, kGoodFinish), 0);
  LabReport report = check(ws, referenceAnswers(ws));
  for (const auto& r : report.results) EXPECT_EQ(r.verdict, Verdict::Pass) << r.id << ": " << r.detail;
  fs::remove_all(ws.dir);
}

TEST(CourseLab05, ARootWithoutCaTrueIsNoCa) {
  Lab5 ws = start("bob5");
  ASSERT_EQ(makePki(ws, "-addext 'basicConstraints=critical,CA:FALSE'", kGoodServer, kGoodFinish), 0);
  LabReport report = check(ws);
  EXPECT_EQ(result(report, "root_ca").verdict, Verdict::Fail);
  EXPECT_NE(result(report, "root_ca").detail.find("CA:FALSE"), std::string::npos) << result(report, "root_ca").detail;
  EXPECT_EQ(result(report, "chain_file").verdict, Verdict::Fail);  // OpenSSL agrees: the chain breaks
  fs::remove_all(ws.dir);
}

TEST(CourseLab05, ANameOnlyInTheCnIsNotEnough) {
  Lab5 ws = start("carol5");
  ASSERT_EQ(makePki(ws, kGoodRoot, "basicConstraints=critical,CA:FALSE\\n", kGoodFinish), 0);
  LabReport report = check(ws);
  const auto& r = result(report, "server_certificate");
  EXPECT_EQ(r.verdict, Verdict::Fail);
  EXPECT_NE(r.detail.find("only in the CN"), std::string::npos) << r.detail;
  EXPECT_NE(r.hint.find("subjectAltName=DNS:" + ws.host), std::string::npos) << r.hint;
  EXPECT_EQ(result(report, "served").verdict, Verdict::Fail);
  fs::remove_all(ws.dir);
}

TEST(CourseLab05, AnotherStudentsHostNameFails) {
  Lab5 mine = start("dave5");
  Lab5 other = start("erin5");
  ASSERT_NE(mine.host, other.host);
  // dave copies erin's commands with erin's host name baked in.
  const std::string erinServer = "subjectAltName=DNS:" + other.host + "\\nbasicConstraints=critical,CA:FALSE\\n";
  ASSERT_EQ(makePki(mine, kGoodRoot, erinServer, kGoodFinish), 0);
  const LabReport report = check(mine);
  const auto& r = result(report, "server_certificate");
  EXPECT_EQ(r.verdict, Verdict::Fail);
  EXPECT_NE(r.detail.find("your host name is " + mine.host), std::string::npos) << r.detail;
  fs::remove_all(mine.dir);
  fs::remove_all(other.dir);
}

TEST(CourseLab05, LeafOnlyChainsAndMisnamedHashedFilesFail) {
  Lab5 ws = start("frank5");
  ASSERT_EQ(makePki(ws, kGoodRoot, kGoodServer, "cp server/server.crt server/chain.pem\ncp ca/root.crt cert/root.pem\n"), 0);
  LabReport report = check(ws);
  EXPECT_NE(result(report, "chain_file").detail.find("only one certificate"), std::string::npos);
  EXPECT_EQ(result(report, "hashed_dir").verdict, Verdict::Fail);
  EXPECT_NE(result(report, "hashed_dir").detail.find("it has root.pem"), std::string::npos) << result(report, "hashed_dir").detail;
  EXPECT_NE(result(report, "served").detail.find("refused your server"), std::string::npos);
  fs::remove_all(ws.dir);
}

TEST(CourseLab05, GalleryAnswersAreJudgedByErrorAndDepth) {
  Lab5 ws = start("grace5");
  Answers right = parseAnswers(referenceAnswers(ws));
  const std::string answer = right.find("gallery_1")->value;  // e.g. "INVALID_CA at depth 1"
  const std::string error = answer.substr(0, answer.find(' '));
  const int depth = answer.back() - '0';
  const std::string wrongDepth = error + " at depth " + std::to_string(depth + 1);
  const std::string other = right.find("gallery_2")->value;
  const std::string otherError = other.substr(0, other.find(' '));
  const int otherDepth = other.back() - '0';
  LabReport report = check(ws, "gallery_1: X509_V_ERR_" + error + " (depth " + std::to_string(depth) + ")\n" +
                                   "gallery_2: " + otherError + " at depth " + std::to_string(otherDepth + 1) + "\n" +
                                   "gallery_3: " + error + "\n");
  EXPECT_EQ(result(report, "gallery_1").verdict, Verdict::Pass) << result(report, "gallery_1").detail;
  EXPECT_EQ(result(report, "gallery_2").verdict, Verdict::Fail);
  EXPECT_NE(result(report, "gallery_2").detail.find("right error, wrong depth"), std::string::npos)
      << result(report, "gallery_2").detail;
  EXPECT_EQ(result(report, "gallery_3").verdict, Verdict::Fail);  // another entry's error
  EXPECT_NE(result(report, "gallery_3").detail.find("is not what a correct client reports"), std::string::npos)
      << result(report, "gallery_3").detail;
  LabReport lowercase = check(ws, "gallery_1: " + [&] {
    std::string lower = error;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower;
  }() + " @" + std::to_string(depth) + "\n");
  EXPECT_EQ(result(lowercase, "gallery_1").verdict, Verdict::Pass) << result(lowercase, "gallery_1").detail;
  LabReport noDepth = check(ws, "gallery_1: " + error + "\n");
  EXPECT_NE(result(noDepth, "gallery_1").detail.find("now say at which depth"), std::string::npos);
  LabReport nonsense = check(ws, "gallery_1: it was bad\n");
  EXPECT_NE(result(nonsense, "gallery_1").detail.find("write the error's name"), std::string::npos)
      << result(nonsense, "gallery_1").detail;
  fs::remove_all(ws.dir);
}
