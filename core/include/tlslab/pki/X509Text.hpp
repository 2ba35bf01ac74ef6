#pragma once
// One-line text forms of certificate parts, for CLI output, the field tree
// and property comparisons.
#include <string>
#include <vector>

#include "tlslab/pki/Handles.hpp"

namespace tlslab::pki {

std::string nameLine(const X509_NAME* name);         // RFC 2253: "CN=bank32.com,O=tlslab"
std::string timeLine(const ASN1_TIME* time);         // "2025-01-01 00:00:00 UTC"
std::string keyLine(const EVP_PKEY* key);            // "RSA 2048 bits", "EC P-256 (256 bits)"
std::string signatureAlgorithm(const X509* cert);    // "sha256WithRSAEncryption"
std::vector<std::string> dnsNames(X509* cert);       // subjectAltName dNSName entries
std::string commonName(const X509* cert);            // subject CN ("" when none)
// An extension's value as OpenSSL prints it, on one line.
std::string extensionValue(X509_EXTENSION* ext);
std::string serialHex(const X509* cert);             // "2a:0b"

}  // namespace tlslab::pki
