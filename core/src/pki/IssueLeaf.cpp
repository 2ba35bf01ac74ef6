#include <openssl/obj_mac.h>
#include <openssl/rand.h>

#include "tlslab/pki/Catalog.hpp"
#include "tlslab/pki/Generator.hpp"
#include "tlslab/pki/Issue.hpp"

namespace tlslab::pki {

Result<IssuedLeaf> issueLeaf(const std::string& organization, const std::string& commonName,
                             const std::vector<std::string>& dnsNames, Purpose purpose, X509* issuerCert,
                             EVP_PKEY* issuerKey) {
  auto key = generateEcP256Key();
  if (!key) return Result<IssuedLeaf>::failure(key.error());
  CertificateSpec spec;
  spec.organization = organization;
  spec.commonName = commonName;
  unsigned char random[8];
  if (RAND_bytes(random, sizeof random) != 1) return Result<IssuedLeaf>::failure("no random serial: " + takeOpensslErrors());
  long serial = 0;
  for (unsigned char b : random) serial = (serial << 8) | b;
  spec.serial = (serial & 0x3fffffffffffffffL) | 0x1000;  // positive, never one of the catalog's small serials
  spec.notBefore = kGoodNotBefore;
  spec.notAfter = kGoodNotAfter;
  spec.extensions = {{NID_basic_constraints, "critical,CA:FALSE"},
                     {NID_key_usage, "critical,digitalSignature"},
                     {NID_ext_key_usage, purpose == Purpose::TlsClient ? "clientAuth" : "serverAuth"},
                     {NID_subject_key_identifier, "hash"},
                     {NID_authority_key_identifier, "keyid:always"}};
  if (!dnsNames.empty()) {
    std::string san;
    for (const auto& name : dnsNames) san += (san.empty() ? "DNS:" : ",DNS:") + name;
    spec.extensions.push_back({NID_subject_alt_name, san});
  }
  auto cert = issueCertificate(spec, key.value().get(), issuerCert, issuerKey);
  if (!cert) return Result<IssuedLeaf>::failure(cert.error());
  return Result<IssuedLeaf>::success(IssuedLeaf{std::move(cert.value()), std::move(key.value())});
}

}  // namespace tlslab::pki
