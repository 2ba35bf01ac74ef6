// `tlslab keys derive ...` and `tlslab keys explain ...`, run as the real binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "support/Rfc8448.hpp"
#include "support/TestPaths.hpp"
#include "tlslab/crypto/Hash.hpp"
#include "tlslab/crypto/Tls12KeySchedule.hpp"

namespace tlslab::test {
namespace {
namespace fs = std::filesystem;

CommandResult tlslab(const std::string& args) { return run(tlslabExe().string() + " " + args); }
bool has(const CommandResult& r, const std::string& text) { return r.out.find(text) != std::string::npos; }

TEST(KeysDeriveCli, HkdfExpandLabelReproducesTheRfc8448ServerHandshakeKey) {
  const auto& t = rfc8448::simple1Rtt();
  auto r = tlslab("keys derive hkdf-expand-label --secret " + toHex(t.serverHandshakeTrafficSecret) +
                  " --label key --length 16 --hash sha256");
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, toHex(t.serverHandshakeKey))) << r.out;
  EXPECT_TRUE(has(r, "label: \"tls13 key\"")) << r.out;
  EXPECT_TRUE(has(r, "RFC 8446 §7.1")) << r.out;
}

TEST(KeysDeriveCli, HkdfExtractWithoutSaltGivesTheEarlySecret) {
  auto r = tlslab("keys derive hkdf-extract --ikm " + std::string(64, '0'));
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, toHex(rfc8448::simple1Rtt().earlySecret))) << r.out;
}

TEST(KeysDeriveCli, DeriveSecretOfEmptyMessagesGivesDerived) {
  const auto& t = rfc8448::simple1Rtt();
  auto r = tlslab("keys derive derive-secret --secret " + toHex(t.earlySecret) + " --label derived --json");
  EXPECT_EQ(r.exitCode, 0) << r.out;
  auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["output"], toHex(t.derivedForHandshake));
  EXPECT_EQ(json["status"], "derived");
}

TEST(KeysDeriveCli, PrfPublishedVector) {
  auto r = tlslab("keys derive prf --secret 9bbe436ba940f017b17652849a71db35 --label 'test label' "
                  "--seed a0ba9f936cda311827a6f796ffd5198c --length 100");
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, "e3f229ba727be17b8d122620557cd453")) << r.out;
  EXPECT_TRUE(has(r, "87347b66")) << r.out;
}

TEST(KeysDeriveCli, BadHexExitsTwoWithAClearMessage) {
  auto r = tlslab("keys derive hkdf-expand-label --secret 0g12 --label key --length 16");
  EXPECT_EQ(r.exitCode, 2) << r.out;
  EXPECT_TRUE(has(r, "--secret is not valid hex")) << r.out;
  auto odd = tlslab("keys derive prf --secret abc --label x --seed 00 --length 4");
  EXPECT_EQ(odd.exitCode, 2) << odd.out;
  auto hash = tlslab("keys derive hkdf-extract --ikm 00 --hash sha999");
  EXPECT_EQ(hash.exitCode, 2) << hash.out;
  EXPECT_TRUE(has(hash, "--hash must be")) << hash.out;
  auto missing = tlslab("keys derive hkdf-expand-label --label key --length 16");
  EXPECT_EQ(missing.exitCode, 2) << missing.out;
}

class KeysExplainCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tlslab_keys_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    const auto& t = rfc8448::simple1Rtt();
    random_ = toHex(ByteView(t.clientHello).subspan(6, 32));
    std::ofstream(dir_ / "keys.log") << "# RFC 8448 section 3\r\n"
                                     << "SERVER_HANDSHAKE_TRAFFIC_SECRET " << random_ << " "
                                     << toHex(t.serverHandshakeTrafficSecret) << "\r\n"
                                     << "SERVER_TRAFFIC_SECRET_0 " << random_ << " "
                                     << toHex(t.serverApplicationTrafficSecret) << "\r\n"
                                     << "GARBAGE LINE\r\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::string random_;
};

TEST_F(KeysExplainCli, ShowsTrafficKeysAndForwardSecrecyNodes) {
  auto r = tlslab("keys explain --keylog " + (dir_ / "keys.log").string() + " --client-random " + random_ +
                  " --suite 0x1301");
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, toHex(rfc8448::simple1Rtt().serverHandshakeKey))) << r.out;
  EXPECT_TRUE(has(r, toHex(rfc8448::simple1Rtt().serverApplicationIv))) << r.out;
  EXPECT_TRUE(has(r, "forward secrecy")) << r.out;
  EXPECT_TRUE(has(r, "keys.log line 4")) << r.out;  // the bad line, reported
  EXPECT_TRUE(has(r, "needs the handshake")) << r.out;
}

TEST_F(KeysExplainCli, JsonListsStepsWithStatus) {
  auto r = tlslab("keys explain --keylog " + (dir_ / "keys.log").string() + " --json");
  ASSERT_EQ(r.exitCode, 0) << r.out;
  auto json = nlohmann::json::parse(r.out);
  ASSERT_EQ(json["sessions"].size(), 1u);
  const auto& s = json["sessions"][0];
  EXPECT_EQ(s["protocol"], "TLS 1.3");
  bool sawKey = false;
  for (const auto& step : s["steps"]) {
    if (step["name"] == "server handshake write key") sawKey = step["output"] == toHex(rfc8448::simple1Rtt().serverHandshakeKey);
  }
  EXPECT_TRUE(sawKey);
  ASSERT_EQ(json["diagnostics"].size(), 1u);
  EXPECT_EQ(json["diagnostics"][0]["where"], "keys.log line 4");
}

TEST_F(KeysExplainCli, MissingFileExitsTwoAndUnknownSessionExitsOne) {
  auto missing = tlslab("keys explain --keylog " + (dir_ / "nope.log").string());
  EXPECT_EQ(missing.exitCode, 2) << missing.out;
  EXPECT_TRUE(has(missing, "cannot open")) << missing.out;
  auto unknown = tlslab("keys explain --keylog " + (dir_ / "keys.log").string() + " --client-random " +
                        std::string(64, '0'));
  EXPECT_EQ(unknown.exitCode, 1) << unknown.out;
  auto noKeylog = tlslab("keys explain");
  EXPECT_EQ(noKeylog.exitCode, 2) << noKeylog.out;
  EXPECT_TRUE(has(noKeylog, "--keylog FILE is required")) << noKeylog.out;
  auto badSuite = tlslab("keys explain --keylog " + (dir_ / "keys.log").string() + " --suite 0xffff");
  EXPECT_EQ(badSuite.exitCode, 2) << badSuite.out;
}

TEST_F(KeysExplainCli, Tls12MasterSecretWithServerRandomAndSuiteGivesTheKeyBlock) {
  std::ofstream(dir_ / "tls12.log") << "CLIENT_RANDOM " << std::string(64, '1') << " " << std::string(96, '2') << "\n";
  auto r = tlslab("keys explain --keylog " + (dir_ / "tls12.log").string() + " --server-random " + std::string(64, '3') +
                  " --suite TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, "TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")) << r.out;
  EXPECT_TRUE(has(r, "key_block")) << r.out;
  EXPECT_TRUE(has(r, "client_write_key")) << r.out;
  EXPECT_TRUE(has(r, "server_write_IV (salt)")) << r.out;
  EXPECT_TRUE(has(r, "forward secrecy")) << r.out;
  auto noRandom = tlslab("keys explain --keylog " + (dir_ / "tls12.log").string());
  EXPECT_EQ(noRandom.exitCode, 0) << noRandom.out;
  EXPECT_TRUE(has(noRandom, "needs ServerHello.random")) << noRandom.out;
}

TEST_F(KeysExplainCli, Tls13FullChainWithTheHandshakeVerifiesBothFinished) {
  const auto& t = rfc8448::simple1Rtt();
  std::ofstream(dir_ / "full.log") << "CLIENT_HANDSHAKE_TRAFFIC_SECRET " << random_ << " "
                                   << toHex(t.clientHandshakeTrafficSecret) << "\nSERVER_HANDSHAKE_TRAFFIC_SECRET "
                                   << random_ << " " << toHex(t.serverHandshakeTrafficSecret) << "\n";
  crypto::Hasher h(crypto::HashAlg::Sha256);
  for (const Bytes* m : {&t.clientHello, &t.serverHello, &t.encryptedExtensions, &t.certificate, &t.certificateVerify}) {
    h.update(*m);
  }
  auto r = tlslab("keys explain --keylog " + (dir_ / "full.log").string() + " --suite 0x1301" +
                  " --server-finished-hash " + toHex(h.peek()) + " --server-verify-data " + toHex(t.serverVerifyData) +
                  " --client-finished-hash " + toHex(t.applicationHash) + " --client-verify-data " +
                  toHex(t.clientVerifyData));
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, "[OK verified] server Finished check")) << r.out;
  EXPECT_TRUE(has(r, "[OK verified] client Finished check")) << r.out;
  // A wrong verify_data is a failed check and exit code 1.
  auto bad = tlslab("keys explain --keylog " + (dir_ / "full.log").string() + " --server-finished-hash " +
                    toHex(h.peek()) + " --server-verify-data " + std::string(64, '0'));
  EXPECT_EQ(bad.exitCode, 1) << bad.out;
  EXPECT_TRUE(has(bad, "[FAILED] server Finished check")) << bad.out;
}

TEST_F(KeysExplainCli, Tls12ChainFromPreMasterSecretToVerifiedFinished) {
  const Bytes pms(48, 0x03), cr(32, 0x11), sr(32, 0x22), hash(32, 0x44);
  std::ofstream(dir_ / "pms.log") << "PMS_CLIENT_RANDOM " << toHex(cr) << " " << toHex(pms) << "\n";
  const Bytes master = crypto::tls12MasterSecret(crypto::HashAlg::Sha256, pms, cr, sr).output;
  const Bytes verify = crypto::tls12VerifyData(crypto::HashAlg::Sha256, master, true, hash).output;
  auto r = tlslab("keys explain --keylog " + (dir_ / "pms.log").string() + " --server-random " + toHex(sr) +
                  " --suite 0x009c --client-finished-hash " + toHex(hash) + " --client-verify-data " + toHex(verify));
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, "[<- key log] pre_master_secret")) << r.out;
  EXPECT_TRUE(has(r, "[=] master_secret")) << r.out;
  EXPECT_TRUE(has(r, "[=] key_block")) << r.out;
  EXPECT_TRUE(has(r, "[OK verified] client Finished check")) << r.out;
  EXPECT_TRUE(has(r, "server Finished check")) << r.out;  // not given: explicitly not derivable
}

TEST_F(KeysExplainCli, RsaKeyExchangeIsRecoveredWithTheServerKey) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
  {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file((dir_ / "server.key").string().c_str(), "w"), BIO_free);
    PEM_write_bio_PKCS8PrivateKey(bio.get(), key.get(), EVP_aes_128_cbc(), nullptr, 0, nullptr,
                                  const_cast<char*>("demo"));
  }
  Bytes pms(48, 0x61);
  pms[0] = 3;
  pms[1] = 3;
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new(key.get(), nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY_encrypt_init(ctx.get());
  EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING);
  std::size_t len = 512;
  Bytes encrypted(len);
  ASSERT_EQ(EVP_PKEY_encrypt(ctx.get(), encrypted.data(), &len, pms.data(), pms.size()), 1);
  encrypted.resize(len);
  const std::string common = "keys explain --server-key " + (dir_ / "server.key").string() + " --client-random " +
                             std::string(64, '1') + " --server-random " + std::string(64, '2') + " --suite 0x009c" +
                             " --client-key-exchange " + toHex(encrypted);
  auto r = tlslab(common + " --key-password demo");
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, "[=] pre_master_secret")) << r.out;
  EXPECT_TRUE(has(r, toHex(pms))) << r.out;
  EXPECT_TRUE(has(r, "no forward secrecy")) << r.out;
  EXPECT_TRUE(has(r, "client_write_key")) << r.out;
  auto wrong = tlslab(common + " --key-password nope");
  EXPECT_EQ(wrong.exitCode, 2) << wrong.out;
  EXPECT_TRUE(has(wrong, "wrong password")) << wrong.out;
}

}  // namespace
}  // namespace tlslab::test
