#pragma once
// A key-derivation step shown to a learner: inputs -> function -> output.
#include <string>
#include <vector>

#include "tlslab/util/Bytes.hpp"

namespace tlslab::model {

struct DerivationInput {
  std::string label;  // e.g. "secret", "label", "context (transcript hash)"
  Bytes bytes;
};

enum class StepStatus {
  Derived,       // computed here from the inputs shown
  FromKeyLog,    // taken as given (key log, instrumented run)
  NotDerivable,  // cannot be computed from what we have; `note` says why
  Verified,      // a check that passed (e.g. Finished verify_data matches)
  Failed,        // a check that failed
};

struct DerivationStep {
  std::string name;      // e.g. "client_handshake_traffic_secret"
  std::string function;  // e.g. "Derive-Secret(handshake_secret, \"c hs traffic\", CH..SH)"
  std::vector<DerivationInput> inputs;
  Bytes output;
  std::string rfc;       // e.g. "RFC 8446 §7.1"
  StepStatus status = StepStatus::Derived;
  std::string note;      // why not derivable, what was compared, ...
  // Shell commands that compute `output` by hand (openssl kdf/pkeyutl or
  // `tlslab keys derive`), one per line; empty where nothing is computed.
  std::string command;
};

const char* stepStatusName(StepStatus status);

}  // namespace tlslab::model
