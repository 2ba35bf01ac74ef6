#include "tlslab/pki/Summary.hpp"

#include <openssl/x509v3.h>

#include "tlslab/pki/Pem.hpp"
#include "tlslab/pki/X509Text.hpp"

namespace tlslab::pki {

Result<CertificateSummary> summarizeCertificateFile(const std::filesystem::path& file) {
  auto cert = readCertificate(file);
  if (!cert) return Result<CertificateSummary>::failure(cert.error());
  X509* x = cert->get();
  CertificateSummary s;
  s.subject = nameLine(X509_get_subject_name(x));
  s.issuer = nameLine(X509_get_issuer_name(x));
  s.commonName = commonName(x);
  const X509_NAME* issuer = X509_get_issuer_name(x);
  int index = X509_NAME_get_index_by_NID(issuer, NID_commonName, -1);
  if (index >= 0) {
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(issuer, index));
    s.issuerCommonName.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)),
                              static_cast<std::size_t>(ASN1_STRING_length(data)));
  }
  s.dnsNames = dnsNames(x);
  s.notBefore = timeLine(X509_get0_notBefore(x));
  s.notAfter = timeLine(X509_get0_notAfter(x));
  s.key = keyLine(X509_get0_pubkey(x));
  s.signature = signatureAlgorithm(x);
  s.serial = serialHex(x);
  s.selfIssued = X509_NAME_cmp(X509_get_subject_name(x), issuer) == 0;
  s.isCa = X509_check_ca(x) != 0;
  return Result<CertificateSummary>::success(std::move(s));
}

}  // namespace tlslab::pki
