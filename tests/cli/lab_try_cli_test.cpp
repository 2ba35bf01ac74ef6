// `tlslab lab try`: the real binary, a real workspace, the student's program
// built with `tlslab lab build` — how a student watches the MITM succeed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/TestPaths.hpp"

using namespace tlslab::test;
namespace fs = std::filesystem;

namespace {

class LabTryCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tlslab-lab-try-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  CommandResult in(const fs::path& dir, const std::string& args) {
    return run("cd '" + dir.string() + "' && " + tlslabExe().string() + " " + args);
  }

  // A workspace of `lab` for alice whose program is `source` with one edit, built by `tlslab lab build`.
  fs::path workspaceWith(int lab, const std::string& source, const std::string& from = "", const std::string& to = "") {
    EXPECT_EQ(in(dir_, "lab start " + std::to_string(lab) + " --student alice 2>/dev/null").exitCode, 0);
    fs::path ws = dir_ / ("tlslab-lab-" + std::to_string(lab));
    std::ifstream in(sourceDir() / "labs" / "exercises" / "solutions" / source);
    std::stringstream text;
    text << in.rdbuf();
    std::string code = text.str();
    if (!from.empty()) {
      auto at = code.find(from);
      EXPECT_NE(at, std::string::npos) << from;
      if (at != std::string::npos) code.replace(at, from.size(), to);
    }
    std::ofstream(ws / source, std::ios::trunc) << code;
    auto built = this->in(ws, "lab build " + std::to_string(lab));
    EXPECT_EQ(built.exitCode, 0) << built.out;
    return ws;
  }

  fs::path dir_;
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_F(LabTryCli, StudentWatchesTheAttackerReadTheRequestOfAClientWithoutTheHostCheck) {
  fs::path ws = workspaceWith(6, "tls_client.c", "X509_VERIFY_PARAM_set1_host(param, hostname, 0);", "");
  auto tried = in(ws, "lab try 6 --against attacker 2>/dev/null");
  EXPECT_EQ(tried.exitCode, 1) << tried.out;
  EXPECT_TRUE(has(tried.out, "── attacker (attacker-own): bank32.com -> 127.0.0.66")) << tried.out;
  EXPECT_TRUE(has(tried.out, "attacker: the victim sent «GET / HTTP/1.1»"));
  EXPECT_TRUE(has(tried.out, "attacker: relayed the page back to the victim"));
  EXPECT_TRUE(has(tried.out, "carrying the page token "));
  EXPECT_TRUE(has(tried.out, "FAIL: your client sent «GET / HTTP/1.1» to the attacker"));
  EXPECT_TRUE(has(tried.out, "verify depth 0: ok /O=tlslab/CN=attacker32.com"));  // what the program printed
}

TEST_F(LabTryCli, CorrectClientPassesAndAGalleryEntryIsNarrated) {
  fs::path ws = workspaceWith(4, "tls_client.c");
  auto server = in(ws, "lab try 4 2>/dev/null");
  EXPECT_EQ(server.exitCode, 0) << server.out;
  EXPECT_TRUE(has(server.out, "PASS: your client printed the lab server's page with your token"));
  auto expired = in(ws, "lab try 4 --against expired 2>/dev/null");
  EXPECT_EQ(expired.exitCode, 0) << expired.out;
  EXPECT_TRUE(has(expired.out, "── gallery expired"));
  EXPECT_TRUE(has(expired.out, "verify depth 0: error 10 (certificate has expired)"));
  EXPECT_TRUE(has(expired.out, "aborted with the alert certificate_expired (45)"));
}

TEST_F(LabTryCli, ServerIsTriedWithTheRealClients) {
  fs::path ws = workspaceWith(7, "tls_server.c");
  auto tried = in(ws, "lab try 7 --against mtls 2>/dev/null");
  EXPECT_EQ(tried.exitCode, 0) << tried.out;
  EXPECT_TRUE(has(tried.out, "── tlslab LabClient with student01")) << tried.out;
  EXPECT_TRUE(has(tried.out, "<- certificate_request"));
  EXPECT_TRUE(has(tried.out, "── tlslab LabClient with no certificate (must be refused)"));
  EXPECT_TRUE(has(tried.out, "certificate_required (116)"));
}

TEST_F(LabTryCli, BadUsageExitsTwoWithAMessage) {
  fs::path ws = workspaceWith(4, "tls_client.c");
  auto against = in(ws, "lab try 4 --against nowhere 2>&1");
  EXPECT_EQ(against.exitCode, 2);
  EXPECT_TRUE(has(against.out, "--against nowhere: expected server, gallery, attacker or a gallery entry")) << against.out;
  auto noProgram = in(dir_, "lab try 4 --student alice --program ./missing 2>&1");
  EXPECT_EQ(noProgram.exitCode, 2);
  EXPECT_TRUE(has(noProgram.out, "missing: no such file")) << noProgram.out;
  auto noExercise = in(dir_, "lab try 1 --student alice 2>&1");
  EXPECT_EQ(noExercise.exitCode, 2);
  EXPECT_TRUE(has(noExercise.out, "lab 1 has no program to try")) << noExercise.out;
}
