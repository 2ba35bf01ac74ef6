#pragma once
// A certificate as plain values (no OpenSSL types), for summaries in the CLI
// and GUI.
#include <filesystem>
#include <string>
#include <vector>

#include "tlslab/pki/Result.hpp"

namespace tlslab::pki {

struct CertificateSummary {
  std::string subject;        // RFC 2253 line
  std::string issuer;
  std::string commonName;     // subject CN
  std::string issuerCommonName;
  std::vector<std::string> dnsNames;  // subjectAltName dNSName entries
  std::string notBefore;      // "2025-01-01 00:00:00 UTC"
  std::string notAfter;
  std::string key;            // "RSA 2048 bits"
  std::string signature;      // "sha256WithRSAEncryption"
  std::string serial;         // "10:01"
  bool selfIssued = false;    // subject == issuer
  bool isCa = false;          // basicConstraints CA:TRUE
};

// Summarises the first certificate in a PEM file.
Result<CertificateSummary> summarizeCertificateFile(const std::filesystem::path& file);

}  // namespace tlslab::pki
