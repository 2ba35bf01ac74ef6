// The live-capture session `tlslab capture` and the GUI both drive: real
// libpcap on lo, a lab run whose key log is written only after its records
// crossed the wire, as a browser's SSLKEYLOGFILE often is. Needs root or
// CAP_NET_RAW; skipped without.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "support/LabConfigs.hpp"
#include "support/TestPaths.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/endpoints/RunPcapng.hpp"
#include "tlslab/scenarios/LiveCaptureSession.hpp"

using namespace tlslab;
using namespace tlslab::endpoints;
namespace fs = std::filesystem;

namespace {

struct Late {
  std::size_t connection;
  std::size_t opened;
  bool duringCapture;  // before stop(): the retry while packets still came in
};

void appendKeyLog(const fs::path& file, const ClientRun& run) {
  std::ofstream out(file, std::ios::app);
  out << keyLogText(run.events);
}

std::string received(const model::TraceConnection& conn) {
  std::string text;
  for (const auto& chunk : conn.appData)
    if (chunk.direction == model::Direction::ServerToClient) text.append(chunk.data.begin(), chunk.data.end());
  return text;
}

}  // namespace

TEST(LiveCaptureSession, KeysLoggedAfterTheRecordsOpenThemDuringTheCaptureAndAtTheEnd) {
  const fs::path keyLog = fs::temp_directory_path() / ("tlslab-session-" + std::to_string(::getpid()) + ".keys");
  fs::remove(keyLog);
  auto server = LabServer::start(test::labServerFor("bank32-ecdsa"));
  ASSERT_TRUE(server) << server.error();

  std::mutex mutex;
  std::vector<Late> late;
  std::size_t recordsSeen = 0, packetsSeen = 0;
  std::atomic<bool> stopping{false};
  scenarios::LiveCaptureHooks hooks;
  hooks.onRecord = [&](const model::TraceConnection&, const model::TraceRecord&) { ++recordsSeen; };
  hooks.onLateKeys = [&](const dissect::LateKeys& keys, const model::TraceConnection&) {
    EXPECT_EQ(keys.note, "");
    std::lock_guard lock(mutex);
    late.push_back({keys.connection, keys.opened.size(), !stopping.load()});
  };
  hooks.onPacket = [&](const capture::RawPacket&, const scenarios::LiveCaptureSession&) { ++packetsSeen; };
  capture::LiveOptions options;
  options.interface = "lo";
  options.filter = "tcp port " + std::to_string((*server)->port());
  options.bufferTimeoutMs = 20;
  auto opened = scenarios::LiveCaptureSession::open(options, hooks);
  if (!opened) GTEST_SKIP() << opened.error().message();
  scenarios::LiveCaptureSession& session = *opened.value();
  session.follow(keyLog.string(), false);  // not there yet: read once it appears

  capture::Result<capture::LiveStats> stats = capture::CaptureError{"live capture", "never ran"};
  std::thread pump([&] { stats = session.run(); });
  ClientConfig client = test::labClientFor(*server.value());
  client.script = {ScriptStep::send("GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n"), ScriptStep::expect("</html>")};
  ClientRun first = runClient(client);
  ASSERT_TRUE(first.scriptOk) << first.error;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // both FINs: the first connection is closed, held
  appendKeyLog(keyLog, first);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // past the follower's 50 ms between reads
  // The second connection's packets make the session read the log again.
  ClientRun second = runClient(client);
  ASSERT_TRUE(second.scriptOk) << second.error;
  (*server)->stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  stopping = true;
  session.stop();
  pump.join();
  ASSERT_TRUE(stats) << stats.error().message();
  EXPECT_EQ(stats.value().stoppedBecause, "stop requested");
  appendKeyLog(keyLog, second);  // after the capture stopped: finish() reads the log a last time
  model::Trace trace = session.finish();
  fs::remove(keyLog);

  EXPECT_EQ(trace.source, "live: lo");
  EXPECT_EQ(packetsSeen, session.packets());
  EXPECT_EQ(session.packets(), stats.value().packets);
  EXPECT_GT(recordsSeen, 10u);
  ASSERT_EQ(trace.connections.size(), 2u);
  for (const auto& conn : trace.connections) {
    for (const auto& r : conn.records) EXPECT_EQ(r.undecryptedReason, "") << "connection " << conn.index;
    EXPECT_NE(received(conn).find("</html>"), std::string::npos) << "connection " << conn.index;
  }
  std::lock_guard lock(mutex);
  auto reported = [&](std::size_t connection, bool duringCapture) {
    for (const auto& l : late)
      if (l.connection == connection && l.duringCapture == duringCapture && l.opened > 0) return true;
    return false;
  };
  EXPECT_TRUE(reported(0, true));   // opened while the capture ran
  EXPECT_TRUE(reported(1, false));  // opened by finish()
}
