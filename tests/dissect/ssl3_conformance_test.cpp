// SSL 3.0 on a real capture (Wireshark's rsasnakeoil2, see the conformance
// MANIFEST): RSA key exchange, a renegotiation inside the encrypted session
// that changes the suite (AES-256-CBC -> 3DES), and a second connection that
// resumes the renegotiated session. Every record's SSL 3.0 MAC and both
// Finished of each connection's last handshake must verify, and the HTTP
// requests must be the ones tshark decrypts from the same capture.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "support/TestPaths.hpp"
#include "tlslab/dissect/TlsDissector.hpp"

using namespace tlslab;

namespace {

std::filesystem::path wireshark() { return test::conformanceDir() / "wireshark"; }

// "GET <uri> HTTP/1.1" lines of a client stream, in order.
std::vector<std::string> requestUris(const model::TraceConnection& conn) {
  std::string client;
  for (const auto& chunk : conn.appData)
    if (chunk.direction == model::Direction::ClientToServer) client.append(chunk.data.begin(), chunk.data.end());
  std::vector<std::string> out;
  std::istringstream in(client);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("GET ", 0) != 0) continue;
    const auto end = line.find(' ', 4);
    out.push_back(line.substr(4, end == std::string::npos ? std::string::npos : end - 4));
  }
  return out;
}

class Ssl3Snakeoil : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(wireshark() / "captures/rsasnakeoil2.pcap"))
      GTEST_SKIP() << "no conformance corpus at " << wireshark();
    keys::KeyStore keys;
    ASSERT_TRUE(keys.addPrivateKeyFile(wireshark() / "keys/rsasnakeoil2.key"));
    auto trace = dissect::dissectFile(wireshark() / "captures/rsasnakeoil2.pcap", keys);
    ASSERT_TRUE(trace.ok()) << trace.error().message();
    trace_ = std::move(trace.value());
  }
  model::Trace trace_;
};

TEST_F(Ssl3Snakeoil, EveryRecordMacAndBothFinishedVerify) {
  ASSERT_EQ(trace_.connections.size(), 2u);
  std::size_t app = 0, handshake = 0, ccs = 0;
  for (const auto& conn : trace_.connections) {
    EXPECT_EQ(conn.negotiated.version, 0x0300);
    EXPECT_EQ(conn.decryption.text, "decrypted");
    for (const auto& r : conn.records) {
      if (!r.encrypted) continue;
      ASSERT_TRUE(r.crypto) << "record " << r.index;
      EXPECT_EQ(r.crypto->verdict, model::RecordVerdict::Decrypted) << "record " << r.index << ": " << r.crypto->note;
      // The SSL 3.0 MAC was recomputed and compared, over seq || type || length.
      EXPECT_EQ(r.crypto->mac.size(), 20u);
      EXPECT_EQ(toHex(r.crypto->mac), toHex(r.crypto->expectedMac));
      EXPECT_EQ(r.crypto->aad.size(), 11u);
      EXPECT_EQ(r.crypto->rfc, "RFC 6101 §5.2.3.2");
      EXPECT_NE(r.crypto->note.find("POODLE"), std::string::npos);
      if (r.innerContentType == 23) ++app;
      if (r.innerContentType == 22) ++handshake;
      if (r.innerContentType == 20) ++ccs;
    }
    bool clientOk = false, serverOk = false;
    for (const auto& step : conn.derivation) {
      EXPECT_NE(step.status, model::StepStatus::Failed) << step.name << ": " << step.note;
      if (step.node == model::ScheduleNode::ClientFinishedCheck) clientOk = step.status == model::StepStatus::Verified;
      if (step.node == model::ScheduleNode::ServerFinishedCheck) serverOk = step.status == model::StepStatus::Verified;
      if (step.node == model::ScheduleNode::KeyBlock) {
        EXPECT_EQ(step.rfc, "RFC 6101 §6.2.2");
      }
    }
    EXPECT_TRUE(clientOk && serverOk) << "connection " << conn.index;
  }
  // The MANIFEST's counts (tshark): 33 application data, 12 handshake and 2
  // ChangeCipherSpec records decrypted (the renegotiation's, under the first keys).
  EXPECT_EQ(app, 33u);
  EXPECT_EQ(handshake, 12u);
  EXPECT_EQ(ccs, 2u);
}

TEST_F(Ssl3Snakeoil, RenegotiationChangesTheSuiteAndTheSecondConnectionResumesIt) {
  ASSERT_EQ(trace_.connections.size(), 2u);
  const auto& first = trace_.connections[0];
  bool renegotiated = false;
  for (const auto& d : first.diagnostics) renegotiated = renegotiated || d.code == model::DiagnosticCode::Renegotiation;
  EXPECT_TRUE(renegotiated);
  EXPECT_EQ(first.negotiated.suite, 0x000a);  // after the renegotiation; it began with 0x0035
  bool sawAes = false;
  for (const auto& r : first.records) {
    if (r.crypto && r.crypto->cipher == "AES-256-CBC") sawAes = true;
  }
  EXPECT_TRUE(sawAes) << "the first handshake's AES-256-CBC records";
  EXPECT_EQ(trace_.connections[1].negotiated.resumption, model::Resumption::SessionId);
}

TEST_F(Ssl3Snakeoil, HttpRequestsAreThoseTsharkDecrypts) {
  ASSERT_EQ(trace_.connections.size(), 2u);
  std::vector<std::string> ours;
  for (const auto& conn : trace_.connections)
    for (const auto& uri : requestUris(conn)) ours.push_back(std::to_string(conn.index) + " " + uri);
  for (const char* want : {"0 /", "1 /favicon.ico", "0 /test3/"})
    EXPECT_NE(std::find(ours.begin(), ours.end(), want), ours.end()) << want;
  if (std::system("command -v tshark >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark not installed";
  const auto dir = wireshark().string();
  auto result = test::run("tshark -r " + dir + "/captures/rsasnakeoil2.pcap -o 'uat:rsa_keys:\"" + dir +
                          "/keys/rsasnakeoil2.key\",\"\"' -Y http.request -T fields -e tcp.stream -e http.request.uri "
                          "2>/dev/null");
  std::vector<std::string> theirs;
  std::istringstream in(result.out);
  std::string line;
  while (std::getline(in, line)) {  // "stream<TAB>uri"; tshark's own notices have no tab
    const auto tab = line.find('\t');
    if (tab != std::string::npos) theirs.push_back(line.substr(0, tab) + " " + line.substr(tab + 1));
  }
  ASSERT_EQ(theirs.size(), 11u) << result.out;
  // tshark lists them in frame order across both streams; compare per stream.
  std::stable_sort(ours.begin(), ours.end(), [](const auto& a, const auto& b) { return a[0] < b[0]; });
  std::stable_sort(theirs.begin(), theirs.end(), [](const auto& a, const auto& b) { return a[0] < b[0]; });
  EXPECT_EQ(ours, theirs);
}

}  // namespace
