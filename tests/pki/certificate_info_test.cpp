// describeCertificate: a field tree whose offsets point at the right DER
// bytes, and a clear malformed node (never a crash) for broken input.
#include <gtest/gtest.h>

#include <functional>

#include "PkiTestSupport.hpp"
#include "tlslab/pki/CertificateInfo.hpp"

namespace tlslab::pki {
namespace {

using model::Field;

Bytes derOf(const std::string& rel) {
  auto cert = readCertificate(test::committedCerts() / rel);
  EXPECT_TRUE(cert) << cert.error();
  if (!cert) return {};
  unsigned char* out = nullptr;
  int len = i2d_X509(cert->get(), &out);
  Bytes der(out, out + (len > 0 ? len : 0));
  OPENSSL_free(out);
  return der;
}

const Field* find(const Field& root, const std::string& name) {
  if (root.name == name) return &root;
  for (const auto& child : root.children) {
    if (const Field* hit = find(child, name)) return hit;
  }
  return nullptr;
}

void forEach(const Field& root, const std::function<void(const Field&)>& fn) {
  fn(root);
  for (const auto& child : root.children) forEach(child, fn);
}

TEST(CertificateInfo, DescribesTheFieldsALearnerNeeds) {
  Field root = describeCertificate(derOf("bank32-rsa/cert.pem"));
  EXPECT_FALSE(root.malformed);
  EXPECT_EQ(root.name, "Certificate");
  EXPECT_EQ(root.value, "bank32.com");
  for (const char* name : {"version", "serialNumber", "signature", "issuer", "validity", "notBefore", "notAfter",
                           "subject", "subjectPublicKeyInfo", "extensions", "subjectAltName",
                           "basicConstraints", "keyUsage", "extendedKeyUsage",
                           "signatureAlgorithm", "signatureValue"}) {
    const Field* field = find(root, name);
    ASSERT_NE(field, nullptr) << name;
    EXPECT_FALSE(field->meaning.empty()) << name;
    EXPECT_NE(field->rfc.find("RFC 5280"), std::string::npos) << name;
  }
  EXPECT_EQ(find(root, "version")->value, "v3 (2)");
  EXPECT_EQ(find(root, "issuer")->value, "CN=tlslab Issuing CA,O=tlslab");
  EXPECT_EQ(find(root, "subjectPublicKeyInfo")->value, "RSA 2048 bits");
  EXPECT_EQ(find(root, "subjectAltName")->value, "DNS:bank32.com, DNS:www.bank32.com");
  EXPECT_EQ(find(root, "basicConstraints")->value, "critical: CA:FALSE");
  EXPECT_EQ(find(root, "extendedKeyUsage")->value, "TLS Web Server Authentication");
  EXPECT_EQ(find(root, "notAfter")->value, "2049-12-31 23:59:59 UTC");
}

TEST(CertificateInfo, OffsetsPointAtTheFieldsDerBytes) {
  Bytes der = derOf("bank32-rsa/cert.pem");
  Field root = describeCertificate(der);
  EXPECT_EQ(root.offset, 0U);
  EXPECT_EQ(root.length, der.size());
  forEach(root, [&](const Field& f) { EXPECT_LE(f.offset + f.length, der.size()) << f.name; });
  const Field* serial = find(root, "serialNumber");
  ASSERT_NE(serial, nullptr);
  EXPECT_EQ(der[serial->offset], 0x02) << "INTEGER tag";
  // 0x1001 encoded as 02 02 10 01
  EXPECT_EQ(serial->length, 4U);
  EXPECT_EQ(der[serial->offset + 2], 0x10);
  const Field* san = find(root, "subjectAltName");
  ASSERT_NE(san, nullptr);
  EXPECT_EQ(der[san->offset], 0x30) << "Extension SEQUENCE";
  // The SAN's DNS names appear inside its byte range.
  std::string bytes(der.begin() + static_cast<long>(san->offset), der.begin() + static_cast<long>(san->offset + san->length));
  EXPECT_NE(bytes.find("www.bank32.com"), std::string::npos);
}

TEST(CertificateInfo, BaseOffsetShiftsEveryField) {
  Bytes der = derOf("bank32-rsa/cert.pem");
  Field plain = describeCertificate(der, 0);
  Field shifted = describeCertificate(der, 1000);
  EXPECT_EQ(shifted.offset, 1000U);
  EXPECT_EQ(find(shifted, "subject")->offset, find(plain, "subject")->offset + 1000);
  EXPECT_EQ(find(shifted, "notAfter")->offset, find(plain, "notAfter")->offset + 1000);
}

TEST(CertificateInfo, ShowsNameConstraintsWhenPresent) {
  Field root = describeCertificate(derOf("gallery/name-constraints/constrained-ca.pem"));
  const Field* nc = find(root, "nameConstraints");
  ASSERT_NE(nc, nullptr);
  EXPECT_NE(nc->value.find("critical"), std::string::npos);
  EXPECT_EQ(nc->value, "critical: Permitted: DNS:intranet.test");
  EXPECT_EQ(nc->rfc, "RFC 5280 §4.2.1.10");
}

TEST(CertificateInfo, EcdsaKeyAndCnOnlyCertificates) {
  EXPECT_EQ(find(describeCertificate(derOf("bank32-ecdsa/cert.pem")), "subjectPublicKeyInfo")->value,
            "EC P-256 (256 bits)");
  Field cnOnly = describeCertificate(derOf("gallery/cn-only/cert.pem"));
  EXPECT_EQ(find(cnOnly, "subjectAltName"), nullptr);
  EXPECT_EQ(find(cnOnly, "subject")->value, "CN=bank32.com,O=tlslab");
}

TEST(CertificateInfo, TruncatedDerIsMalformedWithAnOffset) {
  Bytes der = derOf("bank32-rsa/cert.pem");
  for (std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{4}, der.size() / 2,
                          der.size() - 1}) {
    Bytes part(der.begin(), der.begin() + static_cast<long>(cut));
    Field f = describeCertificate(part, 7);
    EXPECT_TRUE(f.malformed) << "cut at " << cut;
    EXPECT_EQ(f.offset, 7U);
    EXPECT_EQ(f.length, cut);
    EXPECT_NE(f.value.find("malformed certificate"), std::string::npos) << f.value;
    EXPECT_NE(f.value.find("offset"), std::string::npos) << f.value;
  }
}

TEST(CertificateInfo, TruncationMessageSaysHowManyBytesAreMissing) {
  Bytes der = derOf("bank32-rsa/cert.pem");
  Bytes part(der.begin(), der.begin() + 100);
  Field f = describeCertificate(part);
  EXPECT_NE(f.value.find("only 96 remain"), std::string::npos) << f.value;
}

TEST(CertificateInfo, TrailingBytesAreFlaggedButTheCertificateIsShown) {
  Bytes der = derOf("bank32-rsa/cert.pem");
  std::size_t size = der.size();
  der.push_back(0xde);
  der.push_back(0xad);
  Field f = describeCertificate(der);
  EXPECT_TRUE(f.malformed);
  EXPECT_EQ(f.value, "bank32.com");
  const Field* trailing = find(f, "trailing data");
  ASSERT_NE(trailing, nullptr);
  EXPECT_TRUE(trailing->malformed);
  EXPECT_EQ(trailing->offset, size);
  EXPECT_EQ(trailing->length, 2U);
}

TEST(CertificateInfo, OversizeAndIndefiniteLengthsAreRejected) {
  Field oversize = describeCertificate(Bytes{0x30, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00});
  EXPECT_TRUE(oversize.malformed);
  EXPECT_NE(oversize.value.find("oversize"), std::string::npos) << oversize.value;
  Field huge = describeCertificate(Bytes{0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00});
  EXPECT_TRUE(huge.malformed);
  EXPECT_NE(huge.value.find("claims 4294967295 bytes"), std::string::npos) << huge.value;
  Field indefinite = describeCertificate(Bytes{0x30, 0x80, 0x00, 0x00});
  EXPECT_TRUE(indefinite.malformed);
  EXPECT_NE(indefinite.value.find("indefinite"), std::string::npos) << indefinite.value;
}

TEST(CertificateInfo, WellFormedDerThatIsNotACertificateIsMalformed) {
  Field f = describeCertificate(Bytes{0x30, 0x03, 0x02, 0x01, 0x05});
  EXPECT_TRUE(f.malformed);
  EXPECT_NE(f.value.find("expected 3 parts"), std::string::npos) << f.value;
}

TEST(CertificateInfo, CorruptedSignatureStillDecodesBecauseParsingIsNotVerifying) {
  Bytes der = derOf("bank32-rsa/cert.pem");
  der[der.size() - 1] ^= 0xff;
  Field f = describeCertificate(der);
  EXPECT_FALSE(f.malformed);
}

TEST(CertificateInfo, EveryByteFlipInTheHeaderNeverCrashes) {
  Bytes der = derOf("bank32-ecdsa/cert.pem");
  for (std::size_t i = 0; i < 64 && i < der.size(); ++i) {
    Bytes bad = der;
    bad[i] ^= 0x5a;
    Field f = describeCertificate(bad);
    EXPECT_FALSE(f.name.empty());
    if (f.malformed) {
      EXPECT_FALSE(f.value.empty());
    }
  }
}

}  // namespace
}  // namespace tlslab::pki
