// The "Key derivation" tab on real TLS 1.3 lab runs (real OpenSSL endpoints
// on loopback, the Trace dissected from the run's own bytes): the picture
// shows this connection's values, a click on a box marks on the ladder the
// messages its transcript hash covers and the records its key protects
// (through TraceDocument), its links open them; each connection of a
// resumption run has its own picture; a capture without keys shows each node
// as not derivable, with the reason.
#include "KeyScheduleShell.hpp"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QListView>

#include "ViewsTestSupport.hpp"
#include "views/DerivationView.hpp"
#include "views/StepLinksModel.hpp"
#include "views/ViewStyle.hpp"

namespace tlslab::gui {
namespace {

using test::expectSoundGeometry;
using test::ints;
using test::Shell;
using N = model::ScheduleNode;

TEST(KeySchedulePane, Tls13LabRunEveryBoxShowsItsStepsValue) {
  test::app();
  Shell shell(test::labTrace(test::handshakeRequest("1.3")));
  ASSERT_FALSE(shell.document.isEmpty());
  const auto& c = shell.connection();
  ASSERT_EQ(c.negotiated.version, 0x0304);
  const auto& layout = shell.pane.picture()->layout();
  ASSERT_EQ(layout.kind, ScheduleKind::Tls13);
  EXPECT_TRUE(shell.pane.showingPicture());
  int filled = 0;
  for (const auto& box : layout.boxes) {
    if (box.step < 0) continue;
    ++filled;
    const auto& step = c.derivation[static_cast<std::size_t>(box.step)];
    EXPECT_EQ(box.node, step.node);
    EXPECT_EQ(box.value, step.output.empty() ? QString::fromStdString(step.note) : shortHex(step.output)) << step.name;
  }
  EXPECT_GE(filled, 25);  // the whole schedule: shared secret, spine, traffic secrets, keys, IVs, Finished
  expectSoundGeometry(layout);
  // The lab's endpoints recorded their ephemeral key: the schedule runs from
  // the shared secret down, each logged secret checked against the key log.
  const auto& dhe = shell.box(N::SharedSecret);
  EXPECT_EQ(dhe.stepStatus, model::StepStatus::Derived);
  EXPECT_EQ(dhe.value, shortHex(c.derivation[static_cast<std::size_t>(dhe.step)].output));
  for (N node : {N::EarlySecret, N::HandshakeSecret, N::MasterSecret})
    EXPECT_EQ(shell.box(node).stepStatus, model::StepStatus::Derived) << model::scheduleNodeName(node);
  EXPECT_EQ(shell.box(N::ClientHandshakeTraffic).stepStatus, model::StepStatus::Verified);
  EXPECT_EQ(shell.box(N::ServerApplicationTraffic).stepStatus, model::StepStatus::Verified);
  EXPECT_EQ(shell.box(N::ServerFinishedCheck).stepStatus, model::StepStatus::Verified);
  EXPECT_EQ(shell.box(N::ClientFinishedCheck).stepStatus, model::StepStatus::Verified);
}

TEST(KeySchedulePane, ClickingABoxMarksItsTranscriptAndItsRecordsOnTheLadder) {
  test::app();
  Shell shell(test::labTrace(test::handshakeRequest("1.3")));
  const auto& c = shell.connection();
  shell.pane.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&shell.pane));

  shell.click(N::ServerHandshakeTraffic);
  const auto& step = c.derivation[static_cast<std::size_t>(shell.box(N::ServerHandshakeTraffic).step)];
  EXPECT_EQ(shell.pane.shownStep(), shell.box(N::ServerHandshakeTraffic).step);
  // Through the document: the messages its Transcript-Hash covers (CH..SH) and the records it protects.
  EXPECT_EQ(shell.document.marks().connection, shell.document.connection());
  EXPECT_EQ(shell.document.marks().messages, ints(step.messages));
  EXPECT_EQ(shell.document.marks().records, ints(step.records));
  ASSERT_EQ(step.messages.size(), 2u);
  EXPECT_EQ(c.messages[step.messages[0]].name, "ClientHello");
  EXPECT_EQ(c.messages[step.messages[1]].name, "ServerHello");
  // On the ladder: the hello records are inputs, the server's encrypted handshake records protected.
  const auto inputs = shell.markedRecords(ArrowMark::Input);
  EXPECT_EQ(inputs, (std::vector<int>{static_cast<int>(c.messages[step.messages[0]].firstRecord),
                                      static_cast<int>(c.messages[step.messages[1]].firstRecord)}));
  std::vector<int> serverHandshake;
  for (const auto& r : c.records)
    if (r.encrypted && r.direction == model::Direction::ServerToClient && r.keyPhase == model::KeyPhase::handshake())
      serverHandshake.push_back(static_cast<int>(r.index));
  ASSERT_FALSE(serverHandshake.empty());
  EXPECT_EQ(shell.markedRecords(ArrowMark::Protected), serverHandshake);

  // The card: the full value, the key log line it was checked against, and the command that computes it by hand.
  ASSERT_NE(shell.pane.shownCard(), nullptr);
  auto* output = shell.pane.shownCard()->findChild<views::ValueLabel*>("output");
  ASSERT_NE(output, nullptr);
  EXPECT_EQ(output->copyText().toStdString(), toHex(step.output));
  EXPECT_NE(c.keyLog.find("SERVER_HANDSHAKE_TRAFFIC_SECRET " + toHex(c.clientRandom) + " " + toHex(step.output)),
            std::string::npos);
  auto* note = shell.pane.shownCard()->findChild<QLabel*>("note");
  ASSERT_NE(note, nullptr);
  EXPECT_TRUE(note->text().contains("equals the key log's SERVER_HANDSHAKE_TRAFFIC_SECRET")) << note->text().toStdString();
  auto* command = shell.pane.shownCard()->findChild<views::ValueLabel*>("command");
  ASSERT_NE(command, nullptr);
  EXPECT_EQ(command->copyText().toStdString(), step.command);

  // The links list (a model over the step): hashed messages first, then records; a click opens one.
  views::StepLinksModel* links = shell.pane.links();
  QAbstractItemModelTester tester(links, QAbstractItemModelTester::FailureReportingMode::Fatal);
  ASSERT_EQ(links->rowCount(), static_cast<int>(step.messages.size() + step.records.size()));
  EXPECT_EQ(links->kind(0), views::StepLinksModel::Kind::Message);
  EXPECT_TRUE(links->data(links->index(0), Qt::DisplayRole).toString().contains("ClientHello"));
  const int lastRow = links->rowCount() - 1;
  EXPECT_EQ(links->kind(lastRow), views::StepLinksModel::Kind::Record);
  emit shell.pane.linksView()->clicked(links->index(lastRow));
  EXPECT_EQ(shell.document.record(), serverHandshake.back());
  emit shell.pane.linksView()->clicked(links->index(1));
  EXPECT_EQ(shell.document.message(), static_cast<int>(step.messages[1]));
  // Selecting within the connection keeps the marks; the ladder's record outlines its keys in the picture.
  EXPECT_FALSE(shell.document.marks().empty());
  shell.document.selectRecord(shell.document.connection(), serverHandshake.front());
  const auto protecting = shell.pane.picture()->protectingBoxes();
  const auto& layout = shell.pane.picture()->layout();
  std::vector<N> nodes;
  for (int b : protecting) nodes.push_back(layout.boxes[static_cast<std::size_t>(b)].node);
  EXPECT_EQ(nodes, (std::vector<N>{N::ServerHandshakeTraffic, N::ServerHandshakeKey, N::ServerHandshakeIv}));

  // The client's Finished check points at the client's Finished; an application key at the request it carries.
  shell.click(N::ClientFinishedCheck);
  ASSERT_EQ(shell.document.marks().messages.size(), 1u);
  EXPECT_EQ(c.messages[static_cast<std::size_t>(shell.document.marks().messages[0])].name, "Finished");
  EXPECT_TRUE(shell.document.marks().records.empty());
  shell.click(N::ClientApplicationKey);
  EXPECT_TRUE(shell.document.marks().messages.empty());
  ASSERT_FALSE(shell.document.marks().records.empty());
  for (int r : shell.document.marks().records) {
    EXPECT_EQ(c.records[static_cast<std::size_t>(r)].direction, model::Direction::ClientToServer);
    EXPECT_EQ(c.records[static_cast<std::size_t>(r)].keyPhase, model::KeyPhase::application());
  }
  // The (EC)DHE input comes from the key shares: the ClientHello and ServerHello.
  shell.click(N::SharedSecret);
  std::vector<std::string> shares;
  for (int m : shell.document.marks().messages) shares.push_back(c.messages[static_cast<std::size_t>(m)].name);
  EXPECT_EQ(shares, (std::vector<std::string>{"ClientHello", "ServerHello"}));
  EXPECT_TRUE(shell.document.marks().records.empty());
  // Its card shows the (EC)DHE keys: the endpoint's ephemeral private key and both key shares.
  QStringList labels;
  for (auto* label : shell.pane.shownCard()->findChildren<QLabel*>()) labels << label->text();
  const QString cardText = labels.join('|');
  EXPECT_TRUE(cardText.contains("ephemeral private key")) << cardText.toStdString();
  EXPECT_TRUE(cardText.contains("key share (public)")) << cardText.toStdString();
  auto* derive = shell.pane.shownCard()->findChild<views::ValueLabel*>("command");
  ASSERT_NE(derive, nullptr);
  EXPECT_TRUE(derive->copyText().contains("openssl pkeyutl -derive")) << derive->copyText().toStdString();
  // The card list is the same steps; a card click selects the box too.
  emit shell.pane.cards()->stepSelected(shell.box(N::MasterSecret).step);
  EXPECT_EQ(shell.pane.picture()->selectedBox(), shell.pane.picture()->layout().find(N::MasterSecret));
  // Another connection (none here) or a new trace clears the marks.
  shell.document.clear();
  EXPECT_TRUE(shell.document.marks().empty());
}

// A resumption lab run: two connections, the second resumed with a PSK. The
// picture follows the document's connection, and a node's marks belong to
// the connection they were made in.
TEST(KeySchedulePane, EachConnectionHasItsOwnPictureAndMarks) {
  test::app();
  LabRequest request;
  request.kind = LabKind::Resumption;
  request.tls = "1.3";
  Shell shell(test::labTrace(request));
  ASSERT_GE(shell.document.trace().connections.size(), 2u);
  shell.pane.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&shell.pane));
  shell.click(N::ServerHandshakeTraffic);
  EXPECT_EQ(shell.document.marks().connection, 0);
  ASSERT_FALSE(shell.document.marks().records.empty());
  const QString firstValue = shell.box(N::ServerHandshakeTraffic).value;

  shell.document.selectConnection(1);
  const auto& resumed = shell.connection();
  EXPECT_TRUE(shell.document.marks().empty());
  EXPECT_TRUE(shell.markedRecords(ArrowMark::Input).empty());
  EXPECT_EQ(shell.pane.picture()->steps().size(), resumed.derivation.size());
  EXPECT_EQ(shell.pane.shownStep(), -1);
  // A new handshake, new secrets.
  const auto& shts = shell.box(N::ServerHandshakeTraffic);
  ASSERT_GE(shts.step, 0);
  EXPECT_EQ(shts.value, shortHex(resumed.derivation[static_cast<std::size_t>(shts.step)].output));
  EXPECT_NE(shts.value, firstValue);
  // Without the PSK nothing after the shared secret is derived: the traffic secrets are the key log's, with their line.
  EXPECT_EQ(shts.stepStatus, model::StepStatus::FromKeyLog);
  EXPECT_EQ(shell.box(N::SharedSecret).stepStatus, model::StepStatus::Derived);
  shell.click(N::ServerHandshakeTraffic);
  auto* line = shell.pane.shownCard()->findChild<views::ValueLabel*>("keyLogLine");
  ASSERT_NE(line, nullptr);
  EXPECT_NE(resumed.keyLog.find(line->copyText().toStdString()), std::string::npos) << line->copyText().toStdString();
  EXPECT_TRUE(line->copyText().startsWith("SERVER_HANDSHAKE_TRAFFIC_SECRET ")) << line->copyText().toStdString();
  // The PSK named in the resumed ClientHello: a click marks that ClientHello.
  const auto& psk = shell.box(N::Psk);
  ASSERT_GE(psk.step, 0) << "the resumed connection has a PSK step";
  shell.click(N::Psk);
  EXPECT_EQ(shell.document.marks().connection, 1);
  ASSERT_EQ(shell.document.marks().messages.size(), 1u);
  EXPECT_EQ(resumed.messages[static_cast<std::size_t>(shell.document.marks().messages[0])].name, "ClientHello");
}

TEST(KeySchedulePane, CaptureWithoutKeysShowsEachNodeNotDerivableWithTheReason) {
  test::app();
  endpoints::ClientConfig client = tlslab::test::labClient(0);
  client.tls.minVersion = client.tls.maxVersion = endpoints::TlsVersion::Tls1_3;
  client.script = {endpoints::ScriptStep::send("GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n"),
                   endpoints::ScriptStep::expect("</html>")};
  auto recorded = tlslab::test::recordRuns(tlslab::test::labServer(), {client});
  keys::KeyStore none;
  auto trace = dissect::dissectBytes(recorded.pcapngNoKeys, none);
  ASSERT_TRUE(trace.ok());
  Shell shell(std::make_shared<const model::Trace>(std::move(trace.value())));
  const auto& layout = shell.pane.picture()->layout();
  ASSERT_EQ(layout.kind, ScheduleKind::Tls13);
  const auto& dhe = shell.box(N::SharedSecret);
  EXPECT_EQ(dhe.stepStatus, model::StepStatus::NotDerivable);
  EXPECT_EQ(dhe.status, stepStatusText(model::StepStatus::NotDerivable));
  EXPECT_TRUE(dhe.value.contains("forward secrecy")) << dhe.value.toStdString();
  for (N node : {N::HandshakeSecret, N::MasterSecret, N::ClientHandshakeTraffic, N::ServerApplicationTraffic}) {
    const auto& box = shell.box(node);
    EXPECT_EQ(box.stepStatus, model::StepStatus::NotDerivable) << box.title.toStdString();
    EXPECT_FALSE(box.value.isEmpty());
  }
  EXPECT_TRUE(shell.box(N::ClientHandshakeTraffic).value.contains("no key for this client random"))
      << shell.box(N::ClientHandshakeTraffic).value.toStdString();
  // Even without keys the node says what it would hash: the hellos are marked on the ladder.
  shell.pane.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&shell.pane));
  shell.click(N::ClientHandshakeTraffic);
  EXPECT_EQ(shell.document.marks().messages.size(), 2u);
  auto* note = shell.pane.shownCard()->findChild<QLabel*>("note");
  ASSERT_NE(note, nullptr);
  EXPECT_TRUE(note->text().contains("no key for this client random")) << note->text().toStdString();
  EXPECT_TRUE(shell.pane.cards()->summaryText().contains("not derivable"));
  views::test::maybeSavePng(shell.pane, "key_schedule_no_keys");
}

}  // namespace
}  // namespace tlslab::gui
