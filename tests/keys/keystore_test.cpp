// KeyStore: lookups by client random, session ID, ticket and encrypted PMS;
// RSA server keys from PEM (plain and password-protected PKCS#8) recovering a
// real RSA-encrypted pre-master secret; files that cannot be read.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <cstring>
#include <memory>

#include "support/Rfc8448.hpp"
#include "support/TestPaths.hpp"
#include "tlslab/crypto/Tls13KeySchedule.hpp"
#include "tlslab/keys/Explain.hpp"
#include "tlslab/keys/KeyStore.hpp"

namespace tlslab::keys {
namespace {

using Pkey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

Pkey makeRsaKey() { return Pkey(EVP_RSA_gen(2048), EVP_PKEY_free); }

std::string pemOf(EVP_PKEY* key, const char* password) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (password) {
    PEM_write_bio_PKCS8PrivateKey(bio.get(), key, EVP_aes_256_cbc(), password, static_cast<int>(strlen(password)),
                                  nullptr, nullptr);
  } else {
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

Bytes rsaEncrypt(EVP_PKEY* key, const Bytes& pms) {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new(key, nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY_encrypt_init(ctx.get());
  EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING);
  std::size_t len = 0;
  EVP_PKEY_encrypt(ctx.get(), nullptr, &len, pms.data(), pms.size());
  Bytes out(len);
  EVP_PKEY_encrypt(ctx.get(), out.data(), &len, pms.data(), pms.size());
  out.resize(len);
  return out;
}

TEST(KeyStore, FindsSecretsByClientRandomAndMergesLabels) {
  KeyStore store;
  const std::string random(64, '1');
  const auto diags = store.addKeyLogText("CLIENT_HANDSHAKE_TRAFFIC_SECRET " + random + " " + std::string(64, '2') +
                                             "\nSERVER_HANDSHAKE_TRAFFIC_SECRET " + random + " " +
                                             std::string(64, '3') + "\nbroken line\n",
                                         "keys.log");
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].where, "keys.log line 3");
  const auto* s = store.findByClientRandom(Bytes(32, 0x11));
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->isTls13());
  ASSERT_NE(s->secret(crypto::SecretKind::ServerHandshakeTrafficSecret), nullptr);
  EXPECT_EQ(*s->secret(crypto::SecretKind::ServerHandshakeTrafficSecret), Bytes(32, 0x33));
  EXPECT_EQ(store.findByClientRandom(Bytes(32, 0x12)), nullptr);
  EXPECT_EQ(store.sessions().size(), 1u);
}

TEST(KeyStore, FindsMasterSecretsBySessionIdAndTicket) {
  KeyStore store;
  store.addKeyLogText("RSA Session-ID:" + std::string(64, 'a') + " Master-Key:" + std::string(96, 'b') + "\n");
  auto master = store.findMasterBySessionId(Bytes(32, 0xaa));
  ASSERT_TRUE(master.has_value());
  EXPECT_EQ(*master, Bytes(48, 0xbb));
  EXPECT_FALSE(store.findMasterBySessionId(Bytes(32, 0xab)).has_value());
  store.addMasterSecretForTicket(Bytes{1, 2, 3}, Bytes(48, 7));
  ASSERT_TRUE(store.findMasterByTicket(Bytes{1, 2, 3}).has_value());
  EXPECT_FALSE(store.findMasterByTicket(Bytes{1, 2}).has_value());
}

TEST(KeyStore, RecoversRsaPreMasterSecretWithAPasswordProtectedPkcs8Key) {
  auto key = makeRsaKey();
  Bytes pms(48, 0x5a);
  pms[0] = 0x03;
  pms[1] = 0x03;
  const Bytes encrypted = rsaEncrypt(key.get(), pms);
  KeyStore store;
  EXPECT_FALSE(store.addPrivateKeyPem(pemOf(key.get(), "secret"), "wrong").ok());
  auto added = store.addPrivateKeyPem(pemOf(key.get(), "secret"), "secret", "server.key");
  ASSERT_TRUE(added.ok()) << added.error();
  const auto step = store.recoverPreMasterSecret(encrypted);
  EXPECT_EQ(step.status, model::StepStatus::Derived) << step.note;
  EXPECT_EQ(step.output, pms);
  EXPECT_NE(step.note.find("server.key"), std::string::npos);
}

TEST(KeyStore, WrongRsaKeyIsReportedNotGuessed) {
  auto right = makeRsaKey();
  auto wrong = makeRsaKey();
  const Bytes encrypted = rsaEncrypt(right.get(), Bytes(48, 3));
  KeyStore store;
  ASSERT_TRUE(store.addPrivateKeyPem(pemOf(wrong.get(), nullptr), {}, "other.key").ok());
  const auto step = store.recoverPreMasterSecret(encrypted);
  EXPECT_EQ(step.status, model::StepStatus::NotDerivable);
  EXPECT_TRUE(step.output.empty());
  EXPECT_NE(step.note.find("other.key"), std::string::npos);
}

TEST(KeyStore, RsaKeyLogLineGivesThePreMasterSecretByPrefix) {
  KeyStore store;
  store.addKeyLogText("RSA 0011223344556677 " + std::string(96, 'e') + "\n");
  Bytes encrypted = fromHex("0011223344556677").value();
  encrypted.resize(256, 0x42);
  const auto step = store.recoverPreMasterSecret(encrypted);
  EXPECT_EQ(step.status, model::StepStatus::FromKeyLog);
  EXPECT_EQ(step.output, Bytes(48, 0xee));
}

TEST(KeyStore, LoadsKeyLogAndKeyFilesAndReportsMissingFiles) {
  const auto dir = std::filesystem::temp_directory_path() / "tlslab_keystore_test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "keys.log") << "CLIENT_RANDOM " << std::string(64, '9') << " " << std::string(96, '8') << "\n";
    auto key = makeRsaKey();
    std::ofstream(dir / "server.pem") << pemOf(key.get(), nullptr);
  }
  KeyStore store;
  auto loaded = store.addKeyLogFile(dir / "keys.log");
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(loaded->empty());
  EXPECT_NE(store.findByClientRandom(Bytes(32, 0x99)), nullptr);
  EXPECT_TRUE(store.addPrivateKeyFile(dir / "server.pem").ok());
  EXPECT_EQ(store.privateKeys().size(), 1u);
  auto missing = store.addKeyLogFile(dir / "nope.log");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("nope.log"), std::string::npos);
  EXPECT_FALSE(store.addPrivateKeyFile(dir / "keys.log").ok());  // not a key
  std::filesystem::remove_all(dir);
}

TEST(KeyStore, LoadsAnRsaKeyFromAPasswordProtectedPkcs12File) {
  auto key = makeRsaKey();
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  X509_set_pubkey(cert.get(), key.get());
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 7);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("p12"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509_sign(cert.get(), key.get(), EVP_sha256());
  std::unique_ptr<PKCS12, decltype(&PKCS12_free)> p12(
      PKCS12_create("pw", "server", key.get(), cert.get(), nullptr, 0, 0, 0, 0, 0), PKCS12_free);
  ASSERT_TRUE(p12);
  unsigned char* der = nullptr;
  const int len = i2d_PKCS12(p12.get(), &der);
  ASSERT_GT(len, 0);
  const auto path = std::filesystem::temp_directory_path() / "tlslab_keystore_test.p12";
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(der), len);
  OPENSSL_free(der);
  KeyStore store;
  EXPECT_FALSE(store.addPrivateKeyFile(path, "wrong").ok());
  auto loaded = store.addPrivateKeyFile(path, "pw");
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  Bytes pms(48, 9);
  EXPECT_EQ(store.recoverPreMasterSecret(rsaEncrypt(key.get(), pms)).output, pms);
  std::filesystem::remove(path);
}

// Most older .p12 files encrypt with RC2-40 and 3DES (`-legacy`), which
// OpenSSL 3 keeps in its legacy provider: tlslab reads them, and tells a
// wrong password apart from an unsupported algorithm.
TEST(KeyStore, LoadsALegacyPkcs12FileAndNamesAWrongPassword) {
  const auto dir = std::filesystem::temp_directory_path() / "tlslab_keystore_legacy_p12";
  std::filesystem::create_directories(dir);
  const std::string d = dir.string();
  auto made = test::run("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=legacy -days 1 -keyout " + d +
                        "/key.pem -out " + d + "/cert.pem 2>&1 && openssl pkcs12 -export -legacy -in " + d +
                        "/cert.pem -inkey " + d + "/key.pem -passout pass:secret -out " + d + "/legacy.p12 2>&1 && "
                        "openssl pkcs12 -in " + d + "/legacy.p12 -info -noout -passin pass:secret -legacy 2>&1");
  ASSERT_EQ(made.exitCode, 0) << made.out;
  ASSERT_NE(made.out.find("RC2"), std::string::npos) << "not a legacy file: " << made.out;
  KeyStore store;
  auto wrong = store.addPrivateKeyFile(dir / "legacy.p12", "not-it");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().find("wrong password"), std::string::npos) << wrong.error();
  EXPECT_EQ(wrong.error().find("unsupported"), std::string::npos) << wrong.error();
  auto loaded = store.addPrivateKeyFile(dir / "legacy.p12", "secret");
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_TRUE(store.privateKeys().front().key.isRsa());
  EXPECT_EQ(store.privateKeys().front().key.bits(), 2048);
  std::filesystem::remove_all(dir);
}

// RFC 8448 §3 as a key log plus its handshake: the full TLS 1.3 chain with
// both Finished messages verified.
TEST(Explain, Tls13ChainFromKeyLogAndHandshakeVerifiesBothFinished) {
  namespace r = tlslab::test::rfc8448;
  const auto& t = r::simple1Rtt();
  const Bytes clientRandom(t.clientHello.begin() + 6, t.clientHello.begin() + 38);
  const std::string cr = toHex(clientRandom);
  KeyStore store;
  ASSERT_TRUE(store.addKeyLogText("CLIENT_HANDSHAKE_TRAFFIC_SECRET " + cr + " " + toHex(t.clientHandshakeTrafficSecret) +
                                  "\nSERVER_HANDSHAKE_TRAFFIC_SECRET " + cr + " " + toHex(t.serverHandshakeTrafficSecret) +
                                  "\nCLIENT_TRAFFIC_SECRET_0 " + cr + " " + toHex(t.clientApplicationTrafficSecret) +
                                  "\nSERVER_TRAFFIC_SECRET_0 " + cr + " " + toHex(t.serverApplicationTrafficSecret) +
                                  "\nEXPORTER_SECRET " + cr + " " + toHex(t.exporterMasterSecret) + "\n")
                  .empty());
  const auto* s = store.findByClientRandom(clientRandom);
  ASSERT_NE(s, nullptr);
  auto hashOf = [](std::initializer_list<const Bytes*> parts) {
    crypto::Hasher hasher(crypto::HashAlg::Sha256);
    for (const Bytes* p : parts) hasher.update(*p);
    return hasher.peek();
  };
  SessionContext ctx;
  ctx.suite = 0x1301;
  ctx.serverFinishedHash = hashOf({&t.clientHello, &t.serverHello, &t.encryptedExtensions, &t.certificate, &t.certificateVerify});
  ctx.clientFinishedHash = t.applicationHash;
  ctx.serverVerifyData = Bytes(t.serverFinished.begin() + 4, t.serverFinished.end());
  ctx.clientVerifyData = Bytes(t.clientFinished.begin() + 4, t.clientFinished.end());
  const auto ex = explainSession(*s, ctx);
  EXPECT_EQ(ex.protocol, "TLS 1.3");
  int verified = 0, notDerivable = 0;
  bool sawServerKey = false;
  for (const auto& step : ex.steps) {
    if (step.status == model::StepStatus::Verified) ++verified;
    if (step.status == model::StepStatus::NotDerivable) ++notDerivable;
    EXPECT_NE(step.status, model::StepStatus::Failed) << step.name;
    if (step.name == "server application write key") sawServerKey = step.output == t.serverApplicationKey;
  }
  EXPECT_EQ(verified, 2);
  EXPECT_EQ(notDerivable, 3);  // (EC)DHE, handshake secret, master secret: forward secrecy
  EXPECT_TRUE(sawServerKey);
  // A key log alone: the Finished checks are explicit "needs the handshake" nodes.
  const auto alone = explainSession(*s, {});
  int needsHandshake = 0;
  for (const auto& step : alone.steps) {
    if (step.note.find("needs the handshake") != std::string::npos) ++needsHandshake;
  }
  EXPECT_EQ(needsHandshake, 2);
  EXPECT_FALSE(alone.notes.empty());  // suite assumed
}

}  // namespace
}  // namespace tlslab::keys
