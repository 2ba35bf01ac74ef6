// `tlslab serve` keeps a bounded window of each connection's events and frees
// a connection once it has counted it (issue 16, item 3): relaying 100 MB
// through the echo service left 849 MB resident.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "support/LabConfigs.hpp"
#include "support/Process.hpp"
#include "support/TestPaths.hpp"

using namespace tlslab;
using namespace tlslab::test;

namespace {

// A field of /proc/PID/status in KiB ("VmRSS", "VmHWM"), -1 when absent.
long statusKib(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  return -1;
}

endpoints::ClientConfig clientOf(std::uint16_t port) {
  endpoints::ClientConfig config;
  config.host = "bank32.com";
  config.port = port;
  config.trustFiles = {labCerts() / "root-ca" / "cert.pem"};
  return config;
}

}  // namespace

TEST(ServeMemory, EchoingSixteenMegabytesKeepsOnlyTheWindow) {
  const std::uint16_t port = freeLoopbackPort();
  BackgroundProcess server({tlslabExe().string(), "serve", "--service", "echo", "--port", std::to_string(port),
                            "--connections", "2", "--seconds", "60"});
  ASSERT_TRUE(server.waitForOutput("serving", 10000)) << server.output();
  const long before = statusKib(server.pid(), "VmRSS");
  ASSERT_GT(before, 0);
  // 16 x 1 MiB, each read back before the next, so neither socket buffer fills.
  auto client = clientOf(port);
  const std::string chunk(1 << 20, 'x');
  for (int i = 0; i < 16; ++i) {
    const std::string mark = "<" + std::to_string(i) + ">";
    client.script.push_back(endpoints::ScriptStep::send(chunk + mark));
    client.script.push_back(endpoints::ScriptStep::expect(mark));
  }
  const auto run = endpoints::runClient(client);
  ASSERT_TRUE(run.error.empty()) << run.error;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the server's thread finishes the connection
  const long peak = statusKib(server.pid(), "VmHWM");
  // Keeping every event held each byte four times (read and written, on the
  // wire and as app data): 64 MiB. The window is 256 KiB.
  EXPECT_LT(peak - before, 24 * 1024) << "RSS before " << before << " KiB, peak " << peak << " KiB";
  ASSERT_TRUE(endpoints::runClient(clientOf(port)).error.empty());
  EXPECT_EQ(server.wait(10000), 0) << server.output();
  EXPECT_NE(server.output().find("served 2 connection(s), 0 failed"), std::string::npos) << server.output();
  EXPECT_NE(server.output().find("1 connection(s) filled their memory window (4096 events, 256 KiB each)"),
            std::string::npos)
      << server.output();
}
