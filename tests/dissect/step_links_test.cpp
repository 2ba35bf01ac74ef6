// Each key-schedule step of a dissected connection knows where it sits in
// the RFC picture (ScheduleNode), which handshake messages its transcript
// hash, randoms or key shares cover (RFC 8446 §4.4.1, RFC 5246 §8.1/§6.3),
// and which records its key protects: real lab runs on loopback.
#include <gtest/gtest.h>

#include "DissectTestUtil.hpp"

using namespace tlslab;
using endpoints::ScriptStep;
using endpoints::TlsVersion;
using model::ScheduleNode;

namespace {

endpoints::ClientConfig getPage(TlsVersion version) {
  endpoints::ClientConfig config = test::labClient(0);
  config.tls.minVersion = config.tls.maxVersion = version;
  config.script = {ScriptStep::send("GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n"), ScriptStep::expect("</html>")};
  return config;
}

model::TraceConnection only(const Bytes& pcapng) {
  keys::KeyStore keys;
  auto trace = dissect::dissectBytes(pcapng, keys);
  EXPECT_TRUE(trace.ok());
  EXPECT_EQ(trace->connections.size(), 1u);
  return trace->connections.empty() ? model::TraceConnection{} : trace->connections[0];
}

const model::DerivationStep* stepAt(const model::TraceConnection& conn, ScheduleNode node) {
  for (const auto& step : conn.derivation)
    if (step.node == node) return &step;
  return nullptr;
}

std::vector<std::string> names(const model::TraceConnection& conn, const std::vector<std::size_t>& messages) {
  std::vector<std::string> out;
  for (std::size_t m : messages) out.push_back(conn.messages.at(m).name);
  return out;
}

// The records a direction sent under a key phase, by the dissector's own reading.
std::vector<std::size_t> recordsUnder(const model::TraceConnection& conn, model::Direction direction,
                                      const std::string& phase) {
  std::vector<std::size_t> out;
  for (const auto& r : conn.records)
    if (r.encrypted && r.direction == direction && r.keyPhase.name() == phase) out.push_back(r.index);
  return out;
}

using Names = std::vector<std::string>;

}  // namespace

TEST(StepLinks, Tls13TrafficSecretsCoverTheirTranscriptAndProtectTheirRecords) {
  auto rec = test::recordRuns(test::labServer(), {getPage(TlsVersion::Tls1_3)});
  const auto conn = only(rec.pcapng);
  ASSERT_EQ(conn.decryption.kind, model::Decryption::Kind::Decrypted);

  const auto* chs = stepAt(conn, ScheduleNode::ClientHandshakeTraffic);
  ASSERT_NE(chs, nullptr);
  EXPECT_EQ(names(conn, chs->messages), (Names{"ClientHello", "ServerHello"}));
  EXPECT_EQ(chs->records, recordsUnder(conn, model::Direction::ClientToServer, "handshake"));
  EXPECT_FALSE(chs->records.empty());  // the client's Finished
  // The key log line it came from is the one the connection carries.
  ASSERT_FALSE(chs->keyLogLine.empty());
  EXPECT_EQ(chs->keyLogLine.rfind("CLIENT_HANDSHAKE_TRAFFIC_SECRET ", 0), 0u);
  EXPECT_NE(conn.keyLog.find(chs->keyLogLine), std::string::npos) << chs->keyLogLine;

  const auto* sap = stepAt(conn, ScheduleNode::ServerApplicationTraffic);
  ASSERT_NE(sap, nullptr);
  EXPECT_EQ(names(conn, sap->messages), (Names{"ClientHello", "ServerHello", "EncryptedExtensions", "Certificate",
                                               "CertificateVerify", "Finished"}));
  EXPECT_EQ(sap->records, recordsUnder(conn, model::Direction::ServerToClient, "application"));
  // The application keys protect the same records as their secret.
  const auto* key = stepAt(conn, ScheduleNode::ServerApplicationKey);
  const auto* iv = stepAt(conn, ScheduleNode::ServerApplicationIv);
  ASSERT_TRUE(key && iv);
  EXPECT_EQ(key->records, sap->records);
  EXPECT_EQ(iv->records, sap->records);
  EXPECT_TRUE(key->messages.empty());  // HKDF-Expand-Label(secret, "key", "", ...) hashes no messages

  // verify_data hashes everything before its Finished; the check reads the Finished.
  const auto* sVerify = stepAt(conn, ScheduleNode::ServerVerifyData);
  const auto* sCheck = stepAt(conn, ScheduleNode::ServerFinishedCheck);
  ASSERT_TRUE(sVerify && sCheck);
  EXPECT_EQ(names(conn, sVerify->messages).back(), "CertificateVerify");
  ASSERT_EQ(sCheck->messages.size(), 1u);
  EXPECT_EQ(conn.messages[sCheck->messages[0]].name, "Finished");
  EXPECT_EQ(conn.messages[sCheck->messages[0]].direction, model::Direction::ServerToClient);
  const auto* cVerify = stepAt(conn, ScheduleNode::ClientVerifyData);
  ASSERT_NE(cVerify, nullptr);
  EXPECT_EQ(cVerify->messages, sap->messages);  // CH..server Finished

  // The (EC)DHE node points at the key shares even where it cannot be derived.
  const auto* shared = stepAt(conn, ScheduleNode::SharedSecret);
  ASSERT_NE(shared, nullptr);
  EXPECT_EQ(names(conn, shared->messages), (Names{"ClientHello", "ServerHello"}));
}

TEST(StepLinks, HelloRetryRequestIsInTheHandshakeTranscript) {
  auto server = test::labServer();
  server.tls.groups = "P-256";
  auto client = getPage(TlsVersion::Tls1_3);
  client.tls.groups = "X25519:P-256";  // the first key share is X25519: the server asks again
  auto rec = test::recordRuns(server, {client});
  const auto conn = only(rec.pcapng);
  const auto* shs = stepAt(conn, ScheduleNode::ServerHandshakeTraffic);
  ASSERT_NE(shs, nullptr);
  // RFC 8446 §4.4.1: ClientHello1 (as message_hash), HelloRetryRequest, ClientHello2, ServerHello.
  EXPECT_EQ(names(conn, shs->messages), (Names{"ClientHello", "HelloRetryRequest", "ClientHello", "ServerHello"}));
  const auto* shared = stepAt(conn, ScheduleNode::SharedSecret);
  ASSERT_NE(shared, nullptr);
  ASSERT_EQ(shared->messages.size(), 2u);
  EXPECT_EQ(shared->messages[0], shs->messages[2]);  // the second ClientHello carries the share used
}

TEST(StepLinks, Tls12KeyBlockComesFromTheRandomsAndWriteKeysProtectOneDirection) {
  auto rec = test::recordRuns(test::labServer(), {getPage(TlsVersion::Tls1_2)});
  const auto conn = only(rec.pcapng);
  ASSERT_EQ(conn.decryption.kind, model::Decryption::Kind::Decrypted);
  const auto* block = stepAt(conn, ScheduleNode::KeyBlock);
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(names(conn, block->messages), (Names{"ClientHello", "ServerHello"}));
  const auto* master = stepAt(conn, ScheduleNode::Tls12MasterSecret);
  ASSERT_NE(master, nullptr);
  ASSERT_FALSE(master->keyLogLine.empty());
  EXPECT_EQ(master->keyLogLine.rfind("CLIENT_RANDOM ", 0), 0u);
  // The pre-master secret (forward secret here) points at the key exchange messages.
  const auto* pms = stepAt(conn, ScheduleNode::PreMasterSecret);
  ASSERT_NE(pms, nullptr);
  EXPECT_EQ(pms->status, model::StepStatus::NotDerivable);
  EXPECT_EQ(names(conn, pms->messages), (Names{"ServerKeyExchange", "ClientKeyExchange"}));

  const auto* clientKey = stepAt(conn, ScheduleNode::ClientWriteKey);
  const auto* serverKey = stepAt(conn, ScheduleNode::ServerWriteKey);
  ASSERT_TRUE(clientKey && serverKey);
  std::vector<std::size_t> clientEncrypted, serverEncrypted;
  for (const auto& r : conn.records)
    if (r.encrypted) (r.direction == model::Direction::ClientToServer ? clientEncrypted : serverEncrypted).push_back(r.index);
  EXPECT_EQ(clientKey->records, clientEncrypted);
  EXPECT_EQ(serverKey->records, serverEncrypted);
  EXPECT_GE(clientKey->records.size(), 2u);  // Finished and the request
  // The client's Finished check reads the client's Finished; verify_data hashes what came before.
  const auto* check = stepAt(conn, ScheduleNode::ClientFinishedCheck);
  const auto* verify = stepAt(conn, ScheduleNode::ClientVerifyData);
  ASSERT_TRUE(check && verify);
  ASSERT_EQ(check->messages.size(), 1u);
  EXPECT_EQ(conn.messages[check->messages[0]].name, "Finished");
  EXPECT_EQ(names(conn, verify->messages).back(), "ClientKeyExchange");
}

TEST(StepLinks, ACaptureWithoutKeysNamesEveryNodeItCannotDeriveAndWhy) {
  auto rec = test::recordRuns(test::labServer(), {getPage(TlsVersion::Tls1_3)});
  const auto conn = only(rec.pcapngNoKeys);
  ASSERT_FALSE(conn.derivation.empty());
  for (const auto& step : conn.derivation) {
    EXPECT_EQ(step.status, model::StepStatus::NotDerivable) << step.name;
    EXPECT_TRUE(step.output.empty()) << step.name;
    EXPECT_NE(step.node, ScheduleNode::None) << step.name;
  }
  const auto* shared = stepAt(conn, ScheduleNode::SharedSecret);
  ASSERT_NE(shared, nullptr);
  EXPECT_NE(shared->note.find("forward secrecy"), std::string::npos) << shared->note;
  const auto* chs = stepAt(conn, ScheduleNode::ClientHandshakeTraffic);
  ASSERT_NE(chs, nullptr);
  EXPECT_NE(chs->note.find("no key for this client random"), std::string::npos) << chs->note;
  EXPECT_EQ(names(conn, chs->messages), (Names{"ClientHello", "ServerHello"}));
  // Which records it protects is unknown: the switch of keys is at a Finished no one read.
  EXPECT_TRUE(chs->records.empty());

  // TLS 1.2 without keys: the master secret says the same.
  auto rec12 = test::recordRuns(test::labServer(), {getPage(TlsVersion::Tls1_2)});
  const auto conn12 = only(rec12.pcapngNoKeys);
  const auto* master = stepAt(conn12, ScheduleNode::Tls12MasterSecret);
  ASSERT_NE(master, nullptr);
  EXPECT_EQ(master->status, model::StepStatus::NotDerivable);
  EXPECT_NE(master->note.find("no key for this client random"), std::string::npos) << master->note;
}

// A resumed TLS 1.3 connection starts from the ticket's PSK (RFC 8446 §4.6.1):
// with or without the key log it is not derivable, and says from which
// connection it came when the ticket was read; the resumed ClientHello names it.
TEST(StepLinks, AResumedConnectionsPskSaysItComesFromTheTicketsConnection) {
  endpoints::ClientConfig again = getPage(TlsVersion::Tls1_3);
  auto rec = test::recordRuns(test::labServer(), {getPage(TlsVersion::Tls1_3), again}, true);
  ASSERT_TRUE(rec.runs[1].negotiated.resumed);
  for (const Bytes* pcapng : {&rec.pcapng, &rec.pcapngNoKeys}) {
    SCOPED_TRACE(pcapng == &rec.pcapng ? "with the key log" : "without keys");
    keys::KeyStore keys;
    auto trace = dissect::dissectBytes(*pcapng, keys);
    ASSERT_TRUE(trace.ok());
    ASSERT_EQ(trace->connections.size(), 2u);
    EXPECT_EQ(stepAt(trace->connections[0], ScheduleNode::Psk), nullptr);  // a full handshake has none
    const auto& resumed = trace->connections[1];
    const auto* psk = stepAt(resumed, ScheduleNode::Psk);
    ASSERT_NE(psk, nullptr);
    EXPECT_EQ(psk->status, model::StepStatus::NotDerivable);
    // Without keys the NewSessionTicket that names the session was never read.
    const char* from = pcapng == &rec.pcapng ? "connection 0's resumption_master_secret"
                                             : "an earlier connection's resumption_master_secret";
    EXPECT_NE(psk->note.find(from), std::string::npos) << psk->note;
    EXPECT_EQ(names(resumed, psk->messages), (Names{"ClientHello"}));
    const auto* early = stepAt(resumed, ScheduleNode::EarlySecret);
    ASSERT_NE(early, nullptr);
    EXPECT_EQ(early->status, model::StepStatus::NotDerivable);
  }
}
