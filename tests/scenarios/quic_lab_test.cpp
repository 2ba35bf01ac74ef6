// The QUIC lab (scenarios::runQuicLab): ngtcp2's gtlsserver and gtlsclient on
// loopback, captured with tlslab's own libpcap. Without keys only the Initial
// packets open (their keys come from the DCID); with the client's key log
// every packet does, and the page comes out of the server's stream.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/TestPaths.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/scenarios/QuicLab.hpp"

using namespace tlslab;
namespace fs = std::filesystem;

namespace {

std::string whyNot() {
  if (auto missing = scenarios::quicLabPrerequisites(); !missing.empty()) return missing;
  if (::geteuid() != 0) return "capturing on lo needs root";
  return {};
}

scenarios::QuicLabOptions labOptions() {
  scenarios::QuicLabOptions options;
  options.certsDir = test::sourceDir() / "certs";
  options.serverName = "h3.quic-lab.test";
  options.page = "<html><body>the QUIC lab's test page 4d2f</body></html>\n";
  return options;
}

std::string readFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

}  // namespace

TEST(QuicLab, PrerequisitesNameTheDebianPackages) {
  const std::string missing = scenarios::quicLabPrerequisites();
  if (!missing.empty()) {
    EXPECT_NE(missing.find("(Debian package ngtcp2-"), std::string::npos) << missing;
  }
}

TEST(QuicLab, KeylessOpensOnlyTheInitialsAndTheKeyLogOpensEverything) {
  if (auto why = whyNot(); !why.empty()) GTEST_SKIP() << why;
  const auto run = scenarios::runQuicLab(labOptions());
  ASSERT_TRUE(run.ok()) << run.setupError << " " << run.clientResult << "\n" << run.clientOutput << run.serverOutput;
  EXPECT_EQ(run.captureFilter, "udp port " + std::to_string(run.port));
  EXPECT_GT(run.frames, 4u);
  EXPECT_NE(run.keyLog.find("CLIENT_TRAFFIC_SECRET_0"), std::string::npos) << run.keyLog;

  ASSERT_EQ(run.keyless.connections.size(), 1u);
  const auto seen = scenarios::observeQuic(run.keyless.connections[0]);
  EXPECT_TRUE(seen.clientHello);
  EXPECT_EQ(seen.sni, "h3.quic-lab.test");
  EXPECT_EQ(seen.alpn, std::vector<std::string>{"h3"});
  EXPECT_GE(seen.dcid.size(), 8u);  // RFC 9000 §7.2: a client's first DCID has at least 8 bytes
  const auto* initial = seen.space("Initial");
  ASSERT_NE(initial, nullptr);
  EXPECT_EQ(initial->opened, initial->packets());
  EXPECT_GT(initial->clientPackets, 0u);
  EXPECT_GT(initial->serverPackets, 0u);
  const auto* oneRtt = seen.space("1-RTT");
  ASSERT_NE(oneRtt, nullptr);
  EXPECT_EQ(oneRtt->opened, 0u);
  EXPECT_EQ(scenarios::serverStreamBytes(run.keyless.connections[0]), "");

  const model::TraceConnection* conn = run.connection();
  ASSERT_NE(conn, nullptr);
  EXPECT_EQ(conn->quic->versionName, "QUIC v1");
  EXPECT_EQ(conn->decryption.kind, model::Decryption::Kind::Decrypted) << conn->decryption.text;
  EXPECT_EQ(conn->quic->originalDcid, seen.dcid);
  const auto keyed = scenarios::observeQuic(*conn);
  for (const auto& s : keyed.spaces) EXPECT_EQ(s.opened, s.packets()) << s.space;
  EXPECT_EQ(keyed.space("1-RTT")->packets(), oneRtt->packets());
  EXPECT_EQ(conn->negotiated.alpn, "h3");
  EXPECT_NE(scenarios::serverStreamBytes(*conn).find("the QUIC lab's test page 4d2f"), std::string::npos);
}

TEST(QuicLab, TheSavedCaptureHasNoKeysAndTheKeyLogBesideItOpensIt) {
  if (auto why = whyNot(); !why.empty()) GTEST_SKIP() << why;
  const auto run = scenarios::runQuicLab(labOptions());
  ASSERT_TRUE(run.ok()) << run.setupError << " " << run.clientResult;
  const fs::path dir = fs::temp_directory_path() / ("tlslab-quic-lab-" + std::to_string(::getpid())) / "run";
  ASSERT_EQ(scenarios::saveQuicRun(run, dir), "");
  EXPECT_EQ(readFile(dir / scenarios::kQuicKeyLogFile), run.keyLog);
  keys::KeyStore none;
  auto blind = dissect::dissectFile(dir / scenarios::kQuicCaptureFile, none);
  ASSERT_TRUE(blind) << blind.error().message();
  ASSERT_EQ(blind->connections.size(), 1u);
  EXPECT_EQ(blind->connections[0].quic->oneRttDecrypted, 0u);  // no Decryption Secrets Block inside
  keys::KeyStore store;
  ASSERT_TRUE(store.addKeyLogFile(dir / scenarios::kQuicKeyLogFile).ok());
  auto opened = dissect::dissectFile(dir / scenarios::kQuicCaptureFile, store);
  ASSERT_TRUE(opened);
  EXPECT_GT(opened->connections[0].quic->oneRttDecrypted, 0u);
  // The GUI's copy carries the key log inside.
  keys::KeyStore empty;
  auto embedded = dissect::dissectBytes(asBytes(run.pcapngWithKeys), empty);
  ASSERT_TRUE(embedded);
  EXPECT_EQ(embedded->connections[0].quic->oneRttDecrypted, opened->connections[0].quic->oneRttDecrypted);
  fs::remove_all(dir.parent_path());
}

TEST(QuicLab, ARetryChangesTheDcidAndTheInitialsStillOpenWithoutKeys) {
  if (auto why = whyNot(); !why.empty()) GTEST_SKIP() << why;
  auto options = labOptions();
  options.retry = true;
  const auto run = scenarios::runQuicLab(options);
  ASSERT_TRUE(run.ok()) << run.setupError << " " << run.clientResult;
  ASSERT_EQ(run.keyless.connections.size(), 1u);
  const auto& blind = run.keyless.connections[0];
  EXPECT_TRUE(blind.quic->retry);
  const auto seen = scenarios::observeQuic(blind);
  ASSERT_NE(seen.space("Retry"), nullptr);
  EXPECT_EQ(seen.space("Initial")->opened, seen.space("Initial")->packets());
  EXPECT_EQ(seen.sni, "h3.quic-lab.test");
  // The first Initial's DCID, not the one the client switched to; the
  // Retry's integrity tag is computed over it (RFC 9001 §5.8).
  EXPECT_EQ(seen.dcid, blind.quic->packets.at(0).dcid);
  EXPECT_FALSE(seen.retryDcid.empty());
  EXPECT_NE(seen.retryDcid, seen.dcid);
  bool switched = false;  // the client's Initials after the Retry go to the Retry's SCID
  for (const auto& p : blind.quic->packets)
    switched |= p.type == "Initial" && p.direction == model::Direction::ClientToServer && p.dcid == seen.retryDcid;
  EXPECT_TRUE(switched);
  for (const auto& p : blind.quic->packets) {
    if (p.type == "Retry") {
      EXPECT_NE(p.note.find("verifies with the client's original DCID " + toHex(seen.dcid)), std::string::npos) << p.note;
    }
  }
}
