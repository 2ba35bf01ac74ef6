#pragma once
// The TLS knobs a lab turns, shared by LabServer and LabClient.
#include <string>
#include <vector>

namespace tlslab::endpoints {

enum class TlsVersion { Tls1_2, Tls1_3 };
const char* versionName(TlsVersion version);

struct TlsOptions {
  TlsVersion minVersion = TlsVersion::Tls1_2;
  TlsVersion maxVersion = TlsVersion::Tls1_3;
  std::string cipherList;    // TLS 1.2 suites, OpenSSL syntax ("" = OpenSSL default)
  std::string cipherSuites;  // TLS 1.3 suites ("" = OpenSSL default)
  std::string groups;        // e.g. "X25519:P-256" ("" = default)
  std::string sigalgs;       // e.g. "ECDSA+SHA256:RSA-PSS+SHA256" ("" = default)
  std::vector<std::string> alpn;  // protocols in preference order
};

}  // namespace tlslab::endpoints
