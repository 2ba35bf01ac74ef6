#pragma once
// Small pieces the lab files share to build their checks.
#include <fmt/core.h>

#include <optional>
#include <string>
#include <string_view>

#include "tlslab/scenarios/course/Lab.hpp"

namespace tlslab::course {

inline CheckResult pass(std::string detail) { return {{}, {}, Verdict::Pass, std::move(detail), {}, {}}; }
inline CheckResult fail(std::string detail, std::string hint) {
  return {{}, {}, Verdict::Fail, std::move(detail), std::move(hint), {}};
}
inline CheckResult skipped(std::string detail) { return {{}, {}, Verdict::Skipped, std::move(detail), {}, {}}; }

// The answer as a whole number, if it is one (spaces and a trailing unit word ignored).
std::optional<long long> answerNumber(std::string_view text);

// Case-insensitive equality after trimming.
bool sameText(std::string_view a, std::string_view b);

}  // namespace tlslab::course
