// Save as pcapng with keys: a capture rewritten with its key log embedded
// opens decrypted again, with nothing else given.
#include <gtest/gtest.h>

#include <QTemporaryDir>

#include "GuiTestSupport.hpp"
#include "SaveCapture.hpp"
#include "tlslab/dissect/TlsDissector.hpp"

namespace tlslab::gui {
namespace {

TEST(SaveCapture, RewrittenSampleCaptureStillOpensDecrypted) {
  QTemporaryDir dir;
  const std::string source = TLSLAB_TEST_SOURCE_DIR "/captures/tls13-https-hello.pcapng";
  const std::string target = dir.filePath("copy.pcapng").toStdString();
  ASSERT_EQ(saveCaptureWithKeys(source, "", target), "");
  keys::KeyStore none;
  auto trace = dissect::dissectFile(target, none);
  ASSERT_TRUE(trace.ok()) << trace.error().message();
  ASSERT_EQ(trace->connections.size(), 1u);
  EXPECT_FALSE(trace->connections[0].appData.empty()) << trace->connections[0].decryption.text;
}

TEST(SaveCapture, MissingCaptureIsAnErrorNotACrash) {
  QTemporaryDir dir;
  EXPECT_NE(saveCaptureWithKeys("/nonexistent/x.pcap", "", dir.filePath("y.pcapng").toStdString()), "");
}

}  // namespace
}  // namespace tlslab::gui
