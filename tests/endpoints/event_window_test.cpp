// A connection keeps a bounded window of its events, and a server hands its
// finished connections over so a long run can free them (issue 16, item 3):
// `serve` grew 25-30 KB per connection and kept every byte an echo relayed.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "support/LabConfigs.hpp"
#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"

using namespace tlslab;
using namespace tlslab::endpoints;

namespace {

WireEvent wire(std::size_t size) { return WireEvent{nowUs(), true, Bytes(size, 0x17)}; }

std::size_t keptPayload(const std::vector<Event>& events) {
  std::size_t total = 0;
  for (const auto& event : events) total += payloadBytes(event);
  return total;
}

bool waitForFinished(const LabServer& server, std::size_t count) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (server.finishedCount() < count && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return server.finishedCount() >= count;
}

}  // namespace

TEST(EventWindow, KeepsAPrefixOfThePayloadAndCountsWhatItDropped) {
  std::size_t observed = 0, notes = 0;
  Recorder recorder(Role::Server, [&](Role, const Event& event) {
    ++observed;
    if (const auto* note = std::get_if<NoteEvent>(&event); note && note->text.find("memory window") != std::string::npos)
      ++notes;
  }, EventWindow{10, 100});
  for (int i = 0; i < 4; ++i) recorder.record(wire(30));  // the 4th would make 120 bytes
  recorder.record(wire(5));                              // fits, but the kept bytes stay a prefix
  recorder.record(InfoEvent{nowUs(), "state", "SSLOK"});  // no payload: kept
  const auto kept = recorder.events();
  ASSERT_EQ(kept.size(), 4u);
  EXPECT_EQ(keptPayload(kept), 90u);
  EXPECT_TRUE(std::holds_alternative<InfoEvent>(kept.back()));
  EXPECT_EQ(recorder.dropped().events, 2u);
  EXPECT_EQ(recorder.dropped().bytes, 35u);
  // The live view still sees everything, and is told once that the window is full.
  EXPECT_EQ(notes, 1u);
  EXPECT_EQ(observed, 6u + 1u);
}

TEST(EventWindow, CapsTheNumberOfEventsToo) {
  Recorder recorder(Role::Client, {}, EventWindow{3, 1 << 20});
  for (int i = 0; i < 10; ++i) recorder.record(InfoEvent{nowUs(), "state", std::to_string(i)});
  EXPECT_EQ(recorder.events().size(), 3u);
  EXPECT_EQ(recorder.dropped().events, 7u);
  EXPECT_EQ(recorder.dropped().bytes, 0u);
}

TEST(EventWindow, AnEchoOfAMegabyteKeepsOnlyItsWindow) {
  auto config = test::labServerFor("bank32-rsa", Service::Echo);
  config.window = {4096, 64 * 1024};
  std::atomic<std::size_t> liveAppBytes{0};
  auto server = LabServer::start(config, [&](Role, const Event& event) {
    if (const auto* data = std::get_if<AppDataEvent>(&event); data && !data->sent) liveAppBytes += data->bytes.size();
  });
  ASSERT_TRUE(server) << server.error();
  auto client = test::labClientFor(*server.value());
  const std::string payload(1 << 20, 'x');  // more and the unread echo could fill both socket buffers
  client.script = {ScriptStep::send(payload + "END"), ScriptStep::expect("END")};
  const ClientRun run = runClient(client);
  ASSERT_TRUE(run.error.empty()) << run.error;
  ASSERT_TRUE(waitForFinished(*server.value(), 1));
  const auto done = server.value()->takeFinished();
  ASSERT_EQ(done.size(), 1u);
  const ServerConnection& c = done.front();
  EXPECT_TRUE(c.handshakeOk);
  EXPECT_LE(keptPayload(c.events), 64u * 1024);
  // Kept plus dropped is what the connection carried: at least the request both ways, as app data and on the wire.
  EXPECT_GE(keptPayload(c.events) + c.dropped.bytes, 4 * payload.size());
  EXPECT_GT(c.dropped.events, 0u);
  // The observer (the live view) saw every byte the server read.
  EXPECT_EQ(liveAppBytes.load(), payload.size() + 3);
  server.value()->stop();
}

TEST(EventWindow, TakenConnectionsAreFreedAndStillCounted) {
  auto server = LabServer::start(test::labServerFor("bank32-rsa", Service::HttpsHello));
  ASSERT_TRUE(server) << server.error();
  constexpr std::size_t kConnections = 200;
  std::size_t taken = 0, mostRetained = 0, oneConnection = 0;
  for (std::size_t i = 0; i < kConnections; ++i) {
    auto client = test::labClientFor(*server.value());
    client.script = {ScriptStep::send("GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n"), ScriptStep::expect("</html>")};
    const ClientRun run = runClient(client);
    ASSERT_TRUE(run.error.empty()) << run.error;
    ASSERT_TRUE(waitForFinished(*server.value(), i + 1));
    const auto retained = server.value()->retained();
    mostRetained = std::max(mostRetained, retained.events);
    if (i == 0) oneConnection = retained.events;
    taken += server.value()->takeFinished().size();
    EXPECT_EQ(server.value()->retained().events, 0u);
  }
  EXPECT_GT(oneConnection, 0u);
  // What the server holds never grows past one connection's events (it was every connection's before).
  EXPECT_LE(mostRetained, 2 * oneConnection);
  EXPECT_EQ(taken, kConnections);
  EXPECT_EQ(server.value()->finishedCount(), kConnections);
  EXPECT_TRUE(server.value()->finishedConnections().empty());
  server.value()->stop();
}
