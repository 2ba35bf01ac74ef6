// A QUIC v1 capture made here with a real, independent stack (issue 19):
// Debian's ngtcp2 examples (GnuTLS backend) fetch a file on loopback while
// dumpcap records it and GnuTLS writes the key log (SSLKEYLOGFILE). tlslab
// must decrypt every packet, and tshark must agree packet for packet.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "support/Process.hpp"
#include "support/TestPaths.hpp"
#include "tlslab/dissect/TlsDissector.hpp"

using namespace tlslab;

namespace {

TEST(QuicNgtcp2, LoopbackCaptureDecryptsFullyAndTsharkAgreesPacketForPacket) {
  for (const char* tool : {"gtlsserver", "gtlsclient", "dumpcap", "tshark"})
    if (!test::haveTool(tool)) GTEST_SKIP() << "no " << tool;
  if (::geteuid() != 0) GTEST_SKIP() << "capturing on lo needs root";
  const auto dir = std::filesystem::temp_directory_path() / ("tlslab-quic-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "index.html") << "hello over QUIC from ngtcp2\n";
  const std::uint16_t port = test::freeLoopbackUdpPort();
  ASSERT_NE(port, 0);
  const auto certs = test::sourceDir() / "certs/bank32-ecdsa";
  const auto pcap = dir / "quic.pcapng", keylog = dir / "keys.log";
  const std::string p = std::to_string(port);
  {
    // Every process has a deadline: dumpcap stops after 6 s, the peers after 4 s.
    test::BackgroundProcess capture({"dumpcap", "-q", "-i", "lo", "-f", "udp port " + p, "-w", pcap.string(), "-a",
                                     "duration:6"});
    ASSERT_TRUE(capture.waitForOutput("Capturing on", 5000)) << capture.output();
    test::BackgroundProcess server({"timeout", "5", "gtlsserver", "-q", "-d", dir.string(), "127.0.0.1", p,
                                    (certs / "key.pem").string(), (certs / "chain.pem").string()});
    ::usleep(300000);
    auto client = test::run("SSLKEYLOGFILE=" + keylog.string() + " timeout 4 gtlsclient -q --exit-on-all-streams-close 127.0.0.1 " +
                            p + " https://127.0.0.1:" + p + "/index.html");
    EXPECT_EQ(client.exitCode, 0) << client.out;
    EXPECT_GE(capture.wait(10000), 0);
  }
  keys::KeyStore keys;
  ASSERT_TRUE(keys.addKeyLogFile(keylog).ok());
  auto trace = dissect::dissectFile(pcap, keys);
  ASSERT_TRUE(trace.ok()) << trace.error().message();
  ASSERT_EQ(trace->connections.size(), 1u);
  const auto& c = trace->connections[0];
  ASSERT_TRUE(c.quic);
  EXPECT_EQ(c.quic->versionName, "QUIC v1");
  EXPECT_EQ(c.decryption.kind, model::Decryption::Kind::Decrypted) << c.decryption.text;
  EXPECT_GT(c.quic->oneRttDecrypted, 0u);
  bool served = false;
  for (const auto& s : c.quic->streams) {
    const std::string data(s.data.begin(), s.data.end());
    served = served || data.find("hello over QUIC from ngtcp2") != std::string::npos;
  }
  EXPECT_TRUE(served);

  // -d: tshark's QUIC heuristic loses to any dissector registered for the
  // random port (CI met one), so name the port as QUIC.
  auto out = test::run("tshark -r " + pcap.string() + " -o tls.keylog_file:" + keylog.string() + " -d udp.port==" + p +
                       ",quic -Y quic -T fields -E separator='|' -e frame.number -e quic.packet_number -e quic.frame_type");
  std::map<std::uint64_t, std::string> theirs;
  std::istringstream in(out.out);
  for (std::string line; std::getline(in, line);) {
    unsigned long long frame = 0;
    if (std::sscanf(line.c_str(), "%llu|", &frame) == 1) theirs[frame] = line.substr(line.find('|') + 1);
  }
  std::map<std::uint64_t, std::pair<std::string, std::string>> mine;
  for (const auto& pk : c.quic->packets) {
    auto& [pns, types] = mine[pk.frame];
    pns += (pns.empty() ? "" : ",") + (pk.packetNumber ? std::to_string(*pk.packetNumber) : std::string("?"));
    for (const auto& f : pk.frames) types += (types.empty() ? "" : ",") + std::to_string(f.type);
  }
  ASSERT_FALSE(theirs.empty()) << out.out;
  EXPECT_EQ(theirs.size(), mine.size());
  for (const auto& [frame, fields] : theirs) {
    auto it = mine.find(frame);
    ASSERT_NE(it, mine.end()) << "frame " << frame;
    EXPECT_EQ(it->second.first + "|" + it->second.second, fields) << "frame " << frame;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
