// Lab 13 (STARTTLS): the answers about the student's own mail are read off
// their capture the way the tutorial does it (the cleartext before the
// handshake, the Subject decrypted with the keys inside the file); the
// answers about the attacks are judged against the strip and injection runs
// the check makes with the student's own mail and injected command.
#include <gtest/gtest.h>

#include <filesystem>

#include "CourseTestSupport.hpp"
#include "support/TestPaths.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/scenarios/course/LabValues.hpp"

using namespace tlslab;
using namespace tlslab::course;
namespace fs = std::filesystem;

namespace {

using Workspace = test::StartedWorkspace;

model::TraceConnection capturedConnection(const fs::path& dir) {
  keys::KeyStore none;
  auto trace = dissect::dissectFile(dir / "smtp-starttls.pcapng", none);
  EXPECT_TRUE(trace) << trace.error().message();
  if (!trace || trace.value().connections.size() != 1) {
    ADD_FAILURE() << "smtp-starttls.pcapng should hold one connection";
    return {};
  }
  return trace.value().connections[0];
}

// What the tutorial has a student read: the command words before the
// handshake, and the Subject line of the decrypted mail.
std::string capturedAnswers(const fs::path& dir) {
  const model::TraceConnection conn = capturedConnection(dir);
  const std::string cleartext(conn.preamble[0].begin(), conn.preamble[0].end());
  std::string commands;
  for (std::size_t at = 0; at < cleartext.size();) {
    const std::size_t end = cleartext.find("\r\n", at);
    if (end == std::string::npos) break;
    const std::string line = cleartext.substr(at, end - at);
    commands += (commands.empty() ? "" : ", ") + line.substr(0, line.find(' '));
    at = end + 2;
  }
  std::string inside;
  for (const auto& chunk : conn.appData)
    if (chunk.direction == model::Direction::ClientToServer) inside.append(chunk.data.begin(), chunk.data.end());
  const std::size_t subject = inside.find("Subject: ");
  EXPECT_NE(subject, std::string::npos) << inside;
  const std::size_t lineEnd = inside.find("\r\n", subject);
  return "cleartext_commands: " + commands + "\nmail_subject: " +
         (subject == std::string::npos ? "" : inside.substr(subject + 9, lineEnd - subject - 9)) + "\n";
}

// The reference answers of the questions a capture does not answer.
std::string referenceAnswers(const Variant& v) {
  std::string text;
  for (const auto& q : findLab(13)->questions)
    if (q.key != "cleartext_commands" && q.key != "mail_subject") text += std::string(q.key) + ": " + q.reference(v) + "\n";
  return text;
}

LabReport check(const Workspace& ws, const std::string& answersText, std::vector<std::string> only = {}) {
  Answers answers = parseAnswers(answersText);
  const Variant variant = ws.info.variant();
  CheckEnv env{&variant, &answers, ws.dir, test::sourceDir() / "certs", {}, {}};
  return checkLab(*findLab(13), env, only);
}

const CheckResult& result(const LabReport& report, const std::string& id) {
  for (const auto& r : report.results)
    if (r.id == id) return r;
  throw std::runtime_error("no check " + id);
}

bool says(const LabReport& report, const std::string& id, const std::string& text) {
  const CheckResult& r = result(report, id);
  EXPECT_EQ(r.verdict, Verdict::Fail) << id << ": " << r.detail;
  EXPECT_NE(r.detail.find(text), std::string::npos) << id << ": " << r.detail;
  return r.verdict == Verdict::Fail && r.detail.find(text) != std::string::npos;
}

}  // namespace

TEST(CourseLab13, TheCapturesAndTheReferenceAnswersPassEveryCheck) {
  Workspace ws = test::startLabWorkspace(13, "alice");
  const std::string answers = capturedAnswers(ws.dir) + referenceAnswers(ws.info.variant());
  EXPECT_NE(answers.find("cleartext_commands: EHLO, STARTTLS\n"), std::string::npos) << answers;
  LabReport report = check(ws, answers);
  EXPECT_TRUE(report.allPassed()) << answers;
  for (const auto& r : report.results) EXPECT_EQ(r.verdict, Verdict::Pass) << r.id << ": " << r.detail;
  // The strip check shows each victim's run: two fell back, two refused.
  const auto& evidence = result(report, "stripped_clients").evidence;
  ASSERT_EQ(evidence.size(), 4u);
  EXPECT_EQ(evidence[0].rfind("✗", 0), 0u) << evidence[0];
  EXPECT_EQ(evidence[1].rfind("✔", 0), 0u) << evidence[1];
  fs::remove_all(ws.dir);
}

TEST(CourseLab13, WrongAnswersFailWithTheirExplanation) {
  Workspace ws = test::startLabWorkspace(13, "dave");
  const std::string command = injectedCommand(ws.info.variant());
  LabReport report = check(ws,
                           "cleartext_commands: EHLO, STARTTLS, MAIL FROM\n"
                           "mail_subject: quarterly payroll\n"
                           "pop3_command: STARTTLS\n"
                           "stripped_clients: opportunistic, curl --ssl-reqd\n"
                           "curl_option: --ssl\n"
                           "injected_reply: 250-mail.bank32.com\n"
                           "discarded_bytes: " + std::to_string(command.size()) + "\n");
  EXPECT_EQ(report.passed(), 0);
  says(report, "cleartext_commands", "MAIL was sent inside TLS");
  says(report, "mail_subject", "the lab's example mail");
  says(report, "pop3_command", "SMTP's and IMAP's word");
  says(report, "stripped_clients", "curl-ssl-reqd refused to go on without STARTTLS");
  says(report, "curl_option", "only tries TLS");
  says(report, "injected_reply", "answers the client's own EHLO");
  says(report, "discarded_bytes", "the command ends with CR LF");
  // Other ways to be wrong, each with its own explanation.
  LabReport second = check(ws,
                           "cleartext_commands: STARTTLS\n"
                           "pop3_command: CAPA\n"
                           "stripped_clients: opportunistic\n"
                           "injected_reply: 220 2.0.0 Ready to start TLS\n"
                           "discarded_bytes: " + std::to_string(command.size() + 2 + 10) + "\n",
                           {"cleartext_commands", "pop3_command", "stripped_clients", "injected_reply", "discarded_bytes"});
  EXPECT_EQ(second.passed(), 0);
  says(second, "cleartext_commands", "how did it learn the server offers it");
  says(second, "pop3_command", "CAPA asks for the capabilities");
  says(second, "stripped_clients", "one that fell back is missing");
  says(second, "injected_reply", "220 is the go-ahead for STARTTLS");
  says(second, "discarded_bytes", "STARTTLS command itself was read");
  fs::remove_all(ws.dir);
}

TEST(CourseLab13, TwoStudentsCannotPassWithEachOthersAnswersOrCaptures) {
  Workspace erin = test::startLabWorkspace(13, "erin");
  Workspace frank = test::startLabWorkspace(13, "frank");
  const Variant erinV = erin.info.variant(), frankV = frank.info.variant();
  EXPECT_NE(mailSubject(erinV), mailSubject(frankV));
  EXPECT_NE(injectedCommand(erinV), injectedCommand(frankV));
  const std::string erinAnswers = capturedAnswers(erin.dir) + referenceAnswers(erinV);
  const std::vector<std::string> mine{"mail_subject", "discarded_bytes"};
  EXPECT_TRUE(check(erin, erinAnswers, mine).allPassed());
  LabReport copied = check(frank, erinAnswers, mine);
  EXPECT_TRUE(says(copied, "mail_subject", "not the Subject of the mail in your capture"));
  // The byte count differs only when the two commands' lengths do.
  if (injectedCommand(erinV).size() != injectedCommand(frankV).size()) {
    EXPECT_EQ(result(copied, "discarded_bytes").verdict, Verdict::Fail);
  }
  // Erin's capture in Frank's workspace does not carry Frank's mail.
  fs::copy_file(erin.dir / "smtp-starttls.pcapng", frank.dir / "smtp-starttls.pcapng", fs::copy_options::overwrite_existing);
  EXPECT_TRUE(says(check(frank, erinAnswers, {"mail_subject"}), "mail_subject", "not yours"));
  fs::remove_all(erin.dir);
  fs::remove_all(frank.dir);
}

TEST(CourseLab13, AMissingCaptureIsNamedNotCrashedOn) {
  Workspace ws = test::startLabWorkspace(13, "gina");
  fs::remove(ws.dir / "smtp-starttls.pcapng");
  LabReport report = check(ws, "cleartext_commands: EHLO, STARTTLS\n", {"cleartext_commands"});
  EXPECT_TRUE(says(report, "cleartext_commands", "smtp-starttls.pcapng is not in your workspace"));
  fs::remove_all(ws.dir);
}

TEST(CourseLab13, AnswersInAStudentsOwnWordsAreUnderstood) {
  Workspace ws = test::startLabWorkspace(13, "hank");
  LabReport report = check(ws,
                           "cleartext_commands: EHLO client.lab, then STARTTLS\n"
                           "pop3_command: the STLS command\n"
                           "stripped_clients: curl --ssl and tlslab's opportunistic client\n"
                           "curl_option: ssl-reqd\n"
                           "discarded_bytes: " + std::to_string(injectedCommand(ws.info.variant()).size() + 2) + " bytes\n",
                           {"cleartext_commands", "pop3_command", "stripped_clients", "curl_option", "discarded_bytes"});
  for (const auto& r : report.results) EXPECT_EQ(r.verdict, Verdict::Pass) << r.id << ": " << r.detail;
  fs::remove_all(ws.dir);
}
