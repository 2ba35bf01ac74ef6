#include "tlslab/scenarios/course/Answers.hpp"

#include <fmt/core.h>
#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "tlslab/util/Bytes.hpp"

namespace tlslab::course {
namespace {

constexpr std::uintmax_t kMaxAnswersBytes = 256 * 1024;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool validKey(std::string_view key) {
  if (key.empty() || key.size() > 64) return false;
  for (char c : key)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

}  // namespace

const Answer* Answers::find(std::string_view key) const {
  auto it = values.find(std::string(key));
  if (it == values.end() || it->second.value.empty() || duplicated.count(it->first)) return nullptr;
  return &it->second;
}

Answers parseAnswers(std::string_view text) {
  Answers answers;
  int lineNo = 0;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++lineNo;
    std::string_view content = trim(line);
    if (content.empty() || content.front() == '#') continue;
    std::size_t colon = content.find(':');
    if (colon == std::string_view::npos) {
      answers.problems.push_back(fmt::format("line {}: no ':' (write key: value)", lineNo));
      continue;
    }
    std::string key(trim(content.substr(0, colon)));
    if (!validKey(key)) {
      answers.problems.push_back(fmt::format("line {}: '{}' is not an answer key", lineNo, key.substr(0, 40)));
      continue;
    }
    Answer answer{std::string(trim(content.substr(colon + 1))), lineNo};
    auto [it, inserted] = answers.values.emplace(key, answer);
    if (!inserted) {
      answers.problems.push_back(
          fmt::format("line {}: '{}' was already answered on line {}: keep one", lineNo, key, it->second.line));
      answers.duplicated.insert(key);
    }
  }
  return answers;
}

pki::Result<Answers> readAnswers(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return pki::Result<Answers>::failure(file.string() + ": no such file");
  if (!S_ISREG(st.st_mode)) return pki::Result<Answers>::failure(file.string() + ": not a regular file");
  if (static_cast<std::uintmax_t>(st.st_size) > kMaxAnswersBytes)
    return pki::Result<Answers>::failure(
        fmt::format("{}: {} bytes is too large for an answers file (limit {} KiB)", file.string(), st.st_size,
                    kMaxAnswersBytes / 1024));
  std::ifstream in(file, std::ios::binary);
  if (!in) return pki::Result<Answers>::failure(file.string() + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return pki::Result<Answers>::success(parseAnswers(text.str()));
}

std::string normalizedHex(std::string_view text) {
  auto bytes = fromHex(trim(text));
  return bytes && !bytes->empty() ? toHex(*bytes) : std::string{};
}

std::string normalizedWords(std::string_view text) {
  std::string out;
  bool gap = false;
  for (char c : trim(text)) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '_' || c == '-') {
      gap = !out.empty();
      continue;
    }
    if (gap) out.push_back(' ');
    gap = false;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace tlslab::course
