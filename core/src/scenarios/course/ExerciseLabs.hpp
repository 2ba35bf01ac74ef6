#pragma once
// What labs 4, 6 and 7 (the exercise programs) share: the ./cert folder,
// turning a CheckEnv into program-check options, and judging answers that
// name an OpenSSL verify error, a depth or a call.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tlslab/scenarios/course/Lab.hpp"
#include "tlslab/scenarios/course/ProgramChecks.hpp"

namespace tlslab::course::detail {

class TempDir;

// Copies certs/hashed/ (the lab root as <subject_hash>.0, the Issuing CA's
// CRL as <issuer_hash>.r0) into <workspace>/cert as plain files.
std::string writeTrustDir(const std::filesystem::path& certsDir, const std::filesystem::path& workspace);

// A client check's options for this student: the program, the workspace it
// runs in (a temporary one with ./cert when the check has none), the lab PKI.
struct ClientRunSetup {
  ClientCheckOptions options;
  std::shared_ptr<TempDir> scratch;  // keeps the temporary workspace alive
  std::string problem;               // why the check cannot run ("" = fine)
};
ClientRunSetup clientSetup(const CheckEnv& env);

ServerCheckOptions serverSetup(const CheckEnv& env, const std::string& host);

// The per-student page tokens (Variant::hex) the lab server's pages carry.
std::string pageToken(const Variant& variant);
std::string relayedToken(const Variant& variant);

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
