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

const char* directionArrow(Direction direction) {
  return direction == Direction::ClientToServer ? "->" : "<-";
}

}  // namespace tlslab::model
