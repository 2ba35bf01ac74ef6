// The sample captures' lab runs: each function runs one lab scenario and
// returns its run's pcapng (both sides' writes, both key logs in the
// Decryption Secrets Block). CaptureTable.cpp pairs each with its content.
#include "CaptureRuns.hpp"

#include <array>

#include "LabIdentity.hpp"
#include "tlslab/scenarios/EavesdropLab.hpp"
#include "tlslab/scenarios/MitmLab.hpp"
#include "tlslab/scenarios/PairLab.hpp"
#include "tlslab/scenarios/RunTrace.hpp"

namespace tlslab::scenarios {

using namespace tlslab::endpoints;
namespace fs = std::filesystem;

namespace {

constexpr const char* kGet = "GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n";

void pin(TlsOptions& tls, TlsVersion version) { tls.minVersion = tls.maxVersion = version; }

ServerConfig bank(const fs::path& certs, TlsVersion version) {
  ServerConfig server;
  setLabIdentity(server, certs);
  pin(server.tls, version);
  return server;
}

ClientConfig client(const fs::path& certs, TlsVersion version) {
  ClientConfig c;
  c.trustFiles = {certs / "root-ca" / "cert.pem"};
  pin(c.tls, version);
  c.script = {ScriptStep::send(kGet), ScriptStep::expect("</html>")};
  return c;
}

// `runs` connections of `c` to a server made of `server`, each resuming the last
// (when `resume`); the second may send `earlyData`. The run's pcapng.
std::string pair(const ServerConfig& server, ClientConfig c, std::string& error, std::size_t runs = 1,
                 const std::string& earlyData = "") {
  auto started = LabServer::start(server);
  if (!started) {
    error = started.error();
    return {};
  }
  c.port = (*started)->port();
  std::vector<ClientRun> done;
  for (std::size_t i = 0; i < runs; ++i) {
    if (i > 0) {
      c.resume = done.back().session;
      c.earlyData = earlyData;
    }
    done.push_back(runClient(c));
    if (!done.back().scriptOk) break;
  }
  (*started)->stop();
  const auto serverSide = (*started)->finishedConnections();
  if (!done.back().scriptOk) error = "the lab run failed: " + done.back().error;
  std::vector<RunLeg> legs;
  for (const auto& run : done) legs.push_back({&run, "client", "bank32.com", serverEventsOf(run, serverSide)});
  RunTrace traced = traceOfRun(legs, "sample capture");
  if (error.empty()) error = traced.error;
  return error.empty() ? traced.pcapng : std::string();
}

}  // namespace

namespace captures {

std::string tls13Basic(const fs::path& certs, std::string& error) {
  return pair(bank(certs, TlsVersion::Tls1_3), client(certs, TlsVersion::Tls1_3), error);
}

std::string helloRetry(const fs::path& certs, std::string& error) {
  ServerConfig server = bank(certs, TlsVersion::Tls1_3);
  server.tls.groups = "P-256";  // the client's first key share (X25519) is not acceptable
  ClientConfig c = client(certs, TlsVersion::Tls1_3);
  c.tls.groups = "X25519:P-256";
  return pair(server, c, error);
}

std::string zeroRtt(const fs::path& certs, std::string& error) {
  ServerConfig server = bank(certs, TlsVersion::Tls1_3);
  server.maxEarlyData = 16384;
  ClientConfig c = client(certs, TlsVersion::Tls1_3);
  return pair(server, c, error, 2, kGet);
}

std::string keyUpdate(const fs::path& certs, std::string& error) {
  ClientConfig c = client(certs, TlsVersion::Tls1_3);
  c.script = {ScriptStep::send(kGet), ScriptStep::expect("</html>"), ScriptStep::keyUpdate(),
              ScriptStep::send("GET /again HTTP/1.1\r\nHost: bank32.com\r\n\r\n"), ScriptStep::expect("</html>")};
  return pair(bank(certs, TlsVersion::Tls1_3), c, error);
}

std::string clientCertificate(const fs::path& certs, std::string& error) {
  ServerConfig server = bank(certs, TlsVersion::Tls1_3);
  server.clientAuth = ClientAuth::Require;
  server.clientCaFile = certs / "root-ca" / "cert.pem";
  ClientConfig c = client(certs, TlsVersion::Tls1_3);
  c.clientCert = certs / "student01" / "chain.pem";
  c.clientKey = certs / "student01" / "key.pem";
  return pair(server, c, error);
}

std::string tls12With(const fs::path& certs, std::string& error, const std::string& suites, bool etm = true,
                      std::size_t runs = 1, bool tickets = true) {
  ServerConfig server = bank(certs, TlsVersion::Tls1_2);
  server.tls.cipherList = suites;
  server.tls.encryptThenMac = etm;
  server.tickets = tickets;
  ClientConfig c = client(certs, TlsVersion::Tls1_2);
  c.tls = server.tls;
  return pair(server, c, error, runs);
}

std::string tls12Ecdhe(const fs::path& certs, std::string& error) {
  return tls12With(certs, error, "ECDHE-RSA-AES128-GCM-SHA256");
}
std::string cbcMacThenEncrypt(const fs::path& certs, std::string& error) {
  return tls12With(certs, error, "ECDHE-RSA-AES128-SHA", false);
}
std::string cbcEncryptThenMac(const fs::path& certs, std::string& error) {
  return tls12With(certs, error, "ECDHE-RSA-AES128-SHA", true);
}
std::string rsaKeyExchange(const fs::path& certs, std::string& error) { return tls12With(certs, error, "AES256-GCM-SHA384"); }
std::string resumeById(const fs::path& certs, std::string& error) {
  return tls12With(certs, error, "ECDHE-RSA-AES128-GCM-SHA256", true, 2, false);
}
std::string resumeByTicket(const fs::path& certs, std::string& error) {
  return tls12With(certs, error, "ECDHE-RSA-AES128-GCM-SHA256", true, 2, true);
}

std::string renegotiation(const fs::path& certs, std::string& error) {
  ServerConfig server = bank(certs, TlsVersion::Tls1_2);
  server.allowClientRenegotiation = true;
  ClientConfig c = client(certs, TlsVersion::Tls1_2);
  c.script = {ScriptStep::send(kGet), ScriptStep::expect("</html>"), ScriptStep::renegotiate(),
              ScriptStep::send("GET /again HTTP/1.1\r\nHost: bank32.com\r\n\r\n"), ScriptStep::expect("</html>")};
  return pair(server, c, error);
}

std::string mitmOf(const fs::path& certs, std::string& error, AttackerCertificate strategy, VictimMode victim) {
  MitmLabOptions options;
  options.certsDir = certs;
  MitmOutcome outcome = runMitm(strategy, victim, options);
  error = outcome.setupError;
  if (!error.empty()) return {};
  RunTrace traced = traceOfRun(outcome.legs(), "sample capture");
  error = traced.error;
  return error.empty() ? traced.pcapng : std::string();
}
std::string mitmBothLegs(const fs::path& certs, std::string& error) {
  return mitmOf(certs, error, AttackerCertificate::AttackerOwn, VictimMode::ChainOnly);
}
std::string failedVerification(const fs::path& certs, std::string& error) {
  return mitmOf(certs, error, AttackerCertificate::SelfSigned, VictimMode::Correct);
}

std::string tamper(const fs::path& certs, std::string& error) {
  PairLabOptions options;
  options.certsDir = certs;
  options.tamper = Tamper::Action::FlipByte;
  PairLabRun run = runPairLab(PairLab::Tamper, options);
  error = run.setupError;
  if (!error.empty()) return {};
  RunTrace traced = traceOfRun(run.legs(), "sample capture");
  error = traced.error;
  return error.empty() ? traced.pcapng : std::string();
}

std::string starttls(const fs::path& certs, std::string& error, Service service, Starttls protocol,
                     std::vector<ScriptStep> script) {
  ServerConfig server;
  server.chainFile = certs / "mail-bank32" / "chain.pem";
  server.keyFile = certs / "mail-bank32" / "key.pem";
  server.service = service;
  server.siteName = "mail.bank32.com";
  ClientConfig c;
  c.host = "mail.bank32.com";
  c.trustFiles = {certs / "root-ca" / "cert.pem"};
  c.starttls = protocol;
  c.script = std::move(script);
  return pair(server, c, error);
}
std::string starttlsSmtp(const fs::path& certs, std::string& error) {
  return starttls(certs, error, Service::Smtp, Starttls::Smtp,
                  {ScriptStep::send("EHLO client.lab\r\n"), ScriptStep::expect("250 "),
                   ScriptStep::send("AUTH PLAIN AHN0dWRlbnQwMQBzZWNyZXQ=\r\n"), ScriptStep::expect("235 "),
                   ScriptStep::send("QUIT\r\n"), ScriptStep::expect("221 ")});
}
std::string starttlsImap(const fs::path& certs, std::string& error) {
  return starttls(certs, error, Service::Imap, Starttls::Imap,
                  {ScriptStep::send("a1 LOGIN student01 secret\r\n"), ScriptStep::expect("a1 OK"),
                   ScriptStep::send("a2 FETCH 1 BODY[]\r\n"), ScriptStep::expect("a2 OK"),
                   ScriptStep::send("a3 LOGOUT\r\n"), ScriptStep::expect("a3 OK")});
}
std::string starttlsPop3(const fs::path& certs, std::string& error) {
  return starttls(certs, error, Service::Pop3, Starttls::Pop3,
                  {ScriptStep::send("USER student01\r\n"), ScriptStep::expect("+OK"), ScriptStep::send("PASS secret\r\n"),
                   ScriptStep::expect("+OK logged in"), ScriptStep::send("RETR 1\r\n"), ScriptStep::expect("\r\n.\r\n")});
}

std::string plainLogin(const fs::path& certs, std::string& error) {
  EavesdropOptions options;
  options.certsDir = certs;
  options.liveCapture = false;  // the run's own pcapng: the same bytes, no privileges needed
  EavesdropRun run = runEavesdrop(options);
  error = run.setupError;
  if (error.empty() && !run.plain.client.scriptOk) error = "the login failed: " + run.plain.client.error;
  return error.empty() ? run.plain.pcapng : std::string();
}

}  // namespace captures

}  // namespace tlslab::scenarios
