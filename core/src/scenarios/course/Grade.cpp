// `tlslab class grade`: every submitted workspace judged against the variant
// of the student whose folder it is (see Class.hpp for the binding).
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>
#include <system_error>

#include "tlslab/scenarios/course/Class.hpp"
#include "tlslab/scenarios/course/Program.hpp"
#include "tlslab/scenarios/course/Workspace.hpp"

namespace tlslab::course {
namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxWorkspaceBytes = 64ull * 1024 * 1024;

std::vector<fs::path> workspacesIn(const fs::path& folder) {
  std::error_code ec;
  if (fs::exists(folder / kMetaFile, ec)) return {folder};
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(folder, ec))
    if (entry.is_directory(ec) && fs::exists(entry.path() / kMetaFile, ec)) found.push_back(entry.path());
  std::sort(found.begin(), found.end());
  return found;
}

// Why this workspace cannot count for `student`, or "".
std::string bindingProblem(const WorkspaceInfo& info, const std::string& student, ByteView secret) {
  if (info.student != student)
    return fmt::format("this is {}'s workspace (made with {}'s key), submitted in {}'s folder", info.student,
                       info.student, student);
  if (info.classTag != classTag(secret))
    return "made outside this class (self-study or another class's key): start the lab with the key file you were given";
  if (info.studentKey != studentKey(secret, student))
    return "its student key is not the one issued to " + student + ": the workspace was made with someone else's key";
  return {};
}

// A private copy to build and run in: the grader never runs a submitted
// binary, nor writes into the submission.
pki::Result<fs::path> copyForGrading(const fs::path& workspace, const std::string& tag) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(workspace, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_symlink(ec)) continue;
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  if (total > kMaxWorkspaceBytes)
    return pki::Result<fs::path>::failure(fmt::format("the workspace holds {} MB, over the {} MB a lab needs", total >> 20,
                                                      kMaxWorkspaceBytes >> 20));
  fs::path copy = fs::temp_directory_path() / fmt::format("tlslab-grade-{}-{}", ::getpid(), tag);
  fs::remove_all(copy, ec);
  fs::copy(workspace, copy, fs::copy_options::recursive | fs::copy_options::skip_symlinks, ec);
  if (ec) return pki::Result<fs::path>::failure("cannot copy the workspace to grade it: " + ec.message());
  return pki::Result<fs::path>::success(copy);
}

// The program the checks run: built here from the submitted source.
fs::path buildSubmission(const LabDefinition& lab, const fs::path& copy, std::string& problem) {
  for (const auto& exercise : lab.exercises) {
    std::error_code ec;
    if (!fs::exists(copy / std::string(exercise.source), ec)) {
      problem = std::string(exercise.source) + " is missing from the submission";
      continue;
    }
    fs::remove(copy / std::string(exercise.program), ec);  // never run what was submitted
    ProgramResult built = buildExercise(copy, std::string(exercise.source), std::string(exercise.program));
    if (!built.exitedCleanly()) {
      problem = std::string(exercise.source) + " does not compile: " + built.err.substr(0, 400);
      continue;
    }
    return copy / std::string(exercise.program);
  }
  return {};
}

void gradeWorkspace(const GradeOptions& options, const std::string& student, const fs::path& workspace,
                    GradeReport& report) {
  auto info = openWorkspace(workspace);
  if (!info) {
    report.rows.push_back({student, 0, "workspace", "rejected", info.error()});
    return;
  }
  const LabDefinition* lab = findLab(info->lab);
  if (lab == nullptr) {
    report.notes.push_back(fmt::format("{}: {} is for lab {}, which this tlslab does not have", student,
                                       workspace.string(), info->lab));
    return;
  }
  if (!options.labs.empty() && std::find(options.labs.begin(), options.labs.end(), lab->number) == options.labs.end())
    return;
  if (auto problem = bindingProblem(*info, student, options.classSecret); !problem.empty()) {
    report.rows.push_back({student, lab->number, "workspace", "rejected", problem});
    return;
  }
  report.rows.push_back({student, lab->number, "workspace", "pass", "bound to " + student});
  if (options.progress) options.progress(fmt::format("grading {} lab {}", student, lab->number));
  auto copy = copyForGrading(workspace, student + "-" + std::to_string(lab->number));
  if (!copy) {
    report.rows.push_back({student, lab->number, "workspace", "rejected", copy.error()});
    return;
  }
  Answers answers;
  std::error_code ec;
  if (fs::exists(copy.value() / std::string(kAnswersFile), ec)) {
    auto read = readAnswers(copy.value() / std::string(kAnswersFile));
    if (read) answers = std::move(read.value());
    else report.notes.push_back(student + ": " + read.error());
  }
  std::string buildProblem;
  const fs::path program = lab->exercises.empty() ? fs::path{} : buildSubmission(*lab, copy.value(), buildProblem);
  const Variant variant(student, lab->number, studentKey(options.classSecret, student));
  CheckEnv env{&variant, &answers, copy.value(), options.certsDir, program, options.progress};
  LabReport checked = checkLab(*lab, env);
  for (const auto& r : checked.results) {
    std::string detail = r.detail;
    if (r.verdict == Verdict::Missing && !buildProblem.empty() && program.empty()) detail = buildProblem;
    report.rows.push_back({student, lab->number, r.id, verdictName(r.verdict), detail});
  }
  fs::remove_all(copy.value(), ec);
}

std::string csvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

GradeReport gradeClass(const GradeOptions& options) {
  GradeReport report;
  std::error_code ec;
  std::vector<fs::path> folders;
  for (const auto& entry : fs::directory_iterator(options.submissions, ec))
    if (entry.is_directory(ec)) folders.push_back(entry.path());
  if (ec) report.notes.push_back("cannot read " + options.submissions.string() + ": " + ec.message());
  std::sort(folders.begin(), folders.end());
  for (const auto& folder : folders) {
    const std::string student = folder.filename().string();
    if (!validStudentId(student)) {
      report.notes.push_back("'" + student + "' is not a student ID: folder skipped");
      continue;
    }
    report.students.push_back(student);
    auto workspaces = workspacesIn(folder);
    if (workspaces.empty()) report.notes.push_back(student + ": no lab workspace in " + folder.string());
    for (const auto& workspace : workspaces) gradeWorkspace(options, student, workspace, report);
  }
  return report;
}

std::string gradeCsv(const GradeReport& report) {
  std::string out = "student,lab,check,result,detail\r\n";
  for (const auto& r : report.rows)
    out += fmt::format("{},{},{},{},{}\r\n", csvField(r.student), r.lab, csvField(r.check), r.result, csvField(r.detail));
  return out;
}

std::string gradeSummary(const GradeReport& report) {
  std::set<int> labs;
  for (const auto& r : report.rows) labs.insert(r.lab);
  labs.erase(0);
  std::string out = fmt::format("Class grade: {} student(s), lab(s) {}\n\n", report.students.size(),
                                labs.empty() ? std::string("none") : fmt::format("{}", fmt::join(labs, ", ")));
  out += fmt::format("{:<20}", "student");
  for (int lab : labs) out += fmt::format(" {:>12}", "lab " + std::to_string(lab));
  out += "\n";
  std::map<std::pair<int, std::string>, std::pair<int, int>> perCheck;  // (lab, check) -> failed, total
  std::vector<std::string> rejected;
  for (const auto& student : report.students) {
    out += fmt::format("{:<20}", student);
    for (int lab : labs) {
      int passed = 0, total = 0;
      bool reject = false, present = false;
      for (const auto& r : report.rows) {
        if (r.student != student || r.lab != lab) continue;
        present = true;
        if (r.check == "workspace") {
          if (r.result == "rejected") {
            reject = true;
            rejected.push_back(fmt::format("{} lab {}: {}", student, lab, r.detail));
          }
          continue;
        }
        ++total;
        passed += r.result == "pass";
        auto& counts = perCheck[{lab, r.check}];
        counts.first += r.result != "pass";
        ++counts.second;
      }
      std::string cell = !present ? "—" : reject ? "rejected" : fmt::format("{}/{}", passed, total);
      out += fmt::format(" {:>12}", cell);
    }
    out += "\n";
  }
  std::vector<std::pair<std::pair<int, std::string>, std::pair<int, int>>> hardest(perCheck.begin(), perCheck.end());
  std::stable_sort(hardest.begin(), hardest.end(),
                   [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
  out += "\nChecks most often not passed:\n";
  int shown = 0;
  for (const auto& [key, counts] : hardest) {
    if (counts.first == 0 || shown++ == 8) break;
    out += fmt::format("  lab {} {:<28} {} of {}\n", key.first, key.second, counts.first, counts.second);
  }
  if (shown == 0) out += "  none: every graded check passed\n";
  if (!rejected.empty()) {
    out += "\nRejected workspaces (made for someone else or outside the class):\n";
    for (const auto& line : rejected) out += "  " + line + "\n";
  }
  if (!report.notes.empty()) {
    out += "\nNotes:\n";
    for (const auto& note : report.notes) out += "  " + note + "\n";
  }
  return out;
}

}  // namespace tlslab::course
