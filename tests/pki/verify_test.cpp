// Behaviour of chain verification beyond the gallery's headline error:
// host name rules, trust stores, revocation, security levels, purposes.
#include <gtest/gtest.h>

#include "PkiTestSupport.hpp"
#include "tlslab/pki/Verify.hpp"

namespace tlslab::pki {
namespace {

model::VerifyVerdict verify(std::string_view name, const VerifyOptions& options) {
  const CatalogEntry* entry = findEntry(name);
  EXPECT_NE(entry, nullptr) << name;
  if (entry == nullptr) return {};
  auto verdict = verifyEntry(test::committedCerts(), *entry, options);
  EXPECT_TRUE(verdict) << verdict.error();
  return verdict ? *verdict : model::VerifyVerdict{};
}

VerifyOptions server(std::optional<std::string> host, TrustStore trust = TrustStore::Lab) {
  VerifyOptions options;
  options.trust = trust;
  options.host = std::move(host);
  return options;
}

// --- host names (RFC 6125 §6.4) -------------------------------------------

TEST(HostName, WildcardMatchesOneLabelBelowTheDomain) {
  EXPECT_TRUE(verify("wildcard", server("www.bank32.com")).ok);
  EXPECT_TRUE(verify("wildcard", server("mail.bank32.com")).ok);
}

TEST(HostName, WildcardDoesNotMatchTheBareDomain) {
  auto verdict = verify("wildcard", server("bank32.com"));
  EXPECT_EQ(verdict.errorName, "X509_V_ERR_HOSTNAME_MISMATCH");
  EXPECT_EQ(verdict.errorDepth, 0);
}

TEST(HostName, WildcardDoesNotMatchTwoLabels) {
  EXPECT_EQ(verify("wildcard", server("a.b.bank32.com")).errorName, "X509_V_ERR_HOSTNAME_MISMATCH");
}

TEST(HostName, CnOnlyIsAcceptedByOpenSslDefaultCnFallback) {
  VerifyOptions options = server("bank32.com");
  options.allowCnFallback = true;  // what libssl does unless told otherwise
  auto verdict = verify("cn-only", options);
  EXPECT_TRUE(verdict.ok) << verdict.errorName;
}

TEST(HostName, CnOnlyIsRejectedWhenSubjectIsNeverChecked) {
  VerifyOptions options = server("bank32.com");
  options.allowCnFallback = false;  // X509_CHECK_FLAG_NEVER_CHECK_SUBJECT, as browsers behave
  EXPECT_EQ(verify("cn-only", options).errorName, "X509_V_ERR_HOSTNAME_MISMATCH");
}

TEST(HostName, CnFallbackDoesNotApplyWhenTheCertificateHasSans) {
  VerifyOptions options = server("other.test");
  options.allowCnFallback = true;
  // bank32-rsa's CN is bank32.com and it has SANs: the CN is ignored anyway.
  EXPECT_EQ(verify("bank32-rsa", options).errorName, "X509_V_ERR_HOSTNAME_MISMATCH");
}

TEST(HostName, GoodServersVerifyForEachOfTheirNames) {
  EXPECT_TRUE(verify("bank32-rsa", server("bank32.com")).ok);
  EXPECT_TRUE(verify("bank32-rsa", server("www.bank32.com")).ok);
  EXPECT_TRUE(verify("bank32-ecdsa", server("bank32.com")).ok);
  EXPECT_TRUE(verify("bank32-ecdsa", server("www.bank32.com")).ok);
  EXPECT_TRUE(verify("attacker32", server("attacker32.com")).ok);
  EXPECT_TRUE(verify("mail-bank32", server("mail.bank32.com")).ok);
}

TEST(HostName, ValidAttackerCertificateFailsOnlyOnTheHostName) {
  auto verdict = verify("attacker32", server("bank32.com"));
  EXPECT_EQ(verdict.errorName, "X509_V_ERR_HOSTNAME_MISMATCH");
  EXPECT_TRUE(verify("attacker32", server(std::nullopt)).ok) << "a client that skips the host check is fooled";
}

TEST(HostName, WrongHostPassesAChainOnlyCheck) {
  EXPECT_TRUE(verify("wrong-host", server(std::nullopt)).ok);
  EXPECT_TRUE(verify("wrong-host", server("other.test")).ok);
}

// --- purposes (extendedKeyUsage, RFC 5280 §4.2.1.12) ------------------------

TEST(Purpose, StudentCertificateVerifiesAsTlsClient) {
  VerifyOptions options;
  options.purpose = Purpose::TlsClient;
  EXPECT_TRUE(verify("student01", options).ok);
}

TEST(Purpose, StudentCertificateIsNotAServerCertificate) {
  auto verdict = verify("student01", server(std::nullopt));
  EXPECT_EQ(verdict.errorName, "X509_V_ERR_INVALID_PURPOSE");
  EXPECT_EQ(verdict.errorDepth, 0);
}

TEST(Purpose, WrongEkuCertificateWorksAsAClientCertificate) {
  VerifyOptions options;
  options.purpose = Purpose::TlsClient;
  EXPECT_TRUE(verify("wrong-eku", options).ok);
}

TEST(Purpose, ServerCertificateIsNotAClientCertificate) {
  VerifyOptions options;
  options.purpose = Purpose::TlsClient;
  EXPECT_EQ(verify("bank32-rsa", options).errorName, "X509_V_ERR_INVALID_PURPOSE");
}

// --- trust stores ----------------------------------------------------------

TEST(TrustStore, RogueSignedCertificateVerifiesOnceTheRogueRootIsTrusted) {
  EXPECT_TRUE(verify("untrusted-root", server("bank32.com", TrustStore::LabPlusRogue)).ok);
}

TEST(TrustStore, SendingTheRogueRootGivesSelfSignedCertInChain) {
  auto verdict = verifyChainFile(test::committedCerts(),
                                 test::committedCerts() / "gallery/untrusted-root/chain-with-root.pem",
                                 server("bank32.com"));
  ASSERT_TRUE(verdict) << verdict.error();
  EXPECT_EQ(verdict->errorName, "X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN");
  EXPECT_EQ(verdict->errorDepth, 1);
}

TEST(TrustStore, HashedDirectoryTrustsTheLabRoot) {
  for (const char* name : {"bank32-rsa", "bank32-ecdsa", "mail-bank32"}) {
    const CatalogEntry* entry = findEntry(name);
    EXPECT_TRUE(verify(name, clientOptions(*entry, TrustStore::Hashed)).ok) << name;
  }
  EXPECT_EQ(verify("expired", clientOptions(*findEntry("expired"), TrustStore::Hashed)).errorName,
            "X509_V_ERR_CERT_HAS_EXPIRED");
}

TEST(TrustStore, HashedDirectoryDoesNotTrustTheRogueCa) {
  EXPECT_EQ(verify("untrusted-root", server("bank32.com", TrustStore::Hashed)).errorName,
            "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY");
}

TEST(TrustStore, HashedDirectoryServesTheCrlByIssuerHash) {
  VerifyOptions options = server("bank32.com", TrustStore::Hashed);
  options.checkCrl = true;
  EXPECT_EQ(verify("revoked", options).errorName, "X509_V_ERR_CERT_REVOKED");
  EXPECT_TRUE(verify("bank32-rsa", options).ok);
}

TEST(TrustStore, EmptyFolderIsAClearError) {
  auto missing = std::filesystem::temp_directory_path() / "tlslab-no-such-pki";
  auto store = makeTrustStore(missing, TrustStore::Lab, false);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().find("root-ca"), std::string::npos) << store.error();
  auto hashed = makeTrustStore(missing, TrustStore::Hashed, false);
  ASSERT_FALSE(hashed);
  EXPECT_NE(hashed.error().find("hashed"), std::string::npos) << hashed.error();
}

TEST(TrustStore, ParsesItsCliNames) {
  EXPECT_EQ(parseTrustStore("lab"), TrustStore::Lab);
  EXPECT_EQ(parseTrustStore("lab+rogue"), TrustStore::LabPlusRogue);
  EXPECT_EQ(parseTrustStore("hashed"), TrustStore::Hashed);
  EXPECT_FALSE(parseTrustStore("system"));
}

// --- revocation (RFC 5280 §5) --------------------------------------------

TEST(Revocation, RevokedCertificatePassesWhenNobodyChecksTheCrl) {
  EXPECT_TRUE(verify("revoked", server("bank32.com")).ok);
}

TEST(Revocation, CrlCheckFindsOnlyTheRevokedSerial) {
  VerifyOptions options = server("bank32.com");
  options.checkCrl = true;
  EXPECT_EQ(verify("revoked", options).errorName, "X509_V_ERR_CERT_REVOKED");
  EXPECT_TRUE(verify("bank32-rsa", options).ok);
  EXPECT_TRUE(verify("wildcard", server("www.bank32.com")).ok);
}

TEST(Revocation, CrlCheckWithoutACrlForTheIssuerFails) {
  VerifyOptions options = server("bank32.com", TrustStore::LabPlusRogue);
  options.checkCrl = true;  // the Rogue CA publishes no CRL
  EXPECT_EQ(verify("untrusted-root", options).errorName, "X509_V_ERR_UNABLE_TO_GET_CRL");
}

// --- security level (X509_VERIFY_PARAM_set_auth_level) ----------------------

TEST(SecurityLevel, Rsa1024IsAcceptedAtLevelOneButNotTwo) {
  VerifyOptions options = server("bank32.com");
  options.authLevel = 1;  // 80-bit: RSA-1024 just qualifies
  EXPECT_TRUE(verify("rsa1024", options).ok);
  options.authLevel = 2;
  EXPECT_EQ(verify("rsa1024", options).errorName, "X509_V_ERR_EE_KEY_TOO_SMALL");
}

TEST(SecurityLevel, Sha1IsRejectedFromLevelOneInOpenSsl3) {
  VerifyOptions options = server("bank32.com");
  options.authLevel = 0;
  EXPECT_TRUE(verify("sha1", options).ok);
  options.authLevel = 1;  // OpenSSL 3 rates SHA-1 signatures below 80 bits
  EXPECT_EQ(verify("sha1", options).errorName, "X509_V_ERR_CA_MD_TOO_WEAK");
}

// --- time ----------------------------------------------------------------

TEST(Time, WithA2000ClockTheExpiredLeafIsValidButTheLabCasAreNotYet) {
  VerifyOptions options = server("bank32.com");
  options.atTime = 962409600;  // 2000-07-01T00:00:00Z, inside the leaf's 2000..2001 window
  auto verdict = verify("expired", options);
  // The leaf is then valid, but the lab CAs (from 2025) are not yet.
  EXPECT_EQ(verdict.errorName, "X509_V_ERR_CERT_NOT_YET_VALID");
  EXPECT_EQ(verdict.errorDepth, 2);
}

TEST(Time, EveryGoodCertificateIsStillValidIn2049) {
  VerifyOptions options = server("bank32.com");
  options.atTime = 2524607999 - 86400;  // 2049-12-30
  EXPECT_TRUE(verify("bank32-rsa", options).ok);
}

// --- the step record ------------------------------------------------------

TEST(Steps, ExpiredChainShowsLeafIntermediateAndRootWithValidity) {
  auto verdict = verify("expired", server("bank32.com"));
  ASSERT_EQ(verdict.steps.size(), 3U);
  EXPECT_EQ(verdict.steps[0].subject, "CN=bank32.com,O=tlslab");
  EXPECT_EQ(verdict.steps[0].notAfter, "2001-01-01 00:00:00 UTC");
  EXPECT_EQ(verdict.steps[0].errorName, "X509_V_ERR_CERT_HAS_EXPIRED");
  EXPECT_EQ(verdict.steps[0].errorText, "certificate has expired");
  EXPECT_EQ(verdict.steps[1].subject, "CN=tlslab Issuing CA,O=tlslab");
  EXPECT_TRUE(verdict.steps[1].ok);
  EXPECT_EQ(verdict.steps[2].subject, "CN=tlslab Root CA,O=tlslab");
  EXPECT_EQ(verdict.steps[2].issuer, verdict.steps[2].subject);
  EXPECT_TRUE(verdict.steps[2].ok);
}

TEST(Steps, EventsRecordEveryCallbackIncludingLaterErrors) {
  auto verdict = verify("leaf-signed-leaf", server("bank32.com"));
  EXPECT_EQ(verdict.errorName, "X509_V_ERR_INVALID_CA");
  bool sawKeyUsage = false;
  for (const auto& event : verdict.events) sawKeyUsage |= event.errorName == "X509_V_ERR_KEYUSAGE_NO_CERTSIGN";
  EXPECT_TRUE(sawKeyUsage) << "attacker32's keyUsage lacks keyCertSign too";
}

TEST(ChainFile, MissingFileIsAClearError) {
  auto verdict = verifyChainFile(test::committedCerts(), test::committedCerts() / "nope/chain.pem", server("x"));
  ASSERT_FALSE(verdict);
  EXPECT_NE(verdict.error().find("nope/chain.pem"), std::string::npos) << verdict.error();
}

}  // namespace
}  // namespace tlslab::pki
