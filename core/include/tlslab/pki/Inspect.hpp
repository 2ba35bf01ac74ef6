#pragma once
// The facts a checker needs about a certificate someone made (a student's
// own CA in lab 5): what it claims (names, constraints, usages) and whether
// its signatures hold, as plain values.
#include <optional>
#include <string>
#include <vector>

#include "tlslab/pki/Handles.hpp"

namespace tlslab::pki {

struct CertificateFacts {
  std::string subject, issuer;        // RFC 2253 one-liners
  bool selfIssued = false;            // subject == issuer
  std::optional<bool> ca;             // basicConstraints cA; nullopt when the extension is absent
  bool basicConstraintsCritical = false;
  std::optional<long> pathLength;     // pathLenConstraint, when present
  std::vector<std::string> keyUsage;  // "digitalSignature", "keyCertSign", … (empty: extension absent)
  std::vector<std::string> extendedKeyUsage;  // "serverAuth", "clientAuth", …
  std::vector<std::string> dnsNames;  // subjectAltName dNSName entries
  std::string commonName;
  bool validNow = false;              // notBefore <= now <= notAfter
  std::string notBefore, notAfter;
  std::string key;                    // "EC P-256 (256 bits)"
  std::string signatureAlgorithm;
  unsigned long subjectHash = 0;      // X509_NAME_hash: the file name in a hashed CA directory
};

CertificateFacts certificateFacts(X509* cert);
// The signature on `cert` verifies with `issuer`'s public key.
bool signatureVerifiesWith(X509* cert, X509* issuer);
bool keyMatchesCertificate(X509* cert, EVP_PKEY* key);
// "dd6530d0": the hex hash `openssl x509 -subject_hash` prints.
std::string subjectHashName(X509* cert);

}  // namespace tlslab::pki
