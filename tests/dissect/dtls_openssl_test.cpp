// A DTLS 1.2 capture made here (issue 18): openssl s_server and s_client on
// loopback with a 500-byte MTU, so the RSA certificate chain travels in
// fragments, while dumpcap records it and the client writes its key log.
// tlslab must decrypt every record and verify both Finished, and tshark must
// agree record for record (content type, epoch, 48-bit sequence number).
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <map>
#include <sstream>

#include "support/Process.hpp"
#include "support/TestPaths.hpp"
#include "tlslab/dissect/TlsDissector.hpp"

using namespace tlslab;

namespace {

TEST(DtlsOpenSsl, FragmentedLoopbackHandshakeDecryptsAndTsharkAgreesRecordForRecord) {
  for (const char* tool : {"openssl", "dumpcap", "tshark"})
    if (!test::haveTool(tool)) GTEST_SKIP() << "no " << tool;
  if (::geteuid() != 0) GTEST_SKIP() << "capturing on lo needs root";
  const auto dir = std::filesystem::temp_directory_path() / ("tlslab-dtls-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::uint16_t port = test::freeLoopbackUdpPort();
  ASSERT_NE(port, 0);
  const auto certs = test::sourceDir() / "certs/bank32-rsa";
  const auto pcap = dir / "dtls.pcapng", keylog = dir / "keys.log";
  const std::string p = std::to_string(port);
  {
    // Every process has a deadline: dumpcap stops after 7 s, the peers after 5 s.
    test::BackgroundProcess capture({"dumpcap", "-q", "-i", "lo", "-f", "udp port " + p, "-w", pcap.string(), "-a",
                                     "duration:7"});
    ASSERT_TRUE(capture.waitForOutput("Capturing on", 5000)) << capture.output();
    test::BackgroundProcess server(
        {"sh", "-c",
         "(sleep 1.5; echo 'reply over DTLS from s_server') | timeout 5 openssl s_server -dtls1_2 -mtu 500 -accept 127.0.0.1:" +
             p + " -cert " + (certs / "chain.pem").string() + " -key " + (certs / "key.pem").string()});
    ASSERT_TRUE(server.waitForOutput("ACCEPT", 4000)) << server.output();
    auto client = test::run("(echo 'hello over DTLS from s_client'; sleep 2.5) | timeout 5 openssl s_client -dtls1_2 "
                            "-mtu 500 -connect 127.0.0.1:" + p + " -keylogfile " + keylog.string() + " 2>&1");
    EXPECT_NE(client.out.find("reply over DTLS"), std::string::npos) << client.out;
    EXPECT_GE(capture.wait(12000), 0);
  }
  keys::KeyStore keys;
  ASSERT_TRUE(keys.addKeyLogFile(keylog).ok());
  auto trace = dissect::dissectFile(pcap, keys);
  ASSERT_TRUE(trace.ok()) << trace.error().message();
  ASSERT_EQ(trace->connections.size(), 1u);
  const auto& c = trace->connections[0];
  ASSERT_TRUE(c.dtls);
  EXPECT_EQ(c.dtls->versionName, "DTLS 1.2");
  EXPECT_TRUE(c.dtls->cookieExchange);  // s_server sends a HelloVerifyRequest by default
  EXPECT_EQ(c.decryption.kind, model::Decryption::Kind::Decrypted) << c.decryption.text;
  std::size_t verified = 0;
  for (const auto& step : c.derivation)
    if ((step.node == model::ScheduleNode::ClientFinishedCheck || step.node == model::ScheduleNode::ServerFinishedCheck) &&
        step.status == model::StepStatus::Verified)
      ++verified;
  EXPECT_EQ(verified, 2u);
  std::string app;
  for (const auto& chunk : c.appData) app.append(chunk.data.begin(), chunk.data.end());
  EXPECT_NE(app.find("hello over DTLS from s_client"), std::string::npos) << app;
  EXPECT_NE(app.find("reply over DTLS from s_server"), std::string::npos) << app;
  // The 500-byte MTU cut the certificate chain into fragments: one message, several records.
  bool fragmented = false;
  for (const auto& m : c.messages) fragmented = fragmented || (m.name == "Certificate" && m.lastRecord > m.firstRecord);
  EXPECT_TRUE(fragmented);
  EXPECT_FALSE(c.serverCertificates.empty());

  auto out = test::run("tshark -r " + pcap.string() + " -o tls.keylog_file:" + keylog.string() + " -d udp.port==" + p +
                       ",dtls -T fields -E separator='|' -e frame.number -e dtls.record.content_type "
                       "-e dtls.record.epoch -e dtls.record.sequence_number 2>/dev/null");
  std::map<std::uint64_t, std::string> theirs;
  std::istringstream in(out.out);
  for (std::string line; std::getline(in, line);) {
    unsigned long long frame = 0;
    if (std::sscanf(line.c_str(), "%llu|", &frame) == 1 && line.find("||") == std::string::npos)
      theirs[frame] = line.substr(line.find('|') + 1);
  }
  std::map<std::uint64_t, std::array<std::string, 3>> mine;
  for (const auto& r : c.records) {
    auto& f = mine[r.frame];
    const std::string values[3] = {std::to_string(r.contentType), std::to_string(r.dtls->epoch),
                                   std::to_string(r.dtls->sequence)};
    for (int i = 0; i < 3; ++i) f[i] += (f[i].empty() ? "" : ",") + values[i];
  }
  ASSERT_FALSE(theirs.empty()) << out.out;
  EXPECT_EQ(theirs.size(), mine.size());
  for (const auto& [frame, fields] : theirs) {
    auto it = mine.find(frame);
    ASSERT_NE(it, mine.end()) << "frame " << frame;
    EXPECT_EQ(it->second[0] + "|" + it->second[1] + "|" + it->second[2], fields) << "frame " << frame;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
