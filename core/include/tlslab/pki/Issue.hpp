#pragma once
// Building blocks for making certificates with OpenSSL's X509 API: keys, a
// certificate from a spec, a CRL. The generator and the MITM forger use them.
#include <string>
#include <vector>

#include "tlslab/pki/Catalog.hpp"
#include "tlslab/pki/Handles.hpp"
#include "tlslab/pki/Result.hpp"

namespace tlslab::pki {

Result<EvpPkeyPtr> generateRsaKey(int bits);
Result<EvpPkeyPtr> generateEcP256Key();

// One X.509v3 extension in OpenSSL's config syntax, e.g.
// {NID_basic_constraints, "critical,CA:TRUE,pathlen:0"} (RFC 5280 §4.2).
struct ExtensionSpec {
  int nid;
  std::string value;
};

struct CertificateSpec {
  std::string organization;  // O=
  std::string commonName;    // CN=
  long serial = 1;
  // RFC 5280 §4.1.2.5 times as "YYYYMMDDHHMMSSZ"; OpenSSL picks UTCTime up
  // to 2049 and GeneralizedTime from 2050, as the RFC requires.
  std::string notBefore;
  std::string notAfter;
  const EVP_MD* digest = nullptr;  // nullptr = SHA-256
  std::vector<ExtensionSpec> extensions;
};

// Signs `spec` for `subjectKey` with `issuerKey`; issuerCert == nullptr
// makes a self-signed certificate (issuer = subject).
Result<X509Ptr> issueCertificate(const CertificateSpec& spec, EVP_PKEY* subjectKey, X509* issuerCert,
                                 EVP_PKEY* issuerKey);

// A leaf a lab makes on the fly (a student's own server or client
// certificate): fresh EC P-256 key, CA:FALSE, digitalSignature, the EKU of
// `purpose`, SAN dNSName for each name (none for a client), a random
// serial, valid 2025-2049, signed by issuerKey as issuerCert.
struct IssuedLeaf {
  X509Ptr cert;
  EvpPkeyPtr key;
};
Result<IssuedLeaf> issueLeaf(const std::string& organization, const std::string& commonName,
                             const std::vector<std::string>& dnsNames, Purpose purpose, X509* issuerCert,
                             EVP_PKEY* issuerKey);

struct RevokedEntry {
  long serial;
  std::string revocationDate;  // "YYYYMMDDHHMMSSZ"
};

// A v2 CRL (RFC 5280 §5) signed by `ca` with reason keyCompromise per entry.
Result<X509CrlPtr> issueCrl(X509* ca, EVP_PKEY* caKey, const std::string& thisUpdate,
                            const std::string& nextUpdate, long crlNumber, const std::vector<RevokedEntry>& revoked);

}  // namespace tlslab::pki
