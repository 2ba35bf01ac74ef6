#pragma once
// Lab 8's per-student values and checks. Every answer is judged against the
// student's own capture (anatomy.pcapng, read without and with anatomy.keys),
// which must also be the one `lab start` made for them.
#include <string>
#include <vector>

#include "tlslab/model/Trace.hpp"
#include "tlslab/scenarios/AnatomyLab.hpp"
#include "tlslab/scenarios/course/Lab.hpp"

namespace tlslab::course::lab08 {

inline constexpr const char* kCapture = "anatomy.pcapng";
inline constexpr const char* kKeyLog = "anatomy.keys";

// One ChangeCipherSpec observation: in which connection, whose, and which
// neighbouring message the student reports.
struct CcsQuestion {
  scenarios::AnatomyKind kind;
  model::Direction from;
  bool before;             // the message sent right before it (else right after)
  const char* expected;    // what a correct OpenSSL run shows
};

struct Values {
  std::string host;                         // the server's name (SNI, certificate)
  std::vector<std::string> alpn;            // what the client offers, in its order
  std::string hrrGroup;                     // OpenSSL's name, as the server is told ("P-384")
  std::vector<scenarios::AnatomyKind> order;  // connection 0, 1, 2 of the capture
  CcsQuestion ccs;
};
Values valuesOf(const Variant& variant);

std::size_t indexOf(const Values& values, scenarios::AnatomyKind kind);  // its connection number
std::string expectedAlpn(const Values& values);                           // the server's choice
std::string ianaGroupName(const std::string& opensslName);                // "P-384" -> "secp384r1"
std::string ccsPrompt(const Values& values);

CheckResult checkRoundTrips(const CheckEnv& env);
CheckResult checkCertificateConnection(const CheckEnv& env);
CheckResult checkCertificateName(const CheckEnv& env);
CheckResult checkAlpn(const CheckEnv& env);
CheckResult checkRetryGroup(const CheckEnv& env);
CheckResult checkSentinel(const CheckEnv& env);
CheckResult checkCompatCcs(const CheckEnv& env);

}  // namespace tlslab::course::lab08
