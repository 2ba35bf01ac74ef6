// The MITM forging primitive: copy a real certificate's names into a leaf
// signed by the attacker's CA.
#include <gtest/gtest.h>

#include "PkiTestSupport.hpp"
#include "tlslab/pki/Issue.hpp"
#include "tlslab/pki/Verify.hpp"

namespace tlslab::pki {
namespace {

struct Forged {
  X509Ptr original, cert;
};

Forged forgeBank32() {
  auto dir = test::committedCerts();
  auto original = readCertificate(dir / "bank32-rsa/cert.pem");
  auto ca = readCertificate(dir / "rogue-ca/cert.pem");
  auto caKey = readPrivateKey(dir / "rogue-ca/key.pem");
  auto leafKey = generateRsaKey(2048);
  EXPECT_TRUE(original && ca && caKey && leafKey);
  if (!original || !ca || !caKey || !leafKey) return {};
  auto forged = forgeLeaf(original->get(), ca->get(), caKey->get(), leafKey->get());
  EXPECT_TRUE(forged) << forged.error();
  if (!forged) return {};
  return {std::move(original.value()), std::move(forged.value())};
}

model::VerifyVerdict verifyForged(X509* cert, TrustStore trust) {
  auto store = makeTrustStore(test::committedCerts(), trust, false);
  EXPECT_TRUE(store) << store.error();
  VerifyOptions options;
  options.trust = trust;
  options.host = "www.bank32.com";
  return verifyChain(cert, nullptr, store->get(), options);
}

TEST(Forge, CopiesSubjectSansAndValidityFromTheOriginal) {
  Forged f = forgeBank32();
  ASSERT_TRUE(f.cert);
  EXPECT_EQ(nameLine(X509_get_subject_name(f.cert.get())), nameLine(X509_get_subject_name(f.original.get())));
  EXPECT_EQ(dnsNames(f.cert.get()), dnsNames(f.original.get()));
  EXPECT_EQ(timeLine(X509_get0_notAfter(f.cert.get())), timeLine(X509_get0_notAfter(f.original.get())));
  EXPECT_EQ(nameLine(X509_get_issuer_name(f.cert.get())), "CN=Rogue CA,O=Rogue");
  EXPECT_NE(serialHex(f.cert.get()), serialHex(f.original.get()));
}

TEST(Forge, ForgeryPassesOnlyForAVictimWhoTrustsTheRogueCa) {
  Forged f = forgeBank32();
  ASSERT_TRUE(f.cert);
  auto victim = verifyForged(f.cert.get(), TrustStore::LabPlusRogue);
  EXPECT_TRUE(victim.ok) << victim.errorName;
  auto careful = verifyForged(f.cert.get(), TrustStore::Lab);
  EXPECT_EQ(careful.errorName, "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY");
  EXPECT_EQ(careful.errorDepth, 0);
}

TEST(Forge, TwoForgeriesGetDifferentSerials) {
  Forged a = forgeBank32();
  Forged b = forgeBank32();
  ASSERT_TRUE(a.cert && b.cert);
  EXPECT_NE(serialHex(a.cert.get()), serialHex(b.cert.get()));
}

TEST(Forge, CnOnlyOriginalGivesACnOnlyForgery) {
  auto dir = test::committedCerts();
  auto original = readCertificate(dir / "gallery/cn-only/cert.pem");
  auto ca = readCertificate(dir / "rogue-ca/cert.pem");
  auto caKey = readPrivateKey(dir / "rogue-ca/key.pem");
  auto leafKey = generateEcP256Key();
  ASSERT_TRUE(original && ca && caKey && leafKey);
  auto forged = forgeLeaf(original->get(), ca->get(), caKey->get(), leafKey->get());
  ASSERT_TRUE(forged) << forged.error();
  EXPECT_TRUE(dnsNames(forged->get()).empty());
  EXPECT_EQ(commonName(forged->get()), "bank32.com");
  EXPECT_EQ(keyLine(X509_get0_pubkey(forged->get())), "EC P-256 (256 bits)");
}

TEST(Forge, MissingInputsAreRejectedNotCrashed) {
  auto key = generateEcP256Key();
  ASSERT_TRUE(key);
  auto forged = forgeLeaf(nullptr, nullptr, key->get(), key->get());
  ASSERT_FALSE(forged);
  EXPECT_NE(forged.error().find("missing"), std::string::npos);
}

}  // namespace
}  // namespace tlslab::pki
