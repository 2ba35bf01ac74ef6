#pragma once
// Lab 9's checker: a derivation chain the student reproduces value by value.
// Every value knows how it is made (formula, RFC section, which earlier
// values it comes from, the by-hand command with placeholders) and its right
// value, computed by the checker from the student's own materials. A wrong
// value is explained without giving the right one away: which value upstream
// is already wrong, what the student's value is instead (the client's key for
// the server's, the seed the wrong way round), or, when every input is right,
// the step itself.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tlslab/scenarios/course/Lab.hpp"

namespace tlslab::course::lab09 {

struct ChainValue {
  std::string key;      // the answer key: "tls12_key_block"
  std::string name;     // as the RFC names it: "key_block"
  std::string formula;  // "PRF(master_secret, \"key expansion\", server_random + client_random)"
  std::string rfc;      // "RFC 5246 §6.3"
  std::vector<std::string> inputs;  // answer keys it is made from, earlier in the chain
  std::string given;    // inputs that are not answers: "master_secret from tls12.keylog"
  std::string command;  // how to compute it by hand, with PLACEHOLDERS for its inputs
  Bytes truth;
  // Values a student may have computed instead, and what each one is.
  std::vector<std::pair<Bytes, std::string>> mistakes = {};
};

struct Chain {
  std::vector<ChainValue> values;  // in derivation order
  std::string problem;             // why it could not be built from the workspace ("" = fine)
  std::string hint;                // what to do about `problem`
  const ChainValue* find(std::string_view key) const;
};

// The answer of `key` judged against the chain (CheckEnv gives the answers).
CheckResult judge(const Chain& chain, std::string_view key, const CheckEnv& env);

// The earliest value `value` is made from (directly or further up) whose answer is
// missing or wrong, for explaining a later one; nullptr when all are right.
const ChainValue* firstWrongInput(const Chain& chain, const ChainValue& value, const CheckEnv& env, bool* missing);

// Whether an answer names the pre-master secret (the value no key log holds).
bool namesPreMasterSecret(std::string_view answer);

}  // namespace tlslab::course::lab09
