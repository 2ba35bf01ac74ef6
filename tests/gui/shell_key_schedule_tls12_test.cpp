// The "Key derivation" tab on real TLS 1.2 lab runs: RFC 5246's chain
// (pre-master secret, master secret, key block, the keys cut from it), each
// key marking on the ladder the records it protects.
#include "KeyScheduleShell.hpp"

#include "ViewsTestSupport.hpp"

namespace tlslab::gui {
namespace {

using test::expectSoundGeometry;
using test::Shell;
using N = model::ScheduleNode;

TEST(KeySchedulePane, Tls12DrawsPreMasterMasterKeyBlockAndKeys) {
  test::app();
  Shell shell(test::labTrace(test::handshakeRequest("1.2")));
  const auto& c = shell.connection();
  ASSERT_EQ(c.negotiated.version, 0x0303);
  const auto& layout = shell.pane.picture()->layout();
  ASSERT_EQ(layout.kind, ScheduleKind::Tls12);
  EXPECT_EQ(layout.find(N::EarlySecret), -1);  // RFC 5246's picture, not RFC 8446's
  // The ECDHE pre-master secret comes from the endpoint's recorded ephemeral key; the master secret
  // derived from it equals the key log's.
  EXPECT_EQ(shell.box(N::PreMasterSecret).stepStatus, model::StepStatus::Derived);
  EXPECT_EQ(shell.box(N::Tls12MasterSecret).stepStatus, model::StepStatus::Verified);
  EXPECT_EQ(shell.box(N::KeyBlock).stepStatus, model::StepStatus::Derived);
  EXPECT_EQ(shell.box(N::ClientFinishedCheck).stepStatus, model::StepStatus::Verified);
  EXPECT_EQ(shell.box(N::ServerFinishedCheck).stepStatus, model::StepStatus::Verified);
  // The chain runs down the spine: pre-master, master, key block; the keys beside the key block.
  const QRectF pms = shell.box(N::PreMasterSecret).rect, master = shell.box(N::Tls12MasterSecret).rect,
               block = shell.box(N::KeyBlock).rect, key = shell.box(N::ClientWriteKey).rect;
  EXPECT_LT(pms.bottom(), master.top());
  EXPECT_LT(master.bottom(), block.top());
  EXPECT_GT(key.left(), block.right());
  const auto& keyStep = c.derivation[static_cast<std::size_t>(shell.box(N::ClientWriteKey).step)];
  EXPECT_EQ(shell.box(N::ClientWriteKey).value, shortHex(keyStep.output));

  // The key block comes from the randoms: a click marks ClientHello and ServerHello.
  shell.click(N::KeyBlock);
  std::vector<std::string> names;
  for (int m : shell.document.marks().messages) names.push_back(c.messages[static_cast<std::size_t>(m)].name);
  EXPECT_EQ(names, (std::vector<std::string>{"ClientHello", "ServerHello"}));
  // The server's write key protects every encrypted record the server sent.
  shell.click(N::ServerWriteKey);
  std::vector<int> serverEncrypted;
  for (const auto& r : c.records)
    if (r.encrypted && r.direction == model::Direction::ServerToClient) serverEncrypted.push_back(static_cast<int>(r.index));
  ASSERT_FALSE(serverEncrypted.empty());
  EXPECT_EQ(shell.document.marks().records, serverEncrypted);
  EXPECT_EQ(shell.markedRecords(ArrowMark::Protected), serverEncrypted);
  views::test::maybeSavePng(shell.pane, "key_schedule_tls12");
}


// TLS 1.2 with a CBC suite: RFC 5246 §6.3's key block starts with the MAC
// keys, which the picture shows beside it; each side's MAC key protects that
// side's encrypted records.
TEST(KeySchedulePane, Tls12CbcShowsTheMacKeysAndTheirRecords) {
  test::app();
  endpoints::ClientConfig client = tlslab::test::labClient(0);
  client.tls.minVersion = client.tls.maxVersion = endpoints::TlsVersion::Tls1_2;
  client.tls.cipherList = "ECDHE-RSA-AES128-SHA";
  client.script = {endpoints::ScriptStep::send("GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n"),
                   endpoints::ScriptStep::expect("</html>")};
  auto recorded = tlslab::test::recordRuns(tlslab::test::labServer(), {client});
  keys::KeyStore keys;
  auto trace = dissect::dissectBytes(recorded.pcapng, keys);
  ASSERT_TRUE(trace.ok());
  Shell shell(std::make_shared<const model::Trace>(std::move(trace.value())));
  const auto& c = shell.connection();
  ASSERT_EQ(c.decryption.kind, model::Decryption::Kind::Decrypted);
  const auto& layout = shell.pane.picture()->layout();
  ASSERT_EQ(layout.kind, ScheduleKind::Tls12);
  expectSoundGeometry(layout);
  for (N node : {N::ClientMacKey, N::ServerMacKey, N::ClientWriteKey, N::ServerWriteKey}) {
    const auto& box = shell.box(node);
    ASSERT_GE(box.step, 0) << model::scheduleNodeName(node);
    const auto& step = c.derivation[static_cast<std::size_t>(box.step)];
    EXPECT_EQ(box.value, shortHex(step.output));
    EXPECT_GT(box.rect.left(), shell.box(N::KeyBlock).rect.right());
  }
  EXPECT_EQ(c.derivation[static_cast<std::size_t>(shell.box(N::ClientMacKey).step)].output.size(), 20u);  // HMAC-SHA1
  shell.pane.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&shell.pane));
  shell.click(N::ClientMacKey);
  std::vector<int> clientEncrypted;
  for (const auto& r : c.records)
    if (r.encrypted && r.direction == model::Direction::ClientToServer) clientEncrypted.push_back(static_cast<int>(r.index));
  ASSERT_FALSE(clientEncrypted.empty());
  EXPECT_EQ(shell.document.marks().records, clientEncrypted);
  EXPECT_EQ(shell.markedRecords(ArrowMark::Protected), clientEncrypted);
}

}  // namespace
}  // namespace tlslab::gui
