// captures/: every committed sample capture still dissects to the content its
// table entry (and captures/README.md) documents, and so does a set made
// afresh from the lab scenarios — judged by content, not bytes (keys are fresh).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "support/TestPaths.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/scenarios/Captures.hpp"

using namespace tlslab;
namespace fs = std::filesystem;

namespace {

fs::path capturesDir() { return test::sourceDir() / "captures"; }

std::string why(const fs::path& file, const scenarios::CaptureContent& content) {
  keys::KeyStore none;  // the file's own Decryption Secrets Block must be enough
  auto trace = dissect::dissectFile(file, none);
  if (!trace) return trace.error().message();
  return scenarios::checkCaptureContent(trace.value(), content);
}

}  // namespace

TEST(SampleCaptures, EachCommittedCaptureShowsWhatTheReadmeSays) {
  std::uintmax_t total = 0;
  for (const auto& capture : scenarios::sampleCaptures()) {
    const fs::path file = capturesDir() / std::string(capture.file);
    ASSERT_TRUE(fs::exists(file)) << file << ": run `tlslab captures regenerate`";
    EXPECT_LT(fs::file_size(file), 1024u * 1024) << capture.file;
    total += fs::file_size(file);
    EXPECT_EQ(why(file, capture.content), "") << capture.file;
  }
  EXPECT_LT(total, 5u * 1024 * 1024);
}

TEST(SampleCaptures, TheReadmeListsExactlyTheCapturesOfTheTable) {
  std::ifstream in(capturesDir() / "README.md");
  const std::string readme((std::istreambuf_iterator<char>(in)), {});
  std::set<std::string> listed;
  for (const auto& capture : scenarios::sampleCaptures()) {
    listed.insert(std::string(capture.file));
    EXPECT_NE(readme.find("| `" + std::string(capture.file) + "` | " + std::string(capture.shows)), std::string::npos)
        << capture.file << " is not in captures/README.md with its description";
  }
  for (const auto& entry : fs::directory_iterator(capturesDir())) {
    if (entry.path().extension() == ".pcapng") {
      EXPECT_TRUE(listed.count(entry.path().filename().string())) << entry.path() << " is in no table entry";
    }
  }
}

TEST(SampleCaptures, ARegeneratedSetShowsTheSameContent) {
  const fs::path out = fs::temp_directory_path() / ("tlslab-captures-" + std::to_string(::getpid()));
  fs::create_directories(out);
  for (const auto& capture : scenarios::sampleCaptures()) {
    std::string error;
    const std::string pcapng = capture.make(test::sourceDir() / "certs", error);
    ASSERT_FALSE(pcapng.empty()) << capture.file << ": " << error;
    const fs::path file = out / std::string(capture.file);
    std::ofstream(file, std::ios::binary) << pcapng;
    EXPECT_EQ(why(file, capture.content), "") << capture.file;
  }
  fs::remove_all(out);
}

TEST(SampleCaptures, AContentCheckNamesWhatDiffers) {
  const auto& table = scenarios::sampleCaptures();
  const fs::path tls13 = capturesDir() / std::string(table.front().file);
  scenarios::CaptureContent wrong = table.front().content;
  wrong.version = 0x0303;
  EXPECT_NE(why(tls13, wrong).find("not 0x0303"), std::string::npos);
  wrong = table.front().content;
  wrong.resumption = model::Resumption::Psk;
  EXPECT_NE(why(tls13, wrong).find("not «psk»"), std::string::npos);
  wrong = table.front().content;
  wrong.plaintext = {"password=hunter2"};
  EXPECT_NE(why(tls13, wrong).find("is not among the decrypted bytes"), std::string::npos);
}
