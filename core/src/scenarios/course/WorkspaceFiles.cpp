#include "WorkspaceFiles.hpp"

#include <fmt/core.h>

#include <fstream>
#include <sstream>
#include <system_error>

#include "tlslab/scenarios/course/Workspace.hpp"

namespace tlslab::course {
namespace fs = std::filesystem;

namespace {

bool writeText(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::trunc | std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

std::string readText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string readme(const LabDefinition& lab, const Variant& variant, const fs::path& home) {
  std::string text = fmt::format("# Lab {}: {} — the workspace of {}\n\n**Goal:** {}\n\n**Time:** about {} minutes.\n\n",
                                 lab.number, lab.title, variant.student(), lab.goal, lab.minutes);
  if (lab.personal) {
    text += "## Your own variant\n\nThese values are yours: another student's are different.\n\n";
    for (const auto& line : lab.personal(variant)) text += "- " + line + "\n";
    text += "\n";
  }
  text += fmt::format(
      "## Working here\n\n"
      "- Write your answers in `answers.txt` (one `key: value` per line).\n"
      "- `tlslab lab check {0}` checks them{1}: each check says pass or fail, and why.\n"
      "- `tlslab lab hint {0}` shows the next hint, one at a time.\n",
      lab.number, lab.exercises.empty() ? "" : " and your program");
  if (!lab.exercises.empty()) {
    text += fmt::format("- `tlslab lab build {}` (or `make`) compiles your program:", lab.number);
    for (const auto& e : lab.exercises) text += fmt::format(" `{}` → `./{}`", e.source, e.program);
    text += "\n";
    for (const auto& e : lab.exercises) text += fmt::format("- `{}` is run as `{}`.\n", e.program, e.interface);
  }
  text += "\n---\n\n";
  const fs::path tutorial = home / "tutorials" / std::string(lab.tutorial);
  std::error_code ec;
  text += fs::exists(tutorial, ec) ? readText(tutorial) : fmt::format("(tutorial {} not found)\n", tutorial.string());
  return text;
}

}  // namespace

std::string answersTemplate(const LabDefinition& lab, const Variant& variant) {
  std::string text = fmt::format(
      "# Answers for lab {} ({}), student {}.\n"
      "# Write each answer after the colon, on the same line. Lines starting with # are ignored.\n"
      "# Check them with: tlslab lab check {}\n",
      lab.number, lab.title, variant.student(), lab.number);
  int n = 0;
  for (const auto& q : lab.questions) {
    text += fmt::format("\n# Q{}. {}\n", ++n, promptFor(q, variant));
    if (!q.format.empty()) text += fmt::format("#     (answer: {})\n", q.format);
    text += fmt::format("{}: \n", q.key);
  }
  return text;
}

std::string writeWorkspaceFiles(const LabDefinition& lab, const Variant& variant, const fs::path& dir,
                                const fs::path& home) {
  if (!writeText(dir / "README.md", readme(lab, variant, home))) return "cannot write " + (dir / "README.md").string();
  std::error_code ec;
  const fs::path answers = dir / std::string(kAnswersFile);
  if (!fs::exists(answers, ec) && !lab.questions.empty() && !writeText(answers, answersTemplate(lab, variant)))
    return "cannot write " + answers.string();
  if (lab.exercises.empty()) return {};
  const fs::path exercises = home / "labs" / "exercises";
  std::vector<std::string> files{"Makefile"};
  for (const auto& e : lab.exercises) files.emplace_back(e.source);
  for (const auto& name : files) {
    const fs::path target = dir / name;
    if (fs::exists(target, ec)) continue;  // the student's edits stay
    fs::copy_file(exercises / name, target, ec);
    if (ec) return fmt::format("cannot copy {} into the workspace: {}", (exercises / name).string(), ec.message());
  }
  return {};
}

}  // namespace tlslab::course
