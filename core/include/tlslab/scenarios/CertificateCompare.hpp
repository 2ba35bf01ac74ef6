#pragma once
// What each leg of a MITM run saw, certificate by certificate, and where the
// victim's view differs from the real server's: the evidence of the attack.
#include <string>
#include <vector>

#include "tlslab/util/Bytes.hpp"

namespace tlslab::scenarios {

struct CertificateSummary {
  std::string subject;
  std::string issuer;
  std::string names;           // subjectAltName DNS names, comma separated ("" when none)
  std::string validity;        // "2025-01-01 .. 2049-12-31"
  std::string keyFingerprint;  // SHA-256 of the SubjectPublicKeyInfo, hex (the pin)
  bool parsed = false;
};

CertificateSummary summarizeCertificate(const Bytes& der);

struct FieldDifference {
  std::string field;  // "subject", "issuer", "names", "key fingerprint"
  std::string victimSaw;
  std::string serverSent;
};

// Compares the leaf certificates; an empty list means the victim saw the real one.
std::vector<FieldDifference> compareLeaves(const CertificateSummary& victimSaw, const CertificateSummary& serverSent);

}  // namespace tlslab::scenarios
