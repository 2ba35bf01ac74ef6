// SSL 3.0 (RFC 6101): the Finished construction cross-checked against
// OpenSSL's own SSL 3.0 digest mode (OSSL_DIGEST_PARAM_SSL3_MS on MD5-SHA1,
// what libssl's ssl3_final_finish_mac used), the record MAC's header without
// the version, and the POODLE property: SSL 3.0 accepts any padding bytes
// as long as the length byte fits, where TLS 1.0 rejects them.
// (The key derivation itself is checked end to end on a real SSL 3.0
// capture in tests/dissect/conformance_test.cpp: both Finished and every
// record's MAC verify.)
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <gtest/gtest.h>

#include "tlslab/crypto/Hash.hpp"
#include "tlslab/crypto/Kdf.hpp"
#include "tlslab/crypto/RecordCipher.hpp"
#include "tlslab/crypto/Ssl3KeySchedule.hpp"

namespace tlslab::crypto {
namespace {

Bytes pattern(std::size_t n, std::uint8_t start) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(start + i * 7);
  return b;
}

// OpenSSL's MD5-SHA1 digest with the SSL 3.0 master secret set computes
// MD5(ms + pad2 + MD5(data + ms + pad1)) || SHA1(...), data = messages + sender.
Bytes opensslSsl3Finished(ByteView messages, ByteView sender, Bytes master) {
  EVP_MD* md = EVP_MD_fetch(nullptr, "MD5-SHA1", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Bytes out(36);
  unsigned int len = 0;
  OSSL_PARAM params[] = {OSSL_PARAM_construct_octet_string(OSSL_DIGEST_PARAM_SSL3_MS, master.data(), master.size()),
                         OSSL_PARAM_construct_end()};
  const bool ok = md && ctx && EVP_DigestInit_ex(ctx, md, nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, messages.data(), messages.size()) == 1 &&
                  EVP_DigestUpdate(ctx, sender.data(), sender.size()) == 1 && EVP_MD_CTX_set_params(ctx, params) == 1 &&
                  EVP_DigestFinal_ex(ctx, out.data(), &len) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(md);
  if (!ok || len != 36) return {};
  return out;
}

TEST(Ssl3, FinishedMatchesOpensslsSsl3DigestMode) {
  const Bytes master = pattern(48, 3);
  const Bytes messages = pattern(700, 11);
  const Bytes client = opensslSsl3Finished(messages, Bytes{'C', 'L', 'N', 'T'}, master);
  const Bytes server = opensslSsl3Finished(messages, Bytes{'S', 'R', 'V', 'R'}, master);
  ASSERT_EQ(client.size(), 36u);
  EXPECT_EQ(toHex(ssl3VerifyData(master, true, messages).output), toHex(client));
  EXPECT_EQ(toHex(ssl3VerifyData(master, false, messages).output), toHex(server));
  EXPECT_NE(toHex(client), toHex(server));
  EXPECT_EQ(ssl3VerifyData(master, true, messages).rfc, "RFC 6101 §5.6.9");
}

TEST(Ssl3, MasterSecretAndKeyBlockFollowTheSaltedMd5ShaStream) {
  const Bytes pms = pattern(48, 1), cr = pattern(32, 2), sr = pattern(32, 5);
  const auto master = ssl3MasterSecret(pms, cr, sr);
  ASSERT_EQ(master.output.size(), 48u);
  // The first 16 bytes: MD5(pms + SHA-1("A" + pms + cr + sr)), by hand.
  Bytes inner{'A'};
  inner.insert(inner.end(), pms.begin(), pms.end());
  inner.insert(inner.end(), cr.begin(), cr.end());
  inner.insert(inner.end(), sr.begin(), sr.end());
  Bytes outer = pms;
  const Bytes sha = digest(HashAlg::Sha1, inner);
  outer.insert(outer.end(), sha.begin(), sha.end());
  EXPECT_EQ(toHex(Bytes(master.output.begin(), master.output.begin() + 16)), toHex(digest(HashAlg::Md5, outer)));
  // Not TLS 1.0's PRF.
  Bytes seed = cr;
  seed.insert(seed.end(), sr.begin(), sr.end());
  EXPECT_NE(toHex(master.output), toHex(prfRaw(HashAlg::Md5Sha1, pms, "master secret", seed, 48)));

  const CipherSuite& suite = *findSuite(0x0035);  // TLS_RSA_WITH_AES_256_CBC_SHA
  auto block = ssl3KeyBlock(suite, master.output, cr, sr);
  ASSERT_TRUE(block) << block.error();
  // SSL 3.0 keeps the CBC IVs in the key block: 2 * (20 + 32 + 16).
  EXPECT_EQ(block->steps.front().output.size(), 136u);
  EXPECT_EQ(block->client.iv.size(), 16u);
  EXPECT_EQ(toHex(block->client.macKey), toHex(Bytes(block->steps.front().output.begin(), block->steps.front().output.begin() + 20)));
  EXPECT_FALSE(ssl3KeyBlock(*findSuite(0x009c), master.output, cr, sr));  // AES-GCM: not an SSL 3.0 suite
}

TrafficKeys keysFor(const CipherSuite& suite) {
  return {pattern(suite.keyLength, 9), pattern(suite.fixedIvLength, 4), pattern(suite.macLength, 6)};
}

TEST(Ssl3, RecordMacLeavesTheVersionOutAndRoundTrips) {
  const CipherSuite& suite = *findSuite(0x000a);  // TLS_RSA_WITH_3DES_EDE_CBC_SHA
  auto sealer = RecordCipher::create(suite, keysFor(suite), kSsl30);
  auto opener = RecordCipher::create(suite, keysFor(suite), kSsl30);
  ASSERT_TRUE(sealer && opener);
  const Bytes text = toBytes("GET / HTTP/1.1\r\n");
  for (std::uint64_t seq = 0; seq < 3; ++seq) {
    auto rec = sealer->encrypt(23, text, seq);
    ASSERT_TRUE(rec);
    auto out = opener->decrypt(*rec, seq);
    ASSERT_EQ(out.verdict, model::RecordVerdict::Decrypted) << out.note;
    EXPECT_EQ(toHex(out.plaintext), toHex(text));
    EXPECT_EQ(out.aad.size(), 11u);  // seq_num(8) + type(1) + length(2): no version
    EXPECT_EQ(out.rfc, "RFC 6101 §5.2.3.2");
    EXPECT_EQ(toHex(out.expectedMac), toHex(ssl3Mac(HashAlg::Sha1, keysFor(suite).macKey, out.aad, {text})));
    EXPECT_NE(out.note.find("POODLE"), std::string::npos) << out.note;
  }
  // A record sealed for TLS 1.0 (HMAC, version in the MAC) fails SSL 3.0's MAC.
  auto tls10 = RecordCipher::create(suite, keysFor(suite), kTls10);
  auto fresh = RecordCipher::create(suite, keysFor(suite), kSsl30);
  auto rec = tls10->encrypt(23, text, 0);
  (*rec)[1] = 0x03, (*rec)[2] = 0x00;
  EXPECT_EQ(fresh->decrypt(*rec, 0).verdict, model::RecordVerdict::AuthenticationFailed);
}

// content + MAC + padding bytes of our choosing + length byte, CBC-encrypted
// by OpenSSL directly: what an attacker can arrange (POODLE).
Bytes recordWithPadding(std::uint16_t version, const TrafficKeys& keys, ByteView content,
                        const Bytes& mac, std::uint8_t padByte) {
  Bytes plain(content.begin(), content.end());
  plain.insert(plain.end(), mac.begin(), mac.end());
  const std::size_t bs = 16;
  const std::size_t p = (bs - (plain.size() + 1) % bs) % bs;
  plain.insert(plain.end(), p, padByte);
  plain.push_back(static_cast<std::uint8_t>(p));
  Bytes ct(plain.size());
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  int len = 0;
  EVP_EncryptInit_ex(c, EVP_aes_128_cbc(), nullptr, keys.key.data(), keys.iv.data());
  EVP_CIPHER_CTX_set_padding(c, 0);
  EVP_EncryptUpdate(c, ct.data(), &len, plain.data(), static_cast<int>(plain.size()));
  EVP_CIPHER_CTX_free(c);
  Bytes rec{23, static_cast<std::uint8_t>(version >> 8), static_cast<std::uint8_t>(version & 0xFF),
            static_cast<std::uint8_t>(ct.size() >> 8), static_cast<std::uint8_t>(ct.size() & 0xFF)};
  rec.insert(rec.end(), ct.begin(), ct.end());
  return rec;
}

TEST(Ssl3, PaddingBytesAreNotCheckedOnlyTheLengthByte) {
  const CipherSuite& suite = *findSuite(0x002f);  // TLS_RSA_WITH_AES_128_CBC_SHA
  const TrafficKeys keys = keysFor(suite);
  const Bytes content = toBytes("0123456789");  // 10 + 20-byte MAC + padding: p = 1
  Bytes header{0, 0, 0, 0, 0, 0, 0, 0, 23, 0, static_cast<std::uint8_t>(content.size())};
  const Bytes mac = ssl3Mac(HashAlg::Sha1, keys.macKey, header, {content});
  auto ssl3 = RecordCipher::create(suite, keys, kSsl30);
  auto out = ssl3->decrypt(recordWithPadding(kSsl30, keys, content, mac, 0xAA), 0);
  ASSERT_EQ(out.verdict, model::RecordVerdict::Decrypted) << out.note;
  EXPECT_EQ(toHex(out.plaintext), toHex(content));
  EXPECT_EQ(toHex(out.padding), "aa01");

  // TLS 1.0 with the same garbage padding: rejected.
  Bytes tlsHeader{0, 0, 0, 0, 0, 0, 0, 0, 23, 0x03, 0x01, 0, static_cast<std::uint8_t>(content.size())};
  Bytes tlsMacInput = tlsHeader;
  tlsMacInput.insert(tlsMacInput.end(), content.begin(), content.end());
  const Bytes tlsMac = hmac(HashAlg::Sha1, keys.macKey, tlsMacInput);
  auto tls10 = RecordCipher::create(suite, keys, kTls10);
  auto bad = tls10->decrypt(recordWithPadding(kTls10, keys, content, tlsMac, 0xAA), 0);
  EXPECT_EQ(bad.verdict, model::RecordVerdict::AuthenticationFailed);
  EXPECT_NE(bad.note.find("padding is invalid"), std::string::npos) << bad.note;
  auto tls10b = RecordCipher::create(suite, keys, kTls10);
  EXPECT_EQ(tls10b->decrypt(recordWithPadding(kTls10, keys, content, tlsMac, 0x01), 0).verdict,
            model::RecordVerdict::Decrypted);

  // SSL 3.0 still insists the length byte stays below the block size.
  Bytes plain = content;
  plain.insert(plain.end(), mac.begin(), mac.end());
  plain.insert(plain.end(), 18, 0x00);  // 30 + 18 = 48 bytes: 17 padding bytes and the length byte 17
  plain.back() = 17;
  Bytes ct(plain.size());
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  int len = 0;
  EVP_EncryptInit_ex(c, EVP_aes_128_cbc(), nullptr, keys.key.data(), keys.iv.data());
  EVP_CIPHER_CTX_set_padding(c, 0);
  EVP_EncryptUpdate(c, ct.data(), &len, plain.data(), static_cast<int>(plain.size()));
  EVP_CIPHER_CTX_free(c);
  Bytes rec{23, 3, 0, 0, static_cast<std::uint8_t>(ct.size())};
  rec.insert(rec.end(), ct.begin(), ct.end());
  auto fresh = RecordCipher::create(suite, keys, kSsl30);
  auto tooLong = fresh->decrypt(rec, 0);
  EXPECT_EQ(tooLong.verdict, model::RecordVerdict::AuthenticationFailed);
  EXPECT_NE(tooLong.note.find("below the 16-byte block"), std::string::npos) << tooLong.note;
}

}  // namespace
}  // namespace tlslab::crypto

namespace tlslab::crypto {
namespace {

// RC4 (legacy provider): the key stream is RFC 6229's for its 128-bit test
// key, it runs on across records, and SSL 3.0 and TLS MAC it differently.
TEST(Rc4, KeyStreamIsRfc6229sAndRunsOnAcrossRecords) {
  const CipherSuite& suite = *findSuite(0x0005);  // TLS_RSA_WITH_RC4_128_SHA
  const TrafficKeys keys{*fromHex("0102030405060708090a0b0c0d0e0f10"), {}, pattern(20, 6)};
  for (std::uint16_t version : {kSsl30, kTls12}) {
    auto sealer = RecordCipher::create(suite, keys, version);
    ASSERT_TRUE(sealer) << sealer.error();
    auto first = sealer->encrypt(23, Bytes(16, 0), 0);
    ASSERT_TRUE(first);
    // RFC 6229 §2, key length 128 bits, offset 0.
    EXPECT_EQ(toHex(Bytes(first->begin() + 5, first->begin() + 21)), "9ac7cc9a609d1ef7b2932899cde41b97");
    auto second = sealer->encrypt(23, toBytes("second record"), 1);
    auto opener = RecordCipher::create(suite, keys, version);
    auto one = opener->decrypt(*first, 0);
    ASSERT_EQ(one.verdict, model::RecordVerdict::Decrypted) << one.note;
    auto two = opener->decrypt(*second, 1);
    ASSERT_EQ(two.verdict, model::RecordVerdict::Decrypted) << two.note;
    EXPECT_EQ(std::string(two.plaintext.begin(), two.plaintext.end()), "second record");
    EXPECT_EQ(two.aad.size(), version == kSsl30 ? 11u : 13u);
    // Skipping a record leaves the key stream behind: the MAC fails.
    auto skipped = RecordCipher::create(suite, keys, version);
    EXPECT_EQ(skipped->decrypt(*second, 1).verdict, model::RecordVerdict::AuthenticationFailed);
  }
}

}  // namespace
}  // namespace tlslab::crypto
