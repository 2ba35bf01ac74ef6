#pragma once
// Certificate-chain verification as a learner sees it: one step per chain
// depth (0 = the server's own certificate) and a final verdict. Filled from
// OpenSSL's verify callback by pki (X509_STORE_CTX) and endpoints (libssl),
// but holds only plain values so the GUI and JSON never see OpenSSL types.
#include <string>
#include <vector>

namespace tlslab::model {

struct VerifyStep {
  int depth = 0;            // 0 = leaf, increasing towards the trust anchor
  std::string subject;      // one-line RFC 2253 form, e.g. "CN=bank32.com,O=tlslab"
  std::string issuer;
  std::string notBefore;    // "2025-01-01 00:00:00 UTC"
  std::string notAfter;
  bool ok = true;           // no error was reported at this depth
  int errorCode = 0;        // OpenSSL X509_V_ERR_* value, 0 = X509_V_OK
  std::string errorName;    // symbolic name, e.g. "X509_V_ERR_CERT_HAS_EXPIRED"
  std::string errorText;    // OpenSSL's text, e.g. "certificate has expired"
};

struct VerifyVerdict {
  bool ok = false;
  int errorCode = 0;        // the first error, which is what a client reports
  std::string errorName;
  std::string errorText;
  int errorDepth = -1;      // depth the first error was reported at, -1 when ok
  std::vector<VerifyStep> steps;   // one per certificate of the built chain
  std::vector<VerifyStep> events;  // every callback call, in order, for tracing
  // The chain OpenSSL had built, leaf first (subject, issuer and validity;
  // `ok` says nothing here). A depth in it without a step was never reached:
  // verification stopped at an earlier error the callback refused.
  std::vector<VerifyStep> builtChain;
};

}  // namespace tlslab::model
