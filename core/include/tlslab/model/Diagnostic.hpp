#pragma once
// A finding about the input that a learner should see: malformed bytes,
// a failed check, a missing key. Never thrown; always carried in results.
#include <cstddef>
#include <optional>
#include <string>

namespace tlslab::model {

enum class Severity { Info, Warning, Error };

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string where;                  // the structure, e.g. "ClientHello.cipher_suites"
  std::optional<std::size_t> offset;  // byte offset in the input it refers to, when known
  std::string message;                // plain words: what is wrong and why it matters
};

const char* severityName(Severity severity);

}  // namespace tlslab::model
