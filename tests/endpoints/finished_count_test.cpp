// A main loop waiting for N connections (`serve --connections N`, `mitm`)
// polls a count instead of copying every finished connection's events each
// time (issue 16, item 4).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "support/LabConfigs.hpp"
#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"

using namespace tlslab;
using namespace tlslab::endpoints;

TEST(FinishedCount, CountsWhatFinishedConnectionsHolds) {
  auto server = LabServer::start(test::labServerFor("bank32-rsa", Service::HttpsHello));
  ASSERT_TRUE(server) << server.error();
  EXPECT_EQ(server.value()->finishedCount(), 0u);
  for (int i = 0; i < 3; ++i) {
    const ClientRun run = runClient(test::labClientFor(*server.value()));
    EXPECT_TRUE(run.error.empty()) << run.error;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (server.value()->finishedCount() < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(server.value()->finishedCount(), 3u);
  EXPECT_EQ(server.value()->finishedConnections().size(), server.value()->finishedCount());
  server.value()->stop();
}
