#include "Lab09Chain.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "CheckHelpers.hpp"

namespace tlslab::course::lab09 {

const ChainValue* Chain::find(std::string_view key) const {
  for (const auto& value : values)
    if (value.key == key) return &value;
  return nullptr;
}

namespace {

std::size_t positionOf(const Chain& chain, const ChainValue* value) {
  return static_cast<std::size_t>(value - chain.values.data());
}

// Every value `value` is made from, directly or further up.
void collectInputs(const Chain& chain, const ChainValue& value, std::set<std::size_t>& found) {
  for (const auto& key : value.inputs)
    if (const ChainValue* input = chain.find(key); input && found.insert(positionOf(chain, input)).second)
      collectInputs(chain, *input, found);
}

std::string answerHex(const CheckEnv& env, const std::string& key) {
  const Answer* answer = env.answer(key);
  return answer ? normalizedHex(answer->value) : std::string();
}

std::string inputNames(const Chain& chain, const ChainValue& value) {
  std::string names;
  for (const auto& key : value.inputs)
    if (const ChainValue* input = chain.find(key)) names += (names.empty() ? "" : " and ") + input->key;
  return names;
}

}  // namespace

const ChainValue* firstWrongInput(const Chain& chain, const ChainValue& value, const CheckEnv& env, bool* missing) {
  std::set<std::size_t> inputs;
  collectInputs(chain, value, inputs);
  for (std::size_t at : inputs) {  // a set iterates in chain order: the earliest first
    const ChainValue& input = chain.values[at];
    const std::string answer = answerHex(env, input.key);
    if (answer.empty() || answer != toHex(input.truth)) {
      if (missing) *missing = answer.empty();
      return &input;
    }
  }
  return nullptr;
}

CheckResult judge(const Chain& chain, std::string_view key, const CheckEnv& env) {
  if (!chain.problem.empty()) return fail(chain.problem, chain.hint);
  const ChainValue* value = chain.find(key);
  if (value == nullptr) return fail("the checker has no value '" + std::string(key) + "'", "this is a bug in tlslab");
  const std::string raw = env.answer(value->key)->value;
  const std::string answer = normalizedHex(raw);
  const std::string how = value->name + " = " + value->formula + " (" + value->rfc + ")";
  if (answer.empty())
    return fail("'" + raw.substr(0, 40) + "' is not hex", "write the " + std::to_string(value->truth.size()) +
                                                                " bytes as hex digits, e.g. as `tlslab keys derive` prints them");
  if (answer == toHex(value->truth)) return pass(fmt::format("{} ({} bytes)", how, value->truth.size()));
  // Upstream first: a value made from a wrong one cannot be right.
  bool missing = false;
  if (const ChainValue* wrong = firstWrongInput(chain, *value, env, &missing))
    return fail(fmt::format("{} is made from {}; your {} is {}: the first value to fix", value->key, inputNames(chain, *value),
                            wrong->key, missing ? "not answered yet" : "already wrong"),
                "derive " + wrong->key + " first (its check says what is wrong with it)");
  for (const auto& [bytes, what] : value->mistakes)
    if (answer == toHex(bytes)) return fail("that is " + what, how);
  for (const auto& other : chain.values)
    if (&other != value && answer == toHex(other.truth))
      return fail("that is " + other.key + " (" + other.name + "), not " + value->key, how);
  const std::string inputs = inputNames(chain, *value);
  const std::string basis = inputs.empty() ? value->given : "your " + inputs + (value->inputs.size() > 1 ? " are" : " is") +
                                                                " right" + (value->given.empty() ? "" : ", and " + value->given);
  if (answer.size() != value->truth.size() * 2)
    return fail(fmt::format("{} has {} bytes; yours has {}", value->key, value->truth.size(), answer.size() / 2),
                how + (value->command.empty() ? "" : ": " + value->command));
  return fail("not the " + value->name + " of your materials" + (basis.empty() ? "" : " (" + basis + ")") +
                  ": the step itself went wrong",
              how + (value->command.empty() ? "" : ": " + value->command));
}

bool namesPreMasterSecret(std::string_view answer) {
  const std::string said = normalizedWords(answer);
  for (const char* right : {"pre master secret", "premaster secret", "pre master", "premaster", "pms",
                            "ecdhe shared secret", "(ec)dhe shared secret", "shared secret", "ecdh shared secret"})
    if (said == right) return true;
  return false;
}

}  // namespace tlslab::course::lab09
