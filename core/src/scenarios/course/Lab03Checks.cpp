// Lab 3's answers about the lab's own victims, judged against live runs of
// the attack (scenarios::runMitm) on this machine.
#include <fmt/core.h>

#include <cctype>
#include <regex>

#include "CheckHelpers.hpp"
#include "Lab03Checks.hpp"
#include "tlslab/scenarios/MitmLab.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::course::lab03 {

using endpoints::AttackerCertificate;
using scenarios::VictimMode;

std::string victimUser(const Variant& v) { return v.student(); }
std::string victimPassword(const Variant& v) { return v.password(); }

namespace {

scenarios::MitmOutcome attack(const std::filesystem::path& certsDir, AttackerCertificate strategy, VictimMode victim,
                              const Variant* v = nullptr) {
  scenarios::MitmLabOptions options;
  options.certsDir = certsDir;
  if (v) {
    options.user = victimUser(*v);
    options.password = victimPassword(*v);
  }
  return scenarios::runMitm(strategy, victim, options);
}

// Every strategy whose name (or a usual way of writing it) is in the answer.
std::vector<AttackerCertificate> strategiesIn(std::string_view answer) {
  const std::string words = " " + normalizedWords(answer) + " ";
  struct Alias {
    AttackerCertificate strategy;
    std::vector<std::string_view> spellings;
  };
  const Alias aliases[] = {
      {AttackerCertificate::AttackerOwn, {" attacker own ", " attackerown ", " attacker32", " own "}},
      {AttackerCertificate::SelfSigned, {" self signed ", " selfsigned "}},
      {AttackerCertificate::RogueSigned, {" rogue ", " rogue ca ", " rogueca "}},
      {AttackerCertificate::ForgedOnTheFly, {" forged "}},
      {AttackerCertificate::LeafSignedLeaf, {" leaf signed leaf ", " leaf "}},
  };
  std::vector<AttackerCertificate> found;
  for (const auto& alias : aliases)
    for (auto spelling : alias.spellings)
      if (words.find(spelling) != std::string::npos) {
        found.push_back(alias.strategy);
        break;
      }
  return found;
}

std::string describeStop(const scenarios::MitmOutcome& o) {
  return o.error.empty() ? "it stopped without a verify error (" + o.victimRun.error + ")"
                         : fmt::format("{} at depth {} ({})", o.error, o.errorDepth, o.errorText);
}

// Letters and digits only, lower case: "Hostname mismatch", "HOSTNAME_MISMATCH"
// and "host name mismatch" all become "hostnamemismatch".
std::string squashed(std::string_view text) {
  std::string out;
  for (char c : text)
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct ErrorAnswer {
  std::string squashedWords;  // the answer's letters and digits
  std::optional<int> depth;  // "depth 0", "@0", "at depth 1"
  std::optional<int> code;   // "num=62", "62"
};

ErrorAnswer readErrorAnswer(std::string_view answer) {
  ErrorAnswer a;
  a.squashedWords = squashed(answer);
  std::string text(answer);
  std::smatch m;
  if (std::regex_search(text, m, std::regex(R"((?:depth|@)\s*[=:]?\s*(\d+))", std::regex::icase))) a.depth = std::stoi(m[1]);
  if (std::regex_search(text, m, std::regex(R"((?:num\s*=\s*|^\s*|\s)(\d{2,3})(?:\s|:|$))"))) a.code = std::stoi(m[1]);
  if (!a.depth) {  // "HOSTNAME_MISMATCH 0": one lone small number is the depth
    if (std::regex_search(text, m, std::regex(R"((?:^|\s)(\d)\s*$)"))) a.depth = std::stoi(m[1]);
  }
  return a;
}

bool mentions(const ErrorAnswer& a, std::string_view errorName) {
  return !errorName.empty() && a.squashedWords.find(squashed(errorName)) != std::string::npos;
}

// Whether the answer names the outcome's error: its name (with or without
// X509_V_ERR_), OpenSSL's text for it, or its number.
bool namesError(const ErrorAnswer& a, const scenarios::MitmOutcome& o) {
  return mentions(a, o.error) || mentions(a, o.errorText) || (a.code && *a.code == o.victimRun.verify.errorCode);
}

}  // namespace

CheckResult checkPassword(const CheckEnv& env) {
  const std::string password = victimPassword(*env.variant);
  std::string answer = env.answer("password")->value;
  if (answer.rfind("password=", 0) == 0) answer.erase(0, 9);
  if (answer == password)
    return pass("yes: the attacker's proxy decrypted the victim's POST /login and logged password=" + password);
  if (sameText(answer, password)) return fail("almost: passwords are case-sensitive", "copy it exactly as the attacker's log shows it");
  if (answer.find("user=") != std::string::npos) return fail("that is the whole form body", "give only what follows 'password='");
  if (sameText(answer, victimUser(*env.variant))) return fail("that is the user name", "the password follows '&password='");
  if (answer == "hunter2")
    return fail("hunter2 is the password of the run without --student: not yours",
                "run `tlslab lab run mitm --student " + env.variant->student() + "` and read the attacker's log");
  return fail("that is not the password the attacker logged from your victim",
              "`tlslab lab run mitm --student " + env.variant->student() + "` ends with \"attacker's log: user=…&password=…\"");
}

std::string chainOnlyStrategyReference() {
  std::string names;
  for (auto s : endpoints::allAttackerCertificates())
    if (attack(certsDir(), s, VictimMode::ChainOnly).passwordStolen)
      names += (names.empty() ? "" : ", ") + std::string(endpoints::attackerCertificateName(s));
  return names;
}

CheckResult checkChainOnlyStrategy(const CheckEnv& env) {
  const auto named = strategiesIn(env.answer("chain_only_strategy")->value);
  if (named.empty())
    return fail("that names no attacker certificate",
                "write one --strategy name: attacker-own, self-signed, rogue-ca, forged or leaf-signed-leaf");
  if (named.size() > 1) return fail("name one strategy, not several", "which one alone is enough against the chain-only victim?");
  env.say(std::string("attacking the chain-only victim with ") + endpoints::attackerCertificateName(named[0]));
  const auto outcome = attack(env.certsDir, named[0], VictimMode::ChainOnly, env.variant);
  if (!outcome.setupError.empty()) return skipped("the attack could not run here: " + outcome.setupError);
  const std::string name = endpoints::attackerCertificateName(named[0]);
  if (outcome.passwordStolen) {
    return pass(name + ": the chain-only victim sent " + outcome.stolen +
                " — the chain (attacker32.com ← Issuing CA ← lab root) is valid, and nobody compared attacker32.com with bank32.com");
  }
  return fail("with " + name + " the chain-only victim stopped: " + describeStop(outcome) + ", so its chain check caught it",
              "the chain-only victim checks everything but the name: which certificate has a valid chain to the lab root, "
              "issued for another name?");
}

std::string correctVictimErrorReference(const std::filesystem::path& certsDir, AttackerCertificate strategy) {
  const auto o = attack(certsDir, strategy, VictimMode::Correct);
  return o.error.empty() ? "(no error: " + o.victimRun.error + ")" : fmt::format("{} at depth {}", o.error, o.errorDepth);
}

CheckResult checkCorrectVictimError(const CheckEnv& env, AttackerCertificate strategy, std::string_view key) {
  const std::string name = endpoints::attackerCertificateName(strategy);
  env.say("attacking the correct victim with " + name);
  const auto outcome = attack(env.certsDir, strategy, VictimMode::Correct, env.variant);
  if (!outcome.setupError.empty()) return skipped("the attack could not run here: " + outcome.setupError);
  if (outcome.error.empty())
    return skipped("the correct victim reported no verify error here (" + outcome.victimRun.error + "): nothing to judge");
  const ErrorAnswer answer = readErrorAnswer(env.answer(key)->value);
  const std::string right = fmt::format("{} at depth {}", outcome.error, outcome.errorDepth);
  const std::string tryIt = "`tlslab lab run mitm --strategy " + name + " --victim correct` shows the verify step of each depth";
  if (namesError(answer, outcome)) {
    if (!answer.depth) return fail("the error is right; now say at which depth it was found", "depth 0 is the server's own certificate, 1 its issuer, 2 the root");
    if (*answer.depth == outcome.errorDepth)
      return pass(right + ": " + (outcome.error == "HOSTNAME_MISMATCH"
                                      ? "the chain is fine, the leaf's names (attacker32.com) are not bank32.com"
                                      : "the leaf's issuer is not among the trusted certificates, so the chain ends at the leaf"));
    return fail(fmt::format("the error is right, but the correct victim found it at depth {}, not {}", outcome.errorDepth, *answer.depth),
                "which certificate carries the host name, and which one has the unknown issuer? depth 0 is the leaf");
  }
  // Which other attack the named error belongs to, so the student sees the mix-up.
  for (auto other : endpoints::allAttackerCertificates()) {
    if (other == strategy) continue;
    const auto& expected = scenarios::expectedOutcome(other, VictimMode::Correct);
    if (mentions(answer, expected.error))
      return fail(std::string(expected.error) + " is what stops " + endpoints::attackerCertificateName(other) + ", not " + name,
                  name == "attacker-own" ? "attacker-own's chain is valid (the lab CA issued it): what else can be wrong?"
                                         : "the Rogue CA's leaf does say bank32.com: the name is fine, so what is not?");
  }
  return fail("that is not the error the correct victim reported for " + name, tryIt);
}

CheckResult checkMissingCall(const CheckEnv& env) {
  // "SSL_set1_host(ssl, name)", "ssl set1 host": the name before any '(' with the separators gone.
  const std::string& answer = env.answer("missing_call")->value;
  const std::string call = squashed(answer.substr(0, answer.find('(')));
  if (call == "sslset1host" || call == "x509verifyparamset1host" || call == "ssladd1host" || call == "x509verifyparamadd1host")
    return pass("yes: it tells OpenSSL the name to expect, so the handshake fails with HOSTNAME_MISMATCH at depth 0 "
                "(RFC 6125 §6: the client must compare the name it wanted with the certificate's)");
  if (call == "x509checkhost")
    return pass("X509_check_host works if you call it on the peer's certificate after the handshake and abort on failure; "
                "SSL_set1_host makes the handshake itself fail");
  if (call == "sslsetverify" || call == "sslctxsetverify")
    return fail("the chain-only client already calls it with SSL_VERIFY_PEER: that is why it checks the chain at all",
                "the chain is valid here; what does OpenSSL not know unless you tell it?");
  if (call == "sslsettlsexthostname")
    return fail("that sends the name to the server (SNI, RFC 6066 §3): it makes the client check nothing",
                "look for the call that makes the client compare the name with the certificate");
  if (call == "sslgetverifyresult")
    return fail("that only reads the verdict, and it is X509_V_OK for attacker32.com unless the name was given first",
                "which call gives OpenSSL the name before the handshake?");
  if (call == "sslctxloadverifylocations" || call == "sslctxsetdefaultverifypaths")
    return fail("that loads the trust anchors; the chain-only client has them, and the attacker's chain is valid against them",
                "the missing piece is the name, not the CA");
  return fail("'" + answer + "' is not the call that makes a client check the host name",
              "compare the correct victim with the chain-only one: man SSL_set1_host");
}

}  // namespace tlslab::course::lab03
