// File → Open with a pre-shared key (issue 18): the dialog's PSK fields reach
// the key store, so a PSK capture (Wireshark's GnuTLS TLS_PSK_WITH_AES_128_CCM
// case) opens decrypted; without the key it stays closed, and a PSK that is
// not hex gives a dialog naming it.
#include <gtest/gtest.h>

#include <QLineEdit>
#include <QMessageBox>
#include <QSignalSpy>

#include "Dialogs.hpp"
#include "GuiTestSupport.hpp"
#include "MainWindow.hpp"
#include "TraceDocument.hpp"
#include "support/TestPaths.hpp"

namespace tlslab::gui {
namespace {

const char* kPsk = "ca19e028a8a372ad2d325f950fcaceed";  // the Wireshark suite's PSK (its MANIFEST)

QString pskCapture() {
  return QString::fromStdString((tlslab::test::conformanceDir() / "wireshark/captures/tls12-aes128ccm.pcap").string());
}

std::string appData(const model::TraceConnection& c) {
  std::string out;
  for (const auto& chunk : c.appData) out.append(chunk.data.begin(), chunk.data.end());
  return out;
}

bool openIn(MainWindow& window, const OpenRequest& request) {
  QSignalSpy loaded(&window, &MainWindow::loadFinished);
  window.openCapture(request);
  return loaded.wait(30000) && loaded.first().first().toBool();
}

TEST(OpenCapturePsk, TheDialogsPskFieldsBecomeTheRequest) {
  test::app();
  OpenCaptureDialog dialog(QStringLiteral("/tmp/x.pcap"));
  auto* psk = dialog.findChild<QLineEdit*>(QStringLiteral("psk"));
  auto* identity = dialog.findChild<QLineEdit*>(QStringLiteral("pskIdentity"));
  ASSERT_NE(psk, nullptr);
  ASSERT_NE(identity, nullptr);
  psk->setText(QStringLiteral(" %1 ").arg(QLatin1String(kPsk)));
  identity->setText(QStringLiteral("test"));
  const OpenRequest r = dialog.request();
  EXPECT_EQ(r.psk, QLatin1String(kPsk));
  EXPECT_EQ(r.pskIdentity, QStringLiteral("test"));
}

TEST(OpenCapturePsk, APskCaptureOpensDecryptedOnlyWithTheKey) {
  test::app();
  if (!std::filesystem::exists(pskCapture().toStdString())) GTEST_SKIP() << "no conformance corpus";
  MainWindow window;
  ASSERT_TRUE(openIn(window, {pskCapture(), {}, {}, {}, {}, {}}));
  ASSERT_EQ(window.document()->trace().connections.size(), 1u);
  EXPECT_EQ(appData(window.document()->trace().connections[0]), "");

  ASSERT_TRUE(openIn(window, {pskCapture(), {}, {}, {}, QLatin1String(kPsk), QStringLiteral("test")}));
  const auto& c = window.document()->trace().connections.at(0);
  EXPECT_EQ(c.decryption.kind, model::Decryption::Kind::Decrypted) << c.decryption.text;
  EXPECT_NE(appData(c).find("http://www.gnu.org/software/gnutls"), std::string::npos);
}

TEST(OpenCapturePsk, APskThatIsNotHexGivesADialog) {
  test::app();
  if (!std::filesystem::exists(pskCapture().toStdString())) GTEST_SKIP() << "no conformance corpus";
  MainWindow window;
  EXPECT_FALSE(openIn(window, {pskCapture(), {}, {}, {}, QStringLiteral("not-a-key"), {}}));
  ASSERT_NE(window.lastError(), nullptr);
  EXPECT_TRUE(window.lastError()->text().contains(QStringLiteral("not-a-key"))) << window.lastError()->text().toStdString();
}

}  // namespace
}  // namespace tlslab::gui
