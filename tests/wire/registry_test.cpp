#include <gtest/gtest.h>

#include "tlslab/wire/Registry.hpp"

namespace tlslab::wire {
namespace {

TEST(Registry, CipherSuitesCoverTheWholeIanaRegistry) {
  EXPECT_EQ(cipherSuiteCount(), 352u);  // every assigned value in tls-parameters-4
  EXPECT_STREQ(cipherSuiteName(0x0000), "TLS_NULL_WITH_NULL_NULL");
  EXPECT_STREQ(cipherSuiteName(0x1301), "TLS_AES_128_GCM_SHA256");
  EXPECT_STREQ(cipherSuiteName(0x1305), "TLS_AES_128_CCM_8_SHA256");
  EXPECT_STREQ(cipherSuiteName(0xC02F), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  EXPECT_STREQ(cipherSuiteName(0xCCA9), "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
  EXPECT_STREQ(cipherSuiteName(0x00FF), "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
  EXPECT_STREQ(cipherSuiteName(0x5600), "TLS_FALLBACK_SCSV");
  EXPECT_STREQ(cipherSuiteName(0xC106), "TLS_GOSTR341112_256_WITH_MAGMA_MGM_S");
  EXPECT_STREQ(cipherSuiteName(0xD005), "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256");
  EXPECT_EQ(cipherSuiteName(0xD004), nullptr);  // unassigned
}

TEST(Registry, OtherRegistriesNameTheirValues) {
  EXPECT_STREQ(groupName(0x001d), "x25519");
  EXPECT_STREQ(groupName(0x0100), "ffdhe2048");
  EXPECT_STREQ(groupName(0x11EC), "X25519MLKEM768");
  EXPECT_STREQ(signatureSchemeName(0x0804), "rsa_pss_rsae_sha256");
  EXPECT_STREQ(signatureSchemeName(0x0807), "ed25519");
  EXPECT_STREQ(extensionName(51), "key_share");
  EXPECT_STREQ(extensionName(0xff01), "renegotiation_info");
  EXPECT_STREQ(extensionName(27), "compress_certificate");
  EXPECT_STREQ(alertDescriptionName(40), "handshake_failure");
  EXPECT_STREQ(alertDescriptionName(116), "certificate_required");
  EXPECT_STREQ(handshakeTypeName(254), "message_hash");
  EXPECT_STREQ(contentTypeName(23), "application_data");
  EXPECT_STREQ(versionName(0x0304), "TLS 1.3");
}

TEST(Registry, GreaseValuesAreRecognised) {
  for (unsigned i = 0; i < 16; ++i) {
    std::uint16_t v = static_cast<std::uint16_t>(((i << 4 | 0xA) << 8) | (i << 4 | 0xA));
    EXPECT_TRUE(isGrease(v)) << std::hex << v;
  }
  EXPECT_FALSE(isGrease(0x0a1a));
  EXPECT_FALSE(isGrease(0x1301));
  EXPECT_EQ(describeCode(0xdada, nullptr).substr(0, 14), "0xdada GREASE ");
  EXPECT_EQ(describeCode(0x1234, nullptr), "0x1234 unknown");
}

TEST(Registry, KeyExchangeIsReadFromTheSuiteName) {
  EXPECT_EQ(keyExchangeOf(0xC02F), KeyExchange::Ecdhe);
  EXPECT_EQ(keyExchangeOf(0x009E), KeyExchange::Dhe);
  EXPECT_EQ(keyExchangeOf(0x002F), KeyExchange::Rsa);
  EXPECT_EQ(keyExchangeOf(0x1301), KeyExchange::Tls13);
  EXPECT_EQ(keyExchangeOf(0x00A8), KeyExchange::Psk);
  EXPECT_EQ(keyExchangeOf(0x1234), KeyExchange::Unknown);
}

}  // namespace
}  // namespace tlslab::wire
