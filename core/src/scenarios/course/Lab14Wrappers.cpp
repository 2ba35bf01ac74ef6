// Lab 14 — Secure sockets in the application versus in the network: an
// unmodified plaintext program made secure by a TLS wrapper (`tlslab wrap`,
// and Debian's stunnel4), against the textbook's way of changing the program's
// socket calls (labs 4 and 7). The lesson is who can verify what: behind a
// wrapper the application never sees a certificate, and a wrapper that does
// not verify lets a man in the middle through where the application had no say.
// Every answer is judged against a run the check makes.
#include <cctype>
#include <fstream>
#include <regex>
#include <sstream>

#include "CheckHelpers.hpp"
#include "ExerciseLabs.hpp"
#include "Lab14Checks.hpp"
#include "Lab14Runs.hpp"
#include "Labs.hpp"
#include "tlslab/scenarios/MitmLab.hpp"
#include "tlslab/scenarios/course/StudentPki.hpp"

namespace tlslab::course {
namespace {

namespace fs = std::filesystem;
using lab14::Values;
using lab14::valuesOf;

std::string trimmed(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.erase(0, 1);
  return text;
}

// "CN=alice-3f09,O=tlslab course", "O = tlslab course, CN = alice-3f09" (stunnel's order) or "alice-3f09": the CN.
std::string commonNameIn(const std::string& answer) {
  std::smatch m;
  if (std::regex_search(answer, m, std::regex("CN\\s*=\\s*([^,/]+)", std::regex::icase))) return trimmed(m[1]);
  return trimmed(answer);
}

CheckResult skippedRun(const std::string& error) { return skipped("the lab could not run here: " + error); }

CheckResult checkClientSubject(const CheckEnv& env) {
  const Values values = valuesOf(*env.variant);
  std::string error;
  auto run = lab14::wrappedServerRun(env, values, error);
  if (!error.empty()) return skippedRun(error);
  if (run.wrapper.empty() || run.wrapper.front().peerCertificate.empty())
    return skippedRun("the wrapper logged no client certificate for the client that had one");
  const std::string logged = run.wrapper.front().peerCertificate;
  const std::string cn = commonNameIn(env.answer("wrapper_client_subject")->value);
  if (cn == values.clientCn && logged.find("CN=" + cn) != std::string::npos)
    return pass("the wrapper logged «" + logged + "»: it verified that certificate in the handshake");
  if (sameText(cn, values.host))
    return fail("that is the name in the wrapper's own certificate, the one it presents to clients",
                "the client's certificate is the one in client/chain.pem: the wrapper logs it after `client certificate:`");
  if (cn == "-" || sameText(cn, "none") || sameText(cn, "nothing"))
    return fail("that is what the application logged; the wrapper did see a certificate",
                "read the wrapper's log (`tlslab wrap` prints one line per step), not the application's");
  if (sameText(cn, "tlslab Issuing CA") || sameText(cn, "tlslab Root CA"))
    return fail("that is a CA: the wrapper logs the client's own certificate, not its issuer",
                "the line `client certificate: CN=…` of the wrapper's log");
  return fail("'" + cn + "' is not the subject of your client certificate",
              "`openssl x509 -in client/chain.pem -noout -subject`, then compare with the wrapper's log");
}

CheckResult checkApplicationUser(const CheckEnv& env) {
  const Values values = valuesOf(*env.variant);
  std::string error;
  auto run = lab14::wrappedServerRun(env, values, error);
  if (!error.empty()) return skippedRun(error);
  const auto log = run.applicationLog();
  if (log.empty()) return skippedRun("the application logged no request");
  std::istringstream fields(log.front());
  std::string host, ident, user;
  fields >> host >> ident >> user;
  const std::string answer = trimmed(env.answer("application_user")->value);
  const std::string said = normalizedWords(answer);
  if (answer == user || (user == "-" && (said == "none" || said == "nothing" || said == "empty" || said == "dash")))
    return pass("«" + log.front() + "»: the authuser field is «" + user +
                "». The bytes came from the wrapper, and nothing in them says who the client is");
  if (commonNameIn(answer) == values.clientCn)
    return fail("that is in the wrapper's log; the application never received the certificate",
                "the application's log line is in Common Log Format: host ident authuser [time] \"request\" status bytes");
  if (answer == host)
    return fail("that is the host field: the address of the wrapper, the only peer the application has",
                "the third field is the user");
  return fail("that is not the third field of the application's log line", "host ident authuser [time] …: which is the user?");
}

CheckResult checkApplicationConnections(const CheckEnv& env) {
  const Values values = valuesOf(*env.variant);
  std::string error;
  auto run = lab14::wrappedServerRun(env, values, error);
  if (!error.empty()) return skippedRun(error);
  auto n = answerNumber(env.answer("application_connections")->value);
  if (!n) return fail("that is not a number", "count the application's log lines");
  const long long seen = static_cast<long long>(run.application.size());
  if (*n == seen)
    return pass(fmt::format("{}: the wrapper refused the client without a certificate during the handshake, before it "
                            "ever connected to the application", seen));
  if (*n == static_cast<long long>(run.clients.size()))
    return fail("one of the two clients never reached the application",
                "the wrapper refuses a client without a certificate in the handshake: does it then open a "
                "connection onwards?");
  return fail(fmt::format("the application did not see {} connection(s)", *n),
              "one log line per connection: count the application's lines, not the wrapper's");
}

CheckResult checkWrapperError(const CheckEnv& env) {
  const Values values = valuesOf(*env.variant);
  auto run = lab14::wrappedClientRun(env, values, endpoints::VerifyMode::ChainAndHost);
  if (!run.setupError.empty()) return skippedRun(run.setupError);
  if (run.wrapper.empty() || run.wrapper.front().verify.errorCode == 0)
    return skippedRun("the wrapper reported no verification error against the attacker");
  const auto& verify = run.wrapper.front().verify;
  return detail::judgeVerifyError(env.answer("wrapper_error")->value, verify.errorCode,
                                  std::string("the attacker's certificate (") +
                                      endpoints::attackerCertificateDescription(values.attacker) + ")",
                                  "the wrapper's log: `server certificate … refused: X509_V_ERR_…`");
}

CheckResult checkAcceptedIssuer(const CheckEnv& env) {
  const Values values = valuesOf(*env.variant);
  auto run = lab14::wrappedClientRun(env, values, endpoints::VerifyMode::None);
  if (!run.setupError.empty()) return skippedRun(run.setupError);
  if (!run.passwordStolen || run.wrapper.empty() || run.wrapper.front().peerIssuer.empty())
    return skippedRun("the attacker did not get the login through a wrapper that verifies nothing");
  const std::string issuer = commonNameIn(run.wrapper.front().peerIssuer);
  const std::string answer = commonNameIn(env.answer("accepted_issuer")->value);
  if (sameText(answer, "tlslab Root CA") && sameText(issuer, "tlslab Issuing CA"))
    return fail("the root signed the Issuing CA; which CA issued the attacker's certificate itself?",
                "read `issued by` in the wrapper's log");
  if (sameText(answer, issuer))
    return pass("«" + run.wrapper.front().peerIssuer + "»: the wrapper took that certificate unchecked, and the "
                "attacker read the whole login («" + values.password + "») — the plaintext client could not check anything");
  if (sameText(answer, "tlslab Root CA") || sameText(answer, "tlslab Issuing CA"))
    return fail("the lab's CA did not issue the certificate the attacker presented to you",
                "a wrapper that verifies nothing accepts a certificate from anyone: read `issued by` in its log");
  const std::string said = normalizedWords(answer);
  if (said == "nobody" || said == "none" || said == "nothing")
    return fail("every certificate names an issuer, even a self-signed one (itself)", "read `issued by` in the wrapper's log");
  return fail("'" + answer + "' is not the issuer of the certificate the attacker presented",
              "run `tlslab wrap --client --verify none …` against the attacker and read the wrapper's log");
}

CheckResult checkClientReceived(const CheckEnv& env) {
  const Values values = valuesOf(*env.variant);
  auto run = lab14::wrappedClientRun(env, values, endpoints::VerifyMode::ChainAndHost);
  if (!run.setupError.empty()) return skippedRun(run.setupError);
  if (!run.client.received.empty()) return skippedRun("the plaintext client did receive bytes through a verifying wrapper");
  const std::string said = normalizedWords(env.answer("client_received")->value);
  if (said == "nothing" || said == "none" || said == "0" || said.find("empty") != std::string::npos ||
      said.find("0 bytes") != std::string::npos || said.find("(52)") != std::string::npos)
    return pass("nothing: the wrapper closed the plaintext connection without a byte (curl: «Empty reply from "
                "server»). The reason is in the wrapper's log only");
  for (const char* word : {"certificate", "mismatch", "self signed", "issuer", "x509", "verify", "alert", "ca"})
    if (said.find(word) != std::string::npos)
      return fail("that is in the wrapper's log; the plaintext client is never told why",
                  "what did curl itself print? (the client speaks cleartext HTTP: there is no way to send it an alert)");
  return fail("that is not what the plaintext client received", "run curl through the wrapper and read what it prints");
}

CheckResult checkPeerCertificateCall(const CheckEnv& env) {
  const std::string name = detail::functionName(env.answer("peer_certificate_call")->value);
  if (name == "ssl_get_peer_certificate" || name == "ssl_get1_peer_certificate" || name == "ssl_get0_peer_certificate")
    return pass("SSL_get1_peer_certificate (SSL_get_peer_certificate in older code): the certificate the handshake "
                "verified, in the program's hands — a plaintext program behind a wrapper has no SSL to call it on");
  if (name == "ssl_get_verify_result")
    return fail("SSL_get_verify_result says whether verification succeeded, not whose certificate it was",
                "which call returns the X509 itself?");
  if (name == "ssl_ctx_set_verify")
    return fail("SSL_CTX_set_verify asks for (and checks) a client certificate; it hands the program nothing",
                "after SSL_accept, which call gives you the client's certificate?");
  if (name == "ssl_get_peer_cert_chain")
    return fail("on a server, SSL_get_peer_cert_chain leaves out the client's own certificate",
                "the call for the peer's certificate itself");
  return fail("'" + env.answer("peer_certificate_call")->value + "' is not that call",
              "it takes the SSL and returns an X509* (SSL_get1_…)");
}

std::string materials(const MaterialsEnv& env) {
  const Values values = valuesOf(*env.variant);
  auto server = issueStudentServer(env.certsDir, values.host);
  if (!server) return server.error();
  std::error_code ec;
  for (const char* dir : {"server", "client"}) fs::create_directories(env.workspace / dir, ec);
  if (ec) return "cannot make server/ and client/ in " + env.workspace.string() + ": " + ec.message();
  env.say("server/: the wrapper's certificate for " + values.host + "; client/: your client certificate (" +
          values.clientSubject() + ")");
  if (auto err = lab14::issueClient(env.certsDir, values.clientCn, false, env.workspace / "client", "client"); !err.empty())
    return err;
  fs::rename(env.workspace / "client" / "client-chain.pem", env.workspace / "client" / "chain.pem", ec);
  fs::rename(env.workspace / "client" / "client-key.pem", env.workspace / "client" / "key.pem", ec);
  fs::copy_file(env.certsDir / "root-ca" / "cert.pem", env.workspace / "root-ca.pem", fs::copy_options::overwrite_existing, ec);
  if (ec) return "cannot copy the lab root into the workspace: " + ec.message();
  const std::string host = values.host + "\n";
  const std::pair<const char*, const std::string*> files[] = {
      {"server/chain.pem", &server->chainPem}, {"server/key.pem", &server->keyPem}, {"host.txt", &host}};
  for (auto [file, text] : files) {
    std::ofstream out(env.workspace / file, std::ios::trunc);
    out << *text;
    if (!out) return std::string("cannot write ") + file;
  }
  return lab14::writeStunnelStarters(env.workspace);
}

LabDefinition define() {
  LabDefinition lab;
  lab.number = 14;
  lab.slug = "wrappers";
  lab.title = "Secure sockets in the application versus in the network";
  lab.goal = "Make a plaintext program secure with a TLS wrapper (tlslab wrap, stunnel4), and find out what the "
             "program behind it can no longer verify.";
  lab.minutes = 75;
  lab.tutorial = "14-wrappers.md";
  lab.questions = {
      {"wrapper_client_subject", "Which client certificate subject did the server-mode wrapper log?", "a subject, e.g. CN=…,O=…",
       [](const Variant& v) { return valuesOf(v).clientSubject(); }},
      {"application_user", "What is in the user (authuser) field of the application's log line for that request?",
       "the field as logged", [](const Variant&) { return std::string("-"); }},
      {"application_connections",
       "One client with your certificate and one without tried the wrapped server: how many connections did the "
       "application see?", "a number", [](const Variant&) { return std::string("1"); }},
      {"wrapper_error", "The client-mode wrapper, verifying, was sent to the attacker: which verify error did it log?",
       "OpenSSL's name, e.g. X509_V_ERR_…",
       [](const Variant& v) {
         const char* error = scenarios::expectedOutcome(valuesOf(v).attacker, scenarios::VictimMode::Correct).error;
         return "X509_V_ERR_" + std::string(error);
       }},
      {"client_received", "And what did the plaintext client (curl) receive from the wrapper then?", "what it got",
       [](const Variant&) { return std::string("nothing"); }},
      {"accepted_issuer", "With --verify none, who issued the certificate the wrapper accepted?",
       "the issuer's name (its CN)", [](const Variant& v) { return lab14::attackerIssuer(valuesOf(v).attacker); }},
      {"peer_certificate_call",
       "Which OpenSSL call gives your lab 7 server the client's certificate — a call the program behind a wrapper "
       "cannot make?", "a function name", [](const Variant&) { return std::string("SSL_get1_peer_certificate"); }},
  };
  lab.hints = {
      "Start the plaintext application (`tlslab serve --plain --port 8014`), then `tlslab wrap` in front of it with "
      "server/chain.pem and --client-ca root-ca.pem, and connect with your client certificate: compare the two logs.",
      "The application's log is one line per connection in Common Log Format: host ident authuser [time] \"request\" "
      "status bytes. Which of those could it fill from what reached it?",
      "For the client side, `tlslab mitm` plays the attacker on 127.0.0.66; point `tlslab wrap --client` at it, once "
      "with --verify correct (the default) and once with --verify none, and send curl through it.",
      "stunnel verifies nothing unless told: in server mode CAfile + verifyChain (+ requireCert), in client mode "
      "CAfile + verifyChain + checkHost. `man stunnel4`.",
  };
  lab.personal = [](const Variant& v) {
    const Values values = valuesOf(v);
    return std::vector<std::string>{
        "The wrapped server is " + values.host + ": server/chain.pem and server/key.pem are the wrapper's certificate "
        "for it; client/chain.pem and client/key.pem are your client certificate (" + values.clientSubject() + ").",
        std::string("In the client-side part the attacker presents ") +
            endpoints::attackerCertificateDescription(values.attacker) + " (`tlslab mitm --cert " +
            endpoints::attackerCertificateName(values.attacker) + "`): through a wrapper that verifies, it must never read the "
            "plaintext client's login.",
        "stunnel-server.conf and stunnel-client.conf are yours to complete: `tlslab lab check 14` runs them with "
        "stunnel4 on its own ports."};
  };
  lab.materials = materials;
  lab.checks = {
      {"wrapper_client_subject", "the client certificate the wrapper verified", "wrapper_client_subject", false,
       checkClientSubject},
      {"application_user", "what the application behind the wrapper knows of its client", "application_user", false,
       checkApplicationUser},
      {"application_connections", "what the application saw of a refused client", "application_connections", false,
       checkApplicationConnections},
      {"wrapper_error", "the error a verifying wrapper logs for the attacker", "wrapper_error", false, checkWrapperError},
      {"client_received", "what the plaintext client is told", "client_received", false, checkClientReceived},
      {"accepted_issuer", "what a wrapper that does not verify accepts", "accepted_issuer", false,
       checkAcceptedIssuer},
      {"peer_certificate_call", "the call only a TLS program can make", "peer_certificate_call", false,
       checkPeerCertificateCall},
      {"stunnel-server", "your stunnel-server.conf checks the client certificate", "", false, lab14::checkStunnelServer},
      {"stunnel-client", "your stunnel-client.conf stops the man in the middle", "", false, lab14::checkStunnelClient},
  };
  return lab;
}

}  // namespace

const LabDefinition& lab14Wrappers() {
  static const LabDefinition lab = define();
  return lab;
}

}  // namespace tlslab::course
