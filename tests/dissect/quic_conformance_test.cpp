// QUIC (issue 19) on Wireshark's QUIC test captures (../shared/conformance/
// wireshark, never copied here): what the MANIFEST says they reveal, with the
// 1-RTT packet counts of cases.tsv, and tshark cross-checked packet for packet.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "support/TestPaths.hpp"
#include "tlslab/dissect/TlsDissector.hpp"

using namespace tlslab;

namespace {

std::filesystem::path capture(const std::string& name) { return test::conformanceDir() / "wireshark/captures" / name; }

#define REQUIRE_CAPTURE(path) \
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no conformance capture " << (path)

// cases.tsv column 7 (expected_appdata_records; quic_1rtt_packets for QUIC) of a case.
std::size_t expectedOneRtt(const std::string& caseId) {
  std::ifstream in(test::conformanceDir() / "wireshark/cases.tsv");
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream s(line);
    for (std::string col; std::getline(s, col, '\t');) cols.push_back(col);
    if (cols.size() > 7 && cols[7] == caseId) return std::stoul(cols[6]);
  }
  return 0;
}

model::Trace dissect(const std::filesystem::path& path) {
  keys::KeyStore keys;  // none given: the captures carry their key logs (DSBs)
  auto trace = dissect::dissectFile(path, keys);
  EXPECT_TRUE(trace.ok()) << trace.error().message();
  return trace.ok() ? std::move(trace.value()) : model::Trace{};
}

std::size_t countMessages(const model::Trace& t, const std::string& name) {
  std::size_t n = 0;
  for (const auto& c : t.connections)
    n += static_cast<std::size_t>(std::count_if(c.messages.begin(), c.messages.end(),
                                                [&](const model::TraceMessage& m) { return m.name == name; }));
  return n;
}

bool hasField(const model::Field& f, const std::string& name) {
  if (f.name == name) return true;
  return std::any_of(f.children.begin(), f.children.end(), [&](const model::Field& c) { return hasField(c, name); });
}

bool streamsContain(const model::TraceConnection& c, const std::string& text) {
  for (const auto& s : c.quic->streams)
    if (std::search(s.data.begin(), s.data.end(), text.begin(), text.end()) != s.data.end()) return true;
  return false;
}

TEST(QuicConformance, FragmentedHandshakesRevealEveryClientHelloWithoutKeysAndTheRetriedConnection) {
  const auto path = capture("quic-fragmented-handshakes.pcapng.gz");
  REQUIRE_CAPTURE(path);
  const model::Trace t = dissect(path);
  ASSERT_EQ(t.connections.size(), 17u);  // MANIFEST: 17 QUIC connections
  std::size_t oneRtt = 0, v1 = 0, retried = 0;
  for (const auto& c : t.connections) {
    ASSERT_TRUE(c.quic) << c.index;
    oneRtt += c.quic->oneRttDecrypted;
    if (c.quic->version == 1) ++v1;
    if (c.quic->retry) ++retried;
    // Initial packets decrypt from the DCID alone: every Initial of every connection opens.
    for (const auto& p : c.quic->packets)
      if (p.type == "Initial") {
        EXPECT_TRUE(p.decrypted) << c.index << " packet " << p.index << ": " << p.undecryptedReason;
      }
  }
  EXPECT_EQ(oneRtt, expectedOneRtt("quic-fragmented-handshakes"));
  EXPECT_EQ(oneRtt, 7u);
  EXPECT_EQ(v1, 1u);
  EXPECT_EQ(retried, 1u);
  // Wireshark's test counts 18 frames with a ClientHello and 2 with a ServerHello. The
  // full handshake has a Retry and then a HelloRetryRequest: its ClientHello goes out
  // three times (frame 1; frame 3, again from CRYPTO offset 0 after the Retry, RFC 9000
  // §17.2.5.2, which Wireshark takes for a retransmission; frame 5 after the HRR), so
  // tlslab shows 16 + 3 = 19; Wireshark's 2 Server Hello lines are the HRR and the ServerHello.
  EXPECT_EQ(countMessages(t, "ClientHello"), 19u);
  EXPECT_EQ(countMessages(t, "HelloRetryRequest"), 1u);
  EXPECT_EQ(countMessages(t, "ServerHello"), 1u);
  EXPECT_EQ(countMessages(t, "Certificate"), 1u);
  EXPECT_EQ(countMessages(t, "Finished"), 2u);
  EXPECT_EQ(countMessages(t, "NewSessionTicket"), 2u);
  const auto& full = t.connections[0];
  EXPECT_EQ(full.negotiated.suite, 0x1303);
  EXPECT_EQ(full.negotiated.sni, "localhost");
  EXPECT_EQ(full.quic->versionName, "draft-29");
  EXPECT_EQ(full.decryption.kind, model::Decryption::Kind::Decrypted) << full.decryption.text;
  EXPECT_TRUE(streamsContain(full, "404 Not Found"));
  const auto retry = std::find_if(full.quic->packets.begin(), full.quic->packets.end(),
                                  [](const model::QuicPacket& p) { return p.type == "Retry"; });
  ASSERT_NE(retry, full.quic->packets.end());
  EXPECT_NE(retry->note.find("verifies"), std::string::npos) << retry->note;
  // The ClientHello's quic_transport_parameters are decoded field by field.
  ASSERT_FALSE(full.messages.empty());
  EXPECT_TRUE(hasField(full.messages[0].tree, "initial_max_data"));
  EXPECT_TRUE(hasField(full.messages[0].tree, "initial_source_connection_id"));
  // "There must be no warnings or errors": the DSBs' QUIC_ lines are read, not rejected.
  for (const auto& d : t.diagnostics) EXPECT_NE(d.severity, model::Severity::Error) << d.message;
}

TEST(QuicConformance, MultistreamFollowGivesStream40WithoutThePadding) {
  const auto path = capture("quic_follow_multistream.pcapng");
  REQUIRE_CAPTURE(path);
  const model::Trace t = dissect(path);
  ASSERT_EQ(t.connections.size(), 1u);
  const auto& c = t.connections[0];
  ASSERT_TRUE(c.quic);
  EXPECT_EQ(c.quic->oneRttDecrypted, expectedOneRtt("quic_follow_multistream"));
  EXPECT_EQ(c.quic->oneRttDecrypted, 897u);
  EXPECT_EQ(c.negotiated.suite, 0x1301);
  EXPECT_TRUE(streamsContain(c, "\"short_name\":\"YouTube\""));
  // MANIFEST: stream 40 is 3 chunks, from frames 426, 623 and 624, and it starts with these bytes;
  // the PADDING after the FIN-only STREAM frame in frame 625 is not stream data.
  std::vector<std::uint64_t> frames;
  const model::QuicStream* request = nullptr;
  const model::QuicStream* response = nullptr;
  for (const auto& s : c.quic->streams) {
    if (s.id != 40) continue;
    frames.insert(frames.end(), s.frames.begin(), s.frames.end());
    (s.direction == model::Direction::ClientToServer ? request : response) = &s;
  }
  std::sort(frames.begin(), frames.end());
  EXPECT_EQ(frames, (std::vector<std::uint64_t>{426, 623, 624}));
  ASSERT_NE(request, nullptr);
  ASSERT_NE(response, nullptr);
  EXPECT_EQ(toHex(ByteView(request->data).first(22)), "01143000d1aed782e4a7dd81a3a280a0df9f9e9d9c9b");
  EXPECT_TRUE(response->fin);
  ASSERT_GE(response->data.size(), 165u);
  EXPECT_FALSE(std::all_of(response->data.end() - 165, response->data.end(), [](std::uint8_t b) { return b == 0; }));
}

// tshark, an independent decoder, reads the same capture (keys from its DSB):
// per frame, the packet numbers it decrypted and the frame types inside must be tlslab's.
TEST(QuicConformance, TsharkAgreesPacketForPacketOnTheMultistreamCapture) {
  const auto path = capture("quic_follow_multistream.pcapng");
  REQUIRE_CAPTURE(path);
  if (std::system("command -v tshark >/dev/null 2>&1") != 0) GTEST_SKIP() << "no tshark";
  auto out = test::run("tshark -r " + path.string() +
                       " -Y quic -T fields -E separator='|' -e frame.number -e quic.packet_number -e quic.frame_type");
  std::map<std::uint64_t, std::string> theirs;
  std::istringstream in(out.out);
  for (std::string line; std::getline(in, line);) {
    unsigned long long frame = 0;
    if (std::sscanf(line.c_str(), "%llu|", &frame) != 1) continue;  // tshark's own warnings
    theirs[frame] = line.substr(line.find('|') + 1);
  }
  ASSERT_GT(theirs.size(), 900u) << out.out.substr(0, 400);
  const model::Trace t = dissect(path);
  ASSERT_EQ(t.connections.size(), 1u);
  std::map<std::uint64_t, std::pair<std::string, std::string>> mine;
  for (const auto& p : t.connections[0].quic->packets) {
    auto& [pns, types] = mine[p.frame];
    pns += (pns.empty() ? "" : ",") + (p.packetNumber ? std::to_string(*p.packetNumber) : std::string("?"));
    for (const auto& f : p.frames) types += (types.empty() ? "" : ",") + std::to_string(f.type);
  }
  std::size_t compared = 0;
  for (const auto& [frame, fields] : theirs) {
    auto it = mine.find(frame);
    ASSERT_NE(it, mine.end()) << "frame " << frame;
    EXPECT_EQ(it->second.first + "|" + it->second.second, fields) << "frame " << frame;
    ++compared;
  }
  EXPECT_EQ(compared, mine.size());
}

}  // namespace
