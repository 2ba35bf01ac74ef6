#include "tlslab/scenarios/VerifyTrace.hpp"

#include <algorithm>

namespace tlslab::scenarios {

std::vector<VerifyTraceRow> verifyTrace(const model::VerifyVerdict& verdict) {
  std::vector<VerifyTraceRow> rows;
  auto stepAt = [&](int depth) {
    return std::find_if(verdict.steps.begin(), verdict.steps.end(), [depth](const auto& s) { return s.depth == depth; });
  };
  // The built chain covers every depth OpenSSL knew of; steps alone may miss some.
  int deepest = -1;
  for (const auto& c : verdict.builtChain) deepest = std::max(deepest, c.depth);
  for (const auto& s : verdict.steps) deepest = std::max(deepest, s.depth);
  for (int depth = 0; depth <= deepest; ++depth) {
    VerifyTraceRow row;
    row.depth = depth;
    if (auto step = stepAt(depth); step != verdict.steps.end()) {
      row.subject = step->subject;
      row.state = step->ok ? VerifyTraceRow::State::Ok : VerifyTraceRow::State::Failed;
      row.text = step->ok ? "✓ ok" : "✗ " + step->errorName + " (" + step->errorText + ")";
    } else {
      auto built = std::find_if(verdict.builtChain.begin(), verdict.builtChain.end(),
                                [depth](const auto& c) { return c.depth == depth; });
      row.subject = built != verdict.builtChain.end() ? built->subject : "";
      row.state = VerifyTraceRow::State::NotReached;
      row.text = verdict.errorDepth >= 0
                     ? "– not reached: OpenSSL stops at the first error the callback refuses (depth " +
                           std::to_string(verdict.errorDepth) + "), before it walks the signatures from the root down"
                     : "– not reported by OpenSSL";
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace tlslab::scenarios
