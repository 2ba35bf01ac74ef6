#pragma once
// What labs 4, 6 and 7 (the exercise programs) share: the ./cert folder,
// turning a CheckEnv into program-check options, and judging answers that
// name an OpenSSL verify error, a depth or a call.
#include <string>
#include <string_view>
#include <vector>

#include "tlslab/scenarios/course/Lab.hpp"
#include "tlslab/scenarios/course/ProgramChecks.hpp"

namespace tlslab::course::detail {

// Copies certs/hashed/ (the lab root as <subject_hash>.0, the Issuing CA's
// CRL as <issuer_hash>.r0) into <workspace>/cert as plain files.
std::string writeTrustDir(const std::filesystem::path& certsDir, const std::filesystem::path& workspace);

// The per-student page tokens (Variant::hex) the lab server's pages carry.
std::string pageToken(const Variant& variant);
std::string relayedToken(const Variant& variant);
// Lab 6: the attacker's second certificate (one with a bad chain) for this student.
endpoints::AttackerCertificate lab6ChainAttack(const Variant& variant);

// An answer naming an OpenSSL verify error: its X509_V_ERR_ name (with or
// without the prefix), OpenSSL's text, or its number.
struct VerifyErrorInfo {
  int code;
  std::string_view name;  // "X509_V_ERR_CERT_HAS_EXPIRED"
  std::string_view text;  // "certificate has expired"
};
const VerifyErrorInfo* verifyErrorInfo(int code);
const VerifyErrorInfo* verifyErrorNamed(std::string_view answer);
CheckResult judgeVerifyError(std::string_view answer, int expected, std::string_view where, std::string_view hint);
CheckResult judgeDepth(std::string_view answer, int expected, std::string_view what);

// A C function name in an answer: "X509_VERIFY_PARAM_set1_host()" -> "x509_verify_param_set1_host".
std::string functionName(std::string_view answer);

}  // namespace tlslab::course::detail
