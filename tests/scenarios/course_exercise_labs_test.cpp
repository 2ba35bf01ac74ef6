// Labs 4, 6 and 7 as a student meets them: the materials in the workspace,
// the questions judged by value with a hint for a wrong answer, answers that
// are each student's own, and every check of the lab passed by the reference
// solution with the reference answers.
#include <gtest/gtest.h>

#include <set>

#include "CourseFixtures.hpp"
#include "tlslab/pki/Pem.hpp"
#include "tlslab/pki/Summary.hpp"
#include "tlslab/scenarios/course/Lab.hpp"
#include "tlslab/scenarios/course/StudentPki.hpp"

using namespace tlslab;
using namespace tlslab::course;
namespace fs = std::filesystem;

namespace {

class CourseExerciseLabs : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tlslab-exercise-labs-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path materials(const LabDefinition& lab, const Variant& variant) {
    fs::path workspace = dir_ / ("lab" + std::to_string(lab.number) + "-" + variant.student());
    fs::create_directories(workspace);
    MaterialsEnv env{&variant, workspace, test::sourceDir() / "certs", {}};
    EXPECT_EQ(lab.materials(env), "");
    return workspace;
  }

  // The reference answers of every question, for one student.
  static Answers referenceAnswers(const LabDefinition& lab, const Variant& variant) {
    std::string text;
    for (const auto& q : lab.questions) text += std::string(q.key) + ": " + q.reference(variant) + "\n";
    return parseAnswers(text);
  }

  static CheckResult judge(const LabDefinition& lab, const Variant& variant, const std::string& key,
                           const std::string& answer) {
    Answers answers = parseAnswers(key + ": " + answer + "\n");
    CheckEnv env{&variant, &answers, {}, test::sourceDir() / "certs", {}, {}};
    std::string only[] = {key};
    LabReport report = checkLab(lab, env, only);
    EXPECT_EQ(report.results.size(), 1u) << key;
    return report.results.empty() ? CheckResult{} : report.results.front();
  }

  fs::path dir_;
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string failures(const LabReport& report) {
  std::string text;
  for (const auto& r : report.results)
    if (r.verdict != Verdict::Pass) text += r.id + ": " + verdictName(r.verdict) + " — " + r.detail + "\n";
  return text;
}

}  // namespace

TEST_F(CourseExerciseLabs, LabsAreInTheCourseWithGradedHints) {
  for (int number : {4, 6, 7}) {
    const LabDefinition* lab = findLab(number);
    ASSERT_NE(lab, nullptr) << number;
    EXPECT_GE(lab->hints.size(), 3u);
    EXPECT_LE(lab->hints.size(), 5u);
    EXPECT_EQ(lab->exercises.size(), 1u);
    EXPECT_FALSE(lab->goal.empty());
    EXPECT_TRUE(fs::exists(test::exercisesDir() / std::string(lab->exercises.front().source)));
  }
  EXPECT_EQ(findLab("first-client"), findLab(4));
  EXPECT_EQ(findLab("host-check"), findLab(6));
  EXPECT_EQ(findLab("server"), findLab(7));
}

TEST_F(CourseExerciseLabs, ClientLabsPutTheLabRootUnderItsHashedNameAsAPlainFile) {
  Variant alice = Variant::selfStudy("alice", 4);
  fs::path workspace = materials(*findLab(4), alice);
  fs::path root = workspace / "cert" / "dd6530d0.0";
  ASSERT_TRUE(fs::exists(root));
  EXPECT_FALSE(fs::is_symlink(root));
  EXPECT_EQ(test::readText(root), test::readText(test::sourceDir() / "certs" / "root-ca" / "cert.pem"));
  EXPECT_TRUE(fs::is_regular_file(workspace / "cert" / "57dbb8a5.r0"));
  EXPECT_FALSE(fs::is_symlink(workspace / "cert" / "57dbb8a5.r0"));
}

TEST_F(CourseExerciseLabs, ServerLabGivesEachStudentTheirOwnServerAndStudent01) {
  const LabDefinition& lab = *findLab(7);
  Variant alice = Variant::selfStudy("alice", 7), bob = Variant::selfStudy("bob", 7);
  fs::path workspace = materials(lab, alice);
  auto summary = pki::summarizeCertificateFile(workspace / "server" / "chain.pem");
  ASSERT_TRUE(summary) << summary.error();
  EXPECT_EQ(summary->dnsNames, std::vector<std::string>{studentHost(alice)});
  EXPECT_EQ(summary->issuerCommonName, "tlslab Issuing CA");
  auto chain = pki::readCertificates(workspace / "server" / "chain.pem");
  ASSERT_TRUE(chain);
  EXPECT_EQ(chain->size(), 2u);
  EXPECT_TRUE(pki::readPrivateKey(workspace / "server" / "key.pem"));
  for (const char* file : {"server/client-ca.pem", "client/student01-chain.pem", "client/student01-key.pem", "client/root-ca.pem"})
    EXPECT_TRUE(fs::is_regular_file(workspace / file)) << file;
  EXPECT_NE(studentHost(alice), studentHost(bob));
  bool mentioned = false;
  for (const auto& line : lab.personal(alice)) mentioned |= has(line, studentHost(alice));
  EXPECT_TRUE(mentioned);
}

TEST_F(CourseExerciseLabs, ReferenceAnswersPassAndAreEachStudentsOwn) {
  for (int number : {4, 6, 7}) {
    const LabDefinition& lab = *findLab(number);
    Variant alice = Variant::selfStudy("alice", number);
    for (const auto& q : lab.questions) {
      CheckResult right = judge(lab, alice, std::string(q.key), q.reference(alice));
      EXPECT_EQ(right.verdict, Verdict::Pass) << "lab " << number << " " << q.key << ": " << right.detail;
    }
  }
  // Per student: bob's page token, relayed token and host name do not pass for alice.
  Variant alice4 = Variant::selfStudy("alice", 4), bob4 = Variant::selfStudy("bob", 4);
  std::string bobToken = findLab(4)->questions.front().reference(bob4);
  EXPECT_NE(bobToken, findLab(4)->questions.front().reference(alice4));
  EXPECT_EQ(judge(*findLab(4), alice4, "page_token", bobToken).verdict, Verdict::Fail);
  Variant alice6 = Variant::selfStudy("alice", 6), bob6 = Variant::selfStudy("bob", 6);
  for (const auto& q : findLab(6)->questions) {
    if (q.key == "relayed_token") {
      EXPECT_EQ(judge(*findLab(6), alice6, "relayed_token", q.reference(bob6)).verdict, Verdict::Fail);
    }
  }
  Variant alice7 = Variant::selfStudy("alice", 7), bob7 = Variant::selfStudy("bob", 7);
  EXPECT_EQ(judge(*findLab(7), alice7, "server_name", studentHost(bob7)).verdict, Verdict::Fail);
}

TEST_F(CourseExerciseLabs, WrongAnswersAreExplainedWithAHint) {
  const LabDefinition& lab4 = *findLab(4);
  Variant alice = Variant::selfStudy("alice", 4);
  CheckResult sni = judge(lab4, alice, "host_check_call", "SSL_set_tlsext_host_name()");
  EXPECT_EQ(sni.verdict, Verdict::Fail);
  EXPECT_TRUE(has(sni.detail, "sends the name to the server (SNI)")) << sni.detail;
  EXPECT_FALSE(sni.hint.empty());
  EXPECT_EQ(judge(lab4, alice, "host_check_call", "SSL_set1_host").verdict, Verdict::Pass);

  // Verify errors by name, short name, OpenSSL's text or number; a real but wrong error is named.
  for (const char* right : {"X509_V_ERR_CERT_HAS_EXPIRED", "CERT_HAS_EXPIRED", "certificate has expired", "10",
                            "verify error:num=10:certificate has expired"})
    EXPECT_EQ(judge(lab4, alice, "expired_error", right).verdict, Verdict::Pass) << right;
  CheckResult notYet = judge(lab4, alice, "expired_error", "X509_V_ERR_CERT_NOT_YET_VALID");
  EXPECT_EQ(notYet.verdict, Verdict::Fail);
  EXPECT_TRUE(has(notYet.detail, "is an error OpenSSL reports, but not for the gallery's expired certificate"));
  EXPECT_TRUE(has(notYet.hint, "tlslab lab try 4 --against expired"));
  CheckResult depth = judge(lab4, alice, "expired_depth", "2");
  EXPECT_EQ(depth.verdict, Verdict::Fail);
  EXPECT_TRUE(has(depth.hint, "depth counts from the server's own certificate (0)"));

  const LabDefinition& lab6 = *findLab(6);
  Variant alice6 = Variant::selfStudy("alice", 6);
  CheckResult direct = judge(lab6, alice6, "relayed_token", findLab(4)->questions.front().reference(Variant::selfStudy("alice", 6)));
  EXPECT_EQ(direct.verdict, Verdict::Fail);
  EXPECT_TRUE(has(direct.detail, "the token of the page you get from bank32.com directly")) << direct.detail;
  EXPECT_EQ(judge(lab6, alice6, "accepted_name", "bank32.com").verdict, Verdict::Fail);
  EXPECT_EQ(judge(lab6, alice6, "accepted_name", "CN=attacker32.com").verdict, Verdict::Pass);

  const LabDefinition& lab7 = *findLab(7);
  Variant alice7 = Variant::selfStudy("alice", 7);
  CheckResult three = judge(lab7, alice7, "chain_certificates", "3");
  EXPECT_EQ(three.verdict, Verdict::Fail);
  EXPECT_TRUE(has(three.detail, "the root is not sent"));
  CheckResult alert = judge(lab7, alice7, "no_certificate_alert", "handshake_failure");
  EXPECT_EQ(alert.verdict, Verdict::Fail);
  EXPECT_TRUE(has(alert.detail, "TLS 1.2"));
}

TEST_F(CourseExerciseLabs, SecondAttackerCertificateDiffersBetweenStudents) {
  // Over a few students, lab 6's second attack (and so its answers) is not one and the same.
  std::set<std::string> errors;
  for (const char* student : {"alice", "bob", "carol", "dave", "erin", "frank"}) {
    Variant v = Variant::selfStudy(student, 6);
    for (const auto& q : findLab(6)->questions)
      if (q.key == "second_error") errors.insert(q.reference(v));
  }
  EXPECT_GE(errors.size(), 2u);
  // The question names the student's own second certificate.
  Variant alice = Variant::selfStudy("alice", 6);
  for (const auto& q : findLab(6)->questions) {
    if (q.key == "second_error") {
      EXPECT_TRUE(has(promptFor(q, alice), "bank32.com signed by the attacker32.com leaf")) << promptFor(q, alice);
    }
  }
}

TEST_F(CourseExerciseLabs, ReferenceSolutionsPassEveryCheckOfTheirLab) {
  test::ProgramShelf shelf("tlslab-exercise-labs-programs");
  fs::path client = shelf.build("tls_client", test::readText(test::exercisesDir() / "solutions" / "tls_client.c"));
  fs::path server = shelf.build("tls_server", test::readText(test::exercisesDir() / "solutions" / "tls_server.c"));
  ASSERT_FALSE(client.empty());
  ASSERT_FALSE(server.empty());
  for (auto [number, program] : {std::pair{4, client}, std::pair{6, client}, std::pair{7, server}}) {
    const LabDefinition& lab = *findLab(number);
    Variant alice = Variant::selfStudy("alice", number);
    fs::path workspace = materials(lab, alice);
    Answers answers = referenceAnswers(lab, alice);
    CheckEnv env{&alice, &answers, workspace, test::sourceDir() / "certs", program, {}};
    LabReport report = checkLab(lab, env);
    EXPECT_TRUE(report.allPassed()) << "lab " << number << ":\n" << failures(report);
    EXPECT_EQ(report.results.size(), lab.checks.size());
  }
}

TEST_F(CourseExerciseLabs, Lab6PassesOnlyAClientThatRejectsTheAttacker) {
  test::ProgramShelf shelf("tlslab-exercise-labs-lab6");
  std::string source = test::readText(test::textbookDir() / "tlsclient.c");
  fs::path unsafe = shelf.build("tls_client", test::edited(source, "X509_VERIFY_PARAM_set1_host(vpm, hostname, 0);", ""));
  ASSERT_FALSE(unsafe.empty());
  const LabDefinition& lab = *findLab(6);
  Variant alice = Variant::selfStudy("alice", 6);
  fs::path workspace = materials(lab, alice);
  Answers none;
  CheckEnv env{&alice, &none, workspace, test::sourceDir() / "certs", unsafe, {}};
  std::string only[] = {"client-attacker"};
  LabReport report = checkLab(lab, env, only);
  ASSERT_EQ(report.results.size(), 1u);
  EXPECT_EQ(report.results[0].verdict, Verdict::Fail);
  EXPECT_TRUE(has(report.results[0].detail, "nothing compares the host name")) << report.results[0].detail;
  // The page it printed carried the token only the attacker's run shows: the answer of relayed_token.
  for (const auto& q : lab.questions) {
    if (q.key == "relayed_token") {
      EXPECT_TRUE(has(report.results[0].detail, q.reference(alice))) << report.results[0].detail;
    }
  }
}

TEST_F(CourseExerciseLabs, ClientCheckOutsideAWorkspaceGetsATemporaryCertFolder) {
  test::ProgramShelf shelf("tlslab-exercise-labs-noworkspace");
  fs::path client = shelf.build("tls_client", test::readText(test::exercisesDir() / "solutions" / "tls_client.c"));
  const LabDefinition& lab = *findLab(4);
  Variant alice = Variant::selfStudy("alice", 4);
  Answers none;
  CheckEnv env{&alice, &none, dir_, test::sourceDir() / "certs", client, {}};  // dir_ has no cert/ and is no workspace
  std::string only[] = {"client-page"};
  LabReport report = checkLab(lab, env, only);
  ASSERT_EQ(report.results.size(), 1u);
  EXPECT_EQ(report.results[0].verdict, Verdict::Pass) << report.results[0].detail;
  EXPECT_FALSE(fs::exists(dir_ / "cert"));
}
