// Lab 7 — Your TLS server, then client certificates: the student completes
// labs/exercises/tls_server.c; the checker starts it with a fresh chain for
// the student's own host name and talks to it with tlslab's client, openssl
// s_client and gnutls-cli; then with CLIENT_CA it must serve student01 and
// refuse a client without a certificate and one from the Rogue CA.
#include <fstream>

#include "CheckHelpers.hpp"
#include "ExerciseLabs.hpp"
#include "Labs.hpp"
#include "tlslab/pki/Catalog.hpp"
#include "tlslab/scenarios/course/StudentPki.hpp"

namespace tlslab::course {
namespace {

namespace fs = std::filesystem;

std::string materials(const MaterialsEnv& env) {
  const std::string host = studentHost(*env.variant);
  auto issued = issueStudentServer(env.certsDir, host);
  if (!issued) return issued.error();
  std::error_code ec;
  fs::create_directories(env.workspace / "server", ec);
  fs::create_directories(env.workspace / "client", ec);
  if (ec) return "cannot make server/ and client/ in " + env.workspace.string() + ": " + ec.message();
  env.say("server/: a certificate for " + host + " (chain.pem: leaf + Issuing CA; key.pem) and client-ca.pem");
  std::string hostLine = host + "\n";  // host.txt: HOST=$(cat host.txt) in the tutorial, for every student
  for (auto [file, text] : {std::pair{"server/chain.pem", &issued->chainPem}, std::pair{"server/key.pem", &issued->keyPem},
                            std::pair{"host.txt", &hostLine}}) {
    std::ofstream out(env.workspace / file, std::ios::trunc);
    out << *text;
    if (!out) return std::string("cannot write ") + file;
  }
  env.say("client/: student01's certificate and key (mTLS), and the lab root to trust your server with");
  const std::pair<fs::path, fs::path> copies[] = {
      {env.certsDir / "root-ca" / "cert.pem", env.workspace / "server" / "client-ca.pem"},
      {env.certsDir / "student01" / "chain.pem", env.workspace / "client" / "student01-chain.pem"},
      {env.certsDir / "student01" / "key.pem", env.workspace / "client" / "student01-key.pem"},
      {env.certsDir / "root-ca" / "cert.pem", env.workspace / "client" / "root-ca.pem"},
  };
  for (const auto& [from, to] : copies) {
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
    if (ec) return "cannot copy " + from.string() + ": " + ec.message();
  }
  return {};
}

CheckResult checkServerPage(const CheckEnv& env) {
  return checkServerServesPage(programCheckSetup(7, env).server).result;
}

CheckResult checkServerMtls(const CheckEnv& env) {
  return checkServerRequiresClientCertificate(programCheckSetup(7, env).server).result;
}

CheckResult checkServerHost(const CheckEnv& env) {
  const std::string right = studentHost(*env.variant);
  std::string answer = normalizedWords(env.answer("server_name")->value);
  if (answer.rfind("dns:", 0) == 0) answer.erase(0, 4);
  if (answer == right) return pass(right + " is the subjectAltName of your server's certificate");
  if (answer == "bank32.com") return fail("bank32.com is the lab's server, not yours", "look at server/chain.pem");
  return fail("that is not the name in your server/chain.pem",
              "`tlslab certs show server/chain.pem` (or `openssl x509 -in server/chain.pem -noout -ext subjectAltName`)");
}

CheckResult checkChainLength(const CheckEnv& env) {
  auto n = answerNumber(env.answer("chain_certificates")->value);
  if (!n) return fail("that is not a number", "count the certificates in the server's Certificate message");
  if (*n == 2) return pass("2: your leaf and the Issuing CA; the client has the root already");
  if (*n == 3) return fail("the root is not sent: the client must already trust it, so sending it proves nothing",
                           "`openssl s_client -showcerts` lists what the server really sends");
  if (*n == 1) return fail("with only the leaf, a client cannot reach the lab root", "the Issuing CA is sent too");
  return fail("your server sends another number of certificates", "`openssl s_client -showcerts` lists them");
}

CheckResult checkLeafOnlyError(const CheckEnv& env) {
  const auto* incomplete = pki::findEntry("incomplete-chain");
  return detail::judgeVerifyError(env.answer("leaf_only_error")->value, incomplete->expectedError,
                                  "a server that sends only its leaf",
                                  "load server/chain.pem with SSL_CTX_use_certificate_file (the leaf only) and look "
                                  "at what `openssl s_client -verify_return_error` prints");
}

CheckResult checkRequestMessage(const CheckEnv& env) {
  std::string answer = normalizedWords(env.answer("request_message")->value);
  if (answer == "certificaterequest" || answer == "certificate request" || answer == "13")
    return pass("CertificateRequest (handshake type 13, RFC 8446 §4.3.2): sent by the server, encrypted in TLS 1.3");
  if (answer == "certificate")
    return fail("Certificate is what the client answers with", "which message asks for it?");
  return fail("'" + env.answer("request_message")->value + "' is not that handshake message",
              "the mTLS check's evidence lists the handshake as the client saw it");
}

CheckResult checkNoCertAlert(const CheckEnv& env) {
  std::string answer = normalizedWords(env.answer("no_certificate_alert")->value);
  if (answer == "certificate required" || answer == "116")
    return pass("certificate_required (116, RFC 8446 §4.4.2.4): TLS 1.3's alert for a client that sent no certificate");
  if (answer == "handshake failure" || answer == "40")
    return fail("handshake_failure is what TLS 1.2 servers send", "in TLS 1.3 there is an alert made for it");
  if (answer == "bad certificate" || answer == "unknown ca")
    return fail("that is the alert for a certificate the server does not accept, not for a missing one",
                "run a client without a certificate against your server and read the alert");
  return fail("that is not the alert your server sends", "`tlslab lab try 7 --against mtls` shows the clients' alerts");
}

LabDefinition define() {
  LabDefinition lab;
  lab.number = 7;
  lab.slug = "server";
  lab.title = "Your TLS server, then client certificates";
  lab.goal = "Write a TLS server in C that any real client accepts, then make it demand a client certificate.";
  lab.minutes = 90;
  lab.tutorial = "07-server.md";
  lab.exercises = {{"tls_server.c", "tls_server", Exercise::Kind::Server,
                    "PROGRAM PORT CHAIN KEY [CLIENT_CA], serves HTTPS on 127.0.0.1:PORT"}};
  lab.questions = {
      {"server_name", "For which host name is your server's certificate?", "a host name",
       [](const Variant& v) { return studentHost(v); }},
      {"chain_certificates", "How many certificates does your server send in its Certificate message?", "a number",
       [](const Variant&) { return std::string("2"); }},
      {"leaf_only_error", "Which verify error does a client report when a server sends only its leaf?", "OpenSSL's name",
       [](const Variant&) {
         return std::string(detail::verifyErrorInfo(pki::findEntry("incomplete-chain")->expectedError)->name);
       }},
      {"request_message", "Which handshake message asks the client for a certificate?", "a message name",
       [](const Variant&) { return std::string("CertificateRequest"); }},
      {"no_certificate_alert", "Which alert does your TLS 1.3 server send a client that has no certificate?",
       "an alert name", [](const Variant&) { return std::string("certificate_required"); }},
  };
  lab.hints = {
      "Build and start it by hand first: `make && ./tls_server 4433 server/chain.pem server/key.pem`, then in "
      "another terminal `tlslab connect HOST:4433 --resolve HOST=127.0.0.1` with your host name.",
      "TODO 1a: SSL_CTX_use_certificate_chain_file(ctx, chain) sends the leaf and the Issuing CA; "
      "SSL_CTX_use_certificate_file would send the leaf alone, and clients could not reach the root.",
      "The checker connects several times: loop around accept(), and let a failed handshake end only that connection.",
      "For mTLS (TODO 1b): SSL_CTX_load_verify_locations(ctx, client_ca, NULL), SSL_CTX_set_client_CA_list(ctx, "
      "SSL_load_client_CA_file(client_ca)), SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | "
      "SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL).",
  };
  lab.personal = [](const Variant& v) {
    const std::string host = studentHost(v);
    return std::vector<std::string>{
        "Your server's name is " + host + ": server/chain.pem holds its certificate (leaf + Issuing CA), "
        "server/key.pem its key, server/client-ca.pem the CA client certificates must come from.",
        "client/ holds student01's certificate and key for trying mTLS by hand, and the lab root to trust your "
        "server with (`openssl s_client -CAfile client/root-ca.pem`).",
        "The checker gives your server a fresh certificate for " + host + " each time: use the files named by its "
        "arguments."};
  };
  lab.materials = materials;
  lab.checks = {
      {"server-page", "your server gives three real clients its page", "", true, checkServerPage},
      {"server-mtls", "with CLIENT_CA, your server serves student01 only", "", true, checkServerMtls},
      {"server_name", "your server's host name", "server_name", false, checkServerHost},
      {"chain_certificates", "the certificates your server sends", "chain_certificates", false, checkChainLength},
      {"leaf_only_error", "the error for a server that sends only its leaf", "leaf_only_error", false, checkLeafOnlyError},
      {"request_message", "the message that asks for a client certificate", "request_message", false, checkRequestMessage},
      {"no_certificate_alert", "the alert for a client without a certificate", "no_certificate_alert", false,
       checkNoCertAlert},
  };
  return lab;
}

}  // namespace

const LabDefinition& lab07Server() {
  static const LabDefinition lab = define();
  return lab;
}

}  // namespace tlslab::course
