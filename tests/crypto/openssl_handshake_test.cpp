// Our own OpenSSL handshakes, decrypted by tlslab: for each TLS 1.2 suite
// family (GCM, CCM, CCM_8, ChaCha20, CBC MtE and EtM, NULL, with and without
// extended master secret, RSA key exchange recovered with the server key)
// and every TLS 1.3 suite (plus KeyUpdate), every record decrypts to exactly
// what the endpoints sent, and both Finished messages verify. The test splits
// the 5-byte record headers itself (the wire module's framer is separate).
#include <gtest/gtest.h>

#include <map>
#include <optional>

#include "OpensslPair.hpp"
#include "tlslab/crypto/RecordCipher.hpp"
#include "tlslab/crypto/Tls12KeySchedule.hpp"
#include "tlslab/crypto/Tls13KeySchedule.hpp"
#include "tlslab/keys/Explain.hpp"
#include "tlslab/keys/KeyStore.hpp"

namespace tlslab::crypto {
namespace {

using test::Capture;
using test::PairConfig;
using test::runPair;

std::vector<ByteView> splitRecords(const Bytes& stream) {
  std::vector<ByteView> out;
  std::size_t at = 0;
  while (at + 5 <= stream.size()) {
    const std::size_t len = (std::size_t{stream[at + 3]} << 8) | stream[at + 4];
    if (at + 5 + len > stream.size()) break;
    out.push_back(ByteView(stream).subspan(at, 5 + len));
    at += 5 + len;
  }
  EXPECT_EQ(at, stream.size()) << "trailing bytes in the captured stream";
  return out;
}

struct Message {
  std::uint8_t type = 0;
  Bytes bytes;  // header + body
};

// Splits a handshake byte stream into messages (type, uint24 length, body).
std::vector<Message> messages(const Bytes& hs) {
  std::vector<Message> out;
  std::size_t at = 0;
  while (at + 4 <= hs.size()) {
    const std::size_t len = (std::size_t{hs[at + 1]} << 16) | (std::size_t{hs[at + 2]} << 8) | hs[at + 3];
    if (at + 4 + len > hs.size()) break;
    out.push_back({hs[at], Bytes(hs.begin() + static_cast<std::ptrdiff_t>(at),
                                 hs.begin() + static_cast<std::ptrdiff_t>(at + 4 + len))});
    at += 4 + len;
  }
  return out;
}

struct Hello {
  Bytes random;
  std::uint16_t suite = 0;
  bool ems = false, etm = false;
};

// ServerHello: version(2) random(32) session_id<0..32> suite(2) compression(1) extensions<..>.
Hello parseServerHello(const Message& sh) {
  Hello h;
  const Bytes& b = sh.bytes;
  h.random.assign(b.begin() + 6, b.begin() + 38);
  std::size_t at = 38 + 1 + b[38];
  h.suite = static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
  at += 3;
  if (at + 2 <= b.size()) {
    const std::size_t end = at + 2 + ((std::size_t{b[at]} << 8) | b[at + 1]);
    at += 2;
    while (at + 4 <= end && end <= b.size()) {
      const std::uint16_t type = static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
      const std::size_t len = (std::size_t{b[at + 2]} << 8) | b[at + 3];
      h.ems = h.ems || type == 0x0017;
      h.etm = h.etm || type == 0x0016;
      at += 4 + len;
    }
  }
  return h;
}

Bytes hashOf(HashAlg alg, const std::vector<const Bytes*>& parts) {
  Hasher hasher(alg);
  for (const Bytes* p : parts) hasher.update(*p);
  return hasher.peek();
}

Bytes concat(const std::vector<Message>& ms) {
  Bytes out;
  for (const auto& m : ms) out.insert(out.end(), m.bytes.begin(), m.bytes.end());
  return out;
}

struct Direction {
  std::vector<Message> plainHandshake;  // before ChangeCipherSpec / encryption
  Bytes encryptedHandshake;             // decrypted handshake content
  Bytes appData;
  int records = 0;
};

// ---------------------------------------------------------------- TLS 1.2

struct Tls12Result {
  std::uint16_t suite = 0;
  bool ems = false, etm = false;
  int verifiedFinished = 0;
  bool pmsRecovered = false;
};

void decryptTls12Direction(const Bytes& stream, RecordCipher& cipher, Direction& dir) {
  bool encrypted = false;
  std::uint64_t seq = 0;
  Bytes plainHs;
  for (ByteView rec : splitRecords(stream)) {
    if (rec[0] == 20) {
      encrypted = true;
      continue;
    }
    if (!encrypted) {
      if (rec[0] == 22) plainHs.insert(plainHs.end(), rec.begin() + 5, rec.end());
      continue;
    }
    const auto r = cipher.decrypt(rec, seq++);
    ASSERT_TRUE(r.verdict == model::RecordVerdict::Decrypted || r.verdict == model::RecordVerdict::NotEncrypted)
        << r.note << " (record " << seq - 1 << ", " << r.construction << ")";
    ++dir.records;
    Bytes& sink = rec[0] == 22 ? dir.encryptedHandshake : rec[0] == 23 ? dir.appData : plainHs;
    if (rec[0] == 22 || rec[0] == 23) sink.insert(sink.end(), r.plaintext.begin(), r.plaintext.end());
  }
  dir.plainHandshake = messages(plainHs);
}

Tls12Result checkTls12(const PairConfig& config, std::uint16_t version) {
  Tls12Result out;
  const Capture cap = runPair(config);
  EXPECT_TRUE(cap.ok) << cap.error;
  if (!cap.ok) return out;
  keys::KeyStore store;
  EXPECT_TRUE(store.addKeyLogText(cap.keylog, "openssl keylog").empty());

  // Plaintext flights.
  Direction client, server;
  Bytes clientPlain, serverPlain;
  auto firstHs = [](const Bytes& stream) {
    Bytes hs;
    for (ByteView rec : splitRecords(stream)) {
      if (rec[0] == 20) break;
      if (rec[0] == 22) hs.insert(hs.end(), rec.begin() + 5, rec.end());
    }
    return messages(hs);
  };
  const auto clientMsgs = firstHs(cap.clientToServer);
  const auto serverMsgs = firstHs(cap.serverToClient);
  EXPECT_GE(clientMsgs.size(), 2u);
  EXPECT_GE(serverMsgs.size(), 2u);
  if (clientMsgs.size() < 2 || serverMsgs.size() < 2) return out;
  const Bytes clientRandom(clientMsgs[0].bytes.begin() + 6, clientMsgs[0].bytes.begin() + 38);
  const Hello sh = parseServerHello(serverMsgs[0]);
  out.suite = sh.suite;
  out.ems = sh.ems;
  out.etm = sh.etm;
  const CipherSuite* suite = findSuite(sh.suite);
  EXPECT_NE(suite, nullptr) << "suite " << sh.suite;
  if (!suite) return out;
  const auto* session = store.findByClientRandom(clientRandom);
  EXPECT_TRUE(session && session->masterSecret);
  if (!session || !session->masterSecret) return out;
  const Bytes& master = *session->masterSecret;
  const HashAlg hsHash = tls12PrfHash(*suite, version);

  // Server flight 1 ends with ServerHelloDone (14); NewSessionTicket (4) comes after the client's Finished.
  std::vector<Message> serverFlight1, serverFlight2;
  for (const auto& m : serverMsgs) (serverFlight1.empty() || serverFlight1.back().type != 14 ? serverFlight1 : serverFlight2).push_back(m);
  const Bytes ch = clientMsgs[0].bytes;
  const Bytes s1 = concat(serverFlight1);
  const Bytes c2 = concat(std::vector<Message>(clientMsgs.begin() + 1, clientMsgs.end()));
  const Bytes s2 = concat(serverFlight2);

  if (suite->kx == KeyExchange::Rsa) {
    // ClientKeyExchange: uint16 length + EncryptedPreMasterSecret.
    const Message& cke = clientMsgs.back();
    EXPECT_EQ(cke.type, 16);
    EXPECT_TRUE(store.addPrivateKeyPem(test::rsaIdentity().keyPem, {}, "test server key").ok());
    const auto pms = store.recoverPreMasterSecret(ByteView(cke.bytes).subspan(6));
    EXPECT_EQ(pms.status, model::StepStatus::Derived) << pms.note;
    const auto recovered = sh.ems ? tls12ExtendedMasterSecret(hsHash, pms.output, hashOf(hsHash, {&ch, &s1, &c2}))
                                  : tls12MasterSecret(hsHash, pms.output, clientRandom, sh.random);
    EXPECT_EQ(toHex(recovered.output), toHex(master)) << "master secret from the RSA-recovered PMS";
    out.pmsRecovered = recovered.output == master;
  } else {
    EXPECT_EQ(tls12ForwardSecrecyStep(*suite).status, model::StepStatus::NotDerivable);
  }

  auto block = tls12KeyBlock(*suite, version, master, clientRandom, sh.random);
  EXPECT_TRUE(block.ok()) << block.error();
  if (!block) return out;
  auto cc = RecordCipher::create(*suite, block->client, version, sh.etm);
  auto sc = RecordCipher::create(*suite, block->server, version, sh.etm);
  EXPECT_TRUE(cc.ok() && sc.ok());
  if (!cc || !sc) return out;
  decryptTls12Direction(cap.clientToServer, *cc, client);
  decryptTls12Direction(cap.serverToClient, *sc, server);
  EXPECT_EQ(client.appData.size(), cap.clientSent.size());
  EXPECT_TRUE(client.appData == cap.clientSent) << "client application data differs";
  EXPECT_EQ(server.appData.size(), cap.serverSent.size());
  EXPECT_TRUE(server.appData == cap.serverSent) << "server application data differs";

  // Finished: verify_data = PRF(master, label, Hash(messages before it)).
  const auto clientFin = messages(client.encryptedHandshake);
  const auto serverFin = messages(server.encryptedHandshake);
  EXPECT_EQ(clientFin.size(), 1u);
  EXPECT_EQ(serverFin.size(), 1u);
  if (clientFin.empty() || serverFin.empty()) return out;
  keys::SessionContext ctx;
  ctx.suite = suite->id;
  ctx.version = version;
  ctx.serverRandom = sh.random;
  ctx.clientFinishedHash = hashOf(hsHash, {&ch, &s1, &c2});
  ctx.serverFinishedHash = hashOf(hsHash, {&ch, &s1, &c2, &clientFin[0].bytes, &s2});
  ctx.clientVerifyData.assign(clientFin[0].bytes.begin() + 4, clientFin[0].bytes.end());
  ctx.serverVerifyData.assign(serverFin[0].bytes.begin() + 4, serverFin[0].bytes.end());
  const auto ex = keys::explainSession(*session, ctx);
  for (const auto& step : ex.steps) {
    EXPECT_NE(step.status, model::StepStatus::Failed) << step.name << ": " << step.note;
    if (step.status == model::StepStatus::Verified) ++out.verifiedFinished;
  }
  return out;
}

struct Tls12Case {
  const char* name;
  const char* cipherList;
  std::uint16_t suite;
  unsigned long options;
  bool ems, etm;
  int version;
};

class Tls12Handshake : public ::testing::TestWithParam<Tls12Case> {};

TEST_P(Tls12Handshake, RecordsDecryptToWhatWasSentAndFinishedVerifies) {
  const Tls12Case& c = GetParam();
  PairConfig config;
  config.cipherList = c.cipherList;
  config.options = c.options;
  config.minVersion = config.maxVersion = c.version;
  const std::uint16_t version = c.version == TLS1_VERSION ? kTls10 : c.version == TLS1_1_VERSION ? kTls11 : kTls12;
  const auto result = checkTls12(config, version);
  EXPECT_EQ(result.suite, c.suite);
  EXPECT_EQ(result.ems, c.ems);
  EXPECT_EQ(result.etm, c.etm);
  EXPECT_EQ(result.verifiedFinished, 2);
  if (findSuite(c.suite) && findSuite(c.suite)->kx == KeyExchange::Rsa) {
    EXPECT_TRUE(result.pmsRecovered);
  }
}

constexpr unsigned long kNoEms = SSL_OP_NO_EXTENDED_MASTER_SECRET;
constexpr unsigned long kNoEtm = SSL_OP_NO_ENCRYPT_THEN_MAC;

INSTANTIATE_TEST_SUITE_P(
    Suites, Tls12Handshake,
    ::testing::Values(
        Tls12Case{"EcdheRsaAes128Gcm", "ECDHE-RSA-AES128-GCM-SHA256", 0xC02F, 0, true, false, TLS1_2_VERSION},
        Tls12Case{"EcdheRsaAes256GcmNoEms", "ECDHE-RSA-AES256-GCM-SHA384", 0xC030, kNoEms, false, false, TLS1_2_VERSION},
        Tls12Case{"EcdheRsaChaCha20", "ECDHE-RSA-CHACHA20-POLY1305", 0xCCA8, 0, true, false, TLS1_2_VERSION},
        Tls12Case{"RsaAes128Ccm", "AES128-CCM", 0xC09C, 0, true, false, TLS1_2_VERSION},
        Tls12Case{"RsaAes128Ccm8NoEms", "AES128-CCM8", 0xC0A0, kNoEms, false, false, TLS1_2_VERSION},
        Tls12Case{"DheRsaAes256Ccm", "DHE-RSA-AES256-CCM", 0xC09F, 0, true, false, TLS1_2_VERSION},
        Tls12Case{"RsaAes128GcmRecoveredWithServerKey", "AES128-GCM-SHA256", 0x009C, 0, true, false, TLS1_2_VERSION},
        Tls12Case{"RsaAes128GcmNoEmsRecoveredWithServerKey", "AES128-GCM-SHA256", 0x009C, kNoEms, false, false, TLS1_2_VERSION},
        Tls12Case{"EcdheRsaAes128CbcSha256EncryptThenMac", "ECDHE-RSA-AES128-SHA256", 0xC027, 0, true, true, TLS1_2_VERSION},
        Tls12Case{"EcdheRsaAes128CbcSha256MacThenEncrypt", "ECDHE-RSA-AES128-SHA256", 0xC027, kNoEtm, true, false, TLS1_2_VERSION},
        Tls12Case{"EcdheRsaAes256CbcSha384MacThenEncrypt", "ECDHE-RSA-AES256-SHA384", 0xC028, kNoEtm | kNoEms, false, false, TLS1_2_VERSION},
        Tls12Case{"RsaAes256CbcShaEncryptThenMac", "AES256-SHA", 0x0035, 0, true, true, TLS1_2_VERSION},
        Tls12Case{"RsaAes128CbcShaMacThenEncrypt", "AES128-SHA", 0x002F, kNoEtm, true, false, TLS1_2_VERSION},
        // OpenSSL accepts encrypt_then_mac for NULL-SHA256; with no encryption both orders are the same bytes.
        Tls12Case{"RsaNullSha256", "NULL-SHA256:@SECLEVEL=0", 0x003B, 0, true, true, TLS1_2_VERSION},
        Tls12Case{"Tls11RsaAes128CbcSha", "AES128-SHA:@SECLEVEL=0", 0x002F, kNoEtm, true, false, TLS1_1_VERSION},
        Tls12Case{"Tls10ChainedIvAes128CbcSha", "AES128-SHA:@SECLEVEL=0", 0x002F, kNoEtm, true, false, TLS1_VERSION},
        Tls12Case{"Tls10EncryptThenMac", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0", 0xC013, 0, true, true, TLS1_VERSION}),
    [](const ::testing::TestParamInfo<Tls12Case>& p) { return std::string(p.param.name); });

// ---------------------------------------------------------------- TLS 1.3

struct Tls13Direction {
  std::vector<Message> handshake;  // decrypted handshake messages, in order
  Bytes appData;
  int keyUpdates = 0;
};

void decryptTls13Direction(const Bytes& stream, const CipherSuite& suite, const keys::SessionSecrets& s, bool client,
                           Tls13Direction& dir) {
  const Bytes* hsSecret = s.secret(client ? SecretKind::ClientHandshakeTrafficSecret : SecretKind::ServerHandshakeTrafficSecret);
  const Bytes* apSecret = s.secret(client ? SecretKind::ClientApplicationTrafficSecret0 : SecretKind::ServerApplicationTrafficSecret0);
  ASSERT_TRUE(hsSecret && apSecret);
  Bytes secret = *hsSecret;
  auto cipherFor = [&](const Bytes& sec) {
    auto c = RecordCipher::create(suite, tls13TrafficKeys(suite, sec, "x").keys, kTls13);
    EXPECT_TRUE(c.ok());
    return std::move(c).value();
  };
  RecordCipher cipher = cipherFor(secret);
  bool application = false;
  unsigned generation = 0;
  std::uint64_t seq = 0;
  Bytes hsBuffer;
  for (ByteView rec : splitRecords(stream)) {
    if (rec[0] != 23) continue;  // plaintext ClientHello/ServerHello, compatibility-mode CCS
    const auto r = cipher.decrypt(rec, seq++);
    ASSERT_EQ(r.verdict, model::RecordVerdict::Decrypted) << r.note << " (seq " << seq - 1 << ")";
    if (r.contentType == 23) dir.appData.insert(dir.appData.end(), r.plaintext.begin(), r.plaintext.end());
    if (r.contentType != 22) continue;
    hsBuffer.insert(hsBuffer.end(), r.plaintext.begin(), r.plaintext.end());
    const auto ms = messages(hsBuffer);
    std::size_t used = 0;
    bool switchKeys = false;
    for (const auto& m : ms) {
      used += m.bytes.size();
      if (!application) dir.handshake.push_back(m);
      if (!application && m.type == 20) switchKeys = true;  // Finished: application keys next
      if (application && m.type == 24) {                    // KeyUpdate: next generation
        secret = tls13NextTrafficSecret(suite.prfHash, secret, ++generation, client ? "client" : "server").output;
        ++dir.keyUpdates;
        cipher = cipherFor(secret);
        seq = 0;
      }
    }
    hsBuffer.erase(hsBuffer.begin(), hsBuffer.begin() + static_cast<std::ptrdiff_t>(used));
    if (switchKeys) {
      application = true;
      secret = *apSecret;
      cipher = cipherFor(secret);
      seq = 0;
    }
  }
}

struct Tls13Case {
  const char* name;
  const char* suiteName;
  std::uint16_t suite;
  bool keyUpdate;
};

class Tls13Handshake : public ::testing::TestWithParam<Tls13Case> {};

TEST_P(Tls13Handshake, RecordsDecryptToWhatWasSentAndFinishedVerifies) {
  const Tls13Case& c = GetParam();
  PairConfig config;
  config.minVersion = config.maxVersion = TLS1_3_VERSION;
  config.ciphersuites = c.suiteName;
  config.keyUpdate = c.keyUpdate;
  const Capture cap = runPair(config);
  ASSERT_TRUE(cap.ok) << cap.error;
  keys::KeyStore store;
  const auto diagnostics = store.addKeyLogText(cap.keylog, "openssl keylog");
  for (const auto& d : diagnostics) ADD_FAILURE() << d.where << ": " << d.message;
  const auto clientRecords = splitRecords(cap.clientToServer);
  const auto serverRecords = splitRecords(cap.serverToClient);
  ASSERT_FALSE(clientRecords.empty());
  ASSERT_FALSE(serverRecords.empty());
  const Bytes ch(clientRecords[0].begin() + 5, clientRecords[0].end());
  const Bytes sh(serverRecords[0].begin() + 5, serverRecords[0].end());
  const Hello hello = parseServerHello({2, sh});
  ASSERT_EQ(hello.suite, c.suite);
  const CipherSuite& suite = *findSuite(c.suite);
  const Bytes clientRandom(ch.begin() + 6, ch.begin() + 38);
  const auto* session = store.findByClientRandom(clientRandom);
  ASSERT_NE(session, nullptr);
  ASSERT_TRUE(session->isTls13());

  Tls13Direction client, server;
  decryptTls13Direction(cap.clientToServer, suite, *session, true, client);
  decryptTls13Direction(cap.serverToClient, suite, *session, false, server);
  EXPECT_EQ(client.appData.size(), cap.clientSent.size());
  EXPECT_TRUE(client.appData == cap.clientSent) << "client application data differs";
  EXPECT_EQ(server.appData.size(), cap.serverSent.size());
  EXPECT_TRUE(server.appData == cap.serverSent) << "server application data differs";
  EXPECT_EQ(client.keyUpdates, c.keyUpdate ? 1 : 0);
  EXPECT_EQ(server.keyUpdates, c.keyUpdate ? 1 : 0);
  if (c.keyUpdate) {
    // OpenSSL logs the next generation itself ("CLIENT_TRAFFIC_SECRET_N"): ours must match.
    ASSERT_EQ(session->clientUpdatedSecrets.size(), 1u);
    ASSERT_EQ(session->serverUpdatedSecrets.size(), 1u);
    EXPECT_EQ(tls13NextTrafficSecret(suite.prfHash, *session->secret(SecretKind::ClientApplicationTrafficSecret0), 1,
                                     "client").output,
              session->clientUpdatedSecrets[0]);
    EXPECT_EQ(tls13NextTrafficSecret(suite.prfHash, *session->secret(SecretKind::ServerApplicationTrafficSecret0), 1,
                                     "server").output,
              session->serverUpdatedSecrets[0]);
  }

  // Transcript: ClientHello, ServerHello, the server's encrypted flight; the
  // client's Finished follows it (no client authentication here).
  ASSERT_GE(server.handshake.size(), 4u);
  ASSERT_EQ(server.handshake.back().type, 20);
  ASSERT_EQ(client.handshake.size(), 1u);
  Hasher transcript(suite.prfHash);
  transcript.update(ch);
  transcript.update(sh);
  for (std::size_t i = 0; i + 1 < server.handshake.size(); ++i) transcript.update(server.handshake[i].bytes);
  keys::SessionContext ctx;
  ctx.suite = suite.id;
  ctx.serverFinishedHash = transcript.peek();
  transcript.update(server.handshake.back().bytes);
  ctx.clientFinishedHash = transcript.peek();
  ctx.serverVerifyData.assign(server.handshake.back().bytes.begin() + 4, server.handshake.back().bytes.end());
  ctx.clientVerifyData.assign(client.handshake[0].bytes.begin() + 4, client.handshake[0].bytes.end());
  const auto ex = keys::explainSession(*session, ctx);
  int verified = 0;
  for (const auto& step : ex.steps) {
    EXPECT_NE(step.status, model::StepStatus::Failed) << step.name;
    if (step.status == model::StepStatus::Verified) ++verified;
  }
  EXPECT_EQ(verified, 2);
  EXPECT_TRUE(ex.notes.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Suites, Tls13Handshake,
    ::testing::Values(Tls13Case{"Aes128Gcm", "TLS_AES_128_GCM_SHA256", 0x1301, false},
                      Tls13Case{"Aes256Gcm", "TLS_AES_256_GCM_SHA384", 0x1302, false},
                      Tls13Case{"ChaCha20Poly1305", "TLS_CHACHA20_POLY1305_SHA256", 0x1303, false},
                      Tls13Case{"Aes128Ccm", "TLS_AES_128_CCM_SHA256", 0x1304, false},
                      Tls13Case{"Aes128Ccm8", "TLS_AES_128_CCM_8_SHA256", 0x1305, false},
                      Tls13Case{"Aes128GcmWithKeyUpdate", "TLS_AES_128_GCM_SHA256", 0x1301, true},
                      Tls13Case{"Aes256GcmWithKeyUpdate", "TLS_AES_256_GCM_SHA384", 0x1302, true}),
    [](const ::testing::TestParamInfo<Tls13Case>& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace tlslab::crypto
