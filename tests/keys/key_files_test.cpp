// Key files from hostile or mistaken paths: a device, a directory, a huge
// file, a file of garbage lines. Each is refused or read in bounded memory
// with a bounded number of diagnostics, and says which file and why.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tlslab/keys/KeyLog.hpp"
#include "tlslab/keys/KeyStore.hpp"

using namespace tlslab;
namespace fs = std::filesystem;

namespace {

const std::string kRandom(64, 'a');
const std::string kMaster(96, 'b');

class KeyFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tlslab-key-files-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

long peakRssKb() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

TEST_F(KeyFiles, DevicesAndDirectoriesAreRefusedByName) {
  keys::KeyStore store;
  auto zero = store.addKeyLogFile("/dev/zero");
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().find("/dev/zero is not a regular file"), std::string::npos) << zero.error();
  auto rsa = store.addPrivateKeyFile("/dev/zero");
  ASSERT_FALSE(rsa);
  EXPECT_NE(rsa.error().find("not a regular file"), std::string::npos) << rsa.error();
  auto folder = store.addKeyLogFile(dir_);
  ASSERT_FALSE(folder);
  EXPECT_NE(folder.error().find("is a directory"), std::string::npos) << folder.error();
  auto rsaFolder = store.addPrivateKeyFile(dir_);
  ASSERT_FALSE(rsaFolder);
  EXPECT_NE(rsaFolder.error().find("is a directory"), std::string::npos) << rsaFolder.error();
  auto ephemeral = store.addEphemeralKeyFile("/dev/zero");
  ASSERT_FALSE(ephemeral);
  EXPECT_NE(ephemeral.error().find("not a regular file"), std::string::npos) << ephemeral.error();
  auto missing = store.addKeyLogFile(dir_ / "nope.log");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("nope.log: no such file"), std::string::npos) << missing.error();
}

TEST_F(KeyFiles, AnOversizedPrivateKeyFileIsRefusedUnread) {
  const fs::path big = dir_ / "big.pem";
  std::ofstream{big}.close();
  fs::resize_file(big, 8u << 20);  // 8 MiB of zeros, sparse
  keys::KeyStore store;
  auto loaded = store.addPrivateKeyFile(big);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().find("big.pem is 8388608 bytes"), std::string::npos) << loaded.error();
}

TEST_F(KeyFiles, AKeyLogOfOneEndlessLineIsReadInBoundedMemory) {
  // 256 MiB without a newline (sparse): read whole, it would take that much.
  const fs::path endless = dir_ / "zeros.log";
  std::ofstream{endless}.close();
  fs::resize_file(endless, 256u << 20);
  const long before = peakRssKb();
  keys::KeyStore store;
  auto loaded = store.addKeyLogFile(endless);
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_LT(peakRssKb() - before, 64 * 1024) << "peak RSS grew by more than 64 MB";
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ((*loaded)[0].where, "zeros.log line 1");
  EXPECT_NE((*loaded)[0].message.find("longer than 4096 bytes"), std::string::npos) << (*loaded)[0].message;
}

TEST_F(KeyFiles, GarbageLinesAreCountedNotListedOneByOne) {
  const fs::path noisy = dir_ / "noisy.log";
  {
    std::ofstream out(noisy);
    for (int i = 0; i < 5000; ++i) out << "not a key log line " << i << "\n";
    out << "CLIENT_RANDOM " << kRandom << " " << kMaster << "\n";
    out << std::string(10000, 'x') << "\n";
  }
  keys::KeyStore store;
  auto loaded = store.addKeyLogFile(noisy);
  ASSERT_TRUE(loaded) << loaded.error();
  ASSERT_EQ(loaded->size(), keys::kMaxKeyLogDiagnostics + 1);
  EXPECT_EQ(loaded->front().where, "noisy.log line 1");
  EXPECT_NE(loaded->back().message.find("5001 of 5002 lines were not usable key log lines; only the first 20 are listed"),
            std::string::npos)
      << loaded->back().message;
  // The one good line among them is still used.
  EXPECT_NE(store.findByClientRandom(*fromHex(kRandom)), nullptr);
}

TEST(KeyLogStream, ReadsTheSameEntriesAsTheWholeText) {
  std::string text = "# comment\r\nCLIENT_RANDOM " + kRandom + " " + kMaster + "\r\n\nbad line\n" +
                     "SERVER_HANDSHAKE_TRAFFIC_SECRET " + kRandom + " " + std::string(64, 'c');  // no final newline
  std::istringstream in(text);
  const auto streamed = keys::parseKeyLogStream(in, "s.log");
  const auto whole = keys::parseKeyLog(text, "s.log");
  ASSERT_EQ(streamed.entries.size(), 2u);
  ASSERT_EQ(whole.entries.size(), 2u);
  EXPECT_EQ(streamed.lines, whole.lines);
  EXPECT_EQ(streamed.entries[1].line, whole.entries[1].line);
  EXPECT_EQ(streamed.entries[1].secret, whole.entries[1].secret);
  ASSERT_EQ(streamed.diagnostics.size(), 1u);
  EXPECT_EQ(streamed.diagnostics[0].where, whole.diagnostics[0].where);
  EXPECT_EQ(streamed.diagnostics[0].offset, whole.diagnostics[0].offset);
}
