// A record that carries several handshake messages (RFC 8448 §3: the
// server's EncryptedExtensions, Certificate, CertificateVerify and Finished
// in one encrypted record): each message is selectable from the ladder by
// clicking its name, and ←/→ walk through them.
#include <gtest/gtest.h>

#include <QTest>

#include "GuiTestSupport.hpp"
#include "LadderView.hpp"
#include "TraceDocument.hpp"
#include "support/Rfc8448.hpp"
#include "tlslab/dissect/TlsDissector.hpp"

namespace tlslab::gui {
namespace {

namespace r = tlslab::test::rfc8448;

// The RFC's records as one TCP connection, with the RFC's secrets as a key
// log, through the capture dissector.
model::Trace rfc8448Trace() {
  const r::Trace& rfc = r::simple1Rtt();
  keys::KeyStore keys;
  const std::string random = toHex(ByteView(rfc.clientHello).subspan(6, 32));
  keys.addKeyLogText("CLIENT_HANDSHAKE_TRAFFIC_SECRET " + random + " " + toHex(rfc.clientHandshakeTrafficSecret) + "\n" +
                     "SERVER_HANDSHAKE_TRAFFIC_SECRET " + random + " " + toHex(rfc.serverHandshakeTrafficSecret) + "\n" +
                     "CLIENT_TRAFFIC_SECRET_0 " + random + " " + toHex(rfc.clientApplicationTrafficSecret) + "\n" +
                     "SERVER_TRAFFIC_SECRET_0 " + random + " " + toHex(rfc.serverApplicationTrafficSecret) + "\n");
  dissect::TlsDissector dissector(keys);
  capture::ConnectionInfo info;
  info.sawSyn = true;
  dissector.onConnectionOpened(info);
  std::uint64_t offset[2] = {0, 0};
  std::int64_t ns = 0;
  for (const r::Record& rec : rfc.records) {
    capture::StreamChunk chunk;
    chunk.direction = rec.sender == r::Sender::Client ? capture::Direction::ClientToServer : capture::Direction::ServerToClient;
    chunk.offset = offset[capture::index(chunk.direction)];
    chunk.time = capture::Timestamp{ns += 1000000};
    chunk.data = rec.record;
    chunk.content = capture::Content::Tls;
    offset[capture::index(chunk.direction)] += rec.record.size();
    dissector.onData(chunk);
  }
  info.closed = capture::CloseReason::Fin;
  dissector.onConnectionClosed(info);
  return dissector.finish();
}

// The arrow whose record holds the server's encrypted flight.
int serverFlightArrow(const LadderLayout& layout) {
  for (std::size_t i = 0; i < layout.arrows.size(); ++i)
    if (layout.arrows[i].parts.size() == 4) return static_cast<int>(i);
  return -1;
}

struct Fixture {
  QApplication& application = test::app();
  TraceDocument doc;
  LadderView view{&doc};
  Fixture() {
    view.resize(1000, 600);
    view.show();
    EXPECT_TRUE(QTest::qWaitForWindowExposed(&view));
    doc.setTrace(rfc8448Trace());
  }
  std::string currentMessage() const { return doc.currentMessage() ? doc.currentMessage()->name : "(none)"; }
};

TEST(LadderMessages, OneArrowNamesEveryMessageOfTheRecord) {
  Fixture f;
  const int arrow = serverFlightArrow(f.view.layout());
  ASSERT_GE(arrow, 0) << "no record with four messages";
  const auto& a = f.view.layout().arrows[static_cast<std::size_t>(arrow)];
  EXPECT_EQ(a.label, "EncryptedExtensions, Certificate, CertificateVerify, Finished ✓");
  ASSERT_EQ(a.messages.size(), 4u);
  const auto& conn = f.doc.trace().connections.at(0);
  for (std::size_t i = 0; i + 1 < a.messages.size(); ++i)
    EXPECT_EQ(conn.messages.at(static_cast<std::size_t>(a.messages[i])).firstRecord, static_cast<std::size_t>(a.record));
}

TEST(LadderMessages, ClickingAMessageNameSelectsThatMessage) {
  Fixture f;
  const int arrow = serverFlightArrow(f.view.layout());
  ASSERT_GE(arrow, 0);
  const auto& a = f.view.layout().arrows[static_cast<std::size_t>(arrow)];
  const char* expected[] = {"EncryptedExtensions", "Certificate", "CertificateVerify", "Finished"};
  // In a shuffled order, so each click must really hit its own name.
  for (int part : {2, 0, 3, 1}) {
    const QPoint at = f.view.messagePoint(arrow, part);
    ASSERT_FALSE(at.isNull()) << "part " << part << " is not drawn";
    QTest::mouseClick(f.view.viewport(), Qt::LeftButton, {}, at);
    EXPECT_EQ(f.doc.record(), a.record);
    EXPECT_EQ(f.doc.message(), a.messages[static_cast<std::size_t>(part)]);
    EXPECT_EQ(f.currentMessage(), expected[part]);
  }
  // Clicking the arrow away from the names keeps the record's current message.
  QTest::mouseClick(f.view.viewport(), Qt::LeftButton, {}, f.view.arrowPoint(arrow) + QPoint(0, 12));
  EXPECT_EQ(f.currentMessage(), "Certificate");
}

TEST(LadderMessages, ArrowKeysWalkThroughTheMessagesThenTheRecords) {
  Fixture f;
  const int arrow = serverFlightArrow(f.view.layout());
  ASSERT_GE(arrow, 0);
  const auto& a = f.view.layout().arrows[static_cast<std::size_t>(arrow)];
  f.doc.selectRecord(a.connection, a.record);
  EXPECT_EQ(f.currentMessage(), "EncryptedExtensions");
  std::vector<std::string> seen;
  for (int i = 0; i < 3; ++i) {
    QTest::keyClick(&f.view, Qt::Key_Right);
    seen.push_back(f.currentMessage());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"Certificate", "CertificateVerify", "Finished"}));
  EXPECT_EQ(f.view.selectedArrow(), arrow);
  QTest::keyClick(&f.view, Qt::Key_Right);  // past the last message: the next record
  EXPECT_EQ(f.view.selectedArrow(), arrow + 1);
  QTest::keyClick(&f.view, Qt::Key_Left);  // back into the record, at its last message
  EXPECT_EQ(f.view.selectedArrow(), arrow);
  EXPECT_EQ(f.currentMessage(), "Finished");
}

}  // namespace
}  // namespace tlslab::gui
