// The lab endpoints record their own (EC)DHE key pairs (EphemeralKeyEvent),
// read from libssl while it holds them: the key share each one recorded is the
// one it sent, and a run's capture never carries the private half.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "support/LabConfigs.hpp"
#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/endpoints/RunPcapng.hpp"

using namespace tlslab;
using namespace tlslab::endpoints;

namespace {

std::vector<EphemeralKeyEvent> keysOf(const std::vector<Event>& events) {
  std::vector<EphemeralKeyEvent> out;
  for (const auto& e : events)
    if (const auto* k = std::get_if<EphemeralKeyEvent>(&e)) out.push_back(*k);
  return out;
}

// The handshake messages of one type this endpoint sent.
std::vector<Bytes> sentMessages(const std::vector<Event>& events, std::uint8_t type) {
  std::vector<Bytes> out;
  for (const auto& e : events)
    if (const auto* m = std::get_if<MessageEvent>(&e); m && m->sent && m->contentType == 22 && !m->bytes.empty() &&
                                                       m->bytes[0] == type)
      out.push_back(m->bytes);
  return out;
}

bool contains(const Bytes& haystack, const Bytes& needle) {
  return !needle.empty() && std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

struct Pair {
  ClientRun client;
  std::vector<Event> server;
};

Pair runPair(TlsOptions clientTls, TlsOptions serverTls) {
  ServerConfig serverConfig = test::labServerFor("bank32-rsa", Service::Echo);
  serverConfig.tls = serverTls;
  auto server = LabServer::start(serverConfig);
  Pair out;
  if (!server) {
    ADD_FAILURE() << server.error();
    return out;
  }
  ClientConfig config = test::labClientFor(**server);
  config.tls = clientTls;
  config.script = {ScriptStep::send("ping"), ScriptStep::expect("ping")};
  out.client = runClient(config);
  EXPECT_TRUE(out.client.scriptOk) << out.client.error;
  (*server)->stop();
  auto done = (*server)->finishedConnections();
  if (!done.empty()) out.server = done.front().events;
  return out;
}

}  // namespace

TEST(EphemeralKeys, Tls13ClientAndServerRecordTheKeySharesTheySent) {
  Pair run = runPair({}, {});
  auto client = keysOf(run.client.events);
  auto server = keysOf(run.server);
  ASSERT_EQ(client.size(), 1u);
  ASSERT_EQ(server.size(), 1u);
  EXPECT_EQ(client[0].group, "x25519");
  EXPECT_EQ(client[0].privateKey.size(), 32u);
  EXPECT_EQ(client[0].publicKey.size(), 32u);
  EXPECT_NE(client[0].privateKey, server[0].privateKey);
  auto hello = sentMessages(run.client.events, 1);
  ASSERT_EQ(hello.size(), 1u);
  EXPECT_TRUE(contains(hello[0], client[0].publicKey)) << "the client's share is in its ClientHello";
  auto serverHello = sentMessages(run.server, 2);
  ASSERT_EQ(serverHello.size(), 1u);
  EXPECT_TRUE(contains(serverHello[0], server[0].publicKey)) << "the server's share is in its ServerHello";
}

TEST(EphemeralKeys, AHelloRetryRequestGivesTheClientASecondKeyInItsSecondClientHello) {
  TlsOptions client, server;
  client.minVersion = client.maxVersion = server.minVersion = server.maxVersion = TlsVersion::Tls1_3;
  client.groups = "X25519:P-256";
  server.groups = "P-256";
  Pair run = runPair(client, server);
  auto keys = keysOf(run.client.events);
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].group, "x25519");
  EXPECT_EQ(keys[1].group, "secp256r1");
  EXPECT_EQ(keys[1].publicKey.size(), 65u);
  EXPECT_EQ(keys[1].privateKey.size(), 32u);
  auto hellos = sentMessages(run.client.events, 1);
  ASSERT_EQ(hellos.size(), 2u);
  EXPECT_TRUE(contains(hellos[1], keys[1].publicKey));
  EXPECT_FALSE(contains(hellos[0], keys[1].publicKey));
}

TEST(EphemeralKeys, FiniteFieldGroupsCarryTheirWholeKey) {
  TlsOptions tls;
  tls.minVersion = tls.maxVersion = TlsVersion::Tls1_3;
  tls.groups = "ffdhe2048";
  Pair run = runPair(tls, tls);
  auto keys = keysOf(run.server);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].group, "ffdhe2048");
  EXPECT_EQ(keys[0].publicKey.size(), 256u) << "RFC 8446 §4.2.8.1: Y padded to the size of p";
  // OpenSSL's exponent for ffdhe2048 is a random number of about 225 bits, written in its
  // minimal length: one run in 256 it is a byte shorter, so allow a few bytes below 28
  // (a truncated key would be far shorter); the schedule tests derive the shared secret from it.
  EXPECT_GE(keys[0].privateKey.size(), 24u);
}

TEST(EphemeralKeys, Tls12ServerRecordsItsServerKeyExchangeKeyTheClientNone) {
  for (const char* suite : {"ECDHE-RSA-AES128-GCM-SHA256", "DHE-RSA-AES128-GCM-SHA256"}) {
    TlsOptions tls;
    tls.minVersion = tls.maxVersion = TlsVersion::Tls1_2;
    tls.cipherList = suite;
    Pair run = runPair(tls, tls);
    auto server = keysOf(run.server);
    ASSERT_EQ(server.size(), 1u) << suite;
    auto ske = sentMessages(run.server, 12);
    ASSERT_EQ(ske.size(), 1u) << suite;
    EXPECT_TRUE(contains(ske[0], server[0].publicKey)) << suite;
    if (std::string(suite).rfind("DHE", 0) == 0) {
      EXPECT_EQ(server[0].group, "dh");
      EXPECT_TRUE(contains(ske[0], server[0].dhP)) << "p as the ServerKeyExchange sent it";
    }
    // libssl generates, uses and frees a TLS 1.2 client's key inside one
    // function (tls_construct_cke_ecdhe/_dhe): nothing to read.
    EXPECT_TRUE(keysOf(run.client.events).empty()) << suite;
  }
}

TEST(EphemeralKeys, TheRunsPcapngHoldsTheKeyLogButNoPrivateKey) {
  Pair run = runPair({}, {});
  std::ostringstream out;
  ASSERT_EQ(writeRunPcapng(out, {{run.client.peers, run.client.events, run.server}}), "");
  const std::string pcapng = out.str();
  EXPECT_NE(pcapng.find("CLIENT_HANDSHAKE_TRAFFIC_SECRET"), std::string::npos);
  for (const auto& events : {run.client.events, run.server}) {
    for (const auto& key : keysOf(events)) {
      EXPECT_EQ(pcapng.find(std::string(key.privateKey.begin(), key.privateKey.end())), std::string::npos);
      EXPECT_NE(pcapng.find(std::string(key.publicKey.begin(), key.publicKey.end())), std::string::npos)
          << "the public share is on the wire";
    }
  }
}
