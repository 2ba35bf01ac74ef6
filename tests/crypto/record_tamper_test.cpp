// Tampering: one flipped bit anywhere in a protected record (header,
// explicit nonce/IV, ciphertext, tag, MAC, padding), or the wrong sequence
// number, gives an "authentication failed" verdict and no plaintext - for
// every record construction. Truncated records are reported as malformed.
#include <gtest/gtest.h>

#include "support/Rfc8448.hpp"
#include "tlslab/crypto/RecordCipher.hpp"

namespace tlslab::crypto {
namespace {

namespace r = tlslab::test::rfc8448;
using model::RecordVerdict;

RecordCipher rfcServerHandshakeCipher() {
  const auto& t = r::simple1Rtt();
  return RecordCipher::create(*findSuite(0x1301), {t.serverHandshakeKey, t.serverHandshakeIv, {}}, kTls13).value();
}

TEST(RecordTamper, EveryFlippedBitOfAnRfc8448RecordFailsAuthentication) {
  const Bytes record = r::simple1Rtt().records[2].record;  // the server's encrypted flight, 679 bytes
  auto cipher = rfcServerHandshakeCipher();
  ASSERT_EQ(cipher.decrypt(record, 0).verdict, RecordVerdict::Decrypted);
  for (std::size_t bit = 0; bit < record.size() * 8; ++bit) {
    Bytes bad = record;
    bad[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    const auto result = cipher.decrypt(bad, 0, false);
    ASSERT_EQ(result.verdict, RecordVerdict::AuthenticationFailed) << "bit " << bit;
    ASSERT_TRUE(result.plaintext.empty()) << "bit " << bit;
  }
}

TEST(RecordTamper, WrongSequenceNumberFailsAuthentication) {
  auto cipher = rfcServerHandshakeCipher();
  const auto result = cipher.decrypt(r::simple1Rtt().records[2].record, 1);
  EXPECT_EQ(result.verdict, RecordVerdict::AuthenticationFailed);
  EXPECT_TRUE(result.plaintext.empty());
  EXPECT_NE(result.note.find("authentication failed"), std::string::npos);
}

TEST(RecordTamper, TruncatedRecordsAreMalformedNotCrashing) {
  auto cipher = rfcServerHandshakeCipher();
  const Bytes& record = r::simple1Rtt().records[2].record;
  EXPECT_EQ(cipher.decrypt({}, 0).verdict, RecordVerdict::Malformed);
  EXPECT_EQ(cipher.decrypt(ByteView(record).first(3), 0).verdict, RecordVerdict::Malformed);
  const Bytes tiny = {23, 3, 3, 0, 5, 1, 2, 3, 4, 5};  // shorter than the 16-byte tag
  const auto result = cipher.decrypt(tiny, 0);
  EXPECT_EQ(result.verdict, RecordVerdict::Malformed);
  EXPECT_NE(result.note.find("too short"), std::string::npos);
  // Cut in the middle: the header no longer matches.
  EXPECT_EQ(cipher.decrypt(ByteView(record).first(100), 0).verdict, RecordVerdict::AuthenticationFailed);
}

TEST(Tls13InnerPlaintext, ZeroPaddingIsRemovedAndShown) {
  auto cipher = rfcServerHandshakeCipher();
  const Bytes data = toBytes("hello");
  const Bytes sealed = cipher.encrypt(23, data, 7, 10).value();
  EXPECT_EQ(sealed.size(), 5 + data.size() + 1 + 10 + 16);
  const auto result = cipher.decrypt(sealed, 7);
  ASSERT_EQ(result.verdict, RecordVerdict::Decrypted);
  EXPECT_EQ(result.plaintext, data);
  EXPECT_EQ(result.contentType, 23);
  EXPECT_EQ(result.padding, Bytes(10, 0));
  ASSERT_EQ(result.nonceParts.size(), 2u);
  EXPECT_EQ(result.nonceParts[1].bytes.back(), 7);
}

TEST(Tls13InnerPlaintext, AllZeroInnerPlaintextHasNoContentTypeAndIsMalformed) {
  auto cipher = rfcServerHandshakeCipher();
  const Bytes sealed = cipher.encrypt(0, {}, 0, 4).value();
  const auto result = cipher.decrypt(sealed, 0);
  EXPECT_EQ(result.verdict, RecordVerdict::Malformed);
  EXPECT_TRUE(result.plaintext.empty());
}

struct Construction {
  const char* name;
  std::uint16_t suite;
  std::uint16_t version;
  bool etm;
};

class Tls12Tamper : public ::testing::TestWithParam<Construction> {
 protected:
  RecordCipher make() const {
    const CipherSuite& s = *findSuite(GetParam().suite);
    TrafficKeys keys{Bytes(s.keyLength, 0x11), Bytes(s.fixedIvLength, 0x22), Bytes(s.macLength, 0x33)};
    auto c = RecordCipher::create(s, keys, GetParam().version, GetParam().etm);
    EXPECT_TRUE(c.ok()) << c.error();
    return std::move(c).value();
  }
};

TEST_P(Tls12Tamper, RoundTripsAndEveryFlippedBitOrWrongSequenceFails) {
  const Bytes data = toBytes("GET /secret HTTP/1.1\r\nHost: bank32.com\r\n\r\n");
  const Bytes sealed = make().encrypt(23, data, 5).value();
  const auto ok = make().decrypt(sealed, 5);
  ASSERT_TRUE(ok.verdict == RecordVerdict::Decrypted || ok.verdict == RecordVerdict::NotEncrypted) << ok.note;
  EXPECT_EQ(ok.plaintext, data);
  EXPECT_FALSE(ok.construction.empty());
  const auto wrongSeq = make().decrypt(sealed, 6);
  EXPECT_EQ(wrongSeq.verdict, RecordVerdict::AuthenticationFailed);
  EXPECT_TRUE(wrongSeq.plaintext.empty());
  for (std::size_t bit = 0; bit < sealed.size() * 8; ++bit) {
    Bytes bad = sealed;
    bad[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    const auto result = make().decrypt(bad, 5, false);
    ASSERT_EQ(result.verdict, RecordVerdict::AuthenticationFailed) << "bit " << bit << ": " << result.note;
    ASSERT_TRUE(result.plaintext.empty());
  }
}

TEST_P(Tls12Tamper, TruncatedRecordIsMalformed) {
  const Bytes sealed = make().encrypt(23, toBytes("x"), 0).value();
  Bytes cut(sealed.begin(), sealed.begin() + 6);
  cut[3] = 0;
  cut[4] = 1;  // a consistent header with a 1-byte body
  const auto result = make().decrypt(cut, 0);
  EXPECT_NE(result.verdict, RecordVerdict::Decrypted);
  EXPECT_TRUE(result.plaintext.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Constructions, Tls12Tamper,
    ::testing::Values(Construction{"Aes128Gcm", 0xC02F, kTls12, false}, Construction{"Aes256Gcm", 0xC030, kTls12, false},
                      Construction{"Aes128Ccm", 0xC09C, kTls12, false}, Construction{"Aes128Ccm8", 0xC0A0, kTls12, false},
                      Construction{"ChaCha20Poly1305", 0xCCA8, kTls12, false},
                      Construction{"CbcSha256MacThenEncrypt", 0xC027, kTls12, false},
                      Construction{"CbcSha256EncryptThenMac", 0xC027, kTls12, true},
                      Construction{"CbcSha384MacThenEncrypt", 0xC028, kTls12, false},
                      Construction{"TripleDesMacThenEncrypt", 0x000A, kTls12, false},
                      Construction{"Tls10ChainedIvCbc", 0x002F, kTls10, false},
                      Construction{"NullSha256", 0x003B, kTls12, false}),
    [](const ::testing::TestParamInfo<Construction>& p) { return std::string(p.param.name); });

TEST(RecordCipherCreate, RejectsKeysOfTheWrongLengthAndMismatchedVersions) {
  const CipherSuite& gcm = *findSuite(0xC02F);
  EXPECT_FALSE(RecordCipher::create(gcm, {Bytes(15, 1), Bytes(4, 1), {}}, kTls12).ok());
  EXPECT_FALSE(RecordCipher::create(gcm, {Bytes(16, 1), Bytes(12, 1), {}}, kTls12).ok());
  EXPECT_FALSE(RecordCipher::create(gcm, {Bytes(16, 1), Bytes(4, 1), {}}, kTls13).ok());
  EXPECT_FALSE(RecordCipher::create(*findSuite(0x1301), {Bytes(16, 1), Bytes(12, 1), {}}, kTls12).ok());
  auto bad = RecordCipher::create(*findSuite(0xC027), {Bytes(16, 1), Bytes(16, 1), Bytes(20, 1)}, kTls12);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("MAC key"), std::string::npos);
}

}  // namespace
}  // namespace tlslab::crypto
