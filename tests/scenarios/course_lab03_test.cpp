// Lab 3's checks: the right answers pass, and each kind of wrong answer fails
// with the explanation that fits it. Every check runs the attack (and, for
// the real-clients question, the real clients) live on this machine.
#include <gtest/gtest.h>

#include "support/TestPaths.hpp"
#include "tlslab/scenarios/course/Lab.hpp"

using namespace tlslab::course;

namespace {

const Variant& alice() {
  static const Variant v = Variant::selfStudy("alice", 3);
  return v;
}

// Runs the one check `id` on an answers file holding `answersText`.
CheckResult check(const std::string& id, const std::string& answersText) {
  const LabDefinition* lab = findLab(3);
  EXPECT_NE(lab, nullptr);
  Answers answers = parseAnswers(answersText);
  CheckEnv env;
  env.variant = &alice();
  env.answers = &answers;
  env.certsDir = tlslab::test::sourceDir() / "certs";
  const std::string only[] = {id};
  LabReport report = checkLab(*lab, env, only);
  EXPECT_EQ(report.results.size(), 1u);
  return report.results.empty() ? CheckResult{} : report.results.front();
}

bool says(const CheckResult& r, const std::string& part) { return (r.detail + " | " + r.hint).find(part) != std::string::npos; }

std::string show(const CheckResult& r) { return std::string(verdictName(r.verdict)) + ": " + r.detail + " | hint: " + r.hint; }

}  // namespace

TEST(Lab03, IsInTheCourseWithItsQuestionsAndChecks) {
  const LabDefinition* lab = findLab("mitm");
  ASSERT_NE(lab, nullptr);
  EXPECT_EQ(lab->number, 3);
  EXPECT_EQ(lab->title, "Posing: man in the middle");
  EXPECT_EQ(lab->checks.size(), 6u);
  EXPECT_GE(lab->hints.size(), 3u);
  for (const auto& spec : lab->checks) {
    bool asked = false;
    for (const auto& q : lab->questions) asked |= q.key == spec.question;
    EXPECT_TRUE(asked) << spec.id << " judges a question the answers file asks";
  }
}

TEST(Lab03, TheStudentsOwnPasswordPasses) {
  const std::string password = alice().password();
  auto r = check("password", "password: " + password + "\n");
  EXPECT_EQ(r.verdict, Verdict::Pass) << show(r);
  EXPECT_EQ(check("password", "password: password=" + password + "\n").verdict, Verdict::Pass);
}

TEST(Lab03, WrongPasswordsAreExplained) {
  std::string upper = alice().password();
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto caseWrong = check("password", "password: " + upper + "\n");
  EXPECT_EQ(caseWrong.verdict, Verdict::Fail);
  EXPECT_TRUE(says(caseWrong, "case-sensitive")) << show(caseWrong);
  auto defaultRun = check("password", "password: hunter2\n");
  EXPECT_EQ(defaultRun.verdict, Verdict::Fail);
  EXPECT_TRUE(says(defaultRun, "--student alice")) << show(defaultRun);
  auto wholeBody = check("password", "password: user=alice&password=" + alice().password() + "\n");
  EXPECT_EQ(wholeBody.verdict, Verdict::Fail);
  EXPECT_TRUE(says(wholeBody, "whole form body")) << show(wholeBody);
  auto bob = check("password", "password: " + Variant::selfStudy("bob", 3).password() + "\n");
  EXPECT_EQ(bob.verdict, Verdict::Fail) << "another student's password is not alice's";
}

TEST(Lab03, AttackerOwnBeatsTheChainOnlyVictimAndOthersAreShownStopping) {
  auto right = check("chain_only_strategy", "chain_only_strategy: attacker-own\n");
  EXPECT_EQ(right.verdict, Verdict::Pass) << show(right);
  EXPECT_TRUE(says(right, alice().password())) << "the live run stole this student's password: " << show(right);
  auto rogue = check("chain_only_strategy", "chain_only_strategy: rogue-ca\n");
  EXPECT_EQ(rogue.verdict, Verdict::Fail);
  EXPECT_TRUE(says(rogue, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY at depth 0")) << show(rogue);
  auto two = check("chain_only_strategy", "chain_only_strategy: attacker-own or forged\n");
  EXPECT_EQ(two.verdict, Verdict::Fail);
  EXPECT_TRUE(says(two, "name one strategy")) << show(two);
  auto none = check("chain_only_strategy", "chain_only_strategy: a fake one\n");
  EXPECT_EQ(none.verdict, Verdict::Fail);
  EXPECT_TRUE(says(none, "names no attacker certificate")) << show(none);
}

TEST(Lab03, TheCorrectVictimsErrorAndDepthPassInEveryUsualSpelling) {
  for (const char* answer : {"HOSTNAME_MISMATCH at depth 0", "X509_V_ERR_HOSTNAME_MISMATCH @0", "hostname mismatch, depth 0",
                             "verify error:num=62:hostname mismatch at depth 0"}) {
    auto r = check("attacker_own_error", std::string("attacker_own_error: ") + answer + "\n");
    EXPECT_EQ(r.verdict, Verdict::Pass) << answer << ": " << show(r);
  }
  auto rogue = check("rogue_ca_error", "rogue_ca_error: UNABLE_TO_GET_ISSUER_CERT_LOCALLY at depth 0\n");
  EXPECT_EQ(rogue.verdict, Verdict::Pass) << show(rogue);
}

TEST(Lab03, WrongErrorsAreExplained) {
  auto noDepth = check("attacker_own_error", "attacker_own_error: HOSTNAME_MISMATCH\n");
  EXPECT_EQ(noDepth.verdict, Verdict::Fail);
  EXPECT_TRUE(says(noDepth, "at which depth")) << show(noDepth);
  auto wrongDepth = check("attacker_own_error", "attacker_own_error: HOSTNAME_MISMATCH at depth 2\n");
  EXPECT_EQ(wrongDepth.verdict, Verdict::Fail);
  EXPECT_TRUE(says(wrongDepth, "found it at depth 0, not 2")) << show(wrongDepth);
  auto swapped = check("attacker_own_error", "attacker_own_error: UNABLE_TO_GET_ISSUER_CERT_LOCALLY at depth 0\n");
  EXPECT_EQ(swapped.verdict, Verdict::Fail);
  EXPECT_TRUE(says(swapped, "is what stops rogue-ca")) << show(swapped);
  EXPECT_TRUE(says(swapped, "chain is valid")) << show(swapped);
  auto nameForRogue = check("rogue_ca_error", "rogue_ca_error: HOSTNAME_MISMATCH at depth 0\n");
  EXPECT_EQ(nameForRogue.verdict, Verdict::Fail);
  EXPECT_TRUE(says(nameForRogue, "is what stops attacker-own")) << show(nameForRogue);
}

TEST(Lab03, TheMissingCallIsSetOneHost) {
  for (const char* answer : {"SSL_set1_host", "SSL_set1_host(ssl, \"bank32.com\")", "X509_VERIFY_PARAM_set1_host"})
    EXPECT_EQ(check("missing_call", std::string("missing_call: ") + answer + "\n").verdict, Verdict::Pass) << answer;
  auto sni = check("missing_call", "missing_call: SSL_set_tlsext_host_name\n");
  EXPECT_EQ(sni.verdict, Verdict::Fail);
  EXPECT_TRUE(says(sni, "SNI")) << show(sni);
  auto verify = check("missing_call", "missing_call: SSL_CTX_set_verify\n");
  EXPECT_EQ(verify.verdict, Verdict::Fail);
  EXPECT_TRUE(says(verify, "already calls it")) << show(verify);
  auto result = check("missing_call", "missing_call: SSL_get_verify_result()\n");
  EXPECT_EQ(result.verdict, Verdict::Fail);
  EXPECT_TRUE(says(result, "only reads the verdict")) << show(result);
}

// Judged against a live run of this machine's clients (Debian's curl -k and
// s_client's defaults send it; the others check the host name).
TEST(Lab03, TheRealClientsThatSentThePasswordAreJudgedByALiveRun) {
  auto right = check("real_clients_sent", "real_clients_sent: openssl s_client and curl -k\n");
  if (right.verdict == Verdict::Skipped) GTEST_SKIP() << right.detail;
  EXPECT_EQ(right.verdict, Verdict::Pass) << show(right);
  EXPECT_FALSE(right.evidence.empty());
  auto extra = check("real_clients_sent", "real_clients_sent: curl -k, openssl s_client, curl\n");
  EXPECT_EQ(extra.verdict, Verdict::Fail);
  EXPECT_TRUE(says(extra, "curl refused the attacker; it said: curl: (60)")) << show(extra);
  auto missed = check("real_clients_sent", "real_clients_sent: curl -k\n");
  EXPECT_EQ(missed.verdict, Verdict::Fail);
  EXPECT_TRUE(says(missed, "openssl s_client also sent the password")) << show(missed);
  auto unknown = check("real_clients_sent", "real_clients_sent: curl -k, firefox\n");
  EXPECT_EQ(unknown.verdict, Verdict::Fail);
  EXPECT_TRUE(says(unknown, "'firefox' is not one of the lab's real clients")) << show(unknown);
}

TEST(Lab03, AnUnansweredQuestionIsMissingNotFailed) {
  EXPECT_EQ(check("missing_call", "password: x\n").verdict, Verdict::Missing);
}
