// Why a connection could not be decrypted, in the plain words a learner
// reads: no key, the wrong RSA key, forward secrecy, a tampered record, a
// handshake that is not in the capture.
#include <gtest/gtest.h>

#include "DissectTestUtil.hpp"

using namespace tlslab;
using endpoints::ScriptStep;
using endpoints::TlsVersion;

namespace {

test::Recorded recordOne(TlsVersion version, const std::string& cipherList = "") {
  endpoints::ClientConfig client = test::labClient(0);
  client.tls.minVersion = client.tls.maxVersion = version;
  client.tls.cipherList = cipherList;
  client.script = {ScriptStep::send("GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n"), ScriptStep::expect("</html>")};
  return test::recordRuns(test::labServer(), {client});
}

model::TraceConnection only(const Bytes& pcapng, keys::KeyStore& keys) {
  auto trace = dissect::dissectBytes(pcapng, keys);
  EXPECT_TRUE(trace.ok());
  EXPECT_EQ(trace->connections.size(), 1u);
  return trace->connections.empty() ? model::TraceConnection{} : trace->connections[0];
}

bool contains(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

}  // namespace

TEST(Reasons, NoKeyLogSaysNoKeyForThisClientRandom) {
  auto rec = recordOne(TlsVersion::Tls1_3);
  keys::KeyStore keys;
  auto conn = only(rec.pcapngNoKeys, keys);
  EXPECT_TRUE(contains(conn.decryption.text, "no key for this client random")) << conn.decryption.text;
  for (const auto& r : conn.records) {
    if (r.encrypted) {
      EXPECT_TRUE(contains(r.undecryptedReason, "no key for this client random")) << r.undecryptedReason;
    }
  }
  // The plaintext part of the handshake is still dissected.
  ASSERT_GE(conn.messages.size(), 2u);
  EXPECT_EQ(conn.messages[0].name, "ClientHello");
  EXPECT_EQ(conn.messages[1].name, "ServerHello");
}

TEST(Reasons, RsaKeyExchangeWithTheServersKeyIsDecrypted) {
  auto rec = recordOne(TlsVersion::Tls1_2, "AES256-GCM-SHA384");
  keys::KeyStore keys;
  ASSERT_TRUE(keys.addPrivateKeyFile(test::certsDir() / "bank32-rsa" / "key.pem"));
  auto conn = only(rec.pcapngNoKeys, keys);
  EXPECT_EQ(conn.decryption.kind, model::Decryption::Kind::Decrypted);
  EXPECT_EQ(test::decrypted(conn, model::Direction::ServerToClient), rec.runs[0].received);
  EXPECT_TRUE(test::finishedVerified(conn, "client"));
  EXPECT_TRUE(test::finishedVerified(conn, "server"));
  ASSERT_FALSE(conn.derivation.empty());
  EXPECT_EQ(conn.derivation.front().name, "pre_master_secret");
}

TEST(Reasons, WrongRsaKeySaysItDoesNotMatchTheCertificate) {
  auto rec = recordOne(TlsVersion::Tls1_2, "AES128-GCM-SHA256");
  keys::KeyStore keys;
  ASSERT_TRUE(keys.addPrivateKeyFile(test::certsDir() / "attacker32" / "key.pem"));
  auto conn = only(rec.pcapngNoKeys, keys);
  EXPECT_TRUE(contains(conn.decryption.text, "RSA key does not match the certificate")) << conn.decryption.text;
}

TEST(Reasons, EcdheWithOnlyAnRsaKeyExplainsForwardSecrecy) {
  auto rec = recordOne(TlsVersion::Tls1_2, "ECDHE-RSA-AES128-GCM-SHA256");
  keys::KeyStore keys;
  ASSERT_TRUE(keys.addPrivateKeyFile(test::certsDir() / "bank32-rsa" / "key.pem"));
  auto conn = only(rec.pcapngNoKeys, keys);
  EXPECT_TRUE(contains(conn.decryption.text, "(EC)DHE suite")) << conn.decryption.text;
  EXPECT_TRUE(contains(conn.decryption.text, "forward secrecy")) << conn.decryption.text;
}

TEST(Reasons, TamperedRecordIsAMacFailureAtThatRecord) {
  auto rec = recordOne(TlsVersion::Tls1_3);
  keys::KeyStore keys;
  auto clean = only(rec.pcapng, keys);
  // Flip one ciphertext byte of the last application data record the server sent.
  std::size_t target = clean.records.size();
  for (const auto& r : clean.records)
    if (r.direction == model::Direction::ServerToClient && r.innerContentType == 23) target = r.index;
  ASSERT_LT(target, clean.records.size());
  const Bytes& wire = clean.records[target].wire;
  Bytes tampered = rec.pcapng;
  auto at = std::search(tampered.begin(), tampered.end(), wire.begin() + 5, wire.begin() + 40);
  ASSERT_NE(at, tampered.end());
  at[10] ^= 0x01;
  keys::KeyStore keys2;
  auto conn = only(tampered, keys2);
  EXPECT_TRUE(contains(conn.decryption.text, "MAC/tag failure at record " + std::to_string(target))) << conn.decryption.text;
  EXPECT_FALSE(conn.records[target].crypto->plaintext.size());
}

TEST(Reasons, ConnectionWithoutItsHandshakeSaysSo) {
  auto rec = recordOne(TlsVersion::Tls1_3);
  // Keep only what the client sent and received after the handshake: the
  // capture then starts with application data, as if picked up mid-stream.
  endpoints::ClientRun run = rec.runs[0];
  std::vector<endpoints::Event> kept;
  bool sawAppData = false;
  for (const auto& e : run.events) {
    if (std::holds_alternative<endpoints::AppDataEvent>(e)) sawAppData = true;
    if (!std::holds_alternative<endpoints::WireEvent>(e) || sawAppData) kept.push_back(e);
  }
  run.events = kept;
  auto pcapng = test::toPcapng({run}, true);
  keys::KeyStore keys;
  auto trace = dissect::dissectBytes(pcapng, keys);
  ASSERT_TRUE(trace.ok());
  ASSERT_EQ(trace->connections.size(), 1u);
  EXPECT_TRUE(contains(trace->connections[0].decryption.text, "handshake not in the capture"))
      << trace->connections[0].decryption.text;
}
