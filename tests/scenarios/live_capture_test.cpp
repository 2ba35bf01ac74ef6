// A lab run captured for real with libpcap on lo dissects to the same records
// as the pcapng tlslab synthesizes from the wire tap (issue 6: "both must
// dissect to identical records"). Needs root or CAP_NET_RAW; skipped without.
#include <gtest/gtest.h>

#include <sstream>
#include <thread>

#include "support/TestPaths.hpp"
#include "tlslab/capture/Source.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/endpoints/RunPcapng.hpp"
#include "tlslab/scenarios/RunTrace.hpp"

using namespace tlslab;
using namespace tlslab::endpoints;

namespace {

struct RecordKey {
  model::Direction direction;
  std::uint8_t contentType;
  Bytes wire;
  Bytes plaintext;
  bool operator==(const RecordKey&) const = default;
};

// Per direction: how the two directions interleave depends on whose clock
// stamped the bytes (the tap's or the kernel's), not on the dissection.
std::vector<RecordKey> keysOf(const model::TraceConnection& conn, model::Direction direction) {
  std::vector<RecordKey> out;
  for (const auto& r : conn.records)
    if (r.direction == direction) out.push_back({r.direction, r.contentType, r.wire, r.plaintext});
  return out;
}

}  // namespace

TEST(LiveCapture, RealCaptureOnLoopbackDissectsLikeTheSynthesizedOne) {
  auto certs = test::sourceDir() / "certs";
  ServerConfig serverConfig;
  serverConfig.chainFile = certs / "bank32-ecdsa" / "chain.pem";
  serverConfig.keyFile = certs / "bank32-ecdsa" / "key.pem";
  auto server = LabServer::start(serverConfig);
  ASSERT_TRUE(server) << server.error();

  capture::LiveOptions options;
  options.interface = "lo";
  options.filter = "tcp port " + std::to_string((*server)->port());
  options.bufferTimeoutMs = 20;
  auto live = capture::LiveCapture::open(options);
  if (!live) GTEST_SKIP() << live.error().message();

  std::ostringstream captured;
  capture::PcapngWriter writer(captured);
  std::uint32_t interfaceId = writer.addInterface(live.value()->linkType());
  std::thread pump([&] {
    auto stats = live.value()->run([&](const capture::RawPacket& p) { writer.writePacket(interfaceId, p.time, p.data); });
    EXPECT_TRUE(stats) << stats.error().message();
  });

  ClientConfig client;
  client.host = "bank32.com";
  client.port = (*server)->port();
  client.trustFiles = {certs / "root-ca" / "cert.pem"};
  client.script = {ScriptStep::send("GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n"), ScriptStep::expect("</html>")};
  ClientRun run = runClient(client);
  (*server)->stop();  // the server's FIN is on the wire before we stop capturing
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  live.value()->stop();
  pump.join();
  ASSERT_TRUE(run.scriptOk) << run.error;

  keys::KeyStore liveKeys;
  liveKeys.addKeyLogText(keyLogText(run.events), "run");
  std::string liveBytes = captured.str();
  auto fromLive = dissect::dissectBytes(asBytes(liveBytes), liveKeys);
  ASSERT_TRUE(fromLive) << fromLive.error().message();
  scenarios::RunTrace fromTap = scenarios::traceOfRun({{&run}}, "tap");
  ASSERT_TRUE(fromTap.error.empty()) << fromTap.error;

  ASSERT_EQ(fromLive.value().connections.size(), 1u);
  ASSERT_EQ(fromTap.trace.connections.size(), 1u);
  const auto& liveConn = fromLive.value().connections[0];
  const auto& tapConn = fromTap.trace.connections[0];
  EXPECT_EQ(liveConn.client, tapConn.client);
  EXPECT_EQ(liveConn.server, tapConn.server);
  EXPECT_GT(liveConn.records.size(), 5u);
  for (auto direction : {model::Direction::ClientToServer, model::Direction::ServerToClient}) {
    auto liveRecords = keysOf(liveConn, direction);
    auto tapRecords = keysOf(tapConn, direction);
    ASSERT_EQ(liveRecords.size(), tapRecords.size()) << model::directionArrow(direction);
    for (std::size_t i = 0; i < liveRecords.size(); ++i)
      EXPECT_TRUE(liveRecords[i] == tapRecords[i]) << model::directionArrow(direction) << " record " << i;
  }
  for (const auto& r : liveConn.records) EXPECT_TRUE(r.undecryptedReason.empty()) << r.undecryptedReason;
}
