// Lab 3 — Posing: man in the middle. Poisoned name resolution sends the
// victim to the attacker's proxy; which certificate beats which check, and
// then the same attack against the real clients installed here (curl, wget,
// python3, gnutls-cli, openssl s_client, Chromium). The checks are in
// Lab03Checks.cpp and Lab03RealClients.cpp.
#include "Lab03Checks.hpp"
#include "Labs.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::course {
namespace {

using endpoints::AttackerCertificate;
using namespace lab03;

LabDefinition define() {
  LabDefinition lab;
  lab.number = 3;
  lab.slug = "mitm";
  lab.title = "Posing: man in the middle";
  lab.goal = "Steal a password by posing as the bank, then find which certificate checks stop the attacker — in the "
             "lab's victims and in the real clients on your machine.";
  lab.minutes = 75;
  lab.tutorial = "03-mitm.md";
  lab.questions = {
      {"password", "What password did your victim send to the attacker? (tlslab lab run mitm --student YOU)",
       "the password, exactly", [](const Variant& v) { return victimPassword(v); }},
      {"chain_only_strategy", "Which attacker certificate (--strategy) gets the password from the chain-only victim?",
       "one --strategy name", [](const Variant&) { return chainOnlyStrategyReference(); }},
      {"attacker_own_error",
       "With --strategy attacker-own, which verify error stops the correct victim, and at which chain depth?",
       "ERROR_NAME at depth N, e.g. CERT_HAS_EXPIRED at depth 0",
       [](const Variant&) { return correctVictimErrorReference(certsDir(), AttackerCertificate::AttackerOwn); }},
      {"rogue_ca_error", "With --strategy rogue-ca, which verify error stops the correct victim, and at which depth?",
       "ERROR_NAME at depth N",
       [](const Variant&) { return correctVictimErrorReference(certsDir(), AttackerCertificate::RogueSigned); }},
      {"real_clients_sent",
       "Which real clients sent the password to the attacker? (tlslab lab run real-clients, the attacker-own certificate)",
       "client names as the table writes them, separated by commas; none if none",
       [](const Variant& v) { return realClientsSentReference(certsDir(), v); }},
      {"missing_call", "Which single OpenSSL call does the chain-only client lack?", "a function name",
       [](const Variant&) { return std::string("SSL_set1_host"); }},
  };
  lab.hints = {
      "Run the attack on yourself: `tlslab lab run mitm --student YOU`. The victim checks the chain only; the last "
      "lines show what the attacker's proxy logged.",
      "`tlslab lab run mitm --matrix` tries every attacker certificate against every victim: find the one row where "
      "the chain-only victim loses its password.",
      "`tlslab lab run mitm --strategy attacker-own --victim correct` prints a verify step per certificate: depth 0 is "
      "the server's own certificate, 1 its issuer, 2 the root. Which one carries the name?",
      "`tlslab lab run real-clients` runs curl, wget, python3, gnutls-cli, openssl s_client and Chromium against the "
      "same attacker; the column 'sent the password?' comes from the attacker's log.",
      "The correct victim and the chain-only one differ by one call that tells OpenSSL which name to expect before "
      "the handshake (see `man SSL_set1_host`).",
  };
  lab.personal = [](const Variant& v) {
    return std::vector<std::string>{
        "You are the victim `" + victimUser(v) + "`: you log in to https://bank32.com/ with a password of your own, and "
        "the attacker on 127.0.0.66 wants it.",
        "`tlslab lab run mitm --student " + v.student() + "` runs the attack on you; `tlslab lab run real-clients` "
        "runs it on the real clients of this machine."};
  };
  lab.checks = {
      {"password", "the password the attacker stole", "password", false, checkPassword},
      {"chain_only_strategy", "the certificate that beats a chain-only client", "chain_only_strategy", false,
       checkChainOnlyStrategy},
      {"attacker_own_error", "where a correct client stops attacker-own", "attacker_own_error", false,
       [](const CheckEnv& env) { return checkCorrectVictimError(env, AttackerCertificate::AttackerOwn, "attacker_own_error"); }},
      {"rogue_ca_error", "where a correct client stops rogue-ca", "rogue_ca_error", false,
       [](const CheckEnv& env) { return checkCorrectVictimError(env, AttackerCertificate::RogueSigned, "rogue_ca_error"); }},
      {"real_clients_sent", "the real clients that sent the password (a live run)", "real_clients_sent", false,
       checkRealClientsSent},
      {"missing_call", "the call that makes a client check the host name", "missing_call", false, checkMissingCall},
  };
  return lab;
}

}  // namespace

const LabDefinition& lab03Mitm() {
  static const LabDefinition lab = define();
  return lab;
}

}  // namespace tlslab::course
