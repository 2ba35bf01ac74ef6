#pragma once
// A student's workspace for one lab (default ./tlslab-lab-N/): the lab's
// README (from its tutorial), the student's own materials, the exercise
// sources and a Makefile, an answers.txt template, and .tlslab/ with the
// binding (student, key, class tag) and the last check's results.
#include <filesystem>
#include <optional>
#include <string>

#include "tlslab/pki/Result.hpp"
#include "tlslab/scenarios/course/Lab.hpp"

namespace tlslab::course {

inline constexpr std::string_view kMetaDir = ".tlslab";
inline constexpr std::string_view kMetaFile = ".tlslab/workspace.json";
inline constexpr std::string_view kResultsFile = ".tlslab/results.json";
inline constexpr std::string_view kAnswersFile = "answers.txt";

std::filesystem::path defaultWorkspaceDir(int lab);  // "tlslab-lab-N"; a challenge's "tlslab-SLUG"

struct WorkspaceInfo {
  int lab = 0;
  std::string student;
  Bytes studentKey;      // HMAC(class secret, student): binds the workspace to its student
  std::string classTag;  // classTag(class secret); the self-study tag when none
  std::string created;   // ISO 8601 UTC
  std::string version;   // tlslab version that made it
  int hintsShown = 0;
  Variant variant() const { return Variant(student, lab, studentKey); }
};

struct StartOptions {
  const LabDefinition* lab = nullptr;
  std::string student = "student";
  Bytes studentKey;      // empty: the self-study key of `student`
  std::string classTag;  // empty: the self-study tag
  std::filesystem::path dir;       // empty: defaultWorkspaceDir(lab)
  std::filesystem::path homeDir;   // tlslab's data (certs/, tutorials/, labs/exercises/)
  bool force = false;              // replace an existing workspace of another student
  std::function<void(const std::string&)> progress;
};

// Makes the workspace; refuses to overwrite another student's workspace (or
// any non-empty folder that is not a workspace) unless `force`. Re-running it
// for the same student keeps answers.txt and edited sources.
pki::Result<std::filesystem::path> startWorkspace(const StartOptions& options);

pki::Result<WorkspaceInfo> openWorkspace(const std::filesystem::path& dir);
// `dir` when it is a workspace (for `lab`, if given), else dir/tlslab-lab-N.
std::optional<std::filesystem::path> findWorkspace(const std::filesystem::path& dir, int lab);

bool saveHintsShown(const std::filesystem::path& dir, int shown);

// The last check of a workspace, for `tlslab lab list` and the Course panel.
struct Progress {
  enum class State { NotStarted, Started, Checked };
  State state = State::NotStarted;
  int passed = 0;
  int total = 0;
  std::string checkedAt;  // ISO 8601 UTC
};
bool saveResults(const std::filesystem::path& dir, const LabReport& report);
Progress progressOf(const std::optional<std::filesystem::path>& dir, const LabDefinition& lab);

}  // namespace tlslab::course
