// The course: the labs in order, and running a lab's checks.
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <exception>
#include <optional>

#include "Labs.hpp"

namespace tlslab::course {

const char* verdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::Pass: return "pass";
    case Verdict::Fail: return "fail";
    case Verdict::Missing: return "missing";
    case Verdict::Skipped: return "skipped";
    default: return "?";
  }
}

std::string promptFor(const Question& question, const Variant& variant) {
  return question.personalPrompt ? question.personalPrompt(variant) : std::string(question.prompt);
}

std::span<const LabDefinition* const> course() {
  // Part 2 (issue 14): one entry per line, in number order; challenges (from 20) last.
  static const std::array labs{
      &lab01Eavesdropping(), &lab02Tampering(), &lab03Mitm(), &lab04FirstClient(), &lab05BeingACa(), &lab06HostCheck(),
      &lab07Server(),
      &lab08HandshakeAnatomy(),
      &lab09KeysByHand(),
      &lab10RecordLayer(),
      &lab11ForwardSecrecy(),
      &lab12Resumption(),
      &lab13Starttls(),
      &lab14Wrappers(),
      &lab15Quic(),
      &challenge20Forensics(),
  };
  return labs;
}

const LabDefinition* findLab(int number) {
  for (const auto* lab : course())
    if (lab->number == number) return lab;
  return nullptr;
}

const LabDefinition* findLab(std::string_view numberOrSlug) {
  int number = 0;
  auto [end, ec] = std::from_chars(numberOrSlug.data(), numberOrSlug.data() + numberOrSlug.size(), number);
  if (ec == std::errc{} && end == numberOrSlug.data() + numberOrSlug.size()) return findLab(number);
  for (const auto* lab : course())
    if (lab->slug == numberOrSlug) return lab;
  return nullptr;
}

int LabReport::passed() const {
  return static_cast<int>(std::count_if(results.begin(), results.end(),
                                        [](const CheckResult& r) { return r.verdict == Verdict::Pass; }));
}

bool LabReport::allPassed() const { return !results.empty() && passed() == static_cast<int>(results.size()); }

namespace {

// What every check would otherwise repeat: nothing to judge yet.
std::optional<CheckResult> notReady(const LabDefinition& lab, const CheckSpec& spec, const CheckEnv& env) {
  CheckResult r{std::string(spec.id), std::string(spec.title), Verdict::Missing, {}, {}, {}};
  if (spec.needsProgram && env.program.empty()) {
    r.detail = "no program to run";
    r.hint = fmt::format("build yours with `tlslab lab build {}` in the workspace, or pass --program PATH", lab.number);
    return r;
  }
  if (!spec.question.empty()) {
    std::string key(spec.question);
    if (env.answers && env.answers->duplicated.count(key)) {
      r.verdict = Verdict::Fail;
      r.detail = "'" + key + "' is answered more than once in answers.txt";
      r.hint = "keep one line for it";
      return r;
    }
    if (!env.answer(key)) {
      r.detail = "not answered yet";
      r.hint = "write your answer after '" + key + ":' in answers.txt";
      return r;
    }
  }
  return std::nullopt;
}

}  // namespace

LabReport checkLab(const LabDefinition& lab, const CheckEnv& env, std::span<const std::string> only) {
  LabReport report{&lab, {}};
  for (const auto& spec : lab.checks) {
    if (!only.empty() && std::find(only.begin(), only.end(), spec.id) == only.end()) continue;
    if (auto missing = notReady(lab, spec, env)) {
      report.results.push_back(std::move(*missing));
      continue;
    }
    CheckResult result;
    try {
      result = spec.run(env);
    } catch (const std::exception& e) {
      result.verdict = Verdict::Fail;
      result.detail = std::string("the check itself failed: ") + e.what();
      result.hint = "this is a bug in tlslab's checker, not in your work: please report it";
    }
    if (result.id.empty()) result.id = spec.id;
    if (result.title.empty()) result.title = spec.title;
    report.results.push_back(std::move(result));
  }
  return report;
}

}  // namespace tlslab::course
