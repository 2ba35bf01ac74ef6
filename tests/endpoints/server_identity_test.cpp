// The server's chain and key as a student hands them over (lab 5): every
// usual mistake is refused at start with a message naming the file.
#include <gtest/gtest.h>

#include <fstream>

#include "support/LabConfigs.hpp"
#include "tlslab/endpoints/LabServer.hpp"

using namespace tlslab::endpoints;
using tlslab::test::labCerts;

namespace {

std::filesystem::path scratch(const std::string& name) {
  auto dir = tlslab::test::binaryDir() / "server-identity-test";
  std::filesystem::create_directories(dir);
  return dir / name;
}

std::filesystem::path writeFile(const std::string& name, const std::string& text) {
  auto path = scratch(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string startError(const std::filesystem::path& chain, const std::filesystem::path& key) {
  ServerConfig config;
  config.chainFile = chain;
  config.keyFile = key;
  auto server = LabServer::start(config);
  return server ? "" : server.error();
}

}  // namespace

TEST(ServerIdentity, MissingChainFileIsNamed) {
  std::string error = startError("/nonexistent/chain.pem", labCerts() / "bank32-rsa" / "key.pem");
  EXPECT_NE(error.find("cannot load certificate chain: /nonexistent/chain.pem: no such file"), std::string::npos) << error;
}

TEST(ServerIdentity, MissingKeyFileIsNamed) {
  std::string error = startError(labCerts() / "bank32-rsa" / "chain.pem", "/nonexistent/key.pem");
  EXPECT_NE(error.find("cannot load private key: /nonexistent/key.pem: no such file"), std::string::npos) << error;
}

TEST(ServerIdentity, KeyOfAnotherCertificateIsAMismatch) {
  std::string error = startError(labCerts() / "bank32-rsa" / "chain.pem", labCerts() / "bank32-ecdsa" / "key.pem");
  EXPECT_NE(error.find("does not belong to the first certificate of"), std::string::npos) << error;
  EXPECT_NE(error.find("not made as a pair"), std::string::npos) << error;
}

// The usual ordering mistake: the CA first, then the server's certificate.
TEST(ServerIdentity, ChainWrittenCaFirstSaysWhichCertificateTheKeyMatches) {
  auto chain = writeFile("ca-first.pem", slurp(labCerts() / "issuing-ca" / "cert.pem") + slurp(labCerts() / "bank32-rsa" / "cert.pem"));
  std::string error = startError(chain, labCerts() / "bank32-rsa" / "key.pem");
  EXPECT_NE(error.find("it matches certificate 2 of the file; put the server's certificate first"), std::string::npos) << error;
}

TEST(ServerIdentity, FileThatIsNotPemIsRefused) {
  auto junk = writeFile("not-pem.txt", "this is not a certificate\n");
  std::string error = startError(junk, labCerts() / "bank32-rsa" / "key.pem");
  EXPECT_NE(error.find("is not a PEM certificate chain: no '-----BEGIN CERTIFICATE-----' line"), std::string::npos) << error;
  error = startError(labCerts() / "bank32-rsa" / "chain.pem", junk);
  EXPECT_NE(error.find("is not a PEM private key"), std::string::npos) << error;
}

TEST(ServerIdentity, SwappedCertificateAndKeyAreRecognised) {
  std::string error = startError(labCerts() / "bank32-rsa" / "key.pem", labCerts() / "bank32-rsa" / "chain.pem");
  EXPECT_NE(error.find("holds a private key, not a certificate (are --cert-file and --key-file swapped?)"), std::string::npos)
      << error;
}

TEST(ServerIdentity, MissingClientCaIsNamed) {
  ServerConfig config = tlslab::test::labServerFor("bank32-rsa");
  config.clientAuth = ClientAuth::Require;
  config.clientCaFile = "/nonexistent/ca.pem";
  auto server = LabServer::start(config);
  ASSERT_FALSE(server);
  EXPECT_NE(server.error().find("cannot load client CA: /nonexistent/ca.pem: no such file"), std::string::npos) << server.error();
}

TEST(ServerIdentity, MatchingFilesStart) {
  EXPECT_EQ(startError(labCerts() / "bank32-ecdsa" / "chain.pem", labCerts() / "bank32-ecdsa" / "key.pem"), "");
}
