// The live preview of a lab run: the client side's wire bytes, fed to the
// dissector as they cross the socket, already draw the ladder.
#include <gtest/gtest.h>

#include "GuiTestSupport.hpp"
#include "LadderLayout.hpp"
#include "LiveRun.hpp"

namespace tlslab::gui {
namespace {

TEST(LiveRunFeed, Tls13HandshakePreviewHasTheHandshakeInOrder) {
  LiveRunFeed feed(LabKind::Handshake);
  int changes = 0;
  LabResult result = runLab(test::handshakeRequest("1.3"),
                            [&](endpoints::Role role, const endpoints::Event& e) { changes += feed.onEvent(role, e) ? 1 : 0; });
  ASSERT_TRUE(result.error.isEmpty());
  EXPECT_GT(changes, 3);
  const model::Trace preview = feed.snapshot();
  ASSERT_EQ(preview.connections.size(), 1u);
  const auto& c = preview.connections[0];
  ASSERT_FALSE(c.messages.empty());
  EXPECT_EQ(c.messages.front().name, "ClientHello");
  EXPECT_EQ(c.negotiated.sni, "bank32.com");
  // The same records as the final trace, read back from the run's pcapng.
  EXPECT_EQ(c.records.size(), result.trace.connections.at(0).records.size());
}

// Every protected record of the preview is already open, and the
// conversation equals the final trace's, byte for byte.
void expectDecryptedLikeTheFinalTrace(const model::Trace& preview, const model::Trace& final) {
  ASSERT_EQ(preview.connections.size(), final.connections.size());
  for (std::size_t i = 0; i < preview.connections.size(); ++i) {
    const auto& live = preview.connections[i];
    std::size_t encrypted = 0;
    for (const auto& record : live.records) {
      if (!record.encrypted) continue;
      ++encrypted;
      EXPECT_EQ(record.undecryptedReason, "") << "connection " << i << " record " << &record - live.records.data();
    }
    EXPECT_GT(encrypted, 0u);
    auto bytes = [](const model::TraceConnection& c, model::Direction d) {
      Bytes all;
      for (const auto& chunk : c.appData)
        if (chunk.direction == d) all.insert(all.end(), chunk.data.begin(), chunk.data.end());
      return all;
    };
    for (auto d : {model::Direction::ClientToServer, model::Direction::ServerToClient}) {
      EXPECT_FALSE(bytes(live, d).empty());
      EXPECT_EQ(bytes(live, d), bytes(final.connections[i], d));
    }
  }
}

class LiveRunVersions : public ::testing::TestWithParam<const char*> {};

TEST_P(LiveRunVersions, PreviewDecryptsWhileTheRunIsGoing) {
  LiveRunFeed feed(LabKind::Handshake);
  LabResult result = runLab(test::handshakeRequest(GetParam()),
                            [&](endpoints::Role role, const endpoints::Event& e) { feed.onEvent(role, e); });
  ASSERT_TRUE(result.error.isEmpty());
  expectDecryptedLikeTheFinalTrace(feed.snapshot(), result.trace);
}

INSTANTIATE_TEST_SUITE_P(Tls, LiveRunVersions, ::testing::Values("1.2", "1.3"),
                         [](const auto& param) { return std::string(param.param) == "1.2" ? "Tls12" : "Tls13"; });

// The SMTP preamble is cleartext; the client's StarttlsAgreed note switches
// the stream to TLS, so the handshake after it is read as records.
TEST(LiveRunFeed, StarttlsPreviewReadsTheHandshakeAfterTheServerAgreed) {
  LiveRunFeed feed(LabKind::Starttls);
  LabRequest request;
  request.kind = LabKind::Starttls;
  LabResult result = runLab(request, [&](endpoints::Role role, const endpoints::Event& e) { feed.onEvent(role, e); });
  ASSERT_TRUE(result.error.isEmpty());
  const model::Trace preview = feed.snapshot();
  ASSERT_FALSE(preview.connections.empty());
  ASSERT_FALSE(preview.connections[0].messages.empty());
  EXPECT_EQ(preview.connections[0].messages.front().name, "ClientHello");
  expectDecryptedLikeTheFinalTrace(preview, result.trace);
}

TEST(LiveRunFeed, MitmPreviewDecryptsBothLegs) {
  LiveRunFeed feed(LabKind::Mitm);
  LabResult result = runLab(test::mitmRequest(), [&](endpoints::Role role, const endpoints::Event& e) { feed.onEvent(role, e); });
  ASSERT_TRUE(result.error.isEmpty());
  expectDecryptedLikeTheFinalTrace(feed.snapshot(), result.trace);
}

TEST(LiveRunFeed, MitmPreviewAlreadyHasThreeLanes) {
  LiveRunFeed feed(LabKind::Mitm);
  LabResult result = runLab(test::mitmRequest(), [&](endpoints::Role role, const endpoints::Event& e) { feed.onEvent(role, e); });
  ASSERT_TRUE(result.error.isEmpty());
  const model::Trace preview = feed.snapshot();
  ASSERT_EQ(preview.connections.size(), 2u);
  LadderLayout layout = layoutLadder(preview, 0, TimeAxis::Compressed);
  ASSERT_EQ(layout.lanes.size(), 3u);
  EXPECT_EQ(layout.lanes[0].title, "victim");
  EXPECT_EQ(layout.lanes[2].title, "bank32.com");
}

}  // namespace
}  // namespace tlslab::gui
