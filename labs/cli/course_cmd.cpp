// The course: `tlslab lab list|start|check|hint|build`. The labs, their
// checks and the workspaces are in core (tlslab/scenarios/course); this file
// only parses arguments and prints.
#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "cli/Commands.hpp"
#include "cli/CourseArgs.hpp"
#include "cli/CourseOutput.hpp"
#include "tlslab/model/TraceJson.hpp"
#include "tlslab/scenarios/course/Program.hpp"
#include "tlslab/scenarios/course/Workspace.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {
namespace fs = std::filesystem;
using namespace tlslab::course;

namespace {

struct CourseArgs {
  std::string lab;
  StudentArgs who;
  std::string dir;
  std::string answers;
  std::string program;
  std::vector<std::string> only;
  int hint = 0;
  bool json = false;
  bool force = false;
};

const LabDefinition* labOrSay(const std::string& name, const char* command) {
  const LabDefinition* lab = findLab(name);
  if (lab == nullptr) std::cerr << "tlslab lab " << command << ": no lab '" << name << "' (see `tlslab lab list`)\n";
  return lab;
}

// "lab 11" / "challenge forensics", and what to type after `tlslab lab check`.
std::string labName(const LabDefinition& lab) {
  return isChallenge(lab) ? "challenge " + std::string(lab.slug) : "lab " + std::to_string(lab.number);
}
std::string labArg(const LabDefinition& lab) {
  return isChallenge(lab) ? std::string(lab.slug) : std::to_string(lab.number);
}
std::string capitalized(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

std::string statusText(const Progress& p) {
  switch (p.state) {
    case Progress::State::NotStarted: return "not started";
    case Progress::State::Started: return "started";
    case Progress::State::Checked: return fmt::format("passed {} of {} checks", p.passed, p.total);
    default: return "?";
  }
}

int runList(const CourseArgs& args) {
  const fs::path root = args.dir.empty() ? fs::current_path() : fs::path(args.dir);
  if (args.json) {
    nlohmann::json all = nlohmann::json::array();
    for (const auto* lab : course::course()) {
      Progress p = progressOf(findWorkspace(root, lab->number), *lab);
      all.push_back({{"number", lab->number}, {"slug", std::string(lab->slug)}, {"title", std::string(lab->title)},
                     {"goal", std::string(lab->goal)}, {"minutes", lab->minutes}, {"challenge", isChallenge(*lab)}, {"status", statusText(p)},
                     {"passed", p.passed}, {"total", p.total}});
    }
    std::cout << model::toJsonText(all, 2) << "\n";
    return 0;
  }
  std::cout << "The course, in order (`tlslab lab start N` begins a lab; status of the workspaces in "
            << (args.dir.empty() ? std::string("this folder") : root.string()) << "):\n\n";
  bool challengesHeaded = false;
  for (const auto* lab : course::course()) {
    if (isChallenge(*lab) && !challengesHeaded) {
      std::cout << "\nChallenges, checked like the labs (`tlslab lab start SLUG`):\n\n";
      challengesHeaded = true;
    }
    Progress p = progressOf(findWorkspace(root, lab->number), *lab);
    const std::string title = isChallenge(*lab) ? std::string(lab->title) + " [" + std::string(lab->slug) + "]"
                                                : std::string(lab->title);
    std::cout << fmt::format("  {:>2}  {:<50} {:>3} min  {}\n      {}\n", lab->number, title, lab->minutes,
                             statusText(p), lab->goal);
  }
  std::cout << "\nScenarios to run at any time (`tlslab lab run NAME`):\n";
  printScenarios(std::cout);
  return 0;
}

int runStart(const CourseArgs& args) {
  const LabDefinition* lab = labOrSay(args.lab, "start");
  if (lab == nullptr) return 2;
  ResolvedStudent who = resolveStudent(args.who);
  if (!who.error.empty()) {
    std::cerr << "tlslab lab start: " << who.error << "\n";
    return 2;
  }
  StartOptions options;
  options.lab = lab;
  options.student = who.credentials.student;
  options.studentKey = who.credentials.key;
  options.classTag = who.credentials.classTag;
  options.dir = args.dir;
  options.force = args.force;
  options.progress = [](const std::string& text) { std::cerr << "  … " << text << "\n"; };
  auto made = startWorkspace(options);
  if (!made) {
    std::cerr << "tlslab lab start: " << made.error() << "\n";
    return 1;
  }
  const fs::path dir = made.value();
  std::cout << fmt::format("Workspace for {} ({}) made in {}/ for {} ({})\n", labName(*lab), lab->title,
                           dir.string(), who.credentials.student,
                           who.selfStudy ? "self-study: no class key" : "class " + who.credentials.classTag);
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.front() != '.') files.push_back(name + (entry.is_directory(ec) ? "/" : ""));
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) std::cout << "  " << f << "\n";
  std::cout << fmt::format("Next: read {}/README.md, write your answers in {}/answers.txt, then run\n"
                           "`tlslab lab check {}` in that folder.\n",
                           dir.string(), dir.string(), labArg(*lab));
  return 0;
}

// The workspace of a check/hint/build: --dir, the current folder, or ./tlslab-lab-N.
std::optional<fs::path> workspaceFor(const CourseArgs& args, const LabDefinition& lab) {
  if (!args.dir.empty()) return findWorkspace(args.dir, lab.number);
  return findWorkspace(fs::current_path(), lab.number);
}

int runCheck(const CourseArgs& args) {
  const LabDefinition* lab = labOrSay(args.lab, "check");
  if (lab == nullptr) return 2;
  auto dir = workspaceFor(args, *lab);
  StudentCredentials who;
  if (dir) {
    auto info = openWorkspace(*dir);
    if (!info) {
      std::cerr << "tlslab lab check: " << info.error() << "\n";
      return 2;
    }
    if (!args.who.student.empty() && args.who.student != info->student) {
      std::cerr << "tlslab lab check: " << dir->string() << " is " << info->student << "'s workspace, not "
                << args.who.student << "'s\n";
      return 2;
    }
    who = {info->student, info->studentKey, info->classTag};
  } else {
    if (args.answers.empty() && args.program.empty()) {
      std::cerr << "tlslab lab check: no workspace for lab " << lab->number << " here"
                << (args.dir.empty() ? "" : " in " + args.dir)
                << ": run it inside the folder `tlslab lab start " << lab->number
                << "` made, or give --answers FILE / --program PATH with --student ID\n";
      return 2;
    }
    ResolvedStudent resolved = resolveStudent(args.who);
    if (!resolved.error.empty()) {
      std::cerr << "tlslab lab check: " << resolved.error << "\n";
      return 2;
    }
    who = resolved.credentials;
  }
  fs::path answersFile = !args.answers.empty() ? fs::path(args.answers) : dir ? *dir / std::string(kAnswersFile) : fs::path{};
  Answers answers;
  std::error_code ec;
  if (!answersFile.empty() && (fs::exists(answersFile, ec) || !args.answers.empty())) {
    auto read = readAnswers(answersFile);
    if (!read) {
      std::cerr << "tlslab lab check: " << read.error() << "\n";
      return 2;
    }
    answers = std::move(read.value());
  }
  fs::path program;
  if (!args.program.empty()) {
    program = fs::absolute(args.program);
    if (!fs::exists(program, ec)) {
      std::cerr << "tlslab lab check: --program " << args.program << ": no such file\n";
      return 2;
    }
  } else if (dir) {
    for (const auto& e : lab->exercises)
      if (fs::exists(*dir / std::string(e.program), ec)) program = fs::absolute(*dir / std::string(e.program));
  }
  const Variant variant(who.student, lab->number, who.key);
  const fs::path workspace = dir ? fs::absolute(*dir) : fs::current_path();
  CheckEnv env{&variant, &answers, workspace, certsDir(), program,
               [](const std::string& text) { std::cerr << "  … " << text << "\n"; }};
  LabReport report = checkLab(*lab, env, args.only);
  if (dir && args.only.empty()) saveResults(*dir, report);
  if (args.json) {
    std::cout << model::toJsonText(checkReportJson(report, who.student, answers.problems), 2) << "\n";
  } else {
    std::cout << fmt::format("{} — {}: checking {}'s work{}\n\n", capitalized(labName(*lab)), lab->title, who.student,
                             dir ? " in " + dir->string() + "/" : std::string{});
    for (const auto& problem : answers.problems) std::cout << "  ! answers.txt " << problem << "\n";
    if (!answers.problems.empty()) std::cout << "\n";
    printCheckReport(std::cout, report);
  }
  return report.allPassed() ? 0 : 1;
}

int runHint(const CourseArgs& args) {
  const LabDefinition* lab = labOrSay(args.lab, "hint");
  if (lab == nullptr) return 2;
  const int count = static_cast<int>(lab->hints.size());
  if (count == 0) {
    std::cout << "Lab " << lab->number << " has no hints.\n";
    return 0;
  }
  auto dir = workspaceFor(args, *lab);
  int shown = 0;
  if (dir) {
    if (auto info = openWorkspace(*dir)) shown = info->hintsShown;
  }
  int wanted = args.hint > 0 ? args.hint : std::min(shown + 1, count);
  if (wanted > count) {
    std::cerr << "tlslab lab hint: lab " << lab->number << " has " << count << " hints\n";
    return 2;
  }
  // Graded: hint K only after hint K-1, so a student meets the gentle ones first.
  if (dir && wanted > shown + 1) {
    std::cout << fmt::format("Hint {} comes after hint {}: `tlslab lab hint {}` shows it.\n", wanted, shown + 1,
                             labArg(*lab));
    return 1;
  }
  std::cout << fmt::format("Hint {} of {} for {}: {}\n", wanted, count, labName(*lab), lab->hints[wanted - 1]);
  if (dir && wanted > shown) saveHintsShown(*dir, wanted);
  if (wanted < count) std::cout << fmt::format("(`tlslab lab hint {}` shows the next one.)\n", labArg(*lab));
  return 0;
}

int runBuild(const CourseArgs& args) {
  const LabDefinition* lab = labOrSay(args.lab, "build");
  if (lab == nullptr) return 2;
  if (lab->exercises.empty()) {
    std::cout << "Lab " << lab->number << " has no program to build.\n";
    return 0;
  }
  auto dir = workspaceFor(args, *lab);
  if (!dir) {
    std::cerr << "tlslab lab build: no workspace for lab " << lab->number << " here (make one with `tlslab lab start "
              << lab->number << "`)\n";
    return 2;
  }
  int code = 0;
  for (const auto& e : lab->exercises) {
    ProgramResult built = buildExercise(*dir, std::string(e.source), std::string(e.program));
    std::cout << built.err << built.out;
    if (built.exitedCleanly()) {
      std::cout << fmt::format("built {}/{} from {}\n", dir->string(), e.program, e.source);
    } else {
      std::cout << fmt::format("{} did not build: {}\n", e.source, built.describe());
      code = 1;
    }
  }
  return code;
}

void addStudentOptions(CLI::App* cmd, StudentArgs& who) {
  cmd->add_option("--student", who.student, "Your student ID (default: $USER)");
  cmd->add_option("--key", who.keyFile, "The student key file your teacher gave you (tlslab class roster)");
}

}  // namespace

void registerCourseCommands(CLI::App* lab, Context& ctx) {
  auto args = std::make_shared<CourseArgs>();
  CLI::App* list = lab->add_subcommand("list", "The labs of the course in order, with your progress");
  list->add_option("--dir", args->dir, "Where your lab workspaces are (default: this folder)");
  list->add_flag("--json", args->json, "As JSON");
  list->callback([args, &ctx] { ctx.exitCode = runList(*args); });

  CLI::App* start = lab->add_subcommand("start", "Make your workspace for lab N (README, your materials, answers.txt)");
  start->add_option("N", args->lab, "The lab's number (or name)")->required();
  addStudentOptions(start, args->who);
  start->add_option("--dir", args->dir, "Where to make it (default: ./tlslab-lab-N)");
  start->add_flag("--force", args->force, "Replace a workspace of another student");
  start->callback([args, &ctx] { ctx.exitCode = runStart(*args); });

  CLI::App* check = lab->add_subcommand("check", "Check your answers (and your program) for lab N");
  check->add_option("N", args->lab, "The lab's number (or name)")->required();
  addStudentOptions(check, args->who);
  check->add_option("--dir", args->dir, "Your workspace (default: this folder or ./tlslab-lab-N)");
  check->add_option("--answers", args->answers, "Answers file (default: the workspace's answers.txt)");
  check->add_option("--program", args->program, "Run this program instead of the workspace's own build");
  check->add_option("--only", args->only, "Only these checks (ids, repeatable)");
  check->add_flag("--json", args->json, "Results as JSON");
  check->callback([args, &ctx] { ctx.exitCode = runCheck(*args); });

  CLI::App* hint = lab->add_subcommand("hint", "The next hint for lab N (or hint K)");
  hint->add_option("N", args->lab, "The lab's number (or name)")->required();
  hint->add_option("K", args->hint, "Which hint (default: the next one)")->check(CLI::PositiveNumber);
  hint->add_option("--dir", args->dir, "Your workspace (default: this folder or ./tlslab-lab-N)");
  hint->callback([args, &ctx] { ctx.exitCode = runHint(*args); });

  CLI::App* build = lab->add_subcommand("build", "Compile your program(s) for lab N (cc … -lssl -lcrypto)");
  build->add_option("N", args->lab, "The lab's number (or name)")->required();
  build->add_option("--dir", args->dir, "Your workspace (default: this folder or ./tlslab-lab-N)");
  build->callback([args, &ctx] { ctx.exitCode = runBuild(*args); });
}

}  // namespace tlslab::cli
