// A record missing from the capture: the records after the hole are opened
// again by trying the sequence numbers the lost bytes could have used.
#include <gtest/gtest.h>

#include "PairCapture.hpp"
#include "tlslab/dissect/TlsDissector.hpp"

using namespace tlslab;

namespace {

struct GapCase {
  const char* name;
  int version;
  const char* cipherList;
  const char* ciphersuites;
};

class Gaps : public ::testing::TestWithParam<GapCase> {};

TEST_P(Gaps, DecryptionResumesAfterALostRecord) {
  const GapCase& c = GetParam();
  test::PairConfig config;
  config.minVersion = config.maxVersion = c.version;
  config.cipherList = c.cipherList;
  config.ciphersuites = c.ciphersuites;
  auto cap = test::runPair(config);
  ASSERT_TRUE(cap.ok) << cap.error;
  auto clientRecords = test::records(cap.clientToServer);
  // Lose the third request: the last records are the 20000-byte message (two
  // records) and close_notify.
  const std::size_t dropped = clientRecords.size() - 4;
  ASSERT_EQ(clientRecords[dropped][0], 23);
  keys::KeyStore keys;
  auto trace = dissect::dissectBytes(test::pcapOf(cap, dropped), keys);
  ASSERT_TRUE(trace.ok());
  ASSERT_EQ(trace->connections.size(), 1u);
  const auto& conn = trace->connections[0];
  std::string client;
  for (const auto& chunk : conn.appData)
    if (chunk.direction == model::Direction::ClientToServer) client.append(chunk.data.begin(), chunk.data.end());
  EXPECT_NE(client.find("GET /1 "), std::string::npos);
  EXPECT_EQ(client.find("GET /2 "), std::string::npos);  // lost with its record
  EXPECT_EQ(client.substr(client.size() - 3), "end") << "the records after the gap decrypt again";
  bool resumed = false, gap = false;
  for (const auto& d : conn.diagnostics) {
    resumed |= d.code == model::DiagnosticCode::RecordResynced &&
               d.message.find("1 record(s) were lost") != std::string::npos;
    gap |= d.code == model::DiagnosticCode::TcpGap;
  }
  EXPECT_TRUE(gap);
  EXPECT_TRUE(resumed);
}

INSTANTIATE_TEST_SUITE_P(Versions, Gaps,
                         ::testing::Values(GapCase{"Tls12Gcm", TLS1_2_VERSION, "ECDHE-RSA-AES128-GCM-SHA256", ""},
                                           GapCase{"Tls12CbcEtm", TLS1_2_VERSION, "ECDHE-RSA-AES128-SHA", ""},
                                           GapCase{"Tls13", TLS1_3_VERSION, "", "TLS_AES_128_GCM_SHA256"}),
                         [](const auto& p) { return std::string(p.param.name); });

}  // namespace
