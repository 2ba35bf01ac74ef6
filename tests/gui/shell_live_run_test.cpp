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

TEST(LiveRunFeed, MitmPreviewAlreadyHasThreeLanes) {
  LiveRunFeed feed(LabKind::Mitm);
  LabResult result = runLab(test::mitmRequest(), [&](endpoints::Role role, const endpoints::Event& e) { feed.onEvent(role, e); });
  ASSERT_TRUE(result.error.isEmpty());
  const model::Trace preview = feed.snapshot();
  ASSERT_EQ(preview.connections.size(), 2u);
  LadderLayout layout = layoutLadder(preview, 0, TimeAxis::Compressed);
  ASSERT_EQ(layout.lanes.size(), 3u);
  EXPECT_EQ(layout.lanes[0].title, "victim");
  EXPECT_EQ(layout.lanes[2].title, "server bank32.com");
}

}  // namespace
}  // namespace tlslab::gui
