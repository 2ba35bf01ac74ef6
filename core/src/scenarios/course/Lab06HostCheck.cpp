// Lab 6 — Host-name checking and the verify callback: the student takes the
// host-name check out of their lab-4 client and watches the man in the middle
// succeed (`tlslab lab try 6 --against attacker`), then tries the textbook's
// callback that returns 1 ("This is not safe!"), and ends with a client the
// attacker cannot fool. The attacker's second certificate (one with a bad
// chain) and the page token behind it are the student's own.
#include "CheckHelpers.hpp"
#include "ExerciseLabs.hpp"
#include "Labs.hpp"
#include "tlslab/scenarios/MitmLab.hpp"

namespace tlslab::course {
namespace {

using endpoints::AttackerCertificate;

AttackerCertificate chainAttack(const Variant& v) { return detail::lab6ChainAttack(v); }

// What a correct client reports for an attacker certificate (the MITM lab's own table).
int correctError(AttackerCertificate strategy) {
  const auto& expected = scenarios::expectedOutcome(strategy, scenarios::VictimMode::Correct);
  const auto* info = detail::verifyErrorNamed(std::string("X509_V_ERR_") + expected.error);
  return info ? info->code : -1;
}
int correctDepth(AttackerCertificate strategy) {
  return scenarios::expectedOutcome(strategy, scenarios::VictimMode::Correct).depth;
}

CheckResult checkAttacker(const CheckEnv& env) {
  auto setup = programCheckSetup(6, env);
  if (!setup.problem.empty()) return fail(setup.problem, "run the check from your lab 6 workspace");
  return checkClientRejectsAttacker(setup.client).result;
}

CheckResult checkRelayedToken(const CheckEnv& env) {
  const std::string right = detail::relayedToken(*env.variant);
  std::string answer = normalizedHex(env.answer("relayed_token")->value);
  if (answer == right)
    return pass("token " + right + ": the attacker read your request, fetched the real page and handed it to your "
                "client, which printed it without noticing");
  if (answer == detail::pageToken(*env.variant))
    return fail("that is the token of the page you get from bank32.com directly",
                "the attacker's run has its own: look at the attacker's log in `tlslab lab try 6 --against attacker` "
                "with a client that has no host-name check");
  return fail("that is not the token the attacker relayed to you",
              "take the host-name check out, rebuild, and run `tlslab lab try 6 --against attacker`: the attacker's "
              "log and your client's output show it");
}

CheckResult checkAttackerName(const CheckEnv& env) {
  std::string answer = normalizedWords(env.answer("accepted_name")->value);
  if (answer.rfind("cn=", 0) == 0) answer.erase(0, 3);
  if (answer == "attacker32.com" || answer == "www.attacker32.com")
    return pass("attacker32.com: a valid certificate from the trusted Issuing CA, for the attacker's own site");
  if (answer == "bank32.com")
    return fail("the certificate your client accepted is not for bank32.com: that is the whole point",
                "look at the subject the attacker presented (its log, or your verify callback's output)");
  return fail("'" + env.answer("accepted_name")->value + "' is not the name in the attacker's certificate",
              "`tlslab certs show attacker32/cert.pem` shows the certificate the attacker presents first");
}

CheckResult checkMismatchError(const CheckEnv& env) {
  return detail::judgeVerifyError(env.answer("mismatch_error")->value, correctError(AttackerCertificate::AttackerOwn),
                                  "attacker32.com's certificate presented for bank32.com",
                                  "put the host-name check back: what does your client print for the attacker?");
}

CheckResult checkMismatchDepth(const CheckEnv& env) {
  return detail::judgeDepth(env.answer("mismatch_depth")->value, correctDepth(AttackerCertificate::AttackerOwn),
                            "the name belongs to the server's own certificate, the leaf");
}

CheckResult checkSecondError(const CheckEnv& env) {
  AttackerCertificate second = chainAttack(*env.variant);
  return detail::judgeVerifyError(env.answer("second_error")->value, correctError(second),
                                  std::string("the attacker's second certificate (") +
                                      endpoints::attackerCertificateDescription(second) + ")",
                                  "with the host check back and the callback returning preverify_ok, run "
                                  "`tlslab lab try 6 --against attacker`: your client's second run prints it");
}

CheckResult checkSecondDepth(const CheckEnv& env) {
  AttackerCertificate second = chainAttack(*env.variant);
  return detail::judgeDepth(env.answer("second_depth")->value, correctDepth(second),
                            std::string("where a correct client stops for ") + endpoints::attackerCertificateDescription(second));
}

LabDefinition define() {
  LabDefinition lab;
  lab.number = 6;
  lab.slug = "host-check";
  lab.title = "Host-name checking and the verify callback";
  lab.goal = "See a man in the middle read everything a client without a host-name check sends, and why a verify "
             "callback that returns 1 is no safer.";
  lab.minutes = 45;
  lab.tutorial = "06-host-check.md";
  lab.exercises = {{"tls_client.c", "tls_client", Exercise::Kind::Client,
                    "PROGRAM HOSTNAME PORT, trusted CAs in ./cert, prints the response on stdout"}};
  lab.questions = {
      {"relayed_token", "Which page token did the attacker relay to your client without the host-name check?",
       "the hex token", [](const Variant& v) { return detail::relayedToken(v); }},
      {"accepted_name", "For which site was the certificate that client accepted?", "a host name",
       [](const Variant&) { return std::string("attacker32.com"); }},
      {"mismatch_error", "Which verify error does a correct client report for that certificate?", "OpenSSL's name",
       [](const Variant&) { return std::string(detail::verifyErrorInfo(correctError(AttackerCertificate::AttackerOwn))->name); }},
      {"mismatch_depth", "At which depth?", "a number",
       [](const Variant&) { return std::to_string(correctDepth(AttackerCertificate::AttackerOwn)); }},
      {"second_error", "The attacker's second certificate fooled the callback that returns 1: which error does a "
                       "correct client report for it?", "OpenSSL's name",
       [](const Variant& v) { return std::string(detail::verifyErrorInfo(correctError(chainAttack(v)))->name); },
       [](const Variant& v) {
         return std::string("The attacker's second certificate (") + endpoints::attackerCertificateDescription(chainAttack(v)) +
                ") fooled the callback that returns 1: which error does a correct client report for it?";
       }},
      {"second_depth", "At which depth?", "a number",
       [](const Variant& v) { return std::to_string(correctDepth(chainAttack(v))); }},
  };
  lab.hints = {
      "Copy your tls_client.c from lab 4 into this folder and `make`. Then change one thing at a time and run "
      "`tlslab lab try 6 --against attacker` after each change.",
      "Step 1: comment out X509_VERIFY_PARAM_set1_host and rebuild. The attacker's log shows your request and the "
      "page it relayed back; your client printed that page too.",
      "Step 2: put the host check back and pass a verify callback to SSL_CTX_set_verify that prints the error and "
      "returns 1. Now the attacker's second certificate gets through as well.",
      "Step 3: return preverify_ok from the callback. The check passes only when the attacker sees no request at all.",
  };
  lab.personal = [](const Variant&) {
    return std::vector<std::string>{
        "The attacker waits at 127.0.0.66: `tlslab lab try 6 --against attacker` makes bank32.com resolve there "
        "(the textbook's /etc/hosts line) and runs your client against it.",
        "Its second certificate, and the page token behind it, are yours alone: your answers must come from your own runs."};
  };
  lab.materials = [](const MaterialsEnv& env) {
    env.say("cert/: the lab root under its hashed name (as in lab 4)");
    return detail::writeTrustDir(env.certsDir, env.workspace);
  };
  lab.checks = {
      {"client-attacker", "your client refuses the man in the middle", "", true, checkAttacker},
      {"relayed_token", "the token the attacker relayed to your unsafe client", "relayed_token", false, checkRelayedToken},
      {"accepted_name", "the name in the certificate the unsafe client accepted", "accepted_name", false, checkAttackerName},
      {"mismatch_error", "the error a correct client reports for it", "mismatch_error", false, checkMismatchError},
      {"mismatch_depth", "its depth", "mismatch_depth", false, checkMismatchDepth},
      {"second_error", "the error for the attacker's second certificate", "second_error", false, checkSecondError},
      {"second_depth", "its depth", "second_depth", false, checkSecondDepth},
  };
  return lab;
}

}  // namespace

const LabDefinition& lab06HostCheck() {
  static const LabDefinition lab = define();
  return lab;
}

}  // namespace tlslab::course
