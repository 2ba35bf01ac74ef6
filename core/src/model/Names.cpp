#include "tlslab/model/Derivation.hpp"
#include "tlslab/model/Diagnostic.hpp"
#include "tlslab/model/Trace.hpp"

namespace tlslab::model {

const char* severityName(Severity severity) {
  switch (severity) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
    default: return "unknown";
  }
}

const char* stepStatusName(StepStatus status) {
  switch (status) {
    case StepStatus::Derived: return "derived";
    case StepStatus::FromKeyLog: return "from key log";
    case StepStatus::NotDerivable: return "not derivable";
    case StepStatus::Verified: return "verified";
    case StepStatus::Failed: return "failed";
    default: return "unknown";
  }
}

std::vector<AppDataChunk> conversationTurns(const TraceConnection& conn) {
  std::vector<AppDataChunk> turns;
  for (const AppDataChunk& chunk : conn.appData) {
    if (turns.empty() || turns.back().direction != chunk.direction) turns.push_back({chunk.direction, chunk.record, {}});
    turns.back().data.insert(turns.back().data.end(), chunk.data.begin(), chunk.data.end());
  }
  return turns;
}

const char* directionArrow(Direction direction) {
  return direction == Direction::ClientToServer ? "->" : "<-";
}

}  // namespace tlslab::model
