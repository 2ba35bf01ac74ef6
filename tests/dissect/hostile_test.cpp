// Hostile and broken inputs: a clear error or a diagnostic, never a crash.
#include <gtest/gtest.h>

#include <fstream>

#include "DissectTestUtil.hpp"

using namespace tlslab;

TEST(Hostile, EmptyFileIsAnErrorNamingTheFile) {
  auto path = test::writeTemp({}, "empty.pcap");
  keys::KeyStore keys;
  auto trace = dissect::dissectFile(path, keys);
  std::filesystem::remove(path);
  ASSERT_FALSE(trace.ok());
  EXPECT_NE(trace.error().message().find("empty.pcap"), std::string::npos) << trace.error().message();
}

TEST(Hostile, TextRenamedToPcapIsAnError) {
  const std::string text = "This is not a capture, just a note someone renamed.\n";
  auto path = test::writeTemp(toBytes(text), "note.pcap");
  keys::KeyStore keys;
  auto trace = dissect::dissectFile(path, keys);
  std::filesystem::remove(path);
  EXPECT_FALSE(trace.ok());
}

TEST(Hostile, MissingFileIsAnError) {
  keys::KeyStore keys;
  auto trace = dissect::dissectFile("/nonexistent/capture.pcapng", keys);
  EXPECT_FALSE(trace.ok());
}

TEST(Hostile, EveryTruncationOfARealCaptureIsHandled) {
  endpoints::ClientConfig client = test::labClient(0);
  client.script = {endpoints::ScriptStep::send("GET / HTTP/1.1\r\n\r\n"), endpoints::ScriptStep::expect("</html>")};
  auto rec = test::recordRuns(test::labServer(), {client});
  const Bytes& full = rec.pcapng;
  ASSERT_GT(full.size(), 1000u);
  std::size_t withTrace = 0;
  for (std::size_t cut = 0; cut < full.size(); cut += 97) {
    keys::KeyStore keys;
    auto trace = dissect::dissectBytes(ByteView(full).first(cut), keys);
    if (trace.ok()) ++withTrace;
  }
  EXPECT_GT(withTrace, 0u);
}

TEST(Hostile, FlippedBytesInsideACaptureAreDiagnosedNotFatal) {
  endpoints::ClientConfig client = test::labClient(0);
  client.tls.minVersion = client.tls.maxVersion = endpoints::TlsVersion::Tls1_2;
  client.script = {endpoints::ScriptStep::send("GET / HTTP/1.1\r\n\r\n"), endpoints::ScriptStep::expect("</html>")};
  auto rec = test::recordRuns(test::labServer(), {client});
  for (std::size_t at = 200; at < rec.pcapng.size(); at += 131) {
    Bytes damaged = rec.pcapng;
    damaged[at] ^= 0x5a;
    keys::KeyStore keys;
    auto trace = dissect::dissectBytes(damaged, keys);
    if (trace.ok()) {
      for (const auto& conn : trace->connections) EXPECT_FALSE(conn.decryption.text.empty());
    }
  }
}
