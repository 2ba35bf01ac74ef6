// Bulk mode (keepPayloads = keepRecords = false) skips the learner text of
// field trees and copies nothing it will drop, but must reach the same
// verdicts as full mode: the same connection summaries (negotiated,
// derivation with both Finished checks, decryption, state, diagnostics) and,
// record by record, the same content types and reasons.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "support/TestPaths.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/model/TraceJson.hpp"

using namespace tlslab;

namespace {

struct Seen {
  std::uint8_t contentType = 0, innerContentType = 0;
  bool encrypted = false;
  std::string reason;
  friend bool operator==(const Seen&, const Seen&) = default;
};

std::string describe(const Seen& s) {
  std::ostringstream out;
  out << int(s.contentType) << "/" << int(s.innerContentType) << (s.encrypted ? " encrypted" : "") << " " << s.reason;
  return out.str();
}

// `keyFile`: an NSS key log, or an RSA private key (.key).
void expectSameVerdicts(const std::filesystem::path& capture, const std::filesystem::path& keyFile = {}) {
  SCOPED_TRACE(capture.string());
  keys::KeyStore fullKeys, bulkKeys;
  for (keys::KeyStore* store : {&fullKeys, &bulkKeys}) {
    if (keyFile.extension() == ".key") {
      ASSERT_TRUE(store->addPrivateKeyFile(keyFile));
    } else if (!keyFile.empty()) {
      ASSERT_TRUE(store->addKeyLogFile(keyFile));
    }
  }
  auto full = dissect::dissectFile(capture, fullKeys);
  ASSERT_TRUE(full.ok());

  dissect::DissectOptions options;
  options.keepPayloads = false;
  options.keepRecords = false;
  std::map<std::size_t, std::vector<Seen>> bulkRecords;
  options.onRecord = [&](const model::TraceConnection& c, const model::TraceRecord& r) {
    EXPECT_EQ(r.index, bulkRecords[c.index].size());
    bulkRecords[c.index].push_back({r.contentType, r.innerContentType, r.encrypted, r.undecryptedReason});
  };
  auto bulk = dissect::dissectFile(capture, bulkKeys, options);
  ASSERT_TRUE(bulk.ok());

  ASSERT_EQ(full->connections.size(), bulk->connections.size());
  ASSERT_EQ(full->diagnostics.size(), bulk->diagnostics.size());
  for (std::size_t i = 0; i < full->diagnostics.size(); ++i)
    EXPECT_EQ(model::toJson(full->diagnostics[i]), model::toJson(bulk->diagnostics[i]));
  for (std::size_t i = 0; i < full->connections.size(); ++i) {
    model::TraceConnection summary = full->connections[i];
    std::vector<Seen> fullRecords;
    for (const auto& r : summary.records)
      fullRecords.push_back({r.contentType, r.innerContentType, r.encrypted, r.undecryptedReason});
    summary.records.clear();
    summary.messages.clear();
    summary.appData.clear();
    // Bulk mode keeps no messages or records, so its steps point at none.
    for (auto& step : summary.derivation) {
      step.messages.clear();
      step.records.clear();
    }
    EXPECT_EQ(model::toJson(summary), model::toJson(bulk->connections[i])) << "connection " << i;
    const auto& seen = bulkRecords[i];
    ASSERT_EQ(fullRecords.size(), seen.size()) << "connection " << i;
    for (std::size_t r = 0; r < seen.size(); ++r)
      EXPECT_EQ(fullRecords[r], seen[r]) << "connection " << i << " record " << r << ": " << describe(fullRecords[r])
                                         << " vs " << describe(seen[r]);
  }
}

}  // namespace

TEST(BulkMode, SameVerdictsAsFullModeOnTheSampleCaptures) {
  std::size_t captures = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::sourceDir() / "captures")) {
    if (entry.path().extension() != ".pcapng") continue;
    expectSameVerdicts(entry.path());
    ++captures;
  }
  EXPECT_GT(captures, 0u);
}

// Real captures from other stacks: renegotiation, resumption, 0-RTT, CBC and
// AEAD suites, fragmented handshakes, retransmissions.
TEST(BulkMode, SameVerdictsAsFullModeOnTheWiresharkCaptures) {
  const auto dir = test::conformanceDir() / "wireshark";
  if (!std::filesystem::exists(dir / "cases.tsv")) GTEST_SKIP() << "no conformance corpus at " << dir;
  const std::pair<const char*, const char*> cases[] = {
      {"tls13-rfc8446.pcap", "tls13-rfc8446.keys"},
      {"tls13-rfc8446.pcap", "tls13-rfc8446-noearly.keys"},
      {"tls12-chacha20poly1305.pcap", "tls12-chacha20poly1305.keys"},
      {"http2-data-reassembly.pcap", "http2-data-reassembly.keys"},
      {"dhe1.pcapng.gz", "dhe1_keylog.dat"},
      {"tls12-dsb.pcapng", ""},
      {"http2_follow_multistream.pcapng", ""},
      {"tls-fragmented-handshakes.pcap.gz", ""},
      {"retrans-tls.pcap", ""},
      {"tls-renegotiation.pcap", "rsasnakeoil2.key"},
      {"rsasnakeoil2.pcap", "rsasnakeoil2.key"},
      {"rsa-p-lt-q.pcap", "rsa-p-lt-q.key"},
  };
  for (const auto& [capture, keyFile] : cases)
    expectSameVerdicts(dir / "captures" / capture, *keyFile ? dir / "keys" / keyFile : std::filesystem::path());
}
