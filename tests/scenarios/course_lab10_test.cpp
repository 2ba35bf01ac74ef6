// Lab 10 (the record layer): the answers are judged against runs the checks
// make themselves, and the frames against the student's own capture. The
// teacher's key, computed from the RFCs' rules, must agree with those runs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <algorithm>
#include <sstream>

#include "CourseTestSupport.hpp"
#include "tlslab/scenarios/RecordLab.hpp"

using namespace tlslab;
using namespace tlslab::course;
namespace fs = std::filesystem;

namespace {

LabReport check(const Variant& variant, const std::string& text, const fs::path& workspace = {},
                std::vector<std::string> only = {}) {
  Answers answers = parseAnswers(text);
  CheckEnv env{&variant, &answers, workspace, test::sourceDir() / "certs", {}, {}};
  return checkLab(*findLab(10), env, only);
}

const CheckResult& result(const LabReport& report, const std::string& id) {
  for (const auto& r : report.results)
    if (r.id == id) return r;
  throw std::runtime_error("no check " + id);
}

std::string referenceAnswers(const Variant& v) {
  std::string text;
  for (const auto& q : findLab(10)->questions)
    if (q.key != "record_frames") text += std::string(q.key) + ": " + q.reference(v) + "\n";
  return text;
}

// The frames a student reads off records.pcapng (`tlslab dissect --segments`).
std::string framesOf(const fs::path& workspace) {
  std::ifstream in(workspace / "records.pcapng", std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  const std::string capture = bytes.str();
  scenarios::RecordLayout layout = scenarios::recordLayout(asBytes(capture));
  auto write = scenarios::clientDataRecords(layout);
  EXPECT_FALSE(write.empty()) << layout.error;
  std::string frames;
  if (!write.empty())
    for (auto f : write.front()->frames) frames += std::to_string(f) + " ";
  return frames;
}

const std::vector<std::string> kRunChecks{"records_written",   "last_record_length", "read_returns",
                                          "echo_sequence",     "cbc_record_length",  "padded_record_length"};

}  // namespace

TEST(CourseLab10, TheTeachersKeyAgreesWithWhatTheRunsDo) {
  for (const char* student : {"bob", "carol"}) {
    const Variant v = Variant::selfStudy(student, 10);
    LabReport report = check(v, referenceAnswers(v), {}, kRunChecks);
    ASSERT_EQ(report.results.size(), kRunChecks.size());
    for (const auto& r : report.results) EXPECT_EQ(r.verdict, Verdict::Pass) << student << " " << r.id << ": " << r.detail;
  }
}

TEST(CourseLab10, AnswersFromTheWorkspacePassEveryCheck) {
  test::StartedWorkspace ws = test::startLabWorkspace(10, "alice");
  const Variant v = ws.info.variant();
  LabReport report = check(v, referenceAnswers(v) + "record_frames: " + framesOf(ws.dir) + "\n", ws.dir);
  for (const auto& r : report.results) EXPECT_EQ(r.verdict, Verdict::Pass) << r.id << ": " << r.detail;
  // A frame that carries none of the record, or another student's capture.
  LabReport extra = check(v, "record_frames: " + framesOf(ws.dir) + " 1\n", ws.dir, {"record_frames"});
  EXPECT_NE(result(extra, "record_frames").detail.find("frame 1 carries no byte"), std::string::npos);
  LabReport notMine = check(Variant::selfStudy("bob", 10), "record_frames: 9\n", ws.dir, {"record_frames"});
  EXPECT_NE(result(notMine, "record_frames").detail.find("not the capture made for you"), std::string::npos);
  fs::remove_all(ws.dir);
}

TEST(CourseLab10, WrongAnswersFailWithTheirExplanation) {
  const Variant v = Variant::selfStudy("dave", 10);
  Answers key = parseAnswers(referenceAnswers(v));
  const long long last = std::stoll(key.find("last_record_length")->value);
  const long long data = last - 17;
  // A byte stream cut into buffer-sized pieces, as if SSL_read joined records.
  std::vector<std::size_t> reads;
  std::istringstream in(key.find("read_returns")->value);
  for (std::size_t n = 0; in >> n;) reads.push_back(n);
  ASSERT_GE(reads.size(), 3u);
  const std::size_t buffer = *std::max_element(reads.begin(), reads.end());
  std::size_t size = 0;
  for (std::size_t n : reads) size += n;
  std::string stream;
  for (std::size_t left = size; left > 0; left -= std::min(left, buffer)) stream += std::to_string(std::min(left, buffer)) + " ";
  const std::string wrong = "records_written: 1\nlast_record_length: " + std::to_string(data) + "\nread_returns: " + stream +
                            "\necho_sequence: " + std::to_string(std::stoll(key.find("echo_sequence")->value) - 2) +
                            "\ncbc_record_length: " + std::to_string(std::stoll(key.find("cbc_record_length")->value) - 16) +
                            "\npadded_record_length: " + std::to_string(last) + "\n";
  LabReport report = check(v, wrong, {}, kRunChecks);
  EXPECT_EQ(report.passed(), 0);
  EXPECT_NE(result(report, "records_written").detail.find("one SSL_write is not one record"), std::string::npos);
  EXPECT_NE(result(report, "last_record_length").detail.find("data alone"), std::string::npos);
  EXPECT_NE(result(report, "read_returns").detail.find("never joins"), std::string::npos);
  EXPECT_NE(result(report, "echo_sequence").detail.find("NewSessionTicket"), std::string::npos);
  EXPECT_NE(result(report, "cbc_record_length").detail.find("explicit IV"), std::string::npos);
  EXPECT_NE(result(report, "padded_record_length").detail.find("without padding"), std::string::npos);
  LabReport header = check(v, "last_record_length: " + std::to_string(last + 5) + "\n", {}, {"last_record_length"});
  EXPECT_NE(result(header, "last_record_length").detail.find("5-byte record header"), std::string::npos);
  LabReport notNumber = check(v, "records_written: several\n", {}, {"records_written"});
  EXPECT_NE(result(notNumber, "records_written").detail.find("not a number"), std::string::npos);
}

TEST(CourseLab10, StudentsWriteDifferentSizesSoCopiedAnswersFail) {
  const Variant erin = Variant::selfStudy("erin", 10);
  const Variant frank = Variant::selfStudy("frank", 10);
  EXPECT_NE(referenceAnswers(erin), referenceAnswers(frank));
  LabReport copied = check(frank, referenceAnswers(erin), {}, {"last_record_length", "read_returns"});
  EXPECT_EQ(copied.passed(), 0);
}
