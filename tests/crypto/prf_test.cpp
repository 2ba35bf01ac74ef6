// TLS PRF: the published TLS 1.2 test vectors (P_SHA256, P_SHA384; the IETF
// TLS WG's tls1.2-prf-test-vectors), the TLS 1.0/1.1 MD5+SHA-1 PRF cross-checked
// against OpenSSL's own TLS1-PRF, and HKDF against RFC 5869 test case 1.
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <gtest/gtest.h>

#include <memory>

#include "tlslab/crypto/Kdf.hpp"
#include "tlslab/crypto/Tls12KeySchedule.hpp"

namespace tlslab::crypto {
namespace {

Bytes h(std::string_view hex) { return fromHex(hex).value(); }

TEST(Prf, PSha256PublishedVectorGives100Bytes) {
  // secret 9bbe436b..., seed a0ba9f93..., label "test label", 100 bytes.
  const Bytes out = prfRaw(HashAlg::Sha256, h("9b be 43 6b a9 40 f0 17 b1 76 52 84 9a 71 db 35"), "test label",
                           h("a0 ba 9f 93 6c da 31 18 27 a6 f7 96 ff d5 19 8c"), 100);
  EXPECT_EQ(toHex(out), toHex(h(R"(e3 f2 29 ba 72 7b e1 7b 8d 12 26 20 55 7c d4 53
      c2 aa b2 1d 07 c3 d4 95 32 9b 52 d4 e6 1e db 5a 6b 30 17 91 e9 0d 35 c9 c9 a4 6b 4e 14 ba f9 af
      0f a0 22 f7 07 7d ef 17 ab fd 37 97 c0 56 4b ab 4f bc 91 66 6e 9d ef 9b 97 fc e3 4f 79 67 89 ba
      a4 80 82 d1 22 ee 42 c5 a7 2e 5a 51 10 ff f7 01 87 34 7b 66)")));
}

TEST(Prf, PSha384PublishedVectorGives148Bytes) {
  const Bytes out = prfRaw(HashAlg::Sha384, h("b8 0b 73 3d 6c ee fc dc 71 56 6e a4 8e 55 67 df"), "test label",
                           h("cd 66 5c f6 a8 44 7d d6 ff 8b 27 55 5e db 74 65"), 148);
  EXPECT_EQ(toHex(out), toHex(h(R"(7b 0c 18 e9 ce d4 10 ed 18 04 f2 cf a3 4a 33 6a
      1c 14 df fb 49 00 bb 5f d7 94 21 07 e8 1c 83 cd e9 ca 0f aa 60 be 9f e3 4f 82 b1 23 3c 91 46 a0
      e5 34 cb 40 0f ed 27 00 88 4f 9d c2 36 f8 0e dd 8b fa 96 11 44 c9 e8 d7 92 ec a7 22 a7 b3 2f c3
      d4 16 d4 73 eb c2 c5 fd 4a bf da d0 5d 91 84 25 9b 5b f8 cd 4d 90 fa 0d 31 e2 de c4 79 e4 f1 a2
      60 66 f2 ee a9 a6 92 36 a3 e5 26 55 c9 e9 ae e6 91 c8 f3 a2 68 54 30 8d 5e aa 3b e8 5e 09 90 70
      3d 73 e5 6f)")));
}

TEST(Prf, OutputIsAPrefixOfALongerOutput) {
  const Bytes secret = h("01 02 03"), seed = h("aa bb");
  const Bytes longer = prfRaw(HashAlg::Sha256, secret, "x", seed, 77);
  const Bytes shorter = prfRaw(HashAlg::Sha256, secret, "x", seed, 13);
  ASSERT_EQ(longer.size(), 77u);
  EXPECT_EQ(shorter, Bytes(longer.begin(), longer.begin() + 13));
  EXPECT_TRUE(prfRaw(HashAlg::Sha256, secret, "x", seed, 0).empty());
}

Bytes opensslTls1Prf(const char* digestName, ByteView secret, std::string_view label, ByteView seed, std::size_t n) {
  std::unique_ptr<EVP_KDF, decltype(&EVP_KDF_free)> kdf{EVP_KDF_fetch(nullptr, "TLS1-PRF", nullptr), EVP_KDF_free};
  std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> ctx{EVP_KDF_CTX_new(kdf.get()), EVP_KDF_CTX_free};
  Bytes labelSeed(label.begin(), label.end());
  labelSeed.insert(labelSeed.end(), seed.begin(), seed.end());
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(digestName), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, const_cast<std::uint8_t*>(secret.data()), secret.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, labelSeed.data(), labelSeed.size()),
      OSSL_PARAM_construct_end()};
  Bytes out(n);
  EXPECT_EQ(EVP_KDF_derive(ctx.get(), out.data(), out.size(), params), 1);
  return out;
}

TEST(Prf, Tls10PrfMatchesOpensslForEvenAndOddSecrets) {
  for (std::size_t len : {48u, 47u, 1u}) {
    Bytes secret(len);
    for (std::size_t i = 0; i < len; ++i) secret[i] = static_cast<std::uint8_t>(i * 7 + 3);
    const Bytes seed = h("00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff");
    EXPECT_EQ(toHex(prfRaw(HashAlg::Md5Sha1, secret, "key expansion", seed, 104)),
              toHex(opensslTls1Prf("MD5-SHA1", secret, "key expansion", seed, 104)))
        << "secret length " << len;
  }
}

TEST(Prf, Sha256PrfMatchesOpensslTls1Prf) {
  const Bytes secret = h("0f 0e 0d 0c 0b 0a 09 08 07 06 05 04 03 02 01 00");
  const Bytes seed = h("de ad be ef");
  EXPECT_EQ(prfRaw(HashAlg::Sha256, secret, "master secret", seed, 48),
            opensslTls1Prf("SHA256", secret, "master secret", seed, 48));
}

TEST(Prf, ExplainedStepNamesItsInputsAndRfc) {
  const auto step = prf(HashAlg::Sha384, h("01"), "client finished", h("02"), 12, "verify_data");
  EXPECT_EQ(step.output.size(), 12u);
  EXPECT_EQ(step.rfc, "RFC 5246 §5");
  ASSERT_EQ(step.inputs.size(), 3u);
  EXPECT_EQ(step.inputs[1].bytes, toBytes("client finished"));
  EXPECT_NE(step.function.find("P_SHA-384"), std::string::npos);
}

TEST(Hkdf, Rfc5869TestCase1) {
  // RFC 5869 Appendix A.1 (SHA-256).
  const Bytes ikm(22, 0x0b);
  const Bytes salt = h("00 01 02 03 04 05 06 07 08 09 0a 0b 0c");
  const Bytes info = h("f0 f1 f2 f3 f4 f5 f6 f7 f8 f9");
  const Bytes prk = hkdfExtractRaw(HashAlg::Sha256, salt, ikm);
  EXPECT_EQ(toHex(prk), "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
  EXPECT_EQ(toHex(hkdfExpandRaw(HashAlg::Sha256, prk, info, 42)),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST(Tls12Schedule, KeyBlockSplitsPerSuiteLengths) {
  const Bytes master(48, 0x42), cr(32, 1), sr(32, 2);
  auto gcm = tls12KeyBlock(*findSuite(0xC02F), kTls12, master, cr, sr);
  ASSERT_TRUE(gcm.ok());
  EXPECT_EQ(gcm->client.key.size(), 16u);
  EXPECT_EQ(gcm->client.iv.size(), 4u);
  EXPECT_TRUE(gcm->client.macKey.empty());
  auto cbc = tls12KeyBlock(*findSuite(0xC028), kTls12, master, cr, sr);
  ASSERT_TRUE(cbc.ok());
  EXPECT_EQ(cbc->server.macKey.size(), 48u);
  EXPECT_EQ(cbc->server.key.size(), 32u);
  // The whole block is client MAC | server MAC | client key | server key.
  EXPECT_EQ(cbc->steps[0].output.size(), 2u * (48 + 32));
  EXPECT_FALSE(tls12KeyBlock(*findSuite(0xC02F), kTls12, Bytes(47), cr, sr).ok());
  EXPECT_FALSE(tls12KeyBlock(*findSuite(0x1301), kTls12, master, cr, sr).ok());
}

TEST(Tls12Schedule, EcdheSuitesExplainForwardSecrecy) {
  const auto step = tls12ForwardSecrecyStep(*findSuite(0xC02F));
  EXPECT_EQ(step.status, model::StepStatus::NotDerivable);
  EXPECT_NE(step.note.find("forward secrecy"), std::string::npos);
  EXPECT_TRUE(forwardSecret(KeyExchange::EcdheRsa));
  EXPECT_FALSE(forwardSecret(KeyExchange::Rsa));
}

}  // namespace
}  // namespace tlslab::crypto
