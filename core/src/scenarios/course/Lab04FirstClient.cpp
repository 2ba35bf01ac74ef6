// Lab 4 — Your first TLS client: the student completes labs/exercises/tls_client.c
// (context + trusted CAs + host-name check, TCP, SSL_connect, request and
// response); the checker runs it against the lab server (it must print the
// page's token), the bad-certificate gallery and a man in the middle (neither
// may ever see its request).
#include "CheckHelpers.hpp"
#include "ExerciseLabs.hpp"
#include "Labs.hpp"
#include "tlslab/pki/Catalog.hpp"

namespace tlslab::course {
namespace {

int expiredError() { return pki::findEntry("expired")->expectedError; }
int expiredDepth() { return pki::findEntry("expired")->expectedDepth; }
int hostnameMismatch() { return pki::findEntry("wrong-host")->expectedError; }

template <class Check>
CheckResult runClientCheck(const CheckEnv& env, Check check) {
  auto setup = programCheckSetup(4, env);
  if (!setup.problem.empty()) return fail(setup.problem, "run the check from your lab 4 workspace");
  return check(setup.client).result;
}

CheckResult checkHostCall(const CheckEnv& env) {
  std::string name = detail::functionName(env.answer("host_check_call")->value);
  if (name == "x509_verify_param_set1_host" || name == "ssl_set1_host")
    return pass("X509_VERIFY_PARAM_set1_host (SSL_set1_host is the same call on the SSL): OpenSSL then compares the "
                "name with the certificate's subjectAltName during the handshake (RFC 6125)");
  if (name == "ssl_ctx_set_verify")
    return fail("SSL_CTX_set_verify turns chain verification on; it never looks at the host name",
                "a chain can be perfectly valid for another site: which call tells OpenSSL the name you expect?");
  if (name == "ssl_set_tlsext_host_name")
    return fail("SSL_set_tlsext_host_name sends the name to the server (SNI); it checks nothing",
                "look at the call on SSL_get0_param(ssl) in the textbook's client");
  if (name == "x509_check_host")
    return fail("X509_check_host compares a name with a certificate, but a client never calls it itself in a "
                "handshake", "which call makes OpenSSL's verification call it for you?");
  return fail("'" + env.answer("host_check_call")->value + "' is not the call that checks the host name",
              "it is called on SSL_get0_param(ssl) before SSL_connect; without it the attacker check fails");
}

CheckResult checkExpiredError(const CheckEnv& env) {
  return detail::judgeVerifyError(env.answer("expired_error")->value, expiredError(), "the gallery's expired certificate",
                                  "run `tlslab lab try 4 --against expired`: what does your client print? "
                                  "(or `tlslab certs verify expired`)");
}

CheckResult checkExpiredDepth(const CheckEnv& env) {
  return detail::judgeDepth(env.answer("expired_depth")->value, expiredDepth(),
                            "the server's own certificate expired in 2001; its CAs are fine");
}

CheckResult checkWrongHostError(const CheckEnv& env) {
  return detail::judgeVerifyError(env.answer("wrong_host_error")->value, hostnameMismatch(),
                                  "gallery wrong-host (a valid chain for other.test)",
                                  "the chain is fine here: only the name check fails. `tlslab certs verify wrong-host`");
}

CheckResult checkPageToken(const CheckEnv& env) {
  const std::string right = detail::pageToken(*env.variant);
  std::string answer = normalizedHex(env.answer("page_token")->value);
  if (answer == right) return pass("your client fetched your own page: token " + right);
  return fail("that is not the token on your page",
              "`tlslab lab try 4` runs your client against the lab server and shows what it printed: the page says "
              "\"Your page token: …\"");
}

LabDefinition define() {
  LabDefinition lab;
  lab.number = 4;
  lab.slug = "first-client";
  lab.title = "Your first TLS client";
  lab.goal = "Write a TLS client in C that gets a page from bank32.com and refuses every bad certificate and the "
             "man in the middle.";
  lab.minutes = 90;
  lab.tutorial = "04-first-client.md";
  lab.exercises = {{"tls_client.c", "tls_client", Exercise::Kind::Client,
                    "PROGRAM HOSTNAME PORT, trusted CAs in ./cert, prints the response on stdout"}};
  lab.questions = {
      {"page_token", "Which page token did the lab server's page carry for you?", "the hex token, e.g. 3f09a1c2b4d5",
       [](const Variant& v) { return detail::pageToken(v); }},
      {"host_check_call", "Which OpenSSL call makes your client compare the certificate with the host name?",
       "a function name", [](const Variant&) { return std::string("X509_VERIFY_PARAM_set1_host"); }},
      {"expired_error", "Which verify error does a correct client get for the gallery's expired certificate?",
       "OpenSSL's name, e.g. X509_V_ERR_…", [](const Variant&) { return std::string(detail::verifyErrorInfo(expiredError())->name); }},
      {"expired_depth", "At which chain depth is that error reported?", "a number",
       [](const Variant&) { return std::to_string(expiredDepth()); }},
      {"wrong_host_error", "And for the gallery's wrong-host certificate?", "OpenSSL's name, e.g. X509_V_ERR_…",
       [](const Variant&) { return std::string(detail::verifyErrorInfo(hostnameMismatch())->name); }},
  };
  lab.hints = {
      "Work in the four steps of tls_client.c and build after each (`make`): the context, the TCP connection, the "
      "handshake, the data. `tlslab lab try 4` shows what your program printed and what the server saw.",
      "TODO 1: SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL); SSL_CTX_load_verify_locations(ctx, NULL, CA_DIR); "
      "and after SSL_new, the host name on SSL_get0_param(ssl).",
      "TODO 2 is plain sockets: gethostbyname(hostname) gives hp->h_addr_list[0]; copy it into a sockaddr_in with "
      "htons(port), then socket(AF_INET, SOCK_STREAM, 0) and connect().",
      "The lab server closes the connection after its page, so a loop `while ((n = SSL_read(ssl, buf, sizeof buf)) "
      "> 0) fwrite(buf, 1, n, stdout);` ends by itself.",
      "If the gallery check names wrong-host and wildcard only, your chain checking works but nothing compares the "
      "name: X509_VERIFY_PARAM_set1_host(SSL_get0_param(ssl), hostname, 0).",
  };
  lab.personal = [](const Variant&) {
    return std::vector<std::string>{
        "Your client runs as `./tls_client bank32.com PORT` in this folder; ./cert holds the lab root under its "
        "hashed name (and the Issuing CA's CRL, for the bonus).",
        "The lab server's page carries a token that is yours alone: your client must print it."};
  };
  lab.materials = [](const MaterialsEnv& env) {
    env.say("cert/: the lab root under its hashed name (the textbook's CA_DIR)");
    return detail::writeTrustDir(env.certsDir, env.workspace);
  };
  lab.checks = {
      {"client-page", "your client gets the lab server's page", "", true,
       [](const CheckEnv& env) { return runClientCheck(env, checkClientGetsPage); }},
      {"client-gallery", "your client rejects every bad certificate of the gallery", "", true,
       [](const CheckEnv& env) {
         return runClientCheck(env, [](const ClientCheckOptions& o) { return checkClientRejectsGallery(o); });
       }},
      {"client-attacker", "your client refuses the man in the middle", "", true,
       [](const CheckEnv& env) { return runClientCheck(env, checkClientRejectsAttacker); }},
      {"page_token", "the token of your page", "page_token", false, checkPageToken},
      {"host_check_call", "the call that checks the host name", "host_check_call", false, checkHostCall},
      {"expired_error", "the error for an expired certificate", "expired_error", false, checkExpiredError},
      {"expired_depth", "the depth of that error", "expired_depth", false, checkExpiredDepth},
      {"wrong_host_error", "the error for a certificate of another site", "wrong_host_error", false, checkWrongHostError},
  };
  return lab;
}

}  // namespace

const LabDefinition& lab04FirstClient() {
  static const LabDefinition lab = define();
  return lab;
}

}  // namespace tlslab::course
