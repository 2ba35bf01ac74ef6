// Every tutorial is a claim about the program (tutorials/README.md): each
// `runnable` block runs here, in order, in one shell per tutorial, like a
// student typing them; each `text output` block must appear in what its
// command printed, and each block must end with the status it is tagged with.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/TestPaths.hpp"
#include "tlslab/scenarios/QuicLab.hpp"
#include "tlslab/scenarios/course/Program.hpp"
#include "tlslab/scenarios/course/Tutorial.hpp"

using namespace tlslab;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> courseTutorials() {
  std::vector<std::string> names;
  // NN-name.md: the course's tutorials (README.md describes the format);
  // name.md: the pages a lab's tutorial points to (the gallery); and
  // drafts/NN-name.md, tested the same before they become a lab's tutorial.
  for (const std::string folder : {"", "drafts/"}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(test::sourceDir() / "tutorials" / folder, ec))
      if (entry.path().extension() == ".md" && entry.path().filename() != "README.md")
        names.push_back(folder + entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string readFile(const fs::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool available(const std::string& need) {
  if (need == "root") return ::geteuid() == 0;
  if (need == "chromium") return fs::exists("/usr/bin/chromium");
  if (need == "ngtcp2") return scenarios::quicLabPrerequisites().empty();  // lab 15: gtlsserver, gtlsclient
  return false;
}

constexpr const char* kBegin = "@@tlslab-tutorial-step ";
constexpr const char* kEnd = "@@tlslab-tutorial-status ";

// One bash script for the whole tutorial, with markers around each step.
std::string scriptOf(const std::vector<course::TutorialStep>& steps, std::vector<bool>& skipped) {
  std::string script = "set +e\n";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    bool skip = false;
    for (const auto& need : steps[i].needs) skip |= !available(need);
    skipped.push_back(skip);
    script += "echo '" + std::string(kBegin) + std::to_string(i) + "'\n";
    if (skip) continue;
    script += "{\n" + steps[i].script + "\n} 2>&1\n";
    script += "echo \"" + std::string(kEnd) + std::to_string(i) + " $?\"\n";
  }
  return script;
}

struct StepOutput {
  std::string text;
  int status = -1;
  bool ran = false;
};

std::vector<StepOutput> splitOutput(const std::string& out, std::size_t steps) {
  std::vector<StepOutput> result(steps);
  std::istringstream in(out);
  long current = -1;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(kBegin, 0) == 0) {
      current = std::stol(line.substr(std::strlen(kBegin)));
      continue;
    }
    if (line.rfind(kEnd, 0) == 0) {
      std::istringstream fields(line.substr(std::strlen(kEnd)));
      long index = -1;
      int status = -1;
      fields >> index >> status;
      if (index >= 0 && static_cast<std::size_t>(index) < steps) {
        result[index].status = status;
        result[index].ran = true;
      }
      current = -1;
      continue;
    }
    if (current >= 0 && static_cast<std::size_t>(current) < steps) result[current].text += line + "\n";
  }
  return result;
}

class Tutorial : public ::testing::TestWithParam<std::string> {};

TEST_P(Tutorial, EveryCommandRunsAndPrintsWhatTheTextSays) {
  const fs::path file = test::sourceDir() / "tutorials" / GetParam();
  const auto steps = course::tutorialSteps(readFile(file));
  ASSERT_FALSE(steps.empty()) << GetParam() << " has no runnable block";
  std::string workName = GetParam();
  std::replace(workName.begin(), workName.end(), '/', '_');
  const fs::path work = fs::temp_directory_path() / ("tlslab-tutorial-" + std::to_string(::getpid()) + "-" + workName);
  fs::remove_all(work);
  fs::create_directories(work / "home");
  std::vector<bool> skipped;
  const std::string script = scriptOf(steps, skipped);
  int total = 0;
  for (const auto& s : steps) total += s.timeoutSeconds;

  course::ProgramSpec spec;
  spec.argv = {"bash", "-c", script};
  spec.cwd = work;
  spec.env = {"PATH=" + test::binaryDir().string() + ":" + std::getenv("PATH"), "HOME=" + (work / "home").string(),
              "TLSLAB_HOME=" + test::sourceDir().string(), "TLSLAB_NO_GUI=1", "USER=student", "LC_ALL=C.UTF-8"};
  spec.timeout = std::chrono::seconds(total);
  spec.outputLimit = 8 << 20;
  course::ProgramResult result = course::runProgram(spec);
  ASSERT_TRUE(result.started) << result.startError;
  ASSERT_FALSE(result.timedOut) << GetParam() << ": the steps did not finish in " << total << " s\n" << result.out;
  const auto outputs = splitOutput(result.out, steps.size());
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& step = steps[i];
    const std::string where = GetParam() + ":" + std::to_string(step.line) + " (" + step.section + ")";
    if (skipped[i]) {
      std::cout << "[ SKIPPED  ] " << where << ": needs what this machine lacks\n";
      continue;
    }
    ASSERT_TRUE(outputs[i].ran) << where << " did not run to its end\n" << step.script << "\n--- output ---\n" << outputs[i].text;
    EXPECT_EQ(outputs[i].status, step.exitCode)
        << where << " ended with status " << outputs[i].status << "\n" << step.script << "\n--- output ---\n" << outputs[i].text;
    // An output block of nothing but "…" would claim nothing.
    if (!step.expected.empty()) {
      bool claims = false;
      for (const auto& line : step.expected) claims |= line != "…" && line != "...";
      EXPECT_TRUE(claims) << where << ": its output block holds only '…'";
    }
    std::string why;
    EXPECT_TRUE(course::outputMatches(outputs[i].text, step.expected, &why))
        << where << ": " << why << "\n" << step.script << "\n--- output ---\n" << outputs[i].text;
  }
  fs::remove_all(work);
}

INSTANTIATE_TEST_SUITE_P(Course, Tutorial, ::testing::ValuesIn(courseTutorials()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name;
                           for (char c : param.param.substr(0, param.param.size() - 3))
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

}  // namespace
