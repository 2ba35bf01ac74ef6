// CBC suites in both MAC orders: MAC-then-encrypt (RFC 5246 §6.2.3.2) and
// encrypt-then-MAC (RFC 7366). LabServer always negotiates EtM, so these
// sessions come from an in-memory OpenSSL pair (tests/crypto/OpensslPair.hpp)
// with SSL_OP_NO_ENCRYPT_THEN_MAC, written to a pcap by the capture tests'
// PcapBuilder with the flights in handshake order.
#include <gtest/gtest.h>

#include "capture/PcapBuilder.hpp"
#include "crypto/OpensslPair.hpp"
#include "tlslab/dissect/TlsDissector.hpp"

using namespace tlslab;

namespace {

std::vector<Bytes> records(const Bytes& stream) {
  std::vector<Bytes> out;
  std::size_t at = 0;
  while (at + 5 <= stream.size()) {
    const std::size_t len = static_cast<std::size_t>(stream[at + 3] << 8 | stream[at + 4]);
    const std::size_t end = std::min(stream.size(), at + 5 + len);
    out.emplace_back(stream.begin() + static_cast<std::ptrdiff_t>(at), stream.begin() + static_cast<std::ptrdiff_t>(end));
    at = end;
  }
  return out;
}

// Client hello; server flight up to its ChangeCipherSpec; client flight up to
// and including its Finished; server CCS + Finished; then the rest.
Bytes pcapOf(const test::Capture& cap) {
  auto c = records(cap.clientToServer), s = records(cap.serverToClient);
  std::size_t ci = 0, si = 0;
  test::Conversation conv(test::endpoint("10.0.0.1", 50000), test::endpoint("10.0.0.2", 443));
  std::vector<test::TcpSpec> segs = conv.handshake();
  auto sendUntilAfterCcs = [&](int side, std::vector<Bytes>& list, std::size_t& i, bool includeCcsAndNext) {
    while (i < list.size()) {
      const bool ccs = list[i][0] == 20;
      if (ccs && !includeCcsAndNext) return;
      segs.push_back(conv.send(side, list[i++]));
      if (ccs) {
        if (i < list.size()) segs.push_back(conv.send(side, list[i++]));
        return;
      }
    }
  };
  segs.push_back(conv.send(0, c[ci++]));
  sendUntilAfterCcs(1, s, si, false);
  sendUntilAfterCcs(0, c, ci, true);
  sendUntilAfterCcs(1, s, si, true);
  while (ci < c.size()) segs.push_back(conv.send(0, c[ci++]));
  while (si < s.size()) segs.push_back(conv.send(1, s[si++]));
  return test::pcapngBytes(test::Link::Ethernet, test::frames(test::Link::Ethernet, segs), {cap.keylog});
}

std::string stream(const model::TraceConnection& conn, model::Direction d) {
  std::string out;
  for (const auto& chunk : conn.appData)
    if (chunk.direction == d) out.append(chunk.data.begin(), chunk.data.end());
  return out;
}

struct CbcCase {
  const char* name;
  const char* cipher;
  bool encryptThenMac;
};

class CbcModes : public ::testing::TestWithParam<CbcCase> {};

TEST_P(CbcModes, DecryptsAndChecksTheMacInTheNegotiatedOrder) {
  const CbcCase& c = GetParam();
  test::PairConfig config;
  config.cipherList = c.cipher;
  if (!c.encryptThenMac) config.options = SSL_OP_NO_ENCRYPT_THEN_MAC;
  auto cap = test::runPair(config);
  ASSERT_TRUE(cap.ok) << cap.error;
  keys::KeyStore keys;
  auto trace = dissect::dissectBytes(pcapOf(cap), keys);
  ASSERT_TRUE(trace.ok()) << trace.error().message();
  ASSERT_EQ(trace->connections.size(), 1u);
  const auto& conn = trace->connections[0];
  EXPECT_EQ(conn.decryption, "decrypted");
  EXPECT_EQ(stream(conn, model::Direction::ClientToServer), std::string(cap.clientSent.begin(), cap.clientSent.end()));
  EXPECT_EQ(stream(conn, model::Direction::ServerToClient), std::string(cap.serverSent.begin(), cap.serverSent.end()));
  bool sawConstruction = false;
  for (const auto& r : conn.records) {
    if (!r.crypto) continue;
    sawConstruction = true;
    EXPECT_EQ(r.crypto->construction, c.encryptThenMac ? "encrypt-then-MAC" : "MAC-then-encrypt") << r.index;
  }
  EXPECT_TRUE(sawConstruction);
}

INSTANTIATE_TEST_SUITE_P(Tls12, CbcModes,
                         ::testing::Values(CbcCase{"EcdheAes128ShaMtE", "ECDHE-RSA-AES128-SHA", false},
                                           CbcCase{"EcdheAes128ShaEtM", "ECDHE-RSA-AES128-SHA", true},
                                           CbcCase{"RsaAes256Sha256MtE", "AES256-SHA256", false},
                                           CbcCase{"RsaAes128ShaEtM", "AES128-SHA", true}),
                         [](const auto& p) { return std::string(p.param.name); });

}  // namespace
