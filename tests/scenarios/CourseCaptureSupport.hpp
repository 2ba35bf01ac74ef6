#pragma once
// What the tests of the capture labs (9, 11, forensics) share: a workspace's
// capture dissected the way a student does it, and checking answers against
// the workspace's own student.
#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "CourseTestSupport.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/scenarios/course/Answers.hpp"
#include "tlslab/scenarios/course/Lab.hpp"

namespace tlslab::test {

inline model::Trace dissectedWith(const std::filesystem::path& file, keys::KeyStore& keys) {
  auto trace = dissect::dissectFile(file, keys);
  EXPECT_TRUE(trace) << file << ": " << (trace ? "" : trace.error().message());
  return trace ? trace.value() : model::Trace{};
}

// only: the check ids to run (empty: all).
inline course::LabReport checkAnswers(int lab, const StartedWorkspace& ws, const std::string& answersText,
                                      const std::vector<std::string>& only = {}) {
  course::Answers answers = course::parseAnswers(answersText);
  const course::Variant variant = ws.info.variant();
  course::CheckEnv env{&variant, &answers, ws.dir, sourceDir() / "certs", {}, {}};
  return course::checkLab(*course::findLab(lab), env, only);
}

inline const course::CheckResult& resultOf(const course::LabReport& report, const std::string& id) {
  for (const auto& r : report.results)
    if (r.id == id) return r;
  throw std::runtime_error("no check " + id);
}

// Check `id` failed and its explanation says `text`.
inline bool failsSaying(const course::LabReport& report, const std::string& id, const std::string& text) {
  const course::CheckResult& r = resultOf(report, id);
  EXPECT_EQ(r.verdict, course::Verdict::Fail) << id << ": " << r.detail;
  EXPECT_NE(r.detail.find(text), std::string::npos) << id << ": " << r.detail;
  return r.verdict == course::Verdict::Fail && r.detail.find(text) != std::string::npos;
}

// What the client sent inside TLS, decrypted.
inline std::string clientText(const model::TraceConnection& connection) {
  std::string text;
  for (const auto& chunk : connection.appData)
    if (chunk.direction == model::Direction::ClientToServer) text.append(chunk.data.begin(), chunk.data.end());
  return text;
}

inline const model::DerivationStep* stepNamed(const model::TraceConnection& connection, const std::string& name) {
  for (const auto& step : connection.derivation)
    if (step.name == name && !step.output.empty()) return &step;
  return nullptr;
}

}  // namespace tlslab::test
