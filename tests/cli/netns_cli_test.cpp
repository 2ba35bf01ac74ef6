// `tlslab lab run mitm --netns`: the attack on three network namespaces, and
// the plain refusal without the privileges it needs.
#include <unistd.h>

#include <filesystem>
#include <regex>

#include <gtest/gtest.h>

#include "support/TestPaths.hpp"

using namespace tlslab::test;

namespace {
std::string cli(const std::string& args) { return tlslabExe().string() + " " + args; }
}  // namespace

TEST(NetnsCli, MitmStoryRunsOnThreeNamespacesAndRemovesThem) {
  if (::geteuid() != 0) GTEST_SKIP() << "network namespaces need root";
  auto result = run(cli("lab run mitm --netns --quiet"));
  ASSERT_EQ(result.exitCode, 0) << result.out;
  EXPECT_NE(result.out.find("victim 10.66.0.2 ==== 10.66.0.1 attacker 10.32.0.1 ==== 10.32.0.2 server"),
            std::string::npos) << result.out;
  EXPECT_NE(result.out.find("victim ⇄ proxy (10.66.0.1)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("attacker's log: user=alice&password=hunter2"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("the victim aborted: HOSTNAME_MISMATCH @0"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("self-check (victim -> proxy): ✓"), std::string::npos) << result.out;
  // Every namespace it says it made is gone when it exits.
  std::smatch m;
  std::string rest = result.out;
  int made = 0;
  for (std::regex add("ip netns add (tlslab-[0-9a-z-]+)"); std::regex_search(rest, m, add); rest = m.suffix(), ++made)
    EXPECT_FALSE(std::filesystem::exists("/run/netns/" + m[1].str())) << m[1] << " left behind";
  EXPECT_EQ(made, 3);
}

TEST(NetnsCli, MatrixOnNamespacesMatchesTheLab) {
  if (::geteuid() != 0) GTEST_SKIP() << "network namespaces need root";
  auto result = run(cli("lab run mitm --netns --matrix"));
  EXPECT_EQ(result.exitCode, 0) << result.out;
  EXPECT_NE(result.out.find("30 of 30 outcomes as the lab expects"), std::string::npos) << result.out;
}

TEST(NetnsCli, WithoutTheCapabilitiesItSaysWhatIsNeeded) {
  // As root, drop the two capabilities for the child (setpriv, util-linux);
  // as another user it lacks them anyway.
  std::string prefix = ::geteuid() == 0 ? "setpriv --bounding-set=-sys_admin,-net_admin " : "";
  auto result = run(prefix + cli("lab run mitm --netns"));
  EXPECT_EQ(result.exitCode, 1) << result.out;
  EXPECT_NE(result.out.find("needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN)"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("The man-in-the-middle lab"), std::string::npos) << "it must stop before running";
}

TEST(NetnsCli, OnlyTheMitmLabHasANetwork) {
  auto result = run(cli("lab run handshake --netns"));
  EXPECT_EQ(result.exitCode, 2) << result.out;
  EXPECT_NE(result.out.find("--netns is for the mitm lab only"), std::string::npos) << result.out;
}
