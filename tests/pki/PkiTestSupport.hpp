#pragma once
// Shared by the pki tests: where the committed PKI is, a freshly generated
// one (made once per test process), and the key-independent properties of
// PKI files used to check that certs/ cannot drift from its generator.
#include <openssl/x509v3.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include "tlslab/pki/Generator.hpp"
#include "tlslab/pki/Pem.hpp"
#include "tlslab/pki/X509Text.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::pki::test {

inline std::filesystem::path committedCerts() { return tlslab::certsDir(); }

// Generated on first use into a per-process temp folder, removed at exit.
inline const std::filesystem::path& generatedCerts() {
  struct Generated {
    std::filesystem::path dir;
    std::string error;
    Generated() {
      dir = std::filesystem::temp_directory_path() / ("tlslab-pki-test-" + std::to_string(::getpid()));
      std::filesystem::remove_all(dir);
      auto files = generateLabPki(dir);
      if (!files) error = files.error();
    }
    ~Generated() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  };
  static Generated generated;
  EXPECT_EQ(generated.error, "");
  return generated.dir;
}

// Extensions whose values depend on the (fresh) keys: compare presence only.
inline bool keyDependent(int nid) {
  return nid == NID_subject_key_identifier || nid == NID_authority_key_identifier;
}

inline std::string certificateProperties(X509* cert) {
  std::ostringstream out;
  out << "version " << X509_get_version(cert) << "\nsubject " << nameLine(X509_get_subject_name(cert))
      << "\nissuer " << nameLine(X509_get_issuer_name(cert)) << "\nserial " << serialHex(cert)
      << "\nsignature " << signatureAlgorithm(cert) << "\nkey " << keyLine(X509_get0_pubkey(cert))
      << "\nnotBefore " << timeLine(X509_get0_notBefore(cert)) << "\nnotAfter " << timeLine(X509_get0_notAfter(cert))
      << "\n";
  for (int i = 0; i < X509_get_ext_count(cert); ++i) {
    X509_EXTENSION* ext = X509_get_ext(cert, i);
    int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));
    out << "ext " << OBJ_nid2sn(nid) << (X509_EXTENSION_get_critical(ext) ? " critical " : " ")
        << (keyDependent(nid) ? "(present)" : extensionValue(ext)) << "\n";
  }
  return out.str();
}

inline std::string crlProperties(X509_CRL* crl) {
  std::ostringstream out;
  out << "issuer " << nameLine(X509_CRL_get_issuer(crl)) << "\nlastUpdate " << timeLine(X509_CRL_get0_lastUpdate(crl))
      << "\nnextUpdate " << timeLine(X509_CRL_get0_nextUpdate(crl)) << "\n";
  STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl);
  for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i) {
    const ASN1_INTEGER* serial = X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, i));
    out << "revoked " << ASN1_INTEGER_get(serial) << "\n";
  }
  return out.str();
}

inline std::string textBeforePem(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line, out;
  while (std::getline(in, line) && line.rfind("-----BEGIN", 0) != 0) out += line + "\n";
  return out;
}

// Everything a PKI file promises, independent of the key material.
inline std::string fileProperties(const std::filesystem::path& file) {
  if (std::filesystem::is_symlink(file)) return "link -> " + std::filesystem::read_symlink(file).string();
  std::string name = file.filename().string();
  if (name.find("key") != std::string::npos) {
    auto key = readPrivateKey(file);
    return key ? textBeforePem(file) + keyLine(key->get()) : "unreadable key: " + key.error();
  }
  if (name == "crl.pem") {
    auto crl = readCrl(file);
    return crl ? crlProperties(crl->get()) : "unreadable CRL: " + crl.error();
  }
  auto certs = readCertificates(file);
  if (!certs) return "unreadable: " + certs.error();
  std::string out;
  for (auto& cert : *certs) out += certificateProperties(cert.get()) + "--\n";
  return out;
}

}  // namespace tlslab::pki::test
