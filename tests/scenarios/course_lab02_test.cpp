// Lab 2 (tampering): each answer is judged against a run of the tamper lab
// the check makes. The teacher's key (computed from the variant: the XOR of
// the student's byte) must agree with what those runs really deliver.
#include <gtest/gtest.h>

#include "support/TestPaths.hpp"
#include "tlslab/scenarios/course/Lab.hpp"

using namespace tlslab;
using namespace tlslab::course;

namespace {

LabReport check(const Variant& variant, const std::string& text) {
  Answers answers = parseAnswers(text);
  CheckEnv env{&variant, &answers, {}, test::sourceDir() / "certs", {}, {}};
  return checkLab(*findLab(2), env);
}

const CheckResult& result(const LabReport& report, const std::string& id) {
  for (const auto& r : report.results)
    if (r.id == id) return r;
  throw std::runtime_error("no check " + id);
}

std::string referenceAnswers(const Variant& v) {
  std::string text;
  for (const auto& q : findLab(2)->questions) text += std::string(q.key) + ": " + q.reference(v) + "\n";
  return text;
}

}  // namespace

TEST(CourseLab02, TheTeachersKeyAgreesWithWhatTheRunsDeliver) {
  for (const char* student : {"alice", "bob", "carol"}) {
    const Variant v = Variant::selfStudy(student, 2);
    LabReport report = check(v, referenceAnswers(v));
    for (const auto& r : report.results) EXPECT_EQ(r.verdict, Verdict::Pass) << student << " " << r.id << ": " << r.detail;
  }
}

TEST(CourseLab02, StudentsFlipDifferentBytes) {
  const Variant alice = Variant::selfStudy("alice", 2);
  const Variant bob = Variant::selfStudy("bob", 2);
  const Variant dave = Variant::selfStudy("dave", 2);
  const auto& q = findLab(2)->questions[0];
  EXPECT_TRUE(q.reference(alice) != q.reference(bob) || q.reference(alice) != q.reference(dave));
  // Copying another student's line fails unless the flips happen to coincide.
  if (q.reference(alice) != q.reference(bob)) {
    EXPECT_EQ(result(check(bob, "plain_received: " + q.reference(alice) + "\n"), "plain_received").verdict, Verdict::Fail);
  }
}

TEST(CourseLab02, WrongAnswersFailWithTheirExplanation) {
  const Variant v = Variant::selfStudy("erin", 2);
  LabReport report = check(v,
                           "plain_received: GET / HTTP/1.1\n"
                           "tls_alert: decrypt_error\n"
                           "cbc_alert: decryption_failed\n"
                           "duplicate_delivered: nothing\n"
                           "plain_drop_received: GET / HTTP/1.1\n");
  EXPECT_EQ(report.passed(), 0);
  EXPECT_NE(result(report, "plain_received").detail.find("that is what the client sent"), std::string::npos);
  EXPECT_NE(result(report, "tls_alert").detail.find("decrypt_error (51) is for a signature"), std::string::npos);
  EXPECT_NE(result(report, "cbc_alert").detail.find("RFC 5246 §7.2.2"), std::string::npos);
  EXPECT_NE(result(report, "duplicate_delivered").detail.find("something did reach"), std::string::npos);
  EXPECT_NE(result(report, "plain_drop_received").detail.find("the line the attacker dropped"), std::string::npos);
}

TEST(CourseLab02, AlertsAreRecognisedInTheFormsStudentsWrite) {
  const Variant v = Variant::selfStudy("frank", 2);
  for (const char* form : {"bad_record_mac", "Bad Record MAC", "fatal bad record mac", "20", "alert 20"}) {
    LabReport report = check(v, std::string("tls_alert: ") + form + "\n");
    EXPECT_EQ(result(report, "tls_alert").verdict, Verdict::Pass) << form << ": " << result(report, "tls_alert").detail;
  }
}
