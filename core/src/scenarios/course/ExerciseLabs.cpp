#include "ExerciseLabs.hpp"

#include <fmt/core.h>

#include <array>
#include <cctype>

#include "CheckHelpers.hpp"
#include "ProgramChecksServer.hpp"
#include "tlslab/pki/Verify.hpp"
#include "tlslab/scenarios/course/StudentPki.hpp"
#include "tlslab/scenarios/course/Workspace.hpp"

namespace tlslab::course::detail {

namespace fs = std::filesystem;

std::string writeTrustDir(const fs::path& certsDir, const fs::path& workspace) {
  std::error_code ec;
  const fs::path from = certsDir / "hashed";
  const fs::path to = workspace / "cert";
  fs::create_directories(to, ec);
  if (ec) return "cannot make " + to.string() + ": " + ec.message();
  int copied = 0;
  for (const auto& entry : fs::directory_iterator(from, ec)) {
    // copy_file follows the symlinks of certs/hashed/: the workspace gets real files.
    fs::copy_file(entry.path(), to / entry.path().filename(), fs::copy_options::overwrite_existing, ec);
    if (ec) return "cannot copy " + entry.path().string() + " into " + to.string() + ": " + ec.message();
    ++copied;
  }
  if (ec || copied == 0) return "no hashed CA files in " + from.string() + (ec ? ": " + ec.message() : "");
  return {};
}

}  // namespace tlslab::course::detail

namespace tlslab::course {

namespace fs = std::filesystem;

ProgramCheckSetup programCheckSetup(int lab, const CheckEnv& env) {
  ProgramCheckSetup setup;
  ClientCheckOptions& client = setup.client;
  client.program = env.program;
  client.certsDir = env.certsDir;
  client.pageToken = detail::pageToken(*env.variant);
  client.progress = env.progress;
  client.workspace = env.workspace;
  if (lab == 6) {
    client.relayedToken = detail::relayedToken(*env.variant);
    client.chainAttack = detail::lab6ChainAttack(*env.variant);
  }
  ServerCheckOptions& server = setup.server;
  server.program = env.program;
  server.workspace = env.workspace.empty() ? env.program.parent_path() : env.workspace;
  server.certsDir = env.certsDir;
  server.host = studentHost(*env.variant);
  server.progress = env.progress;

  // Only a client needs ./cert; a server is given its files as arguments.
  const LabDefinition* definition = findLab(lab);
  if (definition == nullptr || definition->exercises.empty() ||
      definition->exercises.front().kind != Exercise::Kind::Client)
    return setup;
  std::error_code ec;
  if (!env.workspace.empty() && fs::is_directory(env.workspace / "cert", ec)) return setup;
  if (!env.workspace.empty() && fs::exists(env.workspace / std::string(kMetaFile), ec)) {
    setup.problem = "there is no cert/ folder in " + env.workspace.string() +
                    ": your client's trusted CAs live there. `tlslab lab start` again in this folder restores it";
    return setup;
  }
  // A program checked outside a workspace still gets the ./cert a workspace would have.
  auto scratch = std::make_shared<detail::TempDir>("tlslab-client-check");
  setup.scratch = scratch;
  if (!*scratch) {
    setup.problem = "cannot make a temporary folder to run your client in";
    return setup;
  }
  client.workspace = scratch->path();
  setup.problem = detail::writeTrustDir(env.certsDir, client.workspace);
  return setup;
}

}  // namespace tlslab::course

namespace tlslab::course::detail {

std::string pageToken(const Variant& variant) { return variant.hex("page-token", 12); }

endpoints::AttackerCertificate lab6ChainAttack(const Variant& variant) {
  using endpoints::AttackerCertificate;
  static constexpr std::array kChainAttacks{AttackerCertificate::SelfSigned, AttackerCertificate::RogueSigned,
                                            AttackerCertificate::ForgedOnTheFly, AttackerCertificate::LeafSignedLeaf};
  return kChainAttacks[variant.number("chain-attack", 0, kChainAttacks.size() - 1)];
}
std::string relayedToken(const Variant& variant) { return variant.hex("relayed-token", 12); }

namespace {

// OpenSSL 3's numbers and texts (X509_verify_cert_error_string) of the errors the labs ask about.
constexpr std::array<VerifyErrorInfo, 14> kErrors{{
    {9, "X509_V_ERR_CERT_NOT_YET_VALID", "certificate is not yet valid"},
    {10, "X509_V_ERR_CERT_HAS_EXPIRED", "certificate has expired"},
    {18, "X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate"},
    {19, "X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN", "self-signed certificate in certificate chain"},
    {20, "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "unable to get local issuer certificate"},
    {21, "X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate"},
    {23, "X509_V_ERR_CERT_REVOKED", "certificate revoked"},
    {26, "X509_V_ERR_INVALID_PURPOSE", "unsuitable certificate purpose"},
    {47, "X509_V_ERR_PERMITTED_VIOLATION", "permitted subtree violation"},
    {62, "X509_V_ERR_HOSTNAME_MISMATCH", "hostname mismatch"},
    {66, "X509_V_ERR_EE_KEY_TOO_SMALL", "EE certificate key too weak"},
    {68, "X509_V_ERR_CA_MD_TOO_WEAK", "CA signature digest algorithm too weak"},
    {79, "X509_V_ERR_INVALID_CA", "invalid CA certificate"},
    {2, "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT", "unable to get issuer certificate"},
}};

std::string stripped(std::string_view answer) {
  std::string words = normalizedWords(answer);
  for (std::string_view prefix : {"x509 v err ", "err "})
    if (words.rfind(prefix, 0) == 0) words.erase(0, prefix.size());
  while (!words.empty() && (words.back() == '.' || words.back() == ')')) words.pop_back();
  return words;
}

}  // namespace

const VerifyErrorInfo* verifyErrorInfo(int code) {
  for (const auto& e : kErrors)
    if (e.code == code) return &e;
  return nullptr;
}

const VerifyErrorInfo* verifyErrorNamed(std::string_view answer) {
  std::string words = stripped(answer);
  auto number = answerNumber(answer);
  for (const auto& e : kErrors) {
    if (number && *number == e.code && words.find_first_not_of("0123456789 ") == std::string::npos) return &e;
    if (words == stripped(e.name) || words == normalizedWords(e.text)) return &e;
  }
  // "num=10:certificate has expired" or "error 10 (certificate has expired)", as clients print it:
  // the longest name or text inside it ("self-signed certificate in certificate chain", not "self-signed certificate").
  const VerifyErrorInfo* best = nullptr;
  std::size_t bestLength = 0;
  for (const auto& e : kErrors)
    for (const std::string& part : {stripped(e.name), normalizedWords(e.text)})
      if (part.size() > bestLength && words.find(part) != std::string::npos) {
        best = &e;
        bestLength = part.size();
      }
  return best;
}

CheckResult judgeVerifyError(std::string_view answer, int expected, std::string_view where, std::string_view hint) {
  const VerifyErrorInfo* want = verifyErrorInfo(expected);
  std::string wantText = want ? fmt::format("{} ({}, \"{}\")", want->name, want->code, want->text)
                              : std::string(pki::verifyErrorName(expected));
  const VerifyErrorInfo* got = verifyErrorNamed(answer);
  if (got && got->code == expected) return pass(wantText + " for " + std::string(where));
  if (got)
    return fail(fmt::format("{} is an error OpenSSL reports, but not for {}", got->name, where), std::string(hint));
  return fail("'" + std::string(answer) + "' is not an OpenSSL verify error name, text or number",
              "write it as OpenSSL names it, e.g. X509_V_ERR_CERT_HAS_EXPIRED (or its text, or its number). " +
                  std::string(hint));
}

CheckResult judgeDepth(std::string_view answer, int expected, std::string_view what) {
  auto n = answerNumber(answer);
  if (!n) return fail("that is not a depth", "a depth is a number: 0 is the server's own certificate");
  if (*n == expected) return pass(fmt::format("depth {}: {}", expected, what));
  return fail(fmt::format("the error is not reported at depth {}", *n),
              "depth counts from the server's own certificate (0) towards the root: the Issuing CA is 1, the root 2");
}

std::string functionName(std::string_view answer) {
  std::string name;
  for (char c : answer) {
    if (c == '(') break;
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_')
      name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return name;
}

}  // namespace tlslab::course::detail
