// CBC suites in both MAC orders: MAC-then-encrypt (RFC 5246 §6.2.3.2) and
// encrypt-then-MAC (RFC 7366). LabServer always negotiates EtM, so these
// sessions come from an in-memory OpenSSL pair (tests/crypto/OpensslPair.hpp)
// with SSL_OP_NO_ENCRYPT_THEN_MAC, written to a pcap by the capture tests'
// PcapBuilder with the flights in handshake order.
#include <gtest/gtest.h>

#include "PairCapture.hpp"
#include "tlslab/dissect/TlsDissector.hpp"

using namespace tlslab;

namespace {

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
  auto trace = dissect::dissectBytes(test::pcapOf(cap), keys);
  ASSERT_TRUE(trace.ok()) << trace.error().message();
  ASSERT_EQ(trace->connections.size(), 1u);
  const auto& conn = trace->connections[0];
  EXPECT_EQ(conn.decryption.kind, model::Decryption::Kind::Decrypted);
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
