#pragma once
// Reading and writing the PEM files of the lab PKI (RFC 7468 textual encoding).
#include <filesystem>
#include <string>
#include <vector>

#include "tlslab/pki/Handles.hpp"
#include "tlslab/pki/Result.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::pki {

// Every certificate in a PEM file, in file order (a chain file: leaf first).
Result<std::vector<X509Ptr>> readCertificates(const std::filesystem::path& file);
Result<X509Ptr> readCertificate(const std::filesystem::path& file);
// Text before "-----BEGIN" (our teaching-material header) is skipped, as
// OpenSSL's PEM reader does (RFC 7468 §2 allows explanatory text).
Result<EvpPkeyPtr> readPrivateKey(const std::filesystem::path& file);
Result<X509CrlPtr> readCrl(const std::filesystem::path& file);

// Writers return "" on success, else what failed.
std::string writeCertificates(const std::filesystem::path& file, const std::vector<X509*>& certs);
std::string writePrivateKey(const std::filesystem::path& file, EVP_PKEY* key, const std::string& header);
std::string writeCrl(const std::filesystem::path& file, X509_CRL* crl);

// The same as PEM text in memory (a chain for LabServer's chainPem, a key for keyPem).
std::string certificatesPem(const std::vector<X509*>& certs);
std::string privateKeyPem(EVP_PKEY* key, const std::string& header);

// A certificate's DER encoding (empty if it cannot be encoded): to compare
// what a peer sent with the certificate a lab gave it.
Bytes certificateDer(X509* cert);

// The header every lab key file starts with: these keys are public.
std::string teachingKeyHeader(const std::string& what);

}  // namespace tlslab::pki
