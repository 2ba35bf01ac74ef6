#include "tlslab/scenarios/course/AnswersEdit.hpp"

#include "tlslab/scenarios/course/Answers.hpp"

namespace tlslab::course {
namespace {

std::string oneLine(std::string value) {
  for (char& c : value)
    if (c == '\n' || c == '\r') c = ' ';
  while (!value.empty() && value.back() == ' ') value.pop_back();
  while (!value.empty() && value.front() == ' ') value.erase(value.begin());
  return value;
}

// "key: value", or "key: " as the template writes an unanswered question.
std::string answerLine(std::string_view head, const std::string& value) { return std::string(head) + " " + value; }

}  // namespace

std::string withAnswers(std::string_view text, const std::vector<std::pair<std::string, std::string>>& values) {
  const Answers parsed = parseAnswers(text);
  // The file as lines, each with its own ending ("\n", "\r\n" or none), so they survive.
  struct Line {
    std::string content, ending;
  };
  std::vector<Line> lines;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    std::string ending = end == std::string_view::npos ? "" : "\n";
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
      ending = "\r" + ending;
    }
    lines.push_back({std::string(line), ending});
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  }
  std::vector<std::string> added;
  for (const auto& [key, raw] : values) {
    const std::string value = oneLine(raw);
    auto it = parsed.values.find(key);
    if (it == parsed.values.end()) {
      added.push_back(answerLine(key + ":", value));
      continue;
    }
    if (it->second.value == value) continue;  // unchanged: the line stays byte for byte
    Line& line = lines.at(static_cast<std::size_t>(it->second.line - 1));
    line.content = answerLine(std::string_view(line.content).substr(0, line.content.find(':') + 1), value);
  }
  std::string out;
  for (const Line& line : lines) out += line.content + line.ending;
  if (!added.empty() && !out.empty() && out.back() != '\n') out += '\n';
  for (const std::string& line : added) out += line + '\n';
  return out;
}

}  // namespace tlslab::course
