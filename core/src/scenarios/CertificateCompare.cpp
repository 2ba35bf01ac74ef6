#include "tlslab/scenarios/CertificateCompare.hpp"

#include "tlslab/endpoints/Pinning.hpp"
#include "tlslab/pki/X509Text.hpp"

namespace tlslab::scenarios {

CertificateSummary summarizeCertificate(const Bytes& der) {
  CertificateSummary summary;
  const unsigned char* p = der.data();
  pki::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) return summary;
  summary.parsed = true;
  summary.subject = pki::nameLine(X509_get_subject_name(cert.get()));
  summary.issuer = pki::nameLine(X509_get_issuer_name(cert.get()));
  for (const auto& name : pki::dnsNames(cert.get())) summary.names += (summary.names.empty() ? "" : ", ") + name;
  summary.validity = pki::timeLine(X509_get0_notBefore(cert.get())).substr(0, 10) + " .. " +
                     pki::timeLine(X509_get0_notAfter(cert.get())).substr(0, 10);
  summary.keyFingerprint = toHex(endpoints::spkiPinOfDer(der));
  return summary;
}

std::vector<FieldDifference> compareLeaves(const CertificateSummary& victim, const CertificateSummary& server) {
  std::vector<FieldDifference> diffs;
  auto compare = [&](const char* field, const std::string& a, const std::string& b) {
    if (a != b) diffs.push_back({field, a, b});
  };
  compare("subject", victim.subject, server.subject);
  compare("issuer", victim.issuer, server.issuer);
  compare("names", victim.names, server.names);
  compare("validity", victim.validity, server.validity);
  compare("key fingerprint", victim.keyFingerprint, server.keyFingerprint);
  return diffs;
}

}  // namespace tlslab::scenarios
