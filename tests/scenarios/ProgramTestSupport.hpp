#pragma once
// Shared by the course_program*_test.cpp files: a ProgramSpec built field by
// field, and a fixture with a scratch folder that compiles small C programs
// with the system compiler (what students use).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tlslab/scenarios/course/Program.hpp"

namespace tlslab::test {

// ProgramSpec with only some fields set (GCC 12 warns on partial designated initializers).
struct Spec {
  course::ProgramSpec spec;
  explicit Spec(std::vector<std::string> argv) { spec.argv = std::move(argv); }
  Spec& cwd(const std::filesystem::path& dir) { spec.cwd = dir; return *this; }
  Spec& timeout(std::chrono::milliseconds t) { spec.timeout = t; return *this; }
  Spec& stdinText(std::string text) { spec.stdinText = std::move(text); return *this; }
  Spec& keepStdinOpen() { spec.keepStdinOpen = true; return *this; }
  Spec& unbuffered() { spec.unbufferedOutput = true; return *this; }
  Spec& env(std::vector<std::string> entries) { spec.env = std::move(entries); return *this; }
  Spec& hosts(std::vector<course::HostsEntry> entries) { spec.hosts = std::move(entries); return *this; }
  course::ProgramResult run() const { return course::runProgram(spec); }
};

class ProgramTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("tlslab-program-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    // The unprivileged tests run programs from here as nobody.
    std::filesystem::permissions(dir_, std::filesystem::perms::all);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path compile(const std::string& name, const std::string& source) {
    std::ofstream(dir_ / (name + ".c")) << source;
    course::ProgramResult built =
        Spec({"cc", "-O1", "-o", name, name + ".c"}).cwd(dir_).timeout(std::chrono::seconds(60)).run();
    EXPECT_TRUE(built.exitedCleanly()) << built.describe() << "\n" << built.err;
    return dir_ / name;
  }

  std::filesystem::path dir_;
};

}  // namespace tlslab::test
