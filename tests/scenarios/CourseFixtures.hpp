#pragma once
// C programs for the course's program checks, compiled at test time with the
// system compiler (as a student builds them): the exercises' reference
// solutions, the textbook-style fixtures in tests/scenarios/textbook/, and
// wrong programs made from them by one edit each (what a student gets wrong).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>

#include "support/TestPaths.hpp"
#include "tlslab/scenarios/course/Program.hpp"

namespace tlslab::test {

inline std::filesystem::path exercisesDir() { return sourceDir() / "labs" / "exercises"; }
inline std::filesystem::path textbookDir() { return sourceDir() / "tests" / "scenarios" / "textbook"; }

inline std::string readText(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `text` with `from` replaced by `to`; a test failure when `from` is not there
// (the fixture changed and the edit no longer applies).
inline std::string edited(std::string text, std::string_view from, std::string_view to) {
  auto at = text.find(from);
  if (at == std::string::npos) {
    ADD_FAILURE() << "the edit does not apply: '" << from << "' is not in the source";
    return text;
  }
  return text.replace(at, from.size(), to);
}

// A folder of programs built once per test process and removed at exit.
class ProgramShelf {
 public:
  explicit ProgramShelf(const std::string& name)
      : dir_(std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(dir_);
  }
  ~ProgramShelf() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  const std::filesystem::path& dir() const { return dir_; }

  // Builds `source` as `name` (once); the path of the program, "" on failure.
  std::filesystem::path build(const std::string& name, const std::string& source) {
    if (auto it = built_.find(name); it != built_.end()) return it->second;
    std::ofstream(dir_ / (name + ".c")) << source;
    course::ProgramResult result = course::buildExercise(dir_, name + ".c", name);
    EXPECT_TRUE(result.exitedCleanly()) << name << ": " << result.describe() << "\n" << result.err;
    return built_[name] = result.exitedCleanly() ? dir_ / name : std::filesystem::path();
  }

 private:
  std::filesystem::path dir_;
  std::map<std::string, std::filesystem::path> built_;
};

}  // namespace tlslab::test
