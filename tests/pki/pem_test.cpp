// PEM files of the lab PKI: comment headers, multi-certificate chains and
// broken files.
#include <gtest/gtest.h>

#include <fstream>

#include "PkiTestSupport.hpp"

namespace tlslab::pki {
namespace {
namespace fs = std::filesystem;

fs::path scratch(const std::string& name, const std::string& content) {
  fs::path file = fs::temp_directory_path() / ("tlslab-pem-test-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(file) << content;
  return file;
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(Pem, KeyWithTeachingHeaderLoads) {
  auto key = readPrivateKey(test::committedCerts() / "root-ca/key.pem");
  ASSERT_TRUE(key) << key.error();
  EXPECT_EQ(keyLine(key->get()), "RSA 2048 bits");
  EXPECT_EQ(slurp(test::committedCerts() / "root-ca/key.pem").rfind("# tlslab lab PKI", 0), 0U);
}

TEST(Pem, ChainFileReadsAllCertificatesInOrder) {
  auto chain = readCertificates(test::committedCerts() / "gallery/leaf-signed-leaf/chain.pem");
  ASSERT_TRUE(chain) << chain.error();
  ASSERT_EQ(chain->size(), 3U);
  EXPECT_EQ(commonName((*chain)[0].get()), "bank32.com");
  EXPECT_EQ(commonName((*chain)[1].get()), "attacker32.com");
  EXPECT_EQ(commonName((*chain)[2].get()), "tlslab Issuing CA");
}

TEST(Pem, MissingFileNamesThePath) {
  auto certs = readCertificates("/nonexistent/tlslab.pem");
  ASSERT_FALSE(certs);
  EXPECT_NE(certs.error().find("/nonexistent/tlslab.pem"), std::string::npos);
  EXPECT_FALSE(readPrivateKey("/nonexistent/key.pem"));
  EXPECT_FALSE(readCrl("/nonexistent/crl.pem"));
}

TEST(Pem, FileWithoutCertificatesIsAnError) {
  auto file = scratch("empty.pem", "just some text\n");
  auto certs = readCertificates(file);
  ASSERT_FALSE(certs);
  EXPECT_NE(certs.error().find("no certificate"), std::string::npos) << certs.error();
  fs::remove(file);
}

TEST(Pem, TruncatedSecondCertificateIsReportedAsDamage) {
  std::string chain = slurp(test::committedCerts() / "bank32-rsa/chain.pem");
  std::string cut = chain.substr(0, chain.size() - 200);  // lose the END line of the intermediate
  auto file = scratch("cut.pem", cut);
  auto certs = readCertificates(file);
  ASSERT_FALSE(certs);
  EXPECT_NE(certs.error().find("after certificate 1"), std::string::npos) << certs.error();
  fs::remove(file);
}

TEST(Pem, KeyFileWithoutKeyIsAnError) {
  auto file = scratch("nokey.pem", "# header only\n");
  auto key = readPrivateKey(file);
  ASSERT_FALSE(key);
  EXPECT_NE(key.error().find("no private key"), std::string::npos);
  fs::remove(file);
}

TEST(Pem, CrlListsTheRevokedSerial) {
  auto crl = readCrl(test::committedCerts() / "issuing-ca/crl.pem");
  ASSERT_TRUE(crl) << crl.error();
  auto revoked = readCertificate(test::committedCerts() / "gallery/revoked/cert.pem");
  ASSERT_TRUE(revoked);
  X509_REVOKED* entry = nullptr;
  EXPECT_EQ(X509_CRL_get0_by_cert(crl->get(), &entry, revoked->get()), 1);
  auto good = readCertificate(test::committedCerts() / "bank32-rsa/cert.pem");
  ASSERT_TRUE(good);
  EXPECT_EQ(X509_CRL_get0_by_cert(crl->get(), &entry, good->get()), 0);
}

}  // namespace
}  // namespace tlslab::pki
