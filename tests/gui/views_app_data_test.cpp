// The application-data view on RFC 8448 §3's application records (decrypted
// here by crypto::RecordCipher: binary, shown as a hex dump) and on an HTTP
// request sealed and opened by a TLS 1.2 CBC RecordCipher (text); and the
// tutorial view on the project's tutorials/.
#include <gtest/gtest.h>

#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTextBrowser>
#include <QTextEdit>

#include "ViewsTestSupport.hpp"
#include "support/Rfc8448.hpp"
#include "tlslab/crypto/RecordCipher.hpp"
#include "views/AppDataView.hpp"
#include "views/TutorialView.hpp"

namespace tlslab::gui::views {
namespace {

namespace r = tlslab::test::rfc8448;
using test::app;

// RFC 8448 §3: the application data records of both sides, decrypted.
std::vector<model::AppDataChunk> rfc8448AppData() {
  const r::Trace& t = r::simple1Rtt();
  std::vector<model::AppDataChunk> chunks;
  std::size_t index = 0;
  for (const r::Record& rec : t.records) {
    ++index;
    if (rec.epoch != r::Epoch::Application || rec.innerType != 23) continue;
    const bool client = rec.sender == r::Sender::Client;
    crypto::TrafficKeys keys{client ? t.clientApplicationKey : t.serverApplicationKey,
                             client ? t.clientApplicationIv : t.serverApplicationIv, {}};
    auto cipher = crypto::RecordCipher::create(*crypto::findSuite(0x1301), keys, crypto::kTls13);
    EXPECT_TRUE(cipher.ok());
    const model::RecordCrypto opened = cipher->decrypt(rec.record, rec.sequence);
    EXPECT_EQ(opened.verdict, model::RecordVerdict::Decrypted);
    chunks.push_back({client ? model::Direction::ClientToServer : model::Direction::ServerToClient, index - 1,
                      opened.plaintext});
  }
  return chunks;
}

// An HTTP exchange through a real TLS 1.2 CBC record layer.
model::AppDataChunk sealedAndOpened(model::Direction direction, std::size_t record, const std::string& text) {
  const crypto::CipherSuite* suite = crypto::findSuite("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
  const crypto::TrafficKeys keys{Bytes(16, 0x11), Bytes(16, 0x22), Bytes(20, 0x33)};
  auto sealer = crypto::RecordCipher::create(*suite, keys, crypto::kTls12);
  auto opener = crypto::RecordCipher::create(*suite, keys, crypto::kTls12);
  auto wire = sealer->encrypt(23, asBytes(text), record);
  const model::RecordCrypto opened = opener->decrypt(*wire, record);
  EXPECT_EQ(opened.verdict, model::RecordVerdict::Decrypted);
  return {direction, record, opened.plaintext};
}

std::vector<model::AppDataChunk> httpConversation() {
  return {sealedAndOpened(model::Direction::ClientToServer, 4, "GET /login HTTP/1.1\r\nHost: bank32.com\r\n"),
          sealedAndOpened(model::Direction::ClientToServer, 5, "\r\n"),
          sealedAndOpened(model::Direction::ServerToClient, 6, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")};
}

TEST(AppDataView, BinaryRfc8448DataIsAHexDumpAndTextModeShowsItAnyway) {
  app();
  const auto chunks = rfc8448AppData();
  ASSERT_EQ(chunks.size(), 2u);  // the client's 50 bytes and the server's echo
  AppDataView view;
  view.setChunks(chunks);
  EXPECT_EQ(view.bubbleCount(), 2);
  // RFC 8448 §3 application data is 00 01 02 ... 31: hex in Auto mode.
  EXPECT_TRUE(view.plainText().contains("00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  ................"))
      << view.plainText().toStdString();
  EXPECT_TRUE(view.plainText().contains("00000030  30 31"));
  view.setMode(AppDataView::Mode::Text);
  EXPECT_FALSE(view.plainText().contains("00000000  00 01"));
  EXPECT_TRUE(view.plainText().contains("!\"#$%&'()*+,-./01"));
}

TEST(AppDataView, HttpIsTextInAutoModeAndHexOnRequest) {
  app();
  AppDataView view;
  view.setChunks(httpConversation(), "victim", "bank32.com");
  // The request's two records form one bubble; the response another.
  EXPECT_EQ(view.bubbleCount(), 2);
  const QString text = view.plainText();
  EXPECT_TRUE(text.contains("victim → bank32.com · records 4–5 · 41 bytes")) << text.toStdString();
  EXPECT_TRUE(text.contains("GET /login HTTP/1.1\nHost: bank32.com"));
  EXPECT_TRUE(text.contains("bank32.com → victim · record 6"));
  EXPECT_TRUE(text.contains("hello"));
  view.setMode(AppDataView::Mode::Hex);
  EXPECT_TRUE(view.plainText().contains("00000000  47 45 54 20 2f 6c 6f 67  69 6e 20 48 54 54 50 2f  GET /login HTTP/"))
      << view.plainText().toStdString();
  EXPECT_FALSE(view.plainText().contains("GET /login HTTP/1.1\n"));
  view.setMode(AppDataView::Mode::Auto);
  view.setDirectionFilter(AppDataView::DirectionFilter::ServerToClient);
  EXPECT_FALSE(view.plainText().contains("GET /login"));
  EXPECT_TRUE(view.plainText().contains("200 OK"));
}

TEST(AppDataView, ClickingABubbleSelectsItsFirstRecord) {
  app();
  AppDataView view;
  view.resize(800, 500);
  view.setChunks(httpConversation());
  view.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
  QSignalSpy spy(&view, &AppDataView::recordSelected);
  QTextEdit* text = view.textView();
  QTextCursor cursor(text->document());
  ASSERT_TRUE(cursor.movePosition(QTextCursor::End));
  const QPoint last = text->cursorRect(cursor).center();
  QTest::mouseClick(text->viewport(), Qt::LeftButton, {}, last);
  ASSERT_EQ(spy.count(), 1);
  EXPECT_EQ(spy.at(0).at(0).value<std::size_t>(), 6u);
  test::maybeSavePng(view, "app_data");
}

TEST(TutorialView, ListsAndRendersTheProjectTutorials) {
  app();
  TutorialView view;
  const QStringList names = view.availableTutorials();
  EXPECT_TRUE(names.contains("03-mitm"));
  EXPECT_TRUE(names.contains("08-handshake-anatomy"));
  EXPECT_EQ(view.currentTutorial(), "08-handshake-anatomy");
  ASSERT_TRUE(view.showTutorial("03-mitm"));
  EXPECT_TRUE(view.browser()->toPlainText().contains("Lab 3: Posing"));
  EXPECT_FALSE(view.browser()->toPlainText().contains("# Lab"));  // rendered, not raw Markdown
  EXPECT_EQ(view.firstCommand(), "lab run mitm --quiet");
  QSignalSpy run(&view, &TutorialView::runRequested);
  view.runButton()->click();
  ASSERT_EQ(run.count(), 1);
  EXPECT_EQ(run.at(0).at(0).toString(), "lab run mitm --quiet");
  EXPECT_FALSE(view.showTutorial("no-such-tutorial"));
  EXPECT_EQ(view.currentTutorial(), "03-mitm");
  view.resize(800, 900);
  test::maybeSavePng(view, "tutorial");
}

TEST(TutorialView, CommandsBecomeRunLinks) {
  app();
  const QString md = "Run `tlslab lab run mitm --matrix` now.\n```\n`tlslab serve`\n```\nand `ls`.";
  const QString linked = TutorialView::linkCommands(md);
  EXPECT_TRUE(linked.contains("[`tlslab lab run mitm --matrix`](tlslab-run:lab%20run%20mitm%20--matrix"))
      << linked.toStdString();
  EXPECT_TRUE(linked.contains("\n`tlslab serve`\n"));  // fenced blocks stay as they are
  EXPECT_TRUE(linked.contains("`ls`"));
  TutorialView view;
  QSignalSpy spy(&view, &TutorialView::runRequested);
  emit view.browser()->anchorClicked(QUrl("tlslab-run:lab%20run%20mitm%20--matrix"));
  ASSERT_EQ(spy.count(), 1);
  EXPECT_EQ(spy.at(0).at(0).toString(), "lab run mitm --matrix");
}

}  // namespace
}  // namespace tlslab::gui::views
