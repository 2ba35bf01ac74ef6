#include "cli/StepOutput.hpp"

#include <fmt/core.h>

namespace tlslab::cli {
namespace {

const char* statusMark(model::StepStatus status) {
  switch (status) {
    case model::StepStatus::Derived: return "=";
    case model::StepStatus::FromKeyLog: return "<- key log";
    case model::StepStatus::NotDerivable: return "?? not derivable";
    case model::StepStatus::Verified: return "OK verified";
    case model::StepStatus::Failed: return "FAILED";
    default: return "";
  }
}

bool checksKeyLog(const model::DerivationStep& step) {
  return step.note.find("the key log's") != std::string::npos;
}

}  // namespace

void printStep(std::ostream& out, const model::DerivationStep& step) {
  out << fmt::format("[{}] {}\n", statusMark(step.status), step.name);
  if (!step.function.empty()) out << "    function: " << step.function << "\n";
  for (const auto& in : step.inputs) {
    if (in.label == "label") {  // show labels as the text they are
      out << fmt::format("    label: \"{}\" ({})\n", std::string(in.bytes.begin(), in.bytes.end()), toHex(in.bytes));
    } else {
      out << fmt::format("    {}: {}\n", in.label, in.bytes.empty() ? "(empty)" : toHex(in.bytes));
    }
  }
  if (!step.output.empty()) out << fmt::format("    output ({} bytes): {}\n", step.output.size(), toHex(step.output));
  if (!step.rfc.empty()) out << "    see " << step.rfc << "\n";
  if (!step.note.empty()) out << "    note: " << step.note << "\n";
  if (!step.command.empty()) {
    out << "    by hand:\n";
    std::size_t at = 0;
    while (at <= step.command.size()) {
      const std::size_t end = step.command.find('\n', at);
      out << "      $ " << step.command.substr(at, end == std::string::npos ? std::string::npos : end - at) << "\n";
      if (end == std::string::npos) break;
      at = end + 1;
    }
  }
}

std::string scheduleSummary(const model::TraceConnection& conn) {
  if (conn.derivation.empty()) return "no key derivation: " + conn.decryption.text;
  std::size_t matched = 0, checked = 0, failed = 0, notDerivable = 0;
  for (const auto& step : conn.derivation) {
    if (step.status == model::StepStatus::Failed) ++failed;
    if (step.status == model::StepStatus::NotDerivable) ++notDerivable;
    if (checksKeyLog(step)) ++checked;
    if (step.status == model::StepStatus::Verified && checksKeyLog(step)) ++matched;
  }
  const auto& first = conn.derivation.front();
  const bool noneDerivable = notDerivable == conn.derivation.size();
  std::string start = noneDerivable ? "none derivable: no key log and no ephemeral key for this connection"
                      : first.status == model::StepStatus::NotDerivable
                          ? "from the key log (" + first.name + " not derivable: no ephemeral key)"
                          : "from the " + first.name + " down, " + first.function;
  std::string out = fmt::format("{} steps, {}", conn.derivation.size(), start);
  if (checked > 0) out += fmt::format("; {} of {} secrets equal OpenSSL's key log", matched, checked);
  if (failed > 0) out += fmt::format("; {} FAILED", failed);
  if (notDerivable > 0 && first.status != model::StepStatus::NotDerivable && !noneDerivable)
    out += fmt::format("; {} not derivable", notDerivable);
  return out;
}

void printSchedule(std::ostream& out, const model::TraceConnection& conn) {
  for (const auto& step : conn.derivation) printStep(out, step);
}

}  // namespace tlslab::cli
