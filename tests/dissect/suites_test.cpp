// Every suite tlslab decrypts, recorded from real OpenSSL endpoints on
// loopback: the dissector must give back exactly the application bytes each
// side sent, and verify both Finished messages against the transcript.
#include <gtest/gtest.h>

#include "DissectTestUtil.hpp"

using namespace tlslab;
using endpoints::TlsVersion;

namespace {

struct SuiteCase {
  const char* name;       // test name
  TlsVersion version;
  const char* openssl;    // OpenSSL cipher (1.2 list syntax or 1.3 suite name)
  std::uint16_t iana;     // what the ServerHello must select
  const char* serverEntry;
};

void PrintTo(const SuiteCase& c, std::ostream* os) { *os << c.name; }

class Suites : public ::testing::TestWithParam<SuiteCase> {};

TEST_P(Suites, DecryptsBothDirectionsAndVerifiesFinished) {
  const SuiteCase& c = GetParam();
  auto serverConfig = test::labServer(c.serverEntry);
  endpoints::ClientConfig client = test::labClient(0);
  for (auto* tls : {&serverConfig.tls, &client.tls}) {
    tls->minVersion = tls->maxVersion = c.version;
    if (c.version == TlsVersion::Tls1_3) tls->cipherSuites = c.openssl;
    else tls->cipherList = c.openssl;
  }
  client.script = {endpoints::ScriptStep::send("GET /suite-check HTTP/1.1\r\nHost: bank32.com\r\n\r\n"),
                   endpoints::ScriptStep::expect("</html>")};
  auto rec = test::recordRuns(serverConfig, {client});
  ASSERT_EQ(rec.runs.size(), 1u);
  ASSERT_TRUE(rec.runs[0].scriptOk) << rec.runs[0].error;

  keys::KeyStore keys;
  auto trace = dissect::dissectBytes(rec.pcapng, keys);
  ASSERT_TRUE(trace.ok()) << trace.error().message();
  ASSERT_EQ(trace->connections.size(), 1u);
  const auto& conn = trace->connections[0];
  EXPECT_EQ(conn.negotiated.suite, c.iana) << conn.negotiated.suiteName;
  EXPECT_EQ(conn.negotiated.version, c.version == TlsVersion::Tls1_3 ? 0x0304 : 0x0303);
  EXPECT_EQ(conn.decryption.kind, model::Decryption::Kind::Decrypted);
  EXPECT_TRUE(conn.state.kind == model::ConnectionState::Kind::Ok ||
              conn.state.kind == model::ConnectionState::Kind::Closed)
      << conn.state.text;
  EXPECT_EQ(test::decrypted(conn, model::Direction::ClientToServer), test::appDataOf(rec.runs[0].events, true));
  EXPECT_EQ(test::decrypted(conn, model::Direction::ServerToClient), rec.runs[0].received);
  EXPECT_TRUE(test::finishedVerified(conn, "client"));
  EXPECT_TRUE(test::finishedVerified(conn, "server"));
  for (const auto& r : conn.records) EXPECT_EQ(r.undecryptedReason, "") << "record " << r.index;
  EXPECT_EQ(conn.negotiated.sni, "bank32.com");
  EXPECT_FALSE(conn.serverCertificates.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Tls13, Suites,
    ::testing::Values(SuiteCase{"Aes128Gcm", TlsVersion::Tls1_3, "TLS_AES_128_GCM_SHA256", 0x1301, "bank32-rsa"},
                      SuiteCase{"Aes256Gcm", TlsVersion::Tls1_3, "TLS_AES_256_GCM_SHA384", 0x1302, "bank32-rsa"},
                      SuiteCase{"ChaCha20", TlsVersion::Tls1_3, "TLS_CHACHA20_POLY1305_SHA256", 0x1303, "bank32-ecdsa"},
                      SuiteCase{"Aes128Ccm", TlsVersion::Tls1_3, "TLS_AES_128_CCM_SHA256", 0x1304, "bank32-rsa"}),
    [](const auto& p) { return std::string(p.param.name); });

INSTANTIATE_TEST_SUITE_P(
    Tls12, Suites,
    ::testing::Values(
        SuiteCase{"EcdheRsaAes128Gcm", TlsVersion::Tls1_2, "ECDHE-RSA-AES128-GCM-SHA256", 0xC02F, "bank32-rsa"},
        SuiteCase{"EcdheRsaAes256Gcm", TlsVersion::Tls1_2, "ECDHE-RSA-AES256-GCM-SHA384", 0xC030, "bank32-rsa"},
        SuiteCase{"EcdheEcdsaChaCha20", TlsVersion::Tls1_2, "ECDHE-ECDSA-CHACHA20-POLY1305", 0xCCA9, "bank32-ecdsa"},
        SuiteCase{"EcdheEcdsaAes128Ccm", TlsVersion::Tls1_2, "ECDHE-ECDSA-AES128-CCM", 0xC0AC, "bank32-ecdsa"},
        SuiteCase{"EcdheRsaAes128CbcEtm", TlsVersion::Tls1_2, "ECDHE-RSA-AES128-SHA256", 0xC027, "bank32-rsa"},
        SuiteCase{"EcdheRsaAes256CbcSha", TlsVersion::Tls1_2, "ECDHE-RSA-AES256-SHA", 0xC014, "bank32-rsa"},
        SuiteCase{"RsaAes128Gcm", TlsVersion::Tls1_2, "AES128-GCM-SHA256", 0x009C, "bank32-rsa"},
        SuiteCase{"RsaAes256CbcSha256", TlsVersion::Tls1_2, "AES256-SHA256", 0x003D, "bank32-rsa"}),
    [](const auto& p) { return std::string(p.param.name); });

}  // namespace
