#pragma once
// A client's certificate check as a learner reads it: every certificate of
// the chain OpenSSL built, leaf first, with what was found at its depth, or
// why it was never looked at (OpenSSL stops at the first error its verify
// callback refuses, before the signature walk that reports the other depths).
#include <string>
#include <vector>

#include "tlslab/model/Verify.hpp"

namespace tlslab::scenarios {

struct VerifyTraceRow {
  enum class State { Ok, Failed, NotReached };
  int depth = 0;
  std::string subject;
  State state = State::Ok;
  std::string text;  // "✓ ok", "✗ X509_V_ERR_HOSTNAME_MISMATCH (hostname mismatch)", "– not reached: ..."
};

std::vector<VerifyTraceRow> verifyTrace(const model::VerifyVerdict& verdict);

}  // namespace tlslab::scenarios
