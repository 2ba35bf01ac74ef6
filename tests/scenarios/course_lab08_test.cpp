// Lab 8 (handshake anatomy) checked the way a student works: the answers are
// read off the workspace's own capture (with and without its key log), then
// judged; wrong answers get their explanation; two students' answers differ.
#include <gtest/gtest.h>

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "CourseTestSupport.hpp"
#include "tlslab/scenarios/AnatomyLab.hpp"
#include "tlslab/scenarios/course/Workspace.hpp"

using namespace tlslab;
using namespace tlslab::course;
using scenarios::AnatomyKind;
namespace fs = std::filesystem;

namespace {

using Workspace = test::StartedWorkspace;

Workspace start(const std::string& student) { return test::startLabWorkspace(8, student); }

std::string fileText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Read {
  scenarios::CaptureAnatomy anatomy;
  std::size_t index(AnatomyKind kind) const {
    for (std::size_t i = 0; i < anatomy.connections.size(); ++i) {
      const auto& a = anatomy.connections[i];
      const AnatomyKind k = a.version != 0x0304 ? AnatomyKind::Tls12 : a.retryGroup.empty() ? AnatomyKind::Tls13 : AnatomyKind::HelloRetry;
      if (k == kind) return i;
    }
    ADD_FAILURE() << "no connection of that kind";
    return 0;
  }
  const scenarios::HandshakeAnatomy& of(AnatomyKind kind) const { return anatomy.connections[index(kind)]; }
};

Read readCapture(const Workspace& ws) {
  Read r{scenarios::anatomizeCapture(asBytes(fileText(ws.dir / "anatomy.pcapng")), fileText(ws.dir / "anatomy.keys"))};
  EXPECT_TRUE(r.anatomy.error.empty()) << r.anatomy.error;
  EXPECT_EQ(r.anatomy.connections.size(), 3u);
  return r;
}

// The question about the compatibility CCS, as the student's answers.txt asks it.
std::string ccsAnswer(const Workspace& ws, const Read& r) {
  const std::string prompt = promptFor(findLab(8)->questions.back(), ws.info.variant());
  const AnatomyKind kind = prompt.find("HelloRetryRequest") != std::string::npos ? AnatomyKind::HelloRetry : AnatomyKind::Tls13;
  const auto from = prompt.find("the server") != std::string::npos ? model::Direction::ServerToClient : model::Direction::ClientToServer;
  for (const auto& c : r.of(kind).changeCipherSpecs)
    if (c.from == from) return prompt.find("right before") != std::string::npos ? c.before : c.after;
  ADD_FAILURE() << prompt;
  return {};
}

// What a student finds, from the capture alone.
std::string studentAnswers(const Workspace& ws) {
  Read r = readCapture(ws);
  if (r.anatomy.connections.size() != 3) return {};
  std::string trips;
  for (const auto& a : r.anatomy.connections) trips += std::to_string(a.roundTrips) + " ";
  const auto& tls12 = r.of(AnatomyKind::Tls12);
  const std::size_t certAt = r.index(AnatomyKind::Tls12);
  const std::string host = r.anatomy.observed.connections[certAt].negotiated.sni;
  return "round_trips: " + trips + "\ncertificate_connection: " + std::to_string(certAt) + "\ncertificate_name: " + host +
         "\nalpn_selected: " + tls12.alpnSelected + "\nhrr_group: " + r.of(AnatomyKind::HelloRetry).retryGroup +
         "\ndowngrade_sentinel: " + toHex(ByteView(tls12.serverRandom).last(8)) + "\ncompat_ccs: " + ccsAnswer(ws, r) + "\n";
}

LabReport check(const Workspace& ws, const std::string& answersText) {
  Answers answers = parseAnswers(answersText);
  const Variant variant = ws.info.variant();
  CheckEnv env{&variant, &answers, ws.dir, test::sourceDir() / "certs", {}, {}};
  return checkLab(*findLab(8), env);
}

const CheckResult& result(const LabReport& report, const std::string& id) {
  for (const auto& r : report.results)
    if (r.id == id) return r;
  throw std::runtime_error("no check " + id);
}

}  // namespace

TEST(CourseLab08, AnswersReadOffTheCapturePassEveryCheckAndMatchTheKey) {
  Workspace ws = start("alice");
  const std::string answers = studentAnswers(ws);
  LabReport report = check(ws, answers);
  for (const auto& r : report.results) EXPECT_EQ(r.verdict, Verdict::Pass) << r.id << ": " << r.detail << "\n" << answers;
  // The teacher's key, computed from the variant alone, says the same.
  std::string key;
  for (const auto& q : findLab(8)->questions) key += std::string(q.key) + ": " + q.reference(ws.info.variant()) + "\n";
  EXPECT_TRUE(check(ws, key).allPassed()) << key;
  fs::remove_all(ws.dir);
}

TEST(CourseLab08, WrongAnswersFailWithTheirExplanation) {
  Workspace ws = start("dave");
  Read r = readCapture(ws);
  ASSERT_EQ(r.anatomy.connections.size(), 3u);
  std::string flights;
  for (const auto& a : r.anatomy.connections) flights += std::to_string(a.flights.size()) + " ";
  const auto& offer = r.of(AnatomyKind::Tls12).alpnOffered;
  const std::string chosen = r.of(AnatomyKind::Tls12).alpnSelected;
  std::string notChosen;
  for (const auto& p : offer)
    if (p != chosen && p != offer.front()) notChosen = p;
  const std::string wrong = "round_trips: " + flights + "\ncertificate_connection: " + std::to_string(r.index(AnatomyKind::Tls13)) +
                            "\ncertificate_name: bank32.com\nalpn_selected: ftp\nhrr_group: x25519\n"
                            "downgrade_sentinel: 444f574e47524400\ncompat_ccs: ChangeCipherSpec\n";
  LabReport report = check(ws, wrong);
  EXPECT_EQ(report.passed(), 0);
  EXPECT_NE(result(report, "round_trips").detail.find("flights up to the request"), std::string::npos);
  EXPECT_NE(result(report, "certificate_connection").detail.find("encrypted under the handshake keys"), std::string::npos);
  EXPECT_NE(result(report, "certificate_name").detail.find("lab's usual server"), std::string::npos);
  EXPECT_NE(result(report, "alpn_selected").detail.find("never offered"), std::string::npos);
  EXPECT_NE(result(report, "hrr_group").detail.find("key share the client sent first"), std::string::npos);
  EXPECT_NE(result(report, "downgrade_sentinel").detail.find("TLS 1.1 or below"), std::string::npos);
  EXPECT_NE(result(report, "compat_ccs").detail.find("next to the ChangeCipherSpec"), std::string::npos);
  // The right numbers in the wrong order, the client's first ALPN choice, the whole random.
  std::vector<int> trips;
  for (const auto& a : r.anatomy.connections) trips.push_back(a.roundTrips);
  std::rotate(trips.begin(), trips.begin() + 1, trips.end());  // 1, 2, 2 in any order: a rotation moves one
  LabReport order = check(ws, fmt::format("round_trips: {} {} {}\n", trips[0], trips[1], trips[2]));
  EXPECT_NE(result(order, "round_trips").detail.find("wrong order"), std::string::npos);
  if (!notChosen.empty()) {
    LabReport other = check(ws, "alpn_selected: " + notChosen + "\n");
    EXPECT_NE(result(other, "alpn_selected").detail.find("preferred another"), std::string::npos);
  }
  LabReport whole = check(ws, "downgrade_sentinel: " + toHex(r.of(AnatomyKind::Tls12).serverRandom) + "\n");
  EXPECT_NE(result(whole, "downgrade_sentinel").detail.find("whole random"), std::string::npos);
  fs::remove_all(ws.dir);
}

TEST(CourseLab08, TwoStudentsCannotPassWithEachOthersAnswersOrCapture) {
  Workspace erin = start("erin");
  Workspace frank = start("frank");
  const std::string erinAnswers = studentAnswers(erin);
  const std::string frankAnswers = studentAnswers(frank);
  EXPECT_NE(erinAnswers, frankAnswers);
  EXPECT_TRUE(check(erin, erinAnswers).allPassed());
  LabReport copied = check(frank, erinAnswers);
  EXPECT_FALSE(copied.allPassed());
  EXPECT_EQ(result(copied, "certificate_name").verdict, Verdict::Fail);
  // Erin's capture in Frank's workspace is caught as not his.
  fs::copy_file(erin.dir / "anatomy.pcapng", frank.dir / "anatomy.pcapng", fs::copy_options::overwrite_existing);
  fs::copy_file(erin.dir / "anatomy.keys", frank.dir / "anatomy.keys", fs::copy_options::overwrite_existing);
  LabReport swapped = check(frank, erinAnswers);
  EXPECT_EQ(swapped.passed(), 0);
  EXPECT_NE(result(swapped, "round_trips").detail.find("not the capture made for you"), std::string::npos);
  fs::remove(frank.dir / "anatomy.keys");
  EXPECT_NE(result(check(frank, erinAnswers), "alpn_selected").detail.find("no anatomy.keys"), std::string::npos);
  fs::remove_all(erin.dir);
  fs::remove_all(frank.dir);
}
