// The sample captures: each function runs one lab scenario and returns its
// run's pcapng (both sides' writes, both key logs in the Decryption Secrets
// Block). The table below pairs each with what it must dissect to.
#include "tlslab/scenarios/Captures.hpp"

#include <array>

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
  server.chainFile = certs / "bank32-rsa" / "chain.pem";
  server.keyFile = certs / "bank32-rsa" / "key.pem";
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

}  // namespace

std::span<const SampleCapture> sampleCaptures() {
  static const std::vector<SampleCapture> table = [] {
    std::vector<SampleCapture> t;
    CaptureContent c;
    c.suite = "TLS_AES_256_GCM_SHA384";
    c.messages = {"EncryptedExtensions", "Certificate", "CertificateVerify", "Finished", "NewSessionTicket"};
    c.plaintext = {"Hello from bank32.com"};
    t.push_back({"tls13-https-hello.pcapng",
                 "TLS 1.3 (TLS_AES_256_GCM_SHA384, x25519): the 1-RTT handshake, encrypted handshake messages, two "
                 "NewSessionTickets, an HTTP GET and the hello page", c, tls13Basic});
    c = {};
    c.messages = {"HelloRetryRequest", "ClientHello", "ClientHello"};
    c.plaintext = {"Hello from bank32.com"};
    t.push_back({"tls13-hrr.pcapng",
                 "TLS 1.3 HelloRetryRequest: the client's X25519 key share is refused by a P-256-only server, which asks "
                 "again; the second ClientHello, the transcript's message_hash (RFC 8446 §4.4.1)", c, helloRetry});
    c = {};
    c.connections = 2;
    c.resumption = "psk";
    c.earlyData = true;
    c.messages = {"EndOfEarlyData"};
    c.plaintext = {"Hello from bank32.com"};
    t.push_back({"tls13-psk-0rtt.pcapng",
                 "TLS 1.3 PSK resumption with 0-RTT: a full handshake whose ticket the second connection uses, its GET "
                 "sent as early data before the server's first flight, then EndOfEarlyData", c, zeroRtt});
    c = {};
    c.messages = {"KeyUpdate"};
    c.plaintext = {"GET /again"};
    t.push_back({"tls13-keyupdate.pcapng",
                 "TLS 1.3 KeyUpdate (RFC 8446 §4.6.3): a request, a KeyUpdate with update_requested, both sides' next "
                 "application traffic secrets, and a second request under them", c, keyUpdate});
    c = {};
    c.messages = {"CertificateRequest", "Certificate", "Certificate", "CertificateVerify", "CertificateVerify"};
    c.plaintext = {"Hello from bank32.com"};
    t.push_back({"tls13-client-cert.pcapng",
                 "TLS 1.3 mutual authentication: the server's CertificateRequest, student01's Certificate and "
                 "CertificateVerify (all encrypted)", c, clientCertificate});
    c = {};
    c.version = 0x0303;
    c.suite = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
    c.messages = {"ServerKeyExchange", "ChangeCipherSpec", "Finished"};
    c.plaintext = {"Hello from bank32.com"};
    t.push_back({"tls12-ecdhe.pcapng",
                 "TLS 1.2 ECDHE-RSA with AES-128-GCM: ServerKeyExchange, ChangeCipherSpec, Finished under the new keys, "
                 "extended master secret. Forward secret: the server key alone cannot decrypt it", c, tls12Ecdhe});
    c.suite = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA";
    c.protection = "MAC-then-encrypt";
    t.push_back({"tls12-cbc-mte.pcapng",
                 "TLS 1.2 AES-128-CBC with HMAC-SHA1, MAC-then-encrypt (RFC 5246 §6.2.3.2): no encrypt_then_mac", c,
                 cbcMacThenEncrypt});
    c.protection = "encrypt-then-MAC";
    t.push_back({"tls12-cbc-etm.pcapng",
                 "the same suite with encrypt_then_mac (RFC 7366): the MAC over the ciphertext", c, cbcEncryptThenMac});
    c.protection = {};
    c.suite = "TLS_RSA_WITH_AES_256_GCM_SHA384";
    c.messages = {"ClientKeyExchange"};
    t.push_back({"tls12-rsa.pcapng",
                 "TLS 1.2 RSA key exchange (TLS_RSA_WITH_AES_256_GCM_SHA384): the pre-master secret travels encrypted "
                 "to the server's key, so certs/bank32-rsa/key.pem (public teaching material) decrypts it even without "
                 "the key log: no forward secrecy", c, rsaKeyExchange});
    c = {};
    c.version = 0x0303;
    c.connections = 2;
    c.resumption = "session id";
    c.plaintext = {"Hello from bank32.com"};
    t.push_back({"tls12-resume-id.pcapng",
                 "TLS 1.2 resumption by session ID (no tickets): the second connection's abbreviated handshake", c,
                 resumeById});
    c.resumption = "ticket";
    t.push_back({"tls12-resume-ticket.pcapng",
                 "TLS 1.2 resumption by session ticket (RFC 5077): NewSessionTicket, then the ticket in the second "
                 "ClientHello", c, resumeByTicket});
    c = {};
    c.version = 0x0303;
    c.messages = {"ClientHello", "ClientHello", "ServerHello", "ServerHello"};
    c.plaintext = {"GET /again"};
    t.push_back({"tls12-renegotiation.pcapng",
                 "TLS 1.2 secure renegotiation (RFC 5746): a second handshake inside the first one's encryption", c,
                 renegotiation});
    c = {};
    c.connections = 2;
    c.plaintext = {"password=hunter2"};
    t.push_back({"mitm-both-legs.pcapng",
                 "the MITM lab, both legs: a chain-only victim accepts attacker32.com's certificate; the attacker's "
                 "own TLS to bank32.com carries the stolen login", c, mitmBothLegs});
    c = {};
    c.allDecrypted = false;
    c.alert = "bad_record_mac";
    t.push_back({"tamper-flip.pcapng",
                 "the tamper lab: one bit of the request's record flipped in flight; the record does not open and the "
                 "server answers bad_record_mac", c, tamper});
    c = {};
    c.allDecrypted = false;
    c.alert = "unknown_ca";
    c.messages = {"Certificate"};
    t.push_back({"verify-failed.pcapng",
                 "a failed verification: a correct client shown a self-signed bank32.com certificate aborts with the "
                 "alert unknown_ca (48)", c, failedVerification});
    c = {};
    c.startTls = "SMTP";
    c.plaintext = {"STARTTLS", "AUTH PLAIN"};
    t.push_back({"starttls-smtp.pcapng",
                 "SMTP STARTTLS (RFC 3207): the plaintext EHLO/STARTTLS preamble, then TLS 1.3 and the mail session "
                 "(AUTH PLAIN credentials) inside it", c, starttlsSmtp});
    c.startTls = "IMAP";
    c.plaintext = {"STARTTLS", "LOGIN student01"};
    t.push_back({"starttls-imap.pcapng",
                 "IMAP STARTTLS (RFC 9051 §6.2.1, RFC 2595): CAPABILITY and STARTTLS in cleartext, LOGIN and FETCH "
                 "inside TLS", c, starttlsImap});
    c.startTls = "POP3";
    c.plaintext = {"STLS", "PASS secret"};
    t.push_back({"starttls-pop3.pcapng",
                 "POP3 STLS (RFC 2595): CAPA and STLS in cleartext, USER, PASS and RETR inside TLS", c, starttlsPop3});
    c = {};
    c.version = 0;
    c.plaintext = {"password=hunter2"};
    t.push_back({"plain-login.pcapng",
                 "lab 1's login over plain TCP: the password in the POST body, readable by anyone on the path", c,
                 plainLogin});
    return t;
  }();
  return table;
}

}  // namespace tlslab::scenarios
