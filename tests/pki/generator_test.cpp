// The committed certs/ must be exactly what the generator makes, up to the
// keys: same files, and per file the same names, issuers, SANs, extensions,
// key types and sizes, signature algorithms and (fixed) validity dates.
#include <gtest/gtest.h>

#include <set>

#include "PkiTestSupport.hpp"
#include "tlslab/pki/Catalog.hpp"

namespace tlslab::pki {
namespace {
namespace fs = std::filesystem;

std::set<std::string> listFiles(const fs::path& root) {
  std::set<std::string> out;
  for (const auto& item : fs::recursive_directory_iterator(root)) {
    if (item.is_directory() && !item.is_symlink()) continue;
    std::string rel = fs::relative(item.path(), root).string();
    if (rel == "README.md" || rel == test::kStamp) continue;  // documentation / test marker, not generated
    out.insert(rel);
  }
  return out;
}

TEST(Generator, ProducesTheSameFileSetAsCommitted) {
  EXPECT_EQ(listFiles(test::generatedCerts()), listFiles(test::committedCerts()));
}

std::vector<std::string> committedFiles() {
  auto files = listFiles(test::committedCerts());
  return {files.begin(), files.end()};
}

class CommittedFile : public testing::TestWithParam<std::string> {};

TEST_P(CommittedFile, HasTheSamePropertiesAsAFreshlyGeneratedOne) {
  std::string committed = test::fileProperties(test::committedCerts() / GetParam());
  std::string generated = test::fileProperties(test::generatedCerts() / GetParam());
  EXPECT_EQ(committed.find("unreadable"), std::string::npos) << committed;
  EXPECT_EQ(committed, generated);
}

std::string fileTestName(const testing::TestParamInfo<std::string>& param) {
  std::string name = param.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(CertsFolder, CommittedFile, testing::ValuesIn(committedFiles()), fileTestName);

TEST(Generator, EveryKeyFileSaysItIsPublicTeachingMaterial) {
  int keys = 0;
  for (const auto& rel : listFiles(test::committedCerts())) {
    if (rel.find("key") == std::string::npos) continue;
    ++keys;
    std::string header = test::textBeforePem(test::committedCerts() / rel);
    EXPECT_NE(header.find("PUBLIC TEACHING MATERIAL"), std::string::npos) << rel;
    auto key = readPrivateKey(test::committedCerts() / rel);
    EXPECT_TRUE(key) << rel << ": " << key.error();
  }
  EXPECT_GE(keys, 20);
}

TEST(Generator, GoodCertificatesStayValidUntilAtLeast2049) {
  for (const char* dir : {"root-ca", "issuing-ca", "bank32-rsa", "bank32-ecdsa", "attacker32", "mail-bank32",
                          "student01"}) {
    auto cert = readCertificate(test::committedCerts() / dir / "cert.pem");
    ASSERT_TRUE(cert) << cert.error();
    EXPECT_EQ(timeLine(X509_get0_notBefore(cert->get())), "2025-01-01 00:00:00 UTC") << dir;
    EXPECT_EQ(timeLine(X509_get0_notAfter(cert->get())), "2049-12-31 23:59:59 UTC") << dir;
  }
}

TEST(Generator, KeyTypesMatchTheirVariants) {
  auto rsa = readCertificate(test::committedCerts() / "bank32-rsa/cert.pem");
  auto ec = readCertificate(test::committedCerts() / "bank32-ecdsa/cert.pem");
  auto small = readCertificate(test::committedCerts() / "gallery/rsa1024/cert.pem");
  ASSERT_TRUE(rsa && ec && small);
  EXPECT_EQ(keyLine(X509_get0_pubkey(rsa->get())), "RSA 2048 bits");
  EXPECT_EQ(keyLine(X509_get0_pubkey(ec->get())), "EC P-256 (256 bits)");
  EXPECT_EQ(keyLine(X509_get0_pubkey(small->get())), "RSA 1024 bits");
  auto sha1 = readCertificate(test::committedCerts() / "gallery/sha1/cert.pem");
  ASSERT_TRUE(sha1);
  EXPECT_EQ(signatureAlgorithm(sha1->get()), "sha1WithRSAEncryption");
}

TEST(Generator, ServerChainFilesAreLeafThenIntermediate) {
  auto chain = readCertificates(test::committedCerts() / "bank32-rsa/chain.pem");
  ASSERT_TRUE(chain) << chain.error();
  ASSERT_EQ(chain->size(), 2U);
  EXPECT_EQ(dnsNames((*chain)[0].get()), (std::vector<std::string>{"bank32.com", "www.bank32.com"}));
  EXPECT_EQ(commonName((*chain)[1].get()), "tlslab Issuing CA");
  auto incomplete = readCertificates(test::committedCerts() / "gallery/incomplete-chain/chain.pem");
  ASSERT_TRUE(incomplete);
  EXPECT_EQ(incomplete->size(), 1U);
}

TEST(Generator, CertificateKeysMatchTheirKeyFiles) {
  for (const auto& entry : catalog()) {
    auto cert = readCertificate(test::committedCerts() / entry.dir / "cert.pem");
    auto key = readPrivateKey(test::committedCerts() / entry.dir / "key.pem");
    ASSERT_TRUE(cert && key) << entry.name;
    EXPECT_EQ(X509_check_private_key(cert->get(), key->get()), 1) << entry.name;
  }
}

TEST(Generator, HashedDirectoryLinksAreRelativeAndResolve) {
  fs::path hashed = test::committedCerts() / "hashed";
  int links = 0;
  for (const auto& item : fs::directory_iterator(hashed)) {
    ++links;
    ASSERT_TRUE(item.is_symlink()) << item.path();
    EXPECT_TRUE(fs::read_symlink(item.path()).is_relative()) << item.path();
    EXPECT_TRUE(fs::exists(item.path())) << "dangling " << item.path();
  }
  EXPECT_EQ(links, 2);
}

TEST(Generator, UnwritableOutputIsAClearError) {
  auto files = generateLabPki("/proc/tlslab-cannot-write-here");
  ASSERT_FALSE(files);
  EXPECT_NE(files.error().find("/proc/tlslab-cannot-write-here"), std::string::npos) << files.error();
}

}  // namespace
}  // namespace tlslab::pki
