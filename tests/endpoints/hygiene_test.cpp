// Resource hygiene: many complete lab runs (server up, handshake, data,
// server down) leave no threads, sockets or file descriptors behind. Under the
// asan preset LeakSanitizer checks the memory side at exit.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/TestPaths.hpp"
#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"

using namespace tlslab::endpoints;

namespace {
std::size_t countEntries(const char* dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}
}  // namespace

TEST(Hygiene, AThousandSequentialLabRunsLeaveNothingBehind) {
  auto certs = tlslab::test::sourceDir() / "certs";
  // One warm-up run: OpenSSL's one-time global state is not a leak.
  auto runOnce = [&](int i) {
    ServerConfig server;
    server.chainFile = certs / "bank32-ecdsa" / "chain.pem";
    server.keyFile = certs / "bank32-ecdsa" / "key.pem";
    server.service = Service::Echo;
    auto started = LabServer::start(server);
    ASSERT_TRUE(started) << started.error();
    ClientConfig client;
    client.port = (*started)->port();
    client.trustFiles = {certs / "root-ca" / "cert.pem"};
    std::string message = "run " + std::to_string(i);
    client.script = {ScriptStep::send(message), ScriptStep::expect(message)};
    ClientRun run = runClient(client);
    ASSERT_TRUE(run.scriptOk) << "run " << i << ": " << run.error;
    (*started)->stop();
  };
  runOnce(-1);
  std::size_t threads = countEntries("/proc/self/task");
  std::size_t fds = countEntries("/proc/self/fd");
  for (int i = 0; i < 1000; ++i) {
    runOnce(i);
    if (HasFatalFailure()) return;
  }
  EXPECT_EQ(countEntries("/proc/self/task"), threads);
  EXPECT_EQ(countEntries("/proc/self/fd"), fds);
}
