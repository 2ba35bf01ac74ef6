// Lab 15 (TLS 1.3 inside QUIC): the student's own ngtcp2 run, captured by
// tlslab, is the only material; the checker reads every answer off it. The
// right answers here are taken the way the tutorial has a student take them:
// the DCID off the first client packet, the keys from RFC 9001's derivation,
// the count of short-header packets, the token off the decrypted page.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "CourseCaptureSupport.hpp"
#include "support/TestPaths.hpp"
#include "tlslab/crypto/Quic.hpp"
#include "tlslab/scenarios/QuicLab.hpp"
#include "tlslab/scenarios/course/LabValues.hpp"

using namespace tlslab;
using namespace tlslab::course;
namespace fs = std::filesystem;

namespace {

using Workspace = test::StartedWorkspace;

std::string whyNot() {
  if (auto missing = scenarios::quicLabPrerequisites(); !missing.empty()) return missing;
  if (::geteuid() != 0) return "capturing on lo needs root";
  return {};
}

// The student's run, `tlslab lab run quic -o quic` in the workspace.
scenarios::QuicLabRun runInto(const Workspace& ws, const Variant& as) {
  scenarios::QuicLabOptions options;
  options.certsDir = test::sourceDir() / "certs";
  options.serverName = quicServerName(as);
  options.page = quicPage(as);
  scenarios::QuicLabRun run = scenarios::runQuicLab(options);
  EXPECT_TRUE(run.ok()) << run.setupError << run.clientResult << run.clientOutput;
  EXPECT_EQ(scenarios::saveQuicRun(run, ws.dir / "quic"), "");
  return run;
}

struct Right {
  std::string dcid, key, hp, oneRtt, token;
  std::string answers(const Variant& v) const {
    return "initial_dcid: " + dcid + "\nserver_name: " + quicServerName(v) + "\nalpn: h3\nclient_initial_key: " + key +
           "\nclient_hp_key: " + hp + "\none_rtt_packets: " + oneRtt + "\npage_token: " + token + "\n";
  }
};

Right rightAnswers(const scenarios::QuicLabRun& run, const Variant& v) {
  Right r;
  const model::TraceConnection* conn = run.connection();
  if (conn == nullptr) return r;
  const auto& first = conn->quic->packets.at(0);
  EXPECT_EQ(first.direction, model::Direction::ClientToServer);
  EXPECT_EQ(first.type, "Initial");
  r.dcid = toHex(first.dcid);
  auto keys = crypto::quic::deriveInitialKeys(crypto::quic::kVersion1, first.dcid);
  EXPECT_TRUE(keys);
  r.key = toHex(keys->client.key);
  r.hp = toHex(keys->client.hp);
  std::size_t shortHeaders = 0;
  for (const auto& p : conn->quic->packets) shortHeaders += p.type == "1-RTT";
  r.oneRtt = std::to_string(shortHeaders);
  r.token = quicPageToken(v);
  return r;
}

LabReport check(const Workspace& ws, const std::string& answersText, const std::vector<std::string>& only = {}) {
  return test::checkAnswers(15, ws, answersText, only);
}

const CheckResult& result(const LabReport& report, const std::string& id) { return test::resultOf(report, id); }

bool says(const LabReport& report, const std::string& id, const std::string& text) {
  return test::failsSaying(report, id, text);
}

}  // namespace

TEST(CourseLab15, IsInTheCourseAfterLab14) {
  const LabDefinition* lab = findLab("quic");
  ASSERT_NE(lab, nullptr);
  EXPECT_EQ(lab->number, 15);
  EXPECT_EQ(lab->tutorial, "15-quic.md");
  EXPECT_TRUE(fs::exists(test::sourceDir() / "tutorials" / std::string(lab->tutorial)));
  const auto labs = course::course();
  for (std::size_t i = 0; i + 1 < labs.size(); ++i) {
    if (labs[i]->number == 14) {
      EXPECT_EQ(labs[i + 1], lab);
    }
  }
  EXPECT_EQ(lab->checks.size(), lab->questions.size());
}

TEST(CourseLab15, WithoutARunEveryCheckSaysWhatToRun) {
  Workspace ws = test::startLabWorkspace(15, "ivy");
  LabReport report = check(ws, "initial_dcid: 00\npage_token: 00\n", {"initial_dcid", "page_token"});
  for (const auto& r : report.results) {
    EXPECT_EQ(r.verdict, Verdict::Fail) << r.id;
    EXPECT_NE(r.detail.find("quic/quic.pcapng is not in your workspace"), std::string::npos) << r.detail;
    EXPECT_NE(r.hint.find("tlslab lab run quic -o quic"), std::string::npos) << r.hint;
  }
  fs::remove_all(ws.dir);
}

TEST(CourseLab15, TheStudentsOwnRunAndItsRightAnswersPassEveryCheck) {
  if (auto why = whyNot(); !why.empty()) GTEST_SKIP() << why;
  Workspace ws = test::startLabWorkspace(15, "alice");
  const Variant v = ws.info.variant();
  const auto run = runInto(ws, v);
  const Right right = rightAnswers(run, v);
  ASSERT_FALSE(right.dcid.empty());
  EXPECT_NE(right.oneRtt, "0");
  LabReport report = check(ws, right.answers(v));
  for (const auto& r : report.results) EXPECT_EQ(r.verdict, Verdict::Pass) << r.id << ": " << r.detail << " / " << r.hint;
  EXPECT_TRUE(report.allPassed());
  // Answers in other spellings: spaced hex, the whole page line.
  LabReport spelled = check(ws, "initial_dcid: " + right.dcid.substr(0, 4) + " " + right.dcid.substr(4) +
                                    "\npage_token: Your token: " + right.token + "\n",
                            {"initial_dcid", "page_token"});
  EXPECT_TRUE(spelled.allPassed()) << result(spelled, "initial_dcid").detail << result(spelled, "page_token").detail;
  fs::remove_all(ws.dir);
}

TEST(CourseLab15, WrongAnswersFailWithTheirExplanation) {
  if (auto why = whyNot(); !why.empty()) GTEST_SKIP() << why;
  Workspace ws = test::startLabWorkspace(15, "dave");
  const Variant v = ws.info.variant();
  const auto run = runInto(ws, v);
  const model::TraceConnection* conn = run.connection();
  ASSERT_NE(conn, nullptr);
  const Right right = rightAnswers(run, v);
  auto keys = crypto::quic::deriveInitialKeys(crypto::quic::kVersion1, conn->quic->originalDcid);
  ASSERT_TRUE(keys);
  std::size_t clientShort = 0;
  for (const auto& p : conn->quic->packets)
    clientShort += p.type == "1-RTT" && p.direction == model::Direction::ClientToServer;
  LabReport report = check(ws, "initial_dcid: " + toHex(conn->quic->packets.at(0).scid) +
                                   "\nserver_name: 127.0.0.1\nalpn: h2\nclient_initial_key: " + toHex(keys->server.key) +
                                   "\nclient_hp_key: " + toHex(keys->client.key) +
                                   "\none_rtt_packets: " + std::to_string(clientShort) +
                                   "\npage_token: 0123456789ab\n");
  EXPECT_EQ(report.passed(), 0);
  says(report, "initial_dcid", "the client's own Source Connection ID");
  says(report, "server_name", "the address the client sent to");
  says(report, "alpn", "HTTP over TCP+TLS");
  says(report, "client_initial_key", "the server's Initial key");
  says(report, "client_hp_key", "the packet protection key (quic key)");
  says(report, "one_rtt_packets", "the client's 1-RTT packets only");
  says(report, "page_token", "not the token on the page");
  LabReport second = check(ws, "client_initial_key: " + toHex(keys->client.iv) + "\nclient_hp_key: " +
                                   toHex(keys->initialSecret) + "\none_rtt_packets: " +
                                   std::to_string(conn->quic->packets.size()) + "\n",
                           {"client_initial_key", "client_hp_key", "one_rtt_packets"});
  says(second, "client_initial_key", "quic iv");
  says(second, "client_hp_key", "initial_secret");
  says(second, "one_rtt_packets", "every packet of the connection");
  EXPECT_NE(result(second, "client_initial_key").hint.find("tlslab keys quic-initial --dcid " + right.dcid),
            std::string::npos);
  fs::remove_all(ws.dir);
}

TEST(CourseLab15, AnotherStudentsRunIsRefused) {
  if (auto why = whyNot(); !why.empty()) GTEST_SKIP() << why;
  Workspace erin = test::startLabWorkspace(15, "erin");
  Workspace frank = test::startLabWorkspace(15, "frank");
  const Variant erinV = erin.info.variant(), frankV = frank.info.variant();
  EXPECT_NE(quicServerName(erinV), quicServerName(frankV));
  EXPECT_NE(quicPageToken(erinV), quicPageToken(frankV));
  const auto run = runInto(erin, erinV);
  const Right right = rightAnswers(run, erinV);
  EXPECT_TRUE(check(erin, right.answers(erinV)).allPassed());
  fs::copy(erin.dir / "quic", frank.dir / "quic", fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  LabReport copied = check(frank, right.answers(erinV));
  EXPECT_EQ(copied.passed(), 0);
  EXPECT_TRUE(says(copied, "initial_dcid", "not your run"));
  EXPECT_NE(result(copied, "initial_dcid").detail.find(quicServerName(frankV)), std::string::npos);
  fs::remove_all(erin.dir);
  fs::remove_all(frank.dir);
}
