#include "cli/CourseOutput.hpp"

#include <fmt/core.h>

namespace tlslab::cli {
namespace {

const char* mark(course::Verdict verdict) {
  switch (verdict) {
    case course::Verdict::Pass: return "✔";
    case course::Verdict::Fail: return "✗";
    case course::Verdict::Skipped: return "–";
    case course::Verdict::Missing: return "·";
    default: return "?";
  }
}

}  // namespace

void printCheckReport(std::ostream& out, const course::LabReport& report) {
  for (const auto& r : report.results) {
    out << fmt::format("  {} {:<22} {}\n", mark(r.verdict), r.id, r.title);
    if (!r.detail.empty()) out << "      " << r.detail << "\n";
    for (const auto& line : r.evidence) out << "        " << line << "\n";
    if (r.verdict != course::Verdict::Pass && !r.hint.empty()) out << "      hint: " << r.hint << "\n";
  }
  const int total = static_cast<int>(report.results.size());
  out << fmt::format("\n{} of {} checks passed.", report.passed(), total);
  // With --only, some checks were not run: passing them does not finish the lab.
  if (report.allPassed() && report.results.size() == report.lab->checks.size())
    out << " Lab " << report.lab->number << " is done.";
  out << "\n";
}

nlohmann::json checkReportJson(const course::LabReport& report, const std::string& student,
                               const std::vector<std::string>& answerProblems) {
  nlohmann::json results = nlohmann::json::array();
  for (const auto& r : report.results)
    results.push_back({{"id", r.id},
                       {"title", r.title},
                       {"verdict", course::verdictName(r.verdict)},
                       {"detail", r.detail},
                       {"hint", r.hint},
                       {"evidence", r.evidence}});
  return {{"lab", report.lab->number},       {"slug", std::string(report.lab->slug)},
          {"student", student},              {"passed", report.passed()},
          {"total", report.results.size()},  {"all_passed", report.allPassed()},
          {"answer_problems", answerProblems}, {"results", results}};
}

}  // namespace tlslab::cli
