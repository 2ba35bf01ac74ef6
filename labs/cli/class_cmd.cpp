// The teacher's commands: `tlslab class secret|roster|grade|key`. The
// binding and grading live in core (tlslab/scenarios/course/Class.hpp).
#include <fmt/core.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/Commands.hpp"
#include "tlslab/scenarios/course/Class.hpp"
#include "tlslab/scenarios/course/Lab.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {
namespace fs = std::filesystem;
using namespace tlslab::course;

namespace {

struct ClassArgs {
  std::string secretFile;
  std::string out;
  std::string roster;
  std::string submissions;
  std::string csv;
  std::string summary;
  std::vector<int> labs;
  std::string student;
  std::string lab;
  bool force = false;
};

bool writePrivate(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::trunc);
  out << text;
  if (!out) return false;
  out.close();
  return ::chmod(file.c_str(), 0600) == 0;
}

int runSecret(const ClassArgs& args) {
  if (args.out.empty()) {
    std::cout << newClassSecretText();
    return 0;
  }
  std::error_code ec;
  if (fs::exists(args.out, ec) && !args.force) {
    std::cerr << "tlslab class secret: " << args.out
              << " exists; a new secret would change every student's materials (use --force to replace it)\n";
    return 1;
  }
  if (!writePrivate(args.out, newClassSecretText())) {
    std::cerr << "tlslab class secret: cannot write " << args.out << "\n";
    return 1;
  }
  std::cout << "wrote a new class secret to " << args.out << " (mode 0600): keep it, and keep it private\n";
  return 0;
}

pki::Result<Bytes> secretOrSay(const ClassArgs& args, const char* command) {
  auto secret = readClassSecret(args.secretFile);
  if (!secret) std::cerr << "tlslab class " << command << ": " << secret.error() << "\n";
  return secret;
}

int runRoster(const ClassArgs& args) {
  auto secret = secretOrSay(args, "roster");
  if (!secret) return 2;
  auto students = readRoster(args.roster);
  if (!students) {
    std::cerr << "tlslab class roster: " << students.error() << "\n";
    return 2;
  }
  std::error_code ec;
  fs::create_directories(args.out, ec);
  for (const auto& student : students.value()) {
    const fs::path file = fs::path(args.out) / (student + ".key");
    if (!writePrivate(file, studentKeyText(credentialsFor(secret.value(), student)))) {
      std::cerr << "tlslab class roster: cannot write " << file.string() << "\n";
      return 1;
    }
  }
  std::cout << fmt::format("wrote {} student key file(s) to {}/ (class {}): give each student their own;\n"
                           "they run `tlslab lab start N --key STUDENT.key`.\n",
                           students.value().size(), args.out, classTag(secret.value()));
  return 0;
}

int runGrade(const ClassArgs& args) {
  auto secret = secretOrSay(args, "grade");
  if (!secret) return 2;
  std::error_code ec;
  if (!fs::is_directory(args.submissions, ec)) {
    std::cerr << "tlslab class grade: " << args.submissions << " is not a folder\n";
    return 2;
  }
  GradeOptions options;
  options.submissions = args.submissions;
  options.classSecret = secret.value();
  options.certsDir = certsDir();
  options.labs = args.labs;
  options.progress = [](const std::string& text) { std::cerr << "  … " << text << "\n"; };
  GradeReport report = gradeClass(options);
  const std::string csv = gradeCsv(report);
  const std::string summary = gradeSummary(report);
  if (!args.csv.empty()) {
    std::ofstream out(args.csv, std::ios::trunc | std::ios::binary);
    out << csv;
    if (!out) {
      std::cerr << "tlslab class grade: cannot write " << args.csv << "\n";
      return 1;
    }
  } else {
    std::cout << csv << "\n";
  }
  if (!args.summary.empty()) {
    std::ofstream out(args.summary, std::ios::trunc);
    out << summary;
  }
  std::cout << summary;
  if (!args.csv.empty()) std::cout << "\nCSV (student, lab, check, result, detail): " << args.csv << "\n";
  return report.students.empty() ? 1 : 0;
}

int runKey(const ClassArgs& args) {
  auto secret = secretOrSay(args, "key");
  if (!secret) return 2;
  const LabDefinition* lab = findLab(args.lab);
  if (lab == nullptr || !validStudentId(args.student)) {
    std::cerr << "tlslab class key: give --lab N (see `tlslab lab list`) and --student ID\n";
    return 2;
  }
  const Variant variant(args.student, lab->number, studentKey(secret.value(), args.student));
  std::cout << fmt::format("# Answer key: lab {} ({}) for {} — for the teacher only\n", lab->number, lab->title,
                           args.student);
  for (const auto& q : lab->questions)
    std::cout << fmt::format("{}: {}\n", q.key, q.reference ? q.reference(variant) : std::string("(judged by running it)"));
  return 0;
}

}  // namespace

void registerClassCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ClassArgs>();
  CLI::App* cls = app.add_subcommand("class", "For teachers: the class secret, student keys, grading");
  cls->require_subcommand(1);

  CLI::App* secret = cls->add_subcommand("secret", "Make a new class secret (prints it, or writes --out FILE)");
  secret->add_option("--out", args->out, "Write it to this file (mode 0600)");
  secret->add_flag("--force", args->force, "Replace an existing file");
  secret->callback([args, &ctx] { ctx.exitCode = runSecret(*args); });

  CLI::App* roster = cls->add_subcommand("roster", "Write one key file per student of a roster");
  roster->add_option("ROSTER", args->roster, "Student IDs, one per line")->required();
  roster->add_option("--class-secret", args->secretFile, "The class secret file")->required();
  roster->add_option("--out", args->out, "Folder for the key files")->required();
  roster->callback([args, &ctx] { ctx.exitCode = runRoster(*args); });

  CLI::App* grade = cls->add_subcommand("grade", "Grade a folder of submissions (SUBMISSIONS/<student>/tlslab-lab-N/)");
  grade->add_option("SUBMISSIONS", args->submissions, "One folder per student, named by student ID")->required();
  grade->add_option("--class-secret", args->secretFile, "The class secret file")->required();
  grade->add_option("--csv", args->csv, "Write the CSV here (default: print it)");
  grade->add_option("--summary", args->summary, "Also write the one-page summary here");
  grade->add_option("--lab", args->labs, "Only these labs (repeatable)");
  grade->callback([args, &ctx] { ctx.exitCode = runGrade(*args); });

  CLI::App* key = cls->add_subcommand("key", "The right answers of one student for one lab (teacher only)");
  key->add_option("--class-secret", args->secretFile, "The class secret file")->required();
  key->add_option("--student", args->student, "Student ID")->required();
  key->add_option("--lab", args->lab, "Lab number")->required();
  key->callback([args, &ctx] { ctx.exitCode = runKey(*args); });
}

}  // namespace tlslab::cli
