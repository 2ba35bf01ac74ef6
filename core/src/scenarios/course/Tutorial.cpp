#include "tlslab/scenarios/course/Tutorial.hpp"

#include <fmt/core.h>

#include <charconv>
#include <sstream>

namespace tlslab::course {
namespace {

std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::string_view rtrim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

int toInt(std::string_view s, int fallback) {
  int v = fallback;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc{} && p == s.data() + s.size() ? v : fallback;
}

// A fence line: three or more backticks, then the info string.
bool fence(std::string_view line, std::string& ticks, std::string& info) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == '`') ++n;
  if (n < 3) return false;
  ticks.assign(n, '`');
  info = std::string(rtrim(line.substr(n)));
  return true;
}

struct Block {
  int line;
  std::vector<std::string> info;
  std::string text;
  std::vector<std::string> lines;
};

bool isSkip(std::string_view line) { return line == "…" || line == "..."; }

bool endsWith(std::string_view s, std::string_view end) {
  return s.size() >= end.size() && s.substr(s.size() - end.size()) == end;
}

bool lineMatches(std::string_view expected, std::string_view actual) {
  // "… text …": the line contains the text.
  for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"… ", " …"}, {"... ", " ..."}}) {
    if (expected.size() > open.size() + close.size() && expected.substr(0, open.size()) == open &&
        endsWith(expected, close))
      return actual.find(expected.substr(open.size(), expected.size() - open.size() - close.size())) !=
             std::string_view::npos;
  }
  // "… text": the line ends with the text.
  for (std::string_view open : {"… ", "... "})
    if (expected.size() > open.size() && expected.substr(0, open.size()) == open)
      return endsWith(actual, expected.substr(open.size()));
  for (std::string_view ellipsis : {" …", " ..."}) {
    if (expected.size() >= ellipsis.size() && expected.substr(expected.size() - ellipsis.size()) == ellipsis) {
      std::string_view prefix = expected.substr(0, expected.size() - ellipsis.size());
      return actual.substr(0, prefix.size()) == prefix;
    }
  }
  return expected == actual;
}

// Can expected[i..] match actual[j..]? Consecutive lines, "…" skips any number.
bool matchFrom(const std::vector<std::string>& expected, std::size_t i, const std::vector<std::string_view>& actual,
               std::size_t j, std::size_t& deepest) {
  deepest = std::max(deepest, i);
  if (i == expected.size()) return true;
  if (isSkip(expected[i])) {
    for (std::size_t k = j; k <= actual.size(); ++k)
      if (matchFrom(expected, i + 1, actual, k, deepest)) return true;
    return false;
  }
  if (j < actual.size() && lineMatches(rtrim(expected[i]), rtrim(actual[j])))
    return matchFrom(expected, i + 1, actual, j + 1, deepest);
  return false;
}

}  // namespace

std::vector<TutorialStep> tutorialSteps(std::string_view markdown) {
  auto lines = splitLines(markdown);
  std::vector<Block> blocks;
  std::vector<std::string> sections;  // heading in force at each block
  std::string section;
  std::vector<std::size_t> blockEndLine;
  std::vector<std::pair<std::size_t, TutorialStep>> hidden;  // (block count before it, step)
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string ticks, info;
    if (rtrim(lines[i]) == "<!-- test-only") {
      TutorialStep step;
      step.line = static_cast<int>(i + 1);
      step.section = section;
      step.testOnly = true;
      std::size_t j = i + 1;
      for (; j < lines.size() && rtrim(lines[j]) != "-->"; ++j) step.script += std::string(lines[j]) + "\n";
      hidden.emplace_back(blocks.size(), std::move(step));
      i = j;
      continue;
    }
    if (!fence(lines[i], ticks, info)) {
      if (!lines[i].empty() && lines[i].front() == '#') {
        std::size_t start = lines[i].find_first_not_of("# ");
        section = start == std::string_view::npos ? "" : std::string(lines[i].substr(start));
      }
      continue;
    }
    Block block{static_cast<int>(i + 1), words(info), {}, {}};
    std::size_t j = i + 1;
    for (; j < lines.size(); ++j) {
      std::string endTicks, endInfo;
      if (fence(lines[j], endTicks, endInfo) && endTicks.size() >= ticks.size() && endInfo.empty()) break;
      block.text += std::string(lines[j]) + "\n";
      block.lines.emplace_back(lines[j]);
    }
    blocks.push_back(std::move(block));
    sections.push_back(section);
    blockEndLine.push_back(j);
    i = j;
  }
  std::vector<TutorialStep> steps;
  std::size_t nextHidden = 0;
  for (std::size_t b = 0; b <= blocks.size(); ++b) {
    while (nextHidden < hidden.size() && hidden[nextHidden].first == b) steps.push_back(std::move(hidden[nextHidden++].second));
    if (b == blocks.size()) break;
    const auto& info = blocks[b].info;
    if (info.size() < 2 || info[1] != "runnable") continue;
    TutorialStep step;
    step.line = blocks[b].line;
    step.script = blocks[b].text;
    step.section = sections[b];
    for (std::size_t t = 2; t < info.size(); ++t) {
      std::string_view tag = info[t];
      if (tag.rfind("needs=", 0) == 0) step.needs.emplace_back(tag.substr(6));
      else if (tag.rfind("exit=", 0) == 0) step.exitCode = toInt(tag.substr(5), 0);
      else if (tag.rfind("timeout=", 0) == 0) step.timeoutSeconds = toInt(tag.substr(8), 120);
    }
    // An output block counts only when nothing but blank lines separates it.
    if (b + 1 < blocks.size() && blocks[b + 1].info.size() >= 2 && blocks[b + 1].info[0] == "text" &&
        blocks[b + 1].info[1] == "output") {
      bool adjacent = true;
      for (std::size_t l = blockEndLine[b] + 1; l + 1 < static_cast<std::size_t>(blocks[b + 1].line); ++l)
        adjacent &= rtrim(lines[l]).empty();
      if (adjacent) step.expected = blocks[b + 1].lines;
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

bool outputMatches(std::string_view output, const std::vector<std::string>& expected, std::string* why) {
  if (expected.empty()) return true;
  auto actual = splitLines(output);
  std::size_t deepest = 0;
  // The expected lines may start anywhere and the output may go on after them.
  for (std::size_t start = 0; start <= actual.size(); ++start) {
    std::size_t depth = 0;
    if (matchFrom(expected, 0, actual, start, depth)) return true;
    deepest = std::max(deepest, depth);
  }
  if (why) {
    std::size_t i = std::min(deepest, expected.size() - 1);
    while (i < expected.size() && isSkip(expected[i])) ++i;
    *why = i < expected.size() ? fmt::format("expected line {} not found where it should be: \"{}\"", i + 1, expected[i])
                               : std::string("the expected lines are not in the output in this order");
  }
  return false;
}

}  // namespace tlslab::course
