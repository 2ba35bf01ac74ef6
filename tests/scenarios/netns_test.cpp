// The MITM lab's --netns topology: three real network namespaces joined by
// veth pairs (NetnsTopology.hpp). Needs root; CI runs as root, so these skip
// only where a person runs the tests unprivileged.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "support/TestPaths.hpp"
#include "tlslab/endpoints/LabNetns.hpp"
#include "tlslab/scenarios/MitmLab.hpp"
#include "tlslab/scenarios/NetnsTopology.hpp"
#include "tlslab/scenarios/RunTrace.hpp"

using namespace tlslab::scenarios;
using tlslab::endpoints::AttackerCertificate;
using Host = NetnsTopology::Host;

namespace {

// Namespaces this test process made and has not removed.
std::vector<std::string> ourNamespaces() {
  std::vector<std::string> names;
  std::string prefix = "tlslab-" + std::to_string(::getpid()) + "-";
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/run/netns", ec))
    if (e.path().filename().string().rfind(prefix, 0) == 0) names.push_back(e.path().filename().string());
  return names;
}

std::uint64_t inodeOf(const std::string& name) {
  struct stat st {};
  return ::stat(("/run/netns/" + name).c_str(), &st) == 0 ? st.st_ino : 0;
}

class Netns : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "network namespaces need root: " << NetnsTopology::unavailableReason();
    auto created = NetnsTopology::create();
    ASSERT_TRUE(created) << created.error();
    topology = std::move(created.value());
  }
  void TearDown() override {
    if (::geteuid() != 0) return;
    topology.reset();
    EXPECT_EQ(ourNamespaces(), std::vector<std::string>{}) << "namespaces left behind";
  }
  MitmOutcome run(AttackerCertificate strategy, VictimMode victim) {
    MitmLabOptions options;
    options.certsDir = tlslab::test::sourceDir() / "certs";
    options.netns = topology.get();
    return runMitm(strategy, victim, options);
  }
  std::unique_ptr<NetnsTopology> topology;
};

}  // namespace

TEST_F(Netns, ScopeMovesOnlyThisThreadAndNewThreadsInheritIt) {
  const std::uint64_t home = tlslab::endpoints::currentNetns();
  std::uint64_t spawned = 0, inside = 0;
  {
    NetnsTopology::Scope scope(*topology, Host::Victim);
    ASSERT_TRUE(scope.ok()) << scope.error();
    inside = tlslab::endpoints::currentNetns();
    std::thread([&] { spawned = tlslab::endpoints::currentNetns(); }).join();
    EXPECT_TRUE(tlslab::endpoints::inLabNetns());
  }
  EXPECT_EQ(inside, inodeOf(topology->name(Host::Victim)));
  EXPECT_EQ(spawned, inside);  // a thread starts in its creator's namespace
  EXPECT_EQ(tlslab::endpoints::currentNetns(), home);  // and the scope took us back
  EXPECT_FALSE(tlslab::endpoints::inLabNetns());
}

TEST_F(Netns, ChainOnlyVictimLosesItsPasswordAcrossTheNetwork) {
  MitmOutcome outcome = run(AttackerCertificate::AttackerOwn, VictimMode::ChainOnly);
  ASSERT_EQ(outcome.setupError, "");
  EXPECT_TRUE(outcome.connected) << outcome.victimRun.error;
  EXPECT_TRUE(outcome.passwordStolen);
  EXPECT_EQ(outcome.stolen, "user=alice&password=hunter2");
  // Each leg ran on its own link, from the namespace's own address.
  EXPECT_EQ(outcome.victimRun.peers.clientAddress, NetnsTopology::kVictimAddress);
  EXPECT_EQ(outcome.victimRun.peers.serverAddress, NetnsTopology::kAttackerFrontAddress);
  ASSERT_EQ(outcome.proxySessions.size(), 1u);
  EXPECT_EQ(outcome.proxySessions[0].peer.rfind(std::string(NetnsTopology::kVictimAddress) + ":", 0), 0u)
      << outcome.proxySessions[0].peer;
  const auto& upstream = outcome.proxySessions[0].upstream;
  EXPECT_EQ(upstream.peers.clientAddress, NetnsTopology::kAttackerBackAddress);
  EXPECT_EQ(upstream.peers.serverAddress, NetnsTopology::kServerAddress);
  // The self-check still reads the run back from its own wire bytes, with these addresses.
  RunTrace trace = traceOfRun({{&outcome.victimRun, "victim", "proxy"}, {&upstream, "proxy", "bank32.com"}}, "netns");
  ASSERT_EQ(trace.error, "");
  EXPECT_TRUE(trace.selfCheckOk());
  ASSERT_EQ(trace.trace.connections.size(), 2u);
  EXPECT_EQ(trace.trace.connections[0].server, std::string(NetnsTopology::kAttackerFrontAddress) + ":" +
                                                   std::to_string(outcome.victimRun.peers.serverPort));
  EXPECT_EQ(trace.trace.connections[1].client.rfind(std::string(NetnsTopology::kAttackerBackAddress) + ":", 0), 0u);
}

TEST_F(Netns, CorrectVictimStopsAtTheHostName) {
  MitmOutcome outcome = run(AttackerCertificate::AttackerOwn, VictimMode::Correct);
  ASSERT_EQ(outcome.setupError, "");
  EXPECT_FALSE(outcome.connected);
  EXPECT_EQ(outcome.error, "HOSTNAME_MISMATCH");
  EXPECT_EQ(outcome.errorDepth, 0);
  EXPECT_FALSE(outcome.passwordStolen);
  ASSERT_EQ(outcome.proxySessions.size(), 1u);
  EXPECT_EQ(outcome.proxySessions[0].peer.rfind(std::string(NetnsTopology::kVictimAddress) + ":", 0), 0u);
}

TEST_F(Netns, ForgingProbesTheRealServerFromTheAttackerNamespace) {
  MitmOutcome outcome = run(AttackerCertificate::ForgedOnTheFly, VictimMode::CorrectRogueTrusted);
  ASSERT_EQ(outcome.setupError, "");
  EXPECT_TRUE(outcome.connected) << outcome.victimRun.error;
  EXPECT_TRUE(outcome.passwordStolen);
}

TEST_F(Netns, VictimCannotReachTheServerDirectly) {
  tlslab::endpoints::ServerConfig bank;
  bank.address = NetnsTopology::kServerAddress;
  bank.chainFile = tlslab::test::sourceDir() / "certs" / "bank32-rsa" / "chain.pem";
  bank.keyFile = tlslab::test::sourceDir() / "certs" / "bank32-rsa" / "key.pem";
  std::unique_ptr<tlslab::endpoints::LabServer> server;
  {
    NetnsTopology::Scope scope(*topology, Host::Server);
    auto started = tlslab::endpoints::LabServer::start(bank);
    ASSERT_TRUE(started) << started.error();
    server = std::move(started.value());
  }
  tlslab::endpoints::ClientConfig direct;
  direct.host = NetnsTopology::kServerAddress;
  direct.port = server->port();
  direct.ioTimeoutMs = 1000;
  {
    NetnsTopology::Scope scope(*topology, Host::Victim);
    auto run = tlslab::endpoints::runClient(direct);
    EXPECT_FALSE(run.connected);
    EXPECT_NE(run.error.find("unreachable"), std::string::npos) << run.error;  // no route: only the attacker's link
  }
  // Outside the lab's namespaces the loopback-only rule holds as before.
  auto fromHost = tlslab::endpoints::runClient(direct);
  EXPECT_FALSE(fromHost.connected);
  EXPECT_NE(fromHost.error.find("refusing to connect"), std::string::npos) << fromHost.error;
  server->stop();
}

TEST(NetnsUnprivileged, ReasonNamesWhatIsNeeded) {
  if (::geteuid() == 0) {
    EXPECT_EQ(NetnsTopology::unavailableReason(), "");
  } else {
    EXPECT_NE(NetnsTopology::unavailableReason().find("root"), std::string::npos);
  }
}
