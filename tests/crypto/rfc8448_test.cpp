// RFC 8448: every secret, key, IV, Finished and protected record of all five
// traces is recomputed from the trace's inputs (key pairs, messages) and
// compared byte for byte with the values the RFC lists.
#include <gtest/gtest.h>

#include "support/Rfc8448.hpp"
#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/Ecdh.hpp"
#include "tlslab/crypto/Kdf.hpp"
#include "tlslab/crypto/RecordCipher.hpp"
#include "tlslab/crypto/Tls13KeySchedule.hpp"
#include "tlslab/crypto/Transcript.hpp"

namespace tlslab::crypto {
namespace {

namespace r = tlslab::test::rfc8448;

const CipherSuite& aes128gcm() { return *findSuite(0x1301); }

// The handshake transcript as the dissector keeps it (crypto::Transcript):
// after a HelloRetryRequest, ClientHello1 is replaced by message_hash
// (RFC 8446 §4.4.1) and the HelloRetryRequest follows it.
Bytes hashOf(const r::Trace& t, std::initializer_list<const Bytes*> messages) {
  Transcript transcript;
  if (!t.clientHello1.empty()) {
    transcript.add(t.clientHello1);
    transcript.replaceWithMessageHash(HashAlg::Sha256);
    transcript.add(t.helloRetryRequest);
  }
  for (const Bytes* m : messages) transcript.add(*m);
  return transcript.hash(HashAlg::Sha256);
}

struct Transcripts {
  Bytes hello, serverFinished, clientFinished;
};

Transcripts transcriptsOf(const r::Trace& t) {
  Transcripts out;
  out.hello = hashOf(t, {&t.clientHello, &t.serverHello});
  out.serverFinished = hashOf(t, {&t.clientHello, &t.serverHello, &t.encryptedExtensions,
                               &t.certificateRequest, &t.certificate, &t.certificateVerify, &t.serverFinished});
  out.clientFinished = hashOf(t, {&t.clientHello, &t.serverHello, &t.encryptedExtensions,
                               &t.certificateRequest, &t.certificate, &t.certificateVerify, &t.serverFinished,
                               &t.endOfEarlyData, &t.clientCertificate, &t.clientCertificateVerify,
                               &t.clientFinished});
  return out;
}

class Rfc8448Trace : public ::testing::TestWithParam<const r::Trace*> {};

TEST_P(Rfc8448Trace, SharedSecretIsReproducedFromBothKeyPairs) {
  const r::Trace& t = *GetParam();
  auto fromClient = ecdhSharedSecret(t.group, t.clientPrivateKey, t.serverPublicKey);
  auto fromServer = ecdhSharedSecret(t.group, t.serverPrivateKey, t.clientPublicKey);
  ASSERT_TRUE(fromClient.ok()) << fromClient.error();
  ASSERT_TRUE(fromServer.ok()) << fromServer.error();
  EXPECT_EQ(toHex(*fromClient), toHex(t.sharedSecret));
  EXPECT_EQ(toHex(*fromServer), toHex(t.sharedSecret));
}

TEST_P(Rfc8448Trace, TranscriptHashesMatchTheRfc) {
  const r::Trace& t = *GetParam();
  const Transcripts h = transcriptsOf(t);
  EXPECT_EQ(toHex(h.hello), toHex(t.helloHash));
  EXPECT_EQ(toHex(h.serverFinished), toHex(t.applicationHash));
  EXPECT_EQ(toHex(h.clientFinished), toHex(t.resumptionHash));
}

TEST_P(Rfc8448Trace, KeyScheduleReproducesEverySecret) {
  const r::Trace& t = *GetParam();
  const Transcripts h = transcriptsOf(t);
  Tls13Inputs in;
  if (!t.psk.empty()) in.psk = t.psk;
  in.sharedSecret = t.sharedSecret;
  in.transcript = {t.earlyHash, h.hello, h.serverFinished, h.clientFinished};
  const Tls13Schedule s = deriveTls13Schedule(in);
  EXPECT_EQ(toHex(s.secrets.earlySecret), toHex(t.earlySecret));
  EXPECT_EQ(toHex(s.secrets.handshakeSecret), toHex(t.handshakeSecret));
  EXPECT_EQ(toHex(s.secrets.clientHandshakeTraffic), toHex(t.clientHandshakeTrafficSecret));
  EXPECT_EQ(toHex(s.secrets.serverHandshakeTraffic), toHex(t.serverHandshakeTrafficSecret));
  EXPECT_EQ(toHex(s.secrets.masterSecret), toHex(t.masterSecret));
  EXPECT_EQ(toHex(s.secrets.clientApplicationTraffic), toHex(t.clientApplicationTrafficSecret));
  EXPECT_EQ(toHex(s.secrets.serverApplicationTraffic), toHex(t.serverApplicationTrafficSecret));
  EXPECT_EQ(toHex(s.secrets.exporterMaster), toHex(t.exporterMasterSecret));
  EXPECT_EQ(toHex(s.secrets.resumptionMaster), toHex(t.resumptionMasterSecret));
  // The two "derived" intermediate values are steps of the schedule.
  bool sawHs = false, sawMaster = false;
  for (const auto& step : s.steps) {
    if (step.name == "derived (for handshake secret)") sawHs = step.output == t.derivedForHandshake;
    if (step.name == "derived (for master secret)") sawMaster = step.output == t.derivedForMaster;
    EXPECT_NE(step.status, model::StepStatus::NotDerivable) << step.name;
  }
  EXPECT_TRUE(sawHs);
  EXPECT_TRUE(sawMaster);
}

TEST_P(Rfc8448Trace, TrafficKeysAndIvsMatch) {
  const r::Trace& t = *GetParam();
  auto check = [&](const Bytes& secret, const Bytes& key, const Bytes& iv, const char* who) {
    const auto k = tls13TrafficKeys(aes128gcm(), secret, who);
    EXPECT_EQ(toHex(k.keys.key), toHex(key)) << who;
    EXPECT_EQ(toHex(k.keys.iv), toHex(iv)) << who;
  };
  check(t.serverHandshakeTrafficSecret, t.serverHandshakeKey, t.serverHandshakeIv, "server handshake");
  check(t.clientHandshakeTrafficSecret, t.clientHandshakeKey, t.clientHandshakeIv, "client handshake");
  check(t.serverApplicationTrafficSecret, t.serverApplicationKey, t.serverApplicationIv, "server application");
  check(t.clientApplicationTrafficSecret, t.clientApplicationKey, t.clientApplicationIv, "client application");
  if (!t.clientEarlyTrafficSecret.empty()) check(t.clientEarlyTrafficSecret, t.earlyKey, t.earlyIv, "client early");
}

TEST_P(Rfc8448Trace, BothFinishedMessagesVerify) {
  const r::Trace& t = *GetParam();
  // The server's Finished covers everything before it; the client's Finished
  // everything up to its own CertificateVerify (RFC 8446 §4.4.4).
  const Bytes beforeServerFinished = hashOf(t, {&t.clientHello, &t.serverHello, &t.encryptedExtensions,
                                             &t.certificateRequest, &t.certificate, &t.certificateVerify});
  const Bytes beforeClientFinished =
      hashOf(t, {&t.clientHello, &t.serverHello, &t.encryptedExtensions, &t.certificateRequest, &t.certificate,
              &t.certificateVerify, &t.serverFinished, &t.endOfEarlyData, &t.clientCertificate,
              &t.clientCertificateVerify});
  const auto serverKey = tls13FinishedKey(HashAlg::Sha256, t.serverHandshakeTrafficSecret, "server finished_key");
  EXPECT_EQ(toHex(serverKey.output), toHex(t.serverFinishedKey));
  const auto serverVerify = tls13VerifyData(HashAlg::Sha256, serverKey.output, beforeServerFinished, "server", "");
  const auto serverCheck = compareStep("server Finished", serverVerify.output,
                                       ByteView(t.serverFinished).subspan(4), "RFC 8446 §4.4.4", "verify_data");
  EXPECT_EQ(serverCheck.status, model::StepStatus::Verified);
  const auto clientKey = tls13FinishedKey(HashAlg::Sha256, t.clientHandshakeTrafficSecret, "client finished_key");
  EXPECT_EQ(toHex(clientKey.output), toHex(t.clientFinishedKey));
  const auto clientVerify = tls13VerifyData(HashAlg::Sha256, clientKey.output, beforeClientFinished, "client", "");
  EXPECT_EQ(toHex(clientVerify.output), toHex(t.clientVerifyData));
  EXPECT_EQ(compareStep("client Finished", clientVerify.output, ByteView(t.clientFinished).subspan(4), "", "").status,
            model::StepStatus::Verified);
}

const TrafficKeys& keysFor(const r::Trace& t, const r::Record& rec, TrafficKeys& scratch) {
  const bool client = rec.sender == r::Sender::Client;
  switch (rec.epoch) {
    case r::Epoch::Early: scratch = {t.earlyKey, t.earlyIv, {}}; break;
    case r::Epoch::Handshake:
      scratch = client ? TrafficKeys{t.clientHandshakeKey, t.clientHandshakeIv, {}}
                       : TrafficKeys{t.serverHandshakeKey, t.serverHandshakeIv, {}};
      break;
    case r::Epoch::Application:
      scratch = client ? TrafficKeys{t.clientApplicationKey, t.clientApplicationIv, {}}
                       : TrafficKeys{t.serverApplicationKey, t.serverApplicationIv, {}};
      break;
    case r::Epoch::Plaintext:
    default: scratch = {}; break;
  }
  return scratch;
}

TEST_P(Rfc8448Trace, EveryProtectedRecordDecryptsToTheRfcPlaintext) {
  const r::Trace& t = *GetParam();
  int protectedRecords = 0;
  for (const auto& rec : t.records) {
    if (rec.epoch == r::Epoch::Plaintext) {
      // Plaintext records are header || payload.
      EXPECT_EQ(toHex(ByteView(rec.record).subspan(5)), toHex(rec.payload));
      continue;
    }
    ++protectedRecords;
    TrafficKeys scratch;
    auto cipher = RecordCipher::create(aes128gcm(), keysFor(t, rec, scratch), kTls13);
    ASSERT_TRUE(cipher.ok()) << cipher.error();
    const auto result = cipher->decrypt(rec.record, rec.sequence);
    ASSERT_EQ(result.verdict, model::RecordVerdict::Decrypted) << result.note;
    EXPECT_EQ(toHex(result.plaintext), toHex(rec.payload));
    EXPECT_EQ(result.contentType, rec.innerType);
    EXPECT_TRUE(result.padding.empty());
    EXPECT_EQ(result.aad, Bytes(rec.record.begin(), rec.record.begin() + 5));
  }
  EXPECT_GE(protectedRecords, 3);
}

TEST_P(Rfc8448Trace, EncryptingTheRfcPlaintextGivesTheRfcRecordByteForByte) {
  const r::Trace& t = *GetParam();
  for (const auto& rec : t.records) {
    if (rec.epoch == r::Epoch::Plaintext) continue;
    TrafficKeys scratch;
    auto cipher = RecordCipher::create(aes128gcm(), keysFor(t, rec, scratch), kTls13);
    ASSERT_TRUE(cipher.ok());
    auto sealed = cipher->encrypt(rec.innerType, rec.payload, rec.sequence);
    ASSERT_TRUE(sealed.ok());
    EXPECT_EQ(toHex(*sealed), toHex(rec.record));
  }
}

INSTANTIATE_TEST_SUITE_P(AllFiveTraces, Rfc8448Trace, ::testing::ValuesIn(r::allTraces()),
                         [](const ::testing::TestParamInfo<const r::Trace*>& p) { return "Section" + p.param->section; });

TEST(Rfc8448Resumption, TicketNonceGivesThePskThatSection4Resumes) {
  const auto& s3 = r::simple1Rtt();
  const auto step = tls13ResumptionPsk(HashAlg::Sha256, s3.resumptionMasterSecret, s3.ticketNonce);
  EXPECT_EQ(toHex(step.output), toHex(s3.resumptionPsk));
  EXPECT_EQ(toHex(step.output), toHex(r::resumed0Rtt().psk));
}

TEST(Rfc8448Resumption, BinderAndEarlySecretsMatchSection4) {
  const auto& t = r::resumed0Rtt();
  Tls13Inputs in;
  in.psk = t.psk;
  in.sharedSecret = t.sharedSecret;
  in.transcript.clientHello = digest(HashAlg::Sha256, t.clientHello);
  EXPECT_EQ(toHex(in.transcript.clientHello), toHex(t.earlyHash));
  const auto s = deriveTls13Schedule(in);
  EXPECT_EQ(toHex(s.secrets.binderKey), toHex(t.binderKey));
  EXPECT_EQ(toHex(s.secrets.clientEarlyTraffic), toHex(t.clientEarlyTrafficSecret));
  EXPECT_EQ(toHex(s.secrets.earlyExporter), toHex(t.earlyExporterMasterSecret));
  const auto finishedKey = tls13FinishedKey(HashAlg::Sha256, s.secrets.binderKey, "binder finished_key");
  EXPECT_EQ(toHex(finishedKey.output), toHex(t.binderFinishedKey));
  const auto binder =
      tls13VerifyData(HashAlg::Sha256, finishedKey.output, digest(HashAlg::Sha256, t.clientHelloPrefix), "binder", "");
  EXPECT_EQ(toHex(binder.output), toHex(t.binder));
}

TEST(Rfc8448KeyLogOnly, StepsAboveTrafficSecretsAreExplicitlyNotDerivable) {
  Tls13Inputs in;  // no shared secret: as from a key log
  const auto s = deriveTls13Schedule(in);
  ASSERT_FALSE(s.steps.empty());
  EXPECT_EQ(s.steps.back().status, model::StepStatus::NotDerivable);
  EXPECT_NE(s.steps.back().note.find("forward secrecy"), std::string::npos);
  for (const auto& step : tls13NotDerivableFromKeyLog()) {
    EXPECT_EQ(step.status, model::StepStatus::NotDerivable);
  }
}

TEST(Rfc8448KeyUpdate, NextGenerationSecretFollowsTrafficUpd) {
  const auto& t = r::simple1Rtt();
  const auto next = tls13NextTrafficSecret(HashAlg::Sha256, t.clientApplicationTrafficSecret, 1, "client");
  EXPECT_EQ(next.output, hkdfExpandLabelRaw(HashAlg::Sha256, t.clientApplicationTrafficSecret, "traffic upd", {}, 32));
  EXPECT_NE(next.output, t.clientApplicationTrafficSecret);
  EXPECT_EQ(next.name, "client_application_traffic_secret_1");
}

}  // namespace
}  // namespace tlslab::crypto
