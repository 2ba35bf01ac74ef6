// `tlslab lab run real-clients` as a student runs it: the real binary, the
// real clients of this machine against the attacker's proxy on 127.0.0.66.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/TestPaths.hpp"

using namespace tlslab::test;
namespace fs = std::filesystem;

namespace {
std::string cli(const std::string& args) { return tlslabExe().string() + " lab run real-clients " + args; }
bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST(LabRealClientsCli, PrintsTheTableTheCommandsTheLessonAndTheScreenshot) {
  const fs::path shot = fs::temp_directory_path() / ("tlslab-cli-error-page-" + std::to_string(::getpid()) + ".png");
  auto result = run(cli("--password cobalt-lynx-1234 --screenshot " + shot.string() + " 2>/dev/null"));
  EXPECT_EQ(result.exitCode, 0) << result.out;
  const std::string& out = result.out;
  EXPECT_TRUE(has(out, "     127.0.0.66 bank32.com\n")) << out;
  EXPECT_TRUE(has(out, "client                            | accepted the attacker? | sent the password? | its words")) << out;
  // Facts about Debian's packages, as the run found them.
  EXPECT_TRUE(has(out, "curl                              | no, it refused         | no                 | curl: (60) SSL: no alternative certificate subject name matches target host name 'bank32.com'")) << out;
  EXPECT_TRUE(has(out, "curl -k                           | YES                    | YES                | Welcome back.")) << out;
  EXPECT_TRUE(has(out, "openssl s_client                  | YES                    | YES                | Verify return code: 0 (ok)")) << out;
  EXPECT_TRUE(has(out, "  curl -k                            1 TLS connection, logged: user=alice&password=cobalt-lynx-1234")) << out;
  EXPECT_TRUE(has(out, "  curl -sS -k -d 'user=alice&password=cobalt-lynx-1234' https://bank32.com:")) << out;
  EXPECT_TRUE(has(out, "  Sent the password to the attacker: curl -k, openssl s_client\n")) << out;
  EXPECT_TRUE(has(out, "The fix: verify the chain AND the host name")) << out;
  if (has(out, "chromium                          | no, it refused")) {
    EXPECT_TRUE(has(out, "net::ERR_CERT_COMMON_NAME_INVALID")) << out;
    EXPECT_TRUE(has(out, "Chromium's error page, as it showed it: " + shot.string())) << out;
    EXPECT_TRUE(fs::is_regular_file(shot));
  }
  std::error_code ec;
  fs::remove(shot, ec);
}

TEST(LabRealClientsCli, JsonNamesTheClientsThatSentThePassword) {
  auto result = run(cli("--json --strategy rogue-ca"));
  ASSERT_EQ(result.exitCode, 0) << result.out;
  auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["strategy"], "rogue-ca");
  EXPECT_EQ(json["consistent"], true);
  EXPECT_EQ(json["hosts_line"], "127.0.0.66 bank32.com\n");
  ASSERT_EQ(json["clients"].size(), 8u);
  for (const auto& client : json["clients"]) {
    if (client["state"] != "ran") continue;
    EXPECT_EQ(client["consistent"], true) << client.dump();
    EXPECT_EQ(client["password_sent"], !client["refused"].get<bool>()) << client.dump();
  }
  // With a chain the lab root does not vouch for, only the clients that never stop send it.
  EXPECT_EQ(json["password_senders"], nlohmann::json::array({"curl -k", "openssl s_client"})) << result.out;
}

TEST(LabRealClientsCli, BadUsageIsRefusedWithTheReason) {
  auto strategy = run(cli("--strategy nonsense"));
  EXPECT_EQ(strategy.exitCode, 2);
  EXPECT_TRUE(has(strategy.out, "--strategy is one of attacker-own, self-signed, rogue-ca, forged, leaf-signed-leaf")) << strategy.out;
  auto password = run(cli("--password 'a b'"));
  EXPECT_EQ(password.exitCode, 2);
  EXPECT_TRUE(has(password.out, "--password may use letters, digits, '.', '_' and '-' only")) << password.out;
  auto shot = run(cli("--screenshot /nonexistent/dir/x.png"));
  EXPECT_EQ(shot.exitCode, 1);
  EXPECT_TRUE(has(shot.out, "the screenshot's folder does not exist: /nonexistent/dir")) << shot.out;
}
