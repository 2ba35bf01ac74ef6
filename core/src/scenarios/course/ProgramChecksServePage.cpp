// The student's server must give three different real clients its page over
// a chain they verify, one client after another — and, with CLIENT_CA,
// only to a client whose certificate was issued under it.
#include <fmt/core.h>

#include <algorithm>
#include <csignal>
#include <fstream>

#include "CheckHelpers.hpp"
#include "ProgramChecksCommon.hpp"
#include "ProgramChecksServer.hpp"
#include "tlslab/pki/Issue.hpp"
#include "tlslab/pki/Pem.hpp"

namespace tlslab::course {

namespace fs = std::filesystem;
using detail::probeLine;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string serverSaid(const ServerCheck& check) {
  std::string quoted = detail::quotedOutput(check.server);
  return quoted.empty() ? "" : " (" + quoted + ")";
}

CheckResult judgeServePage(const ServerCheckOptions& options, const ServerCheck& check, bool aliveAtEnd) {
  const ServerProbe& lab = check.probes.front();
  bool allOk = std::all_of(check.probes.begin(), check.probes.end(), [](const ServerProbe& p) { return p.ok(); });
  if (allOk) {
    std::string who;
    for (const auto& probe : check.probes) {
      if (probe.notRun) continue;
      who += (who.empty() ? "" : ", ") + probe.client;
    }
    return pass(who + " each got your page (" + lab.statusLine + ") from https://" + options.host +
                "/, verifying the chain you were given up to the lab root");
  }
  if (!aliveAtEnd && !check.server.stopped) {
    if (lab.gotPage)
      return fail("your server answered the first client, then " + check.server.describe() + serverSaid(check) +
                      "; the next clients found nobody listening",
                  "a server serves one client after another: loop around accept() (a failed handshake should end "
                  "only that connection, not the server)");
    return fail("your server " + check.server.describe() + " while the clients talked to it" + serverSaid(check),
                check.server.signal == SIGPIPE ? "ignore SIGPIPE (signal(SIGPIPE, SIG_IGN)): a client that hangs up "
                                                 "must not kill the server"
                                               : "run it by hand and connect with `tlslab connect " + options.host +
                                                     ":PORT --resolve " + options.host + "=127.0.0.1`");
  }
  std::string leafSubject = lab.presentedChain.empty() ? "" : lab.presentedChain.front();
  bool ourName = contains(leafSubject, "CN=" + options.host);
  if (contains(lab.detail, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY at depth 0") && ourName)
    return fail("your server sent only its own certificate (" + leafSubject + "), not the Issuing CA after it, so a "
                "client cannot build the path to the lab root: " + lab.detail,
                "load the whole CHAIN file with SSL_CTX_use_certificate_chain_file(ctx, chain); "
                "SSL_CTX_use_certificate_file reads only the first certificate of the file");
  if ((lab.handshakeOk && !lab.presentedOurLeaf) || (!leafSubject.empty() && !ourName))
    return fail("your server presented «" + leafSubject + "», not the certificate in the CHAIN file it was given (" +
                    check.chainFile + ")" + (lab.detail.empty() ? "" : ": " + lab.detail),
                "use the files named by its arguments: argv[2] is the CHAIN, argv[3] the KEY (not a fixed file name)");
  for (const auto& probe : check.probes) {
    if (probe.ok()) continue;
    if (probe.handshakeOk)
      return fail("the handshake with your server worked, but " + probe.client + " got no HTTP 200 page: " + probe.detail,
                  "read the request (it ends with an empty line), then SSL_write a response that starts with "
                  "\"HTTP/1.1 200 OK\\r\\n\" and close the connection with SSL_shutdown");
    return fail(probe.client + " could not get your page: " + probe.detail,
                "try the same client by hand against your server (tlslab connect, openssl s_client -connect, "
                "gnutls-cli -p)");
  }
  return fail("a client could not get your page", "");
}

std::string issueRogueClient(const fs::path& certsDir, const fs::path& dir, fs::path& chain, fs::path& key) {
  auto caCert = pki::readCertificate(certsDir / "rogue-ca" / "cert.pem");
  auto caKey = pki::readPrivateKey(certsDir / "rogue-ca" / "key.pem");
  if (!caCert || !caKey) return "cannot read the Rogue CA in " + (certsDir / "rogue-ca").string();
  auto leaf = pki::issueLeaf("Rogue", "student01", {}, pki::Purpose::TlsClient, caCert->get(), caKey->get());
  if (!leaf) return "cannot issue the Rogue CA's client certificate: " + leaf.error();
  chain = dir / "rogue-chain.pem";
  key = dir / "rogue-key.pem";
  std::ofstream(chain) << pki::certificatesPem({leaf->cert.get(), caCert->get()});
  std::ofstream(key) << pki::privateKeyPem(leaf->key.get(), pki::teachingKeyHeader("a Rogue CA client certificate"));
  return {};
}

std::string flowLine(const ServerProbe& probe) {
  std::string text;
  for (const auto& step : probe.flow) text += (text.empty() ? "" : ", ") + step;
  return probe.identity + "'s handshake: " + text;
}

CheckResult judgeMtls(const ServerCheck& check) {
  const ServerProbe& student = check.probes[0];
  const ServerProbe& none = check.probes[1];
  const ServerProbe& rogue = check.probes[2];
  if (student.ok() && none.ok() && rogue.ok())
    return pass("your server sent a CertificateRequest and gave the page to student01; it refused the client without "
                "a certificate (" + none.detail + ") and the one from the Rogue CA (" + rogue.detail + ")");
  if (!student.ok())
    return fail("with student01's certificate (issued under CLIENT_CA) your server gave no page: " + student.detail,
                "first make the server check without CLIENT_CA pass; then trust CLIENT_CA with "
                "SSL_CTX_load_verify_locations(ctx, client_ca, NULL)");
  if (!none.ok())
    return student.certificateRequested
               ? fail("your server asks for a client certificate (CertificateRequest), but also serves a client that "
                      "sends none",
                      "add SSL_VERIFY_FAIL_IF_NO_PEER_CERT to SSL_VERIFY_PEER in SSL_CTX_set_verify")
               : fail("your server never asked for a client certificate: there is no CertificateRequest in the "
                      "handshake, so any client gets the page",
                      "with a CLIENT_CA argument: SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | "
                      "SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL) and SSL_CTX_set_client_CA_list");
  return fail("your server gave the page to a client whose certificate was issued by the Rogue CA, which is not "
              "CLIENT_CA: it does not verify the client's chain",
              "trust only CLIENT_CA (SSL_CTX_load_verify_locations(ctx, client_ca, NULL)) and keep OpenSSL's verdict: "
              "no verify callback that returns 1");
}

}  // namespace

ServerCheck checkServerServesPage(const ServerCheckOptions& options) {
  ServerCheck check;
  detail::RunningServer server = detail::startStudentServer(options, {}, check);
  if (!server.failure.empty()) return check;
  check.probes.push_back(detail::probeWithLabClient(options, server, "", {}, {}, true));
  check.probes.push_back(detail::probeWithOpensslClient(options, server));
  check.probes.push_back(detail::probeWithGnutlsClient(options, server));
  bool aliveAtEnd = server.program->running();
  detail::stopStudentServer(server, check);
  check.result = judgeServePage(options, check, aliveAtEnd);
  for (const auto& probe : check.probes) check.result.evidence.push_back(probeLine(probe));
  check.result.evidence.push_back("your server " + check.server.describe() + serverSaid(check));
  return check;
}

ServerCheck checkServerRequiresClientCertificate(const ServerCheckOptions& options) {
  ServerCheck check;
  detail::TempDir rogueDir("tlslab-rogue-client");
  fs::path rogueChain, rogueKey;
  if (auto err = issueRogueClient(options.certsDir, rogueDir.path(), rogueChain, rogueKey); !err.empty()) {
    check.result = skipped(err);
    return check;
  }
  detail::RunningServer server = detail::startStudentServer(options, options.certsDir / "root-ca" / "cert.pem", check);
  if (!server.failure.empty()) return check;
  const fs::path student = options.certsDir / "student01";
  check.probes.push_back(
      detail::probeWithLabClient(options, server, "student01", student / "chain.pem", student / "key.pem", true));
  check.probes.push_back(detail::probeWithLabClient(options, server, "no certificate", {}, {}, false));
  check.probes.push_back(
      detail::probeWithLabClient(options, server, "a Rogue CA certificate", rogueChain, rogueKey, false));
  bool aliveAtEnd = server.program->running();
  detail::stopStudentServer(server, check);
  if (!aliveAtEnd && !check.server.stopped)
    check.result = fail("your server " + check.server.describe() + " while the clients talked to it" + serverSaid(check),
                        "a refused client must end only its own connection: go on with the next accept()");
  else
    check.result = judgeMtls(check);
  for (const auto& probe : check.probes) check.result.evidence.push_back(probeLine(probe));
  if (!check.probes.front().flow.empty()) check.result.evidence.push_back(flowLine(check.probes.front()));
  check.result.evidence.push_back("your server " + check.server.describe() + serverSaid(check));
  return check;
}

}  // namespace tlslab::course
