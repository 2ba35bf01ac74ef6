#include "tlslab/scenarios/StarttlsLab.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include "tlslab/scenarios/course/Program.hpp"

namespace tlslab::scenarios {

using namespace tlslab::endpoints;

const char* stripVictimName(StripVictim victim) {
  switch (victim) {
    case StripVictim::Opportunistic: return "opportunistic";
    case StripVictim::Required: return "required";
    case StripVictim::CurlSsl: return "curl-ssl";
    case StripVictim::CurlSslReqd: return "curl-ssl-reqd";
    default: return "?";
  }
}

const char* stripVictimDescription(StripVictim victim) {
  switch (victim) {
    case StripVictim::Opportunistic: return "tlslab's client, opportunistic: STARTTLS when offered, cleartext otherwise";
    case StripVictim::Required: return "tlslab's client, TLS required: no STARTTLS, no mail";
    case StripVictim::CurlSsl: return "curl --ssl (try TLS, fall back to cleartext)";
    case StripVictim::CurlSslReqd: return "curl --ssl-reqd (TLS required)";
    default: return "?";
  }
}

std::vector<StripVictim> allStripVictims() {
  return {StripVictim::Opportunistic, StripVictim::Required, StripVictim::CurlSsl, StripVictim::CurlSslReqd};
}

std::string victimMessage(const std::string& subject) {
  return "From: alice@bank32.com\r\nTo: payroll@bank32.com\r\n" + subject +
         "\r\n\r\nThe figures are attached. Please keep them confidential.\r\n";
}

std::vector<std::string> StarttlsAttackRun::serverLog() const {
  std::vector<std::string> log;
  for (const auto& connection : serverSide)
    for (const auto& event : connection.events)
      if (const auto* note = std::get_if<NoteEvent>(&event)) log.push_back(note->text);
  return log;
}

std::string StarttlsAttackRun::attackerRead() const {
  std::string read;
  for (const auto& session : attacker) read += session.fromClient;
  return read;
}

namespace {

constexpr const char* kMailHost = "mail.bank32.com";
constexpr const char* kAttackerAddress = "127.0.0.66";

struct Stage {
  std::unique_ptr<LabServer> server;
  std::unique_ptr<StarttlsAttacker> attacker;
  std::string error;
};

// The server, and the attacker in `mode` in front of it (none for the direct run).
Stage setUp(const StarttlsAttackOptions& options, std::optional<StarttlsAttackConfig::Mode> mode) {
  Stage stage;
  ServerConfig server;
  server.chainFile = options.certsDir / "mail-bank32" / "chain.pem";
  server.keyFile = options.certsDir / "mail-bank32" / "key.pem";
  server.service = Service::Smtp;
  server.siteName = kMailHost;
  server.starttlsInjectionBug = options.starttlsBug;
  server.ioTimeoutMs = 3000;
  auto started = LabServer::start(server, options.observer);
  if (!started) {
    stage.error = started.error();
    return stage;
  }
  stage.server = std::move(started.value());
  if (!mode) return stage;
  StarttlsAttackConfig attack;
  attack.mode = *mode;
  attack.protocol = Starttls::Smtp;
  attack.listenAddress = kAttackerAddress;
  attack.targetPort = stage.server->port();
  attack.injected = options.injected + "\r\n";
  attack.ioTimeoutMs = 3000;
  auto attacker = StarttlsAttacker::start(attack);
  if (!attacker) {
    stage.error = "the attacker cannot start: " + attacker.error();
    return stage;
  }
  stage.attacker = std::move(attacker.value());
  return stage;
}

ClientConfig victimClient(const StarttlsAttackOptions& options, std::uint16_t port, bool required) {
  ClientConfig client;
  client.host = kMailHost;
  client.resolver.set(kMailHost, kAttackerAddress);  // the poisoned answer: the attacker's address
  client.port = port;
  client.trustFiles = {options.certsDir / "root-ca" / "cert.pem"};
  client.starttls = Starttls::Smtp;
  client.starttlsRequired = required;
  client.cleartextProtocol = "SMTP";
  client.ioTimeoutMs = 3000;
  client.script = {ScriptStep::send("EHLO client.lab\r\n"), ScriptStep::expect("250 "),
                   ScriptStep::send("MAIL FROM:<alice@bank32.com>\r\n"), ScriptStep::expect("250"),
                   ScriptStep::send("RCPT TO:<payroll@bank32.com>\r\n"), ScriptStep::expect("250"),
                   ScriptStep::send("DATA\r\n"), ScriptStep::expect("354"),
                   ScriptStep::send(victimMessage(options.subject) + ".\r\n"), ScriptStep::expect("250 2.0.0"),
                   ScriptStep::send("QUIT\r\n"), ScriptStep::expect("221")};
  return client;
}

// curl from Debian as the victim: smtp:// with --ssl or --ssl-reqd, the mail on stdin.
std::string runCurl(const StarttlsAttackOptions& options, std::uint16_t port, bool required) {
  course::ProgramSpec spec;
  const std::string where = fmt::format("{}:{}:{}", kMailHost, port, kAttackerAddress);
  spec.argv = {"curl", "--silent", "--show-error", "--max-time", "5", "--resolve", where,
               "--url", fmt::format("smtp://{}:{}", kMailHost, port), required ? "--ssl-reqd" : "--ssl",
               "--cacert", (options.certsDir / "root-ca" / "cert.pem").string(), "--mail-from", "alice@bank32.com",
               "--mail-rcpt", "payroll@bank32.com", "--upload-file", "-"};
  spec.stdinText = victimMessage(options.subject);
  spec.timeout = std::chrono::milliseconds(8000);
  const course::ProgramResult result = course::runProgram(spec);
  if (!result.started) return "curl did not start: " + result.startError;
  if (result.exitCode == 0) return {};
  std::string err = result.err;
  while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
  return fmt::format("curl exited with {}: {}", result.exitCode, err.empty() ? "(no message)" : err);
}

void finish(Stage& stage, StarttlsAttackRun& run) {
  // Both sides end when the victim hangs up; wait for their records (bounded).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while ((stage.server->finishedCount() == 0 || (stage.attacker && stage.attacker->sessionCount() == 0)) &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (stage.attacker) stage.attacker->stop();
  stage.server->stop();
  if (stage.attacker) run.attacker = stage.attacker->sessions();
  run.serverSide = stage.server->finishedConnections();
  for (const auto& line : run.serverLog()) {
    if (line.rfind("queued a message", 0) != 0) continue;
    run.victimSentMail = true;
    run.victimUsedTls = line.find("inside TLS") != std::string::npos;
  }
}

bool curlInstalled() { return ::access("/usr/bin/curl", X_OK) == 0 || ::access("/usr/local/bin/curl", X_OK) == 0; }

}  // namespace

StarttlsAttackRun runStarttlsStrip(StripVictim victim, const StarttlsAttackOptions& options) {
  StarttlsAttackRun run;
  const bool curl = victim == StripVictim::CurlSsl || victim == StripVictim::CurlSslReqd;
  const bool required = victim == StripVictim::Required || victim == StripVictim::CurlSslReqd;
  run.victimName = curl ? (required ? "curl --ssl-reqd" : "curl --ssl")
                        : (required ? "tlslab's client (TLS required)" : "tlslab's client (opportunistic)");
  if (curl && !curlInstalled()) {
    run.setupError = "curl is not installed (Debian package curl)";
    return run;
  }
  Stage stage = setUp(options, StarttlsAttackConfig::Mode::Strip);
  if (!stage.error.empty()) {
    run.setupError = stage.error;
    return run;
  }
  if (curl) {
    run.victimError = runCurl(options, stage.attacker->port(), required);
  } else {
    run.client = runClient(victimClient(options, stage.attacker->port(), required), options.observer);
    run.victimError = run.client.error;
    run.victimReceived = run.client.received;
  }
  finish(stage, run);
  return run;
}

StarttlsAttackRun runStarttlsDirect(const StarttlsAttackOptions& options) {
  StarttlsAttackRun run;
  run.victimName = "tlslab's client (TLS required)";
  Stage stage = setUp(options, std::nullopt);
  if (!stage.error.empty()) {
    run.setupError = stage.error;
    return run;
  }
  ClientConfig client = victimClient(options, stage.server->port(), true);
  client.resolver.set(kMailHost, "127.0.0.1");  // the true address: no attacker on this path
  run.client = runClient(client, options.observer);
  run.victimError = run.client.error;
  run.victimReceived = run.client.received;
  finish(stage, run);
  return run;
}

std::vector<RunLeg> legsOf(const StarttlsAttackRun& run) {
  if (!run.client.connected) return {};
  return {{&run.client, "client", kMailHost, serverEventsOf(run.client, run.serverSide)}};
}

StarttlsAttackRun runStarttlsInjection(const StarttlsAttackOptions& options) {
  StarttlsAttackRun run;
  run.victimName = "tlslab's client (TLS required)";
  Stage stage = setUp(options, StarttlsAttackConfig::Mode::Inject);
  if (!stage.error.empty()) {
    run.setupError = stage.error;
    return run;
  }
  run.client = runClient(victimClient(options, stage.attacker->port(), true), options.observer);
  run.victimError = run.client.error;
  run.victimReceived = run.client.received;
  finish(stage, run);
  return run;
}

std::vector<std::string> stripReport(const StarttlsAttackRun& run, const std::string& subject) {
  if (!run.setupError.empty()) return {"the lab could not run: " + run.setupError};
  std::vector<std::string> lines;
  for (const auto& session : run.attacker)
    for (const auto& action : session.actions) lines.push_back("attacker: " + action);
  for (const auto& line : run.serverLog())
    if (line.rfind("queued", 0) == 0) lines.push_back("server: " + line);
  lines.push_back(run.victimName + ": " + (run.victimError.empty() ? "finished" : run.victimError));
  const bool read = run.attackerRead().find(subject) != std::string::npos;
  if (run.victimSentMail && !run.victimUsedTls)
    lines.push_back("✗ " + run.victimName + " sent the mail in cleartext" +
                    (read ? ": the attacker read \"" + subject + "\"" : ""));
  else if (run.victimSentMail)
    lines.push_back("✔ " + run.victimName + " sent the mail inside TLS: the attacker read nothing of it");
  else
    lines.push_back("✔ " + run.victimName + " refused to go on without STARTTLS: no mail, and nothing for the attacker");
  return lines;
}

std::vector<std::string> injectionReport(const StarttlsAttackRun& run, bool starttlsBug) {
  if (!run.setupError.empty()) return {"the lab could not run: " + run.setupError};
  std::vector<std::string> lines;
  for (const auto& session : run.attacker)
    for (const auto& action : session.actions) lines.push_back("attacker: " + action);
  bool executed = false, discarded = false;
  for (const auto& line : run.serverLog()) {
    if (line.rfind("STARTTLS bug: executed", 0) == 0) executed = true;
    if (line.rfind("discarded", 0) == 0) discarded = true;
    if (line.rfind("STARTTLS bug", 0) == 0 || line.rfind("discarded", 0) == 0 || line.rfind("queued", 0) == 0)
      lines.push_back("server: " + line);
  }
  lines.push_back(run.victimName + ": " + (run.victimError.empty() ? "finished" : run.victimError));
  if (executed)
    lines.push_back("✗ the buggy server ran the attacker's command as if it had come inside TLS; the victim received "
                    "an answer to a command it never sent");
  else if (discarded)
    lines.push_back(std::string("✔ the ") + (starttlsBug ? "" : "fixed ") +
                    "server threw away what arrived with STARTTLS: only bytes inside TLS count (RFC 3207 §4.2)");
  else
    lines.push_back("the server saw nothing injected");
  return lines;
}

}  // namespace tlslab::scenarios
