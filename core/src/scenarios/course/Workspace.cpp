#include "tlslab/model/TraceJson.hpp"
#include "tlslab/scenarios/course/Workspace.hpp"

#include <fmt/core.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

#include "WorkspaceFiles.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::course {
namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

constexpr int kFormat = 1;
constexpr std::uintmax_t kMaxMetaBytes = 64 * 1024;

template <class T>
pki::Result<T> fail(std::string why) {
  return pki::Result<T>::failure(std::move(why));
}

std::optional<Json> readJson(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec) || fs::file_size(file, ec) > kMaxMetaBytes) return std::nullopt;
  std::ifstream in(file);
  Json json = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  return json;
}

bool writeJson(const fs::path& file, const Json& json) {
  fs::path temp = file;
  temp += ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << model::toJsonText(json, 2) << "\n";
    if (!out) return false;
  }
  std::error_code ec;
  fs::rename(temp, file, ec);  // atomic: a crash never leaves half a file
  return !ec;
}

Json metaJson(const WorkspaceInfo& info) {
  return Json{{"format", kFormat},          {"lab", info.lab},
              {"student", info.student},    {"student_key", toHex(info.studentKey)},
              {"class_tag", info.classTag}, {"created", info.created},
              {"tlslab_version", info.version}, {"hints_shown", info.hintsShown}};
}

}  // namespace

std::string utcNow() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

fs::path defaultWorkspaceDir(int lab) {
  if (const LabDefinition* definition = findLab(lab); definition && isChallenge(*definition))
    return fs::path("tlslab-" + std::string(definition->slug));
  return fs::path("tlslab-lab-" + std::to_string(lab));
}

pki::Result<WorkspaceInfo> openWorkspace(const fs::path& dir) {
  const fs::path meta = dir / kMetaFile;
  std::error_code ec;
  if (!fs::exists(meta, ec))
    return fail<WorkspaceInfo>(dir.string() + " is not a lab workspace (no " + std::string(kMetaFile) +
                               "; make one with `tlslab lab start N`)");
  auto json = readJson(meta);
  if (!json) return fail<WorkspaceInfo>(meta.string() + ": not a workspace file tlslab can read (damaged or too large)");
  WorkspaceInfo info;
  try {
    if (json->value("format", 0) != kFormat)
      return fail<WorkspaceInfo>(meta.string() + ": made by another version of tlslab (format " +
                                 std::to_string(json->value("format", 0)) + ")");
    info.lab = json->at("lab").get<int>();
    info.student = json->at("student").get<std::string>();
    auto key = fromHex(json->at("student_key").get<std::string>());
    if (!key || key->size() != 32) return fail<WorkspaceInfo>(meta.string() + ": the student key is damaged");
    info.studentKey = *key;
    info.classTag = json->value("class_tag", "");
    info.created = json->value("created", "");
    info.version = json->value("tlslab_version", "");
    info.hintsShown = json->value("hints_shown", 0);
  } catch (const Json::exception& e) {
    return fail<WorkspaceInfo>(meta.string() + ": " + e.what());
  }
  if (!validStudentId(info.student)) return fail<WorkspaceInfo>(meta.string() + ": the student ID is not valid");
  return pki::Result<WorkspaceInfo>::success(std::move(info));
}

std::optional<fs::path> findWorkspace(const fs::path& dir, int lab) {
  std::error_code ec;
  for (const fs::path& candidate : {dir, dir / defaultWorkspaceDir(lab)}) {
    if (!fs::exists(candidate / kMetaFile, ec)) continue;
    auto info = openWorkspace(candidate);
    if (info && info->lab == lab) return candidate;
  }
  return std::nullopt;
}

pki::Result<fs::path> startWorkspace(const StartOptions& options) {
  const LabDefinition* lab = options.lab;
  if (lab == nullptr) return fail<fs::path>("no lab given");
  if (!validStudentId(options.student))
    return fail<fs::path>("'" + options.student + "' is not a student ID (1-64 of A-Z a-z 0-9 . _ -)");
  fs::path dir = options.dir.empty() ? defaultWorkspaceDir(lab->number) : options.dir;
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) return fail<fs::path>(dir.string() + " exists and is not a folder");
    if (fs::exists(dir / kMetaFile, ec)) {
      auto existing = openWorkspace(dir);
      bool sameOwner = existing && existing->student == options.student && existing->lab == lab->number;
      if (!sameOwner && !options.force)
        return fail<fs::path>(
            dir.string() + " is already " +
            (existing ? fmt::format("{}'s workspace for lab {}", existing->student, existing->lab)
                      : std::string("a workspace tlslab cannot read")) +
            ": choose another folder with --dir, or replace it with --force");
    } else if (!fs::is_empty(dir, ec) && !options.force) {
      return fail<fs::path>(dir.string() + " is not empty and not a workspace: choose another folder with --dir");
    }
  }
  fs::create_directories(dir / kMetaDir, ec);
  if (ec) return fail<fs::path>("cannot create " + (dir / kMetaDir).string() + ": " + ec.message());

  WorkspaceInfo info;
  info.lab = lab->number;
  info.student = options.student;
  info.studentKey = options.studentKey.empty() ? studentKey(asBytes(kSelfStudySecret), options.student)
                                               : options.studentKey;
  info.classTag = options.classTag.empty() ? classTag(asBytes(kSelfStudySecret)) : options.classTag;
  info.created = utcNow();
  info.version = versionString();
  if (auto old = openWorkspace(dir); old && old->student == info.student) info.hintsShown = old->hintsShown;
  if (!writeJson(dir / kMetaFile, metaJson(info))) return fail<fs::path>("cannot write " + (dir / kMetaFile).string());

  const Variant variant = info.variant();
  const fs::path home = options.homeDir.empty() ? homeDir() : options.homeDir;
  if (auto err = writeWorkspaceFiles(*lab, variant, dir, home); !err.empty()) return fail<fs::path>(err);
  if (lab->materials) {
    MaterialsEnv env{&variant, dir, home / "certs", options.progress};
    if (auto err = lab->materials(env); !err.empty()) return fail<fs::path>("making your materials failed: " + err);
  }
  return pki::Result<fs::path>::success(dir);
}

bool saveHintsShown(const fs::path& dir, int shown) {
  auto info = openWorkspace(dir);
  if (!info) return false;
  info->hintsShown = shown;
  return writeJson(dir / kMetaFile, metaJson(*info));
}

bool saveResults(const fs::path& dir, const LabReport& report) {
  Json results = Json::array();
  for (const auto& r : report.results)
    results.push_back({{"id", r.id}, {"verdict", verdictName(r.verdict)}, {"detail", r.detail}});
  Json json{{"lab", report.lab ? report.lab->number : 0},
            {"checked_at", utcNow()},
            {"passed", report.passed()},
            {"total", static_cast<int>(report.results.size())},
            {"results", results}};
  return writeJson(dir / kResultsFile, json);
}

Progress progressOf(const std::optional<fs::path>& dir, const LabDefinition& lab) {
  Progress progress;
  progress.total = static_cast<int>(lab.checks.size());
  if (!dir) return progress;
  progress.state = Progress::State::Started;
  auto json = readJson(*dir / kResultsFile);
  if (!json || json->value("lab", 0) != lab.number) return progress;
  progress.state = Progress::State::Checked;
  progress.passed = json->value("passed", 0);
  progress.checkedAt = json->value("checked_at", "");
  return progress;
}

}  // namespace tlslab::course
