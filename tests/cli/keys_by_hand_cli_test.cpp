// Every byte of a lab run reproducible by hand: a real lab run saved with
// `--save` (pcapng with the key log inside, ephemeral keys beside it), then
// `tlslab keys explain --capture --ephemeral-keys --json`, then every step's
// by-hand command (openssl kdf / pkeyutl, tlslab keys pem / derive, cut) run
// in a shell in a fresh folder: each must print exactly the step's value.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/TestPaths.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::test {
namespace {
namespace fs = std::filesystem;

struct Workdir {
  fs::path path;
  explicit Workdir(const std::string& name)
      : path(fs::temp_directory_path() / ("tlslab-byhand-" + std::to_string(::getpid()) + "-" + name)) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Workdir() { fs::remove_all(path); }
};

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

// The hex a command printed: `openssl kdf` prints AB:CD:..., `tlslab keys
// derive` a whole step with an "output (N bytes): hex" line, od plain hex.
std::string printedHex(const std::string& out) {
  const auto at = out.find("output (");
  std::string text = out;
  if (at != std::string::npos) {
    const auto colon = out.find("): ", at);
    text = out.substr(colon + 3, out.find('\n', colon) - colon - 3);
  }
  std::string hex;
  for (char c : text)
    if (std::isxdigit(static_cast<unsigned char>(c))) hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return hex;
}

nlohmann::json savedRunSteps(const Workdir& dir, const std::string& labOptions, std::string& log) {
  const fs::path pcapng = dir.path / "run.pcapng", keys = dir.path / "run.ephemeral-keys";
  auto ran = run("cd " + quoted(dir.path) + " && " + tlslabExe().string() + " lab run handshake --quiet --save run.pcapng " +
                 labOptions);
  log = ran.out;
  EXPECT_EQ(ran.exitCode, 0) << ran.out;
  EXPECT_TRUE(fs::exists(keys)) << ran.out;
  auto explained = run(tlslabExe().string() + " keys explain --json --capture " + quoted(pcapng) +
                       " --ephemeral-keys " + quoted(keys) + " 2>/dev/null");
  EXPECT_EQ(explained.exitCode, 0) << explained.out;
  auto json = nlohmann::json::parse(explained.out, nullptr, false);
  if (json.is_discarded() || json["connections"].size() != 1) {
    ADD_FAILURE() << "expected one explained connection: " << explained.out.substr(0, 2000);
    return nlohmann::json::array();
  }
  return json["connections"][0]["steps"];
}

// Runs every step's command in its own empty folder (with tlslab first on
// PATH) and compares what it printed with the step's value. Returns how many ran.
int runEveryCommand(const nlohmann::json& steps, const std::string& name) {
  Workdir dir(name + "-commands");
  const std::string path = "PATH=" + quoted(tlslabExe().parent_path()) + ":\"$PATH\"";
  int ran = 0;
  for (const auto& step : steps) {
    const std::string status = step["status"], command = step["command"], stepName = step["name"];
    EXPECT_NE(status, "failed") << stepName << ": " << step["note"];
    if (command.empty()) {
      // Only comparisons compute nothing new; every derived value has its command.
      const std::string function = step["function"];
      EXPECT_TRUE(function.rfind("compare", 0) == 0 || status == "not derivable" || status == "from key log")
          << stepName << " (" << status << ") has no by-hand command";
      continue;
    }
    const fs::path script = dir.path / "step.sh";
    std::ofstream(script) << "set -e\ncd " << quoted(dir.path) << "\n" << command << "\n";
    auto out = run(path + " bash " + quoted(script) + " 2>&1");
    EXPECT_EQ(out.exitCode, 0) << stepName << ":\n" << command << "\n" << out.out;
    // The last command's output: the PEM lines before it say "wrote ...".
    std::string last = out.out;
    if (auto wrote = last.rfind("wrote "); wrote != std::string::npos && command.find("pkeyutl") != std::string::npos)
      last = last.substr(last.find('\n', wrote) + 1);
    EXPECT_EQ(printedHex(last), std::string(step["output"])) << stepName << ":\n" << command << "\n" << out.out;
    ++ran;
  }
  return ran;
}

struct ByHandCase {
  const char* name;
  const char* options;
  const char* agreement;  // in the first step's function
  int minCommands;
};

class KeysByHand : public ::testing::TestWithParam<ByHandCase> {};

TEST_P(KeysByHand, EveryStepsCommandPrintsTheStepsValue) {
  const ByHandCase& c = GetParam();
  Workdir dir(c.name);
  std::string log;
  const nlohmann::json steps = savedRunSteps(dir, c.options, log);
  ASSERT_FALSE(steps.empty()) << log;
  EXPECT_NE(std::string(steps[0]["function"]).find(c.agreement), std::string::npos) << steps[0]["function"];
  EXPECT_NE(log.find("key schedule (client -> bank32.com): "), std::string::npos) << log;
  EXPECT_GE(runEveryCommand(steps, c.name), c.minCommands);
}

INSTANTIATE_TEST_SUITE_P(
    LabRuns, KeysByHand,
    ::testing::Values(ByHandCase{"tls13-x25519", "", "x25519", 24},
                      ByHandCase{"tls13-p256", "--groups P-256", "secp256r1", 24},
                      ByHandCase{"tls12-ecdhe", "--tls 1.2 --ciphers ECDHE-RSA-AES128-GCM-SHA256", "x25519", 9},
                      ByHandCase{"tls12-dhe", "--tls 1.2 --ciphers DHE-RSA-AES128-GCM-SHA256", "DH dh", 9}),
    [](const auto& param) {
      std::string name = param.param.name;
      for (char& ch : name)
        if (ch == '-') ch = '_';
      return name;
    });

TEST(KeysByHandCli, TheSavedCaptureHoldsNoPrivateKeyAndAloneSaysNotDerivable) {
  Workdir dir("no-keys");
  std::string log;
  savedRunSteps(dir, "", log);
  std::ifstream keysFile(dir.path / "run.ephemeral-keys");
  std::ostringstream pcapng;
  pcapng << std::ifstream(dir.path / "run.pcapng", std::ios::binary).rdbuf();
  int privateKeys = 0;
  for (std::string line; std::getline(keysFile, line);) {
    if (line.rfind("EPHEMERAL_KEY", 0) != 0) continue;
    std::istringstream words(line);
    std::string tag, group, share, priv;
    words >> tag >> group >> share >> priv;
    auto bytes = fromHex(priv);
    ASSERT_TRUE(bytes) << line;
    EXPECT_EQ(pcapng.str().find(std::string(bytes->begin(), bytes->end())), std::string::npos)
        << "the capture holds a private key";
    ++privateKeys;
  }
  EXPECT_EQ(privateKeys, 2) << "client and server key of the one connection";
  auto alone = run(tlslabExe().string() + " keys explain --capture " + quoted(dir.path / "run.pcapng"));
  EXPECT_EQ(alone.exitCode, 0) << alone.out;
  EXPECT_NE(alone.out.find("[?? not derivable] (EC)DHE shared secret"), std::string::npos) << alone.out;
  EXPECT_NE(alone.out.find("forward secrecy"), std::string::npos) << alone.out;
  EXPECT_NE(alone.out.find("--ephemeral-keys"), std::string::npos) << alone.out;
  EXPECT_NE(alone.out.find("[<- key log] client_handshake_traffic_secret"), std::string::npos) << alone.out;
}

TEST(KeysByHandCli, PemRejectsAKeyShareOfTheWrongSizeNamingTheGroup) {
  Workdir dir("pem-bad");
  auto r = run(tlslabExe().string() + " keys pem --group x25519 --public 0102 --out " + quoted(dir.path / "x.pem"));
  EXPECT_EQ(r.exitCode, 2) << r.out;
  EXPECT_NE(r.out.find("x25519 public keys are 32 bytes"), std::string::npos) << r.out;
  auto unknown = run(tlslabExe().string() + " keys pem --group brainpool --public 01 --out " + quoted(dir.path / "x.pem"));
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_NE(unknown.out.find("unknown --group"), std::string::npos) << unknown.out;
}

TEST(KeysByHandCli, LabRunKeysPrintsEveryStepWithItsCommand) {
  Workdir dir("lab-keys");
  auto r = run("cd " + quoted(dir.path) + " && " + tlslabExe().string() + " lab run handshake --quiet --keys");
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_NE(r.out.find("== key schedule: client -> bank32.com"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[=] (EC)DHE shared secret"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("$ openssl pkeyutl -derive -inkey server-ephemeral.pem -peerkey client-key-share.pem"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("[OK verified] client_handshake_traffic_secret"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("equals the key log's CLIENT_HANDSHAKE_TRAFFIC_SECRET"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace tlslab::test
