// What the dissector says about whole connections recorded from real lab
// runs: resumption matched to the earlier connection, STARTTLS preambles,
// KeyUpdate, HelloRetryRequest, 0-RTT, bounded memory and the observer.
#include <gtest/gtest.h>

#include "DissectTestUtil.hpp"
#include "tlslab/model/TraceJson.hpp"

using namespace tlslab;
using endpoints::ScriptStep;
using endpoints::TlsVersion;

namespace {

endpoints::ClientConfig getPage(TlsVersion version, const std::string& path = "/") {
  endpoints::ClientConfig config = test::labClient(0);
  config.tls.minVersion = config.tls.maxVersion = version;
  config.script = {ScriptStep::send("GET " + path + " HTTP/1.1\r\nHost: bank32.com\r\n\r\n"), ScriptStep::expect("</html>")};
  return config;
}

model::Trace dissectRun(const Bytes& pcapng, keys::KeyStore& keys, dissect::DissectOptions options = {}) {
  auto trace = dissect::dissectBytes(pcapng, keys, std::move(options));
  EXPECT_TRUE(trace.ok()) << trace.error().message();
  return trace.ok() ? std::move(trace.value()) : model::Trace{};
}

bool hasMessage(const model::TraceConnection& conn, const std::string& name) {
  for (const auto& m : conn.messages)
    if (m.name == name) return true;
  return false;
}

}  // namespace

TEST(Resumption, Tls12SessionIdIsMatchedToTheFirstConnection) {
  auto server = test::labServer();
  server.tickets = false;
  auto rec = test::recordRuns(server, {getPage(TlsVersion::Tls1_2), getPage(TlsVersion::Tls1_2, "/again")}, true);
  ASSERT_TRUE(rec.runs[1].negotiated.resumed);
  keys::KeyStore keys;
  auto trace = dissectRun(rec.pcapng, keys);
  ASSERT_EQ(trace.connections.size(), 2u);
  const auto& second = trace.connections[1];
  EXPECT_EQ(second.negotiated.resumption, model::Resumption::SessionId);
  ASSERT_TRUE(second.negotiated.resumedFrom);
  EXPECT_EQ(*second.negotiated.resumedFrom, 0u);
  EXPECT_FALSE(hasMessage(second, "Certificate"));
  EXPECT_EQ(second.decryption.kind, model::Decryption::Kind::Decrypted);
  EXPECT_TRUE(test::finishedVerified(second, "client"));
  EXPECT_TRUE(test::finishedVerified(second, "server"));
  EXPECT_EQ(test::decrypted(second, model::Direction::ServerToClient), rec.runs[1].received);
}

TEST(Resumption, Tls12TicketIsMatchedAndDecryptsWithOnlyTheRsaKey) {
  auto server = test::labServer();
  auto first = getPage(TlsVersion::Tls1_2);
  first.tls.cipherList = "AES128-GCM-SHA256";  // RSA key exchange: the server key is enough
  auto second = first;
  auto rec = test::recordRuns(server, {first, second}, true);
  ASSERT_TRUE(rec.runs[1].negotiated.resumed);
  keys::KeyStore keys;
  ASSERT_TRUE(keys.addPrivateKeyFile(test::certsDir() / "bank32-rsa" / "key.pem"));
  auto trace = dissectRun(rec.pcapngNoKeys, keys);
  ASSERT_EQ(trace.connections.size(), 2u);
  EXPECT_EQ(trace.connections[0].decryption.kind, model::Decryption::Kind::Decrypted);
  const auto& resumed = trace.connections[1];
  EXPECT_EQ(resumed.negotiated.resumption, model::Resumption::Ticket);
  ASSERT_TRUE(resumed.negotiated.resumedFrom);
  EXPECT_EQ(*resumed.negotiated.resumedFrom, 0u);
  // The abbreviated handshake has no ClientKeyExchange: its keys come from the
  // session the first connection's RSA key exchange established.
  EXPECT_EQ(resumed.decryption.kind, model::Decryption::Kind::Decrypted);
  EXPECT_EQ(test::decrypted(resumed, model::Direction::ServerToClient), rec.runs[1].received);
}

TEST(Resumption, Tls13PskIsMatchedToTheTicketsConnection) {
  auto rec = test::recordRuns(test::labServer(), {getPage(TlsVersion::Tls1_3), getPage(TlsVersion::Tls1_3, "/again")}, true);
  ASSERT_TRUE(rec.runs[1].negotiated.resumed);
  keys::KeyStore keys;
  auto trace = dissectRun(rec.pcapng, keys);
  ASSERT_EQ(trace.connections.size(), 2u);
  const auto& second = trace.connections[1];
  EXPECT_EQ(second.negotiated.resumption, model::Resumption::Psk);
  ASSERT_TRUE(second.negotiated.resumedFrom);
  EXPECT_EQ(*second.negotiated.resumedFrom, 0u);
  EXPECT_EQ(second.decryption.kind, model::Decryption::Kind::Decrypted);
  EXPECT_TRUE(test::finishedVerified(second, "server"));
  EXPECT_TRUE(test::finishedVerified(second, "client"));
}

TEST(Starttls, SmtpPreambleIsPlaintextAndTheMailIsDecrypted) {
  auto server = test::labServer("mail-bank32", endpoints::Service::Smtp);
  endpoints::ClientConfig client = test::labClient(0);
  client.host = "mail.bank32.com";
  client.starttls = endpoints::Starttls::Smtp;
  client.script = {ScriptStep::send("EHLO client.lab\r\n"), ScriptStep::expect("250 AUTH"),
                   ScriptStep::send("AUTH PLAIN AHN0dWRlbnQwMQBzZWNyZXQ=\r\n"), ScriptStep::expect("235 "),
                   ScriptStep::send("QUIT\r\n"), ScriptStep::expect("221 ")};
  auto rec = test::recordRuns(server, {client});
  ASSERT_TRUE(rec.runs[0].scriptOk) << rec.runs[0].error;
  keys::KeyStore keys;
  auto trace = dissectRun(rec.pcapng, keys);
  ASSERT_EQ(trace.connections.size(), 1u);
  const auto& conn = trace.connections[0];
  EXPECT_EQ(conn.startTlsProtocol, "SMTP");
  const std::string clientPreamble(conn.preamble[0].begin(), conn.preamble[0].end());
  const std::string serverPreamble(conn.preamble[1].begin(), conn.preamble[1].end());
  EXPECT_NE(clientPreamble.find("STARTTLS"), std::string::npos) << clientPreamble;
  EXPECT_NE(serverPreamble.find("220"), std::string::npos) << serverPreamble;
  EXPECT_EQ(conn.decryption.kind, model::Decryption::Kind::Decrypted);
  EXPECT_NE(test::decrypted(conn, model::Direction::ClientToServer).find("AUTH PLAIN AHN0dWRlbnQwMQBzZWNyZXQ="),
            std::string::npos);
  EXPECT_TRUE(test::finishedVerified(conn, "server"));
  // Records point into the stream after the preamble.
  ASSERT_FALSE(conn.records.empty());
  EXPECT_EQ(conn.records[0].streamOffset, conn.preamble[0].size());
  ASSERT_TRUE(conn.records[0].header.streamOffset);
  EXPECT_EQ(*conn.records[0].header.streamOffset, conn.preamble[0].size());
  ASSERT_FALSE(conn.messages.empty());
  ASSERT_TRUE(conn.messages[0].tree.streamOffset);
  EXPECT_EQ(*conn.messages[0].tree.streamOffset, conn.preamble[0].size() + 5);  // after the record header
}

TEST(KeyUpdate, Tls13RecordsAfterAKeyUpdateUseTheNextGeneration) {
  auto client = getPage(TlsVersion::Tls1_3);
  client.script.push_back(ScriptStep::keyUpdate());
  client.script.push_back(ScriptStep::send("GET /after-update HTTP/1.1\r\nHost: bank32.com\r\n\r\n"));
  client.script.push_back(ScriptStep::expect("/after-update"));
  auto rec = test::recordRuns(test::labServer(), {client});
  ASSERT_TRUE(rec.runs[0].scriptOk) << rec.runs[0].error;
  keys::KeyStore keys;
  auto trace = dissectRun(rec.pcapng, keys);
  ASSERT_EQ(trace.connections.size(), 1u);
  const auto& conn = trace.connections[0];
  EXPECT_EQ(conn.decryption.kind, model::Decryption::Kind::Decrypted);
  EXPECT_TRUE(hasMessage(conn, "KeyUpdate"));
  bool sawGeneration1 = false;
  for (const auto& r : conn.records) sawGeneration1 |= r.keyPhase == model::KeyPhase::application(1);
  EXPECT_TRUE(sawGeneration1);
  EXPECT_NE(test::decrypted(conn, model::Direction::ClientToServer).find("/after-update"), std::string::npos);
}

TEST(HelloRetry, TranscriptWithMessageHashStillVerifiesFinished) {
  auto server = test::labServer();
  server.tls.groups = "P-256";
  auto client = getPage(TlsVersion::Tls1_3);
  client.tls.groups = "X25519:P-256";  // the client's first key share is X25519
  auto rec = test::recordRuns(server, {client});
  keys::KeyStore keys;
  auto trace = dissectRun(rec.pcapng, keys);
  ASSERT_EQ(trace.connections.size(), 1u);
  const auto& conn = trace.connections[0];
  EXPECT_TRUE(hasMessage(conn, "HelloRetryRequest"));
  EXPECT_EQ(conn.decryption.kind, model::Decryption::Kind::Decrypted);
  EXPECT_TRUE(test::finishedVerified(conn, "server"));
  EXPECT_TRUE(test::finishedVerified(conn, "client"));
}

TEST(EarlyData, ZeroRttDataIsDecryptedWithTheEarlyKeys) {
  auto server = test::labServer();
  server.maxEarlyData = 16384;
  auto first = getPage(TlsVersion::Tls1_3);
  auto second = getPage(TlsVersion::Tls1_3);
  second.earlyData = "GET /early HTTP/1.1\r\n\r\n";
  second.script = {ScriptStep::expect("You asked: GET /early")};
  auto rec = test::recordRuns(server, {first, second}, true);
  ASSERT_TRUE(rec.runs[1].earlyDataAccepted) << rec.runs[1].error;
  keys::KeyStore keys;
  auto trace = dissectRun(rec.pcapng, keys);
  ASSERT_EQ(trace.connections.size(), 2u);
  const auto& conn = trace.connections[1];
  EXPECT_TRUE(conn.negotiated.earlyData);
  EXPECT_EQ(conn.decryption.kind, model::Decryption::Kind::Decrypted);
  bool early = false;
  for (const auto& r : conn.records) early |= r.keyPhase == model::KeyPhase::early() && r.undecryptedReason.empty();
  EXPECT_TRUE(early);
  EXPECT_NE(test::decrypted(conn, model::Direction::ClientToServer).find("GET /early"), std::string::npos);
  EXPECT_TRUE(hasMessage(conn, "EndOfEarlyData"));
  EXPECT_TRUE(test::finishedVerified(conn, "client"));
}

TEST(Options, WithoutPayloadsApplicationDataIsNotKeptButStillCounted) {
  auto rec = test::recordRuns(test::labServer(), {getPage(TlsVersion::Tls1_3)});
  keys::KeyStore keys;
  std::size_t records = 0, updates = 0;
  dissect::DissectOptions options;
  options.keepPayloads = false;
  options.onRecord = [&](const model::TraceConnection&, const model::TraceRecord&) { ++records; };
  options.onConnectionUpdated = [&](const model::TraceConnection&) { ++updates; };
  auto trace = dissectRun(rec.pcapng, keys, options);
  ASSERT_EQ(trace.connections.size(), 1u);
  const auto& conn = trace.connections[0];
  EXPECT_TRUE(conn.appData.empty());
  EXPECT_EQ(records, conn.records.size());
  EXPECT_GT(updates, 3u);
  bool sawAppData = false;
  for (const auto& r : conn.records) {
    if (r.innerContentType != 23) continue;
    sawAppData = true;
    EXPECT_TRUE(r.wire.empty());
    EXPECT_TRUE(r.plaintext.empty());
    EXPECT_TRUE(r.undecryptedReason.empty());
  }
  EXPECT_TRUE(sawAppData);
  EXPECT_EQ(conn.decryption.kind, model::Decryption::Kind::Decrypted);
  // TLS 1.3 handshake messages travel in application_data records: kept whole.
  for (const auto& r : conn.records) {
    if (r.keyPhase == model::KeyPhase::handshake()) {
      EXPECT_FALSE(r.wire.empty()) << r.index;
      EXPECT_TRUE(r.crypto.has_value()) << r.index;
    }
  }
}

TEST(Json, FullTraceSerialisesWithRecordsMessagesAndDerivation) {
  auto rec = test::recordRuns(test::labServer(), {getPage(TlsVersion::Tls1_3)});
  keys::KeyStore keys;
  auto trace = dissectRun(rec.pcapng, keys);
  auto json = model::toJson(trace);
  ASSERT_EQ(json["connections"].size(), 1u);
  const auto& conn = json["connections"][0];
  EXPECT_EQ(conn["negotiated"]["version"], 0x0304);
  EXPECT_EQ(conn["decryption"], "decrypted");
  EXPECT_FALSE(conn["records"].empty());
  EXPECT_EQ(conn["messages"][0]["name"], "ClientHello");
  EXPECT_FALSE(conn["derivation"].empty());
  EXPECT_NO_THROW((void)json.dump());
}

TEST(Options, WithoutRecordsClosedConnectionsKeepOnlyTheirSummary) {
  auto rec = test::recordRuns(test::labServer(), {getPage(TlsVersion::Tls1_2), getPage(TlsVersion::Tls1_3)});
  keys::KeyStore keys;
  dissect::DissectOptions options;
  options.keepPayloads = false;
  options.keepRecords = false;
  std::size_t records = 0;
  options.onRecord = [&](const model::TraceConnection&, const model::TraceRecord&) { ++records; };
  auto trace = dissectRun(rec.pcapng, keys, options);
  ASSERT_EQ(trace.connections.size(), 2u);
  EXPECT_GT(records, 20u);
  for (const auto& conn : trace.connections) {
    EXPECT_TRUE(conn.records.empty());
    EXPECT_TRUE(conn.messages.empty());
    EXPECT_EQ(conn.decryption.kind, model::Decryption::Kind::Decrypted);
    EXPECT_TRUE(test::finishedVerified(conn, "server"));
    EXPECT_FALSE(conn.negotiated.suiteName.empty());
  }
}

TEST(Starttls, Pop3StlsPreambleIsPlaintextAndTheSessionIsDecrypted) {
  auto server = test::labServer("mail-bank32", endpoints::Service::Pop3);
  endpoints::ClientConfig client = test::labClient(0);
  client.host = "mail.bank32.com";
  client.starttls = endpoints::Starttls::Pop3;
  client.script = {ScriptStep::send("USER student01\r\n"), ScriptStep::expect("+OK"), ScriptStep::send("PASS secret\r\n"),
                   ScriptStep::expect("logged in"), ScriptStep::send("QUIT\r\n"), ScriptStep::expect("bye")};
  auto rec = test::recordRuns(server, {client});
  ASSERT_TRUE(rec.runs[0].scriptOk) << rec.runs[0].error;
  keys::KeyStore keys;
  auto trace = dissectRun(rec.pcapng, keys);
  ASSERT_EQ(trace.connections.size(), 1u);
  const auto& conn = trace.connections[0];
  EXPECT_EQ(conn.startTlsProtocol, "POP3");
  const std::string clientPreamble(conn.preamble[0].begin(), conn.preamble[0].end());
  EXPECT_NE(clientPreamble.find("STLS"), std::string::npos) << clientPreamble;
  EXPECT_EQ(conn.decryption.kind, model::Decryption::Kind::Decrypted);
  EXPECT_NE(test::decrypted(conn, model::Direction::ClientToServer).find("PASS secret"), std::string::npos);
}

// Found by fuzz/dissect_fuzzer.cpp: a server name that is not UTF-8 made the
// JSON dump throw (and `tlslab dissect --json` fail).
TEST(Json, BytesThatAreNotUtf8AreReplacedNotFatal) {
  model::Trace trace;
  trace.connections.emplace_back();
  trace.connections[0].negotiated.sni = "bank\xe9\xff.com";
  std::string text;
  EXPECT_NO_THROW(text = model::toJsonText(trace));
  EXPECT_NE(text.find("bank\xef\xbf\xbd"), std::string::npos) << text;
}
