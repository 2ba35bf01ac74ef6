#pragma once
// The answers file of a workspace (answers.txt): one "key: value" per line,
// '#' starts a comment line. The checker reads values, never wording around
// them; a key written twice or a line without ':' is reported, not guessed.
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tlslab/pki/Result.hpp"

namespace tlslab::course {

struct Answer {
  std::string value;  // trimmed; "" when the student left it empty
  int line = 0;       // 1-based line number in the file
};

struct Answers {
  std::map<std::string, Answer> values;
  std::vector<std::string> problems;  // "line 7: no ':' (write key: value)"
  std::set<std::string> duplicated;    // keys answered twice: judged as neither
  // The trimmed value, or nullptr when the key is absent or empty.
  const Answer* find(std::string_view key) const;
};

Answers parseAnswers(std::string_view text);
// Refuses non-regular files and files over 256 KiB (a wrong path must not hang or eat memory).
pki::Result<Answers> readAnswers(const std::filesystem::path& file);

// Normalisations the checks share, so "AA:bb 01" and "aabb01" are the same hex,
// "Bad_Record_MAC" and "bad record mac" the same alert.
std::string normalizedHex(std::string_view text);    // lower case, separators and 0x removed; "" if not hex
std::string normalizedWords(std::string_view text);  // lower case, runs of space/_/- become one space

}  // namespace tlslab::course
