// The handshake-anatomy lab (scenarios::runAnatomy, anatomize): three real
// connections of one client and server, taken apart the way the tutorial
// says — round trips, what an eavesdropper reads, the downgrade sentinel
// OpenSSL really writes, the HelloRetryRequest and the compatibility CCSs.
#include <gtest/gtest.h>

#include <algorithm>

#include "support/LabConfigs.hpp"
#include "tlslab/scenarios/AnatomyLab.hpp"
#include "tlslab/scenarios/PairLab.hpp"

using namespace tlslab;
using namespace tlslab::scenarios;

namespace {

struct Anatomized {
  AnatomyRun run;
  AnatomyReport report;
  const HandshakeAnatomy& of(AnatomyKind kind) const {
    auto at = std::find(run.kinds.begin(), run.kinds.end(), kind) - run.kinds.begin();
    return report.connections.at(static_cast<std::size_t>(at));
  }
};

Anatomized anatomized(AnatomyOptions options) {
  options.certsDir = test::labCerts();
  Anatomized a{runAnatomy(options), {}};
  EXPECT_TRUE(a.run.ok()) << a.run.setupError;
  a.report = anatomize(a.run);
  EXPECT_TRUE(a.report.error.empty()) << a.report.error;
  EXPECT_TRUE(a.report.traced.selfCheckOk());
  EXPECT_EQ(a.report.connections.size(), a.run.runs.size());
  return a;
}

// One run shared by the tests that only read it (each run is three handshakes).
const Anatomized& defaultRun() {
  static const Anatomized a = anatomized({});
  return a;
}

}  // namespace

TEST(AnatomyLab, Tls13TakesOneRoundTripTls12AndARetryTwo) {
  const Anatomized& a = defaultRun();
  EXPECT_EQ(a.of(AnatomyKind::Tls13).roundTrips, 1);
  EXPECT_EQ(a.of(AnatomyKind::Tls12).roundTrips, 2);
  EXPECT_EQ(a.of(AnatomyKind::HelloRetry).roundTrips, 2);
  const auto& flights = a.of(AnatomyKind::Tls13).flights;
  ASSERT_EQ(flights.size(), 3u);
  EXPECT_EQ(flights[1].items.front(), "ServerHello");
  EXPECT_EQ(flights[2].items.back(), "Application Data");
  // The TLS 1.2 server's second flight ends with its Finished, which the client waits for.
  EXPECT_EQ(a.of(AnatomyKind::Tls12).flights[3].items.back(), "Finished");
}

TEST(AnatomyLab, OnlyTls12ShowsTheCertificateToAnEavesdropper) {
  const Anatomized& a = defaultRun();
  ASSERT_EQ(a.of(AnatomyKind::Tls12).observerCertificates.size(), 2u);
  EXPECT_NE(a.of(AnatomyKind::Tls12).observerCertificates[0].find("CN=bank32.com"), std::string::npos);
  EXPECT_TRUE(a.of(AnatomyKind::Tls13).observerCertificates.empty());
  EXPECT_TRUE(a.of(AnatomyKind::HelloRetry).observerCertificates.empty());
  const auto& clear = a.of(AnatomyKind::Tls13).clearMessages;
  EXPECT_EQ(std::count(clear.begin(), clear.end(), "Certificate"), 0);
  EXPECT_EQ(std::count(clear.begin(), clear.end(), "ServerHello"), 1);
  EXPECT_GT(a.of(AnatomyKind::Tls13).sealedRecords, 5u);
  for (const auto& c : a.report.connections) EXPECT_EQ(c.sni, "bank32.com");
}

TEST(AnatomyLab, ADowngradedServerWritesDowngrdIntoItsRandom) {
  const Anatomized& a = defaultRun();
  const auto& tls12 = a.of(AnatomyKind::Tls12);
  ASSERT_EQ(tls12.serverRandom.size(), 32u);
  EXPECT_EQ(toHex(ByteView(tls12.serverRandom).last(8)), "444f574e47524401");  // RFC 8446 §4.1.3, as OpenSSL writes it
  EXPECT_EQ(tls12.downgradeSentinel, std::string("DOWNGRD\x01", 8));
  EXPECT_EQ(sentinelText(tls12.downgradeSentinel), "44 4f 57 4e 47 52 44 01");
  EXPECT_TRUE(a.of(AnatomyKind::Tls13).downgradeSentinel.empty());
}

TEST(AnatomyLab, TheRetryAsksForTheServersGroupAfterAnX25519Share) {
  AnatomyOptions options;
  options.hrrGroup = "P-521";
  options.order = {AnatomyKind::HelloRetry};
  Anatomized a = anatomized(options);
  const auto& retry = a.of(AnatomyKind::HelloRetry);
  EXPECT_EQ(retry.firstKeyShare, "x25519");
  EXPECT_EQ(retry.retryGroup, "secp521r1");
  EXPECT_EQ(a.run.runs[0].negotiated.group, "secp521r1");
  EXPECT_TRUE(defaultRun().of(AnatomyKind::Tls13).retryGroup.empty());
}

TEST(AnatomyLab, CompatibilityChangeCipherSpecsSitWhereAppendixD4Says) {
  const Anatomized& a = defaultRun();
  auto ccsOf = [&](AnatomyKind kind, model::Direction from) {
    for (const auto& c : a.of(kind).changeCipherSpecs)
      if (c.from == from) return c;
    ADD_FAILURE() << "no ChangeCipherSpec";
    return HandshakeAnatomy::Ccs{};
  };
  EXPECT_EQ(ccsOf(AnatomyKind::Tls13, model::Direction::ServerToClient).before, "ServerHello");
  EXPECT_EQ(ccsOf(AnatomyKind::Tls13, model::Direction::ClientToServer).after, "Finished");
  EXPECT_EQ(ccsOf(AnatomyKind::HelloRetry, model::Direction::ServerToClient).before, "HelloRetryRequest");
  EXPECT_EQ(ccsOf(AnatomyKind::HelloRetry, model::Direction::ClientToServer).after, "ClientHello");
  EXPECT_EQ(a.of(AnatomyKind::Tls13).sessionIdLength, 32u);
}

TEST(AnatomyLab, TheServerPicksAlpnByItsOwnPreference) {
  AnatomyOptions options;
  options.alpn = {"imap", "http/1.0", "h2"};
  options.order = {AnatomyKind::Tls12, AnatomyKind::Tls13};
  Anatomized a = anatomized(options);
  EXPECT_EQ(a.of(AnatomyKind::Tls12).alpnOffered, (std::vector<std::string>{"imap", "http/1.0", "h2"}));
  EXPECT_EQ(a.of(AnatomyKind::Tls12).alpnSelected, "h2");  // labServerAlpn() lists h2 first
  EXPECT_TRUE(a.of(AnatomyKind::Tls12).alpnSelectedInClear);
  EXPECT_EQ(a.of(AnatomyKind::Tls13).alpnSelected, "h2");
  EXPECT_FALSE(a.of(AnatomyKind::Tls13).alpnSelectedInClear);  // in EncryptedExtensions
}

TEST(AnatomyLab, ObserverCaptureHoldsNoKeysButTheKeyLogOpensIt) {
  const Anatomized& a = defaultRun();
  const std::string capture = observerPcapng(a.run);
  const std::string keyLog = anatomyKeyLog(a.run);
  EXPECT_EQ(capture.find("CLIENT_HANDSHAKE_TRAFFIC_SECRET"), std::string::npos);
  EXPECT_NE(keyLog.find("CLIENT_HANDSHAKE_TRAFFIC_SECRET"), std::string::npos);
  CaptureAnatomy read = anatomizeCapture(asBytes(capture), keyLog);
  ASSERT_TRUE(read.error.empty()) << read.error;
  ASSERT_EQ(read.connections.size(), 3u);
  for (const auto& c : read.withKeys.connections) EXPECT_EQ(c.decryption.kind, model::Decryption::Kind::Decrypted);
  for (const auto& c : read.observed.connections) EXPECT_NE(c.decryption.kind, model::Decryption::Kind::Decrypted);
}

TEST(AnatomyLab, OptionsThatCannotForceARetryAreRefused) {
  AnatomyOptions options;
  options.hrrGroup = "X25519";
  EXPECT_NE(checkAnatomyOptions(options).find("needs no HelloRetryRequest"), std::string::npos);
  options.hrrGroup = "P-256:P-384";
  EXPECT_NE(checkAnatomyOptions(options).find("one group"), std::string::npos);
  options.hrrGroup = "P-256";
  options.alpn = {""};
  EXPECT_NE(checkAnatomyOptions(options).find("1 to 255 bytes"), std::string::npos);
  options.alpn = {};
  options.hrrGroup = "no-such-group";
  options.certsDir = test::labCerts();
  AnatomyRun run = runAnatomy(options);
  EXPECT_NE(run.setupError.find("no-such-group"), std::string::npos) << run.setupError;
}

TEST(AnatomyLab, HandshakeLabGroupsForceAHelloRetryRequest) {
  PairLabOptions options;
  options.certsDir = test::labCerts();
  options.serverGroups = "P-384";
  options.alpn = {"http/1.1"};
  PairLabRun run = runPairLab(PairLab::Handshake, options);
  ASSERT_TRUE(run.ok()) << run.setupError;
  EXPECT_EQ(run.runs[0].negotiated.group, "secp384r1");
  EXPECT_EQ(run.runs[0].negotiated.alpn, "http/1.1");
  RunTrace traced = traceOfRun(run.legs(), "lab: handshake");
  ASSERT_EQ(traced.trace.connections.size(), 1u);
  const auto& messages = traced.trace.connections[0].messages;
  EXPECT_TRUE(std::any_of(messages.begin(), messages.end(), [](const auto& m) { return m.name == "HelloRetryRequest"; }));
  options.alpn = {""};
  EXPECT_NE(checkPairLabOptions(PairLab::Handshake, options).find("1 to 255 bytes"), std::string::npos);
}
