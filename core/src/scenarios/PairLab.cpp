#include "tlslab/scenarios/PairLab.hpp"

namespace tlslab::scenarios {

using namespace tlslab::endpoints;

namespace {

void pinVersion(TlsOptions& tls, const std::string& version) {
  if (version == "1.2") tls.minVersion = tls.maxVersion = TlsVersion::Tls1_2;
  if (version == "1.3") tls.minVersion = tls.maxVersion = TlsVersion::Tls1_3;
}

constexpr const char* kRequest = "GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n";

// What the client says once TLS is up: a web request, or an SMTP login
// (AUTH PLAIN of student01 / secret, which the STARTTLS tutorial decodes).
// The tamper lab writes the request in two records, so dropping the first
// still leaves one for the server to find out of sequence.
std::vector<ScriptStep> conversation(PairLab lab) {
  if (lab == PairLab::Tamper)
    return {ScriptStep::send("GET / HTTP/1.1\r\n"), ScriptStep::send("Host: bank32.com\r\n\r\n"),
            ScriptStep::expect("</html>")};
  if (lab == PairLab::Starttls)
    return {ScriptStep::send("EHLO client.lab\r\n"), ScriptStep::expect("250 "),
            ScriptStep::send("AUTH PLAIN AHN0dWRlbnQwMQBzZWNyZXQ=\r\n"), ScriptStep::expect("235 "),
            ScriptStep::send("QUIT\r\n"), ScriptStep::expect("221 ")};
  return {ScriptStep::send(kRequest), ScriptStep::expect("</html>")};
}

// The attacker damages the first record of the request. TLS 1.3 disguises
// the client's Finished as application data (outer type 23): skip it.
Tamper tamperFor(Tamper::Action action, const std::string& tls) {
  Tamper tamper;
  tamper.action = action;
  tamper.contentType = 23;
  tamper.recordIndex = tls == "1.2" ? 0 : 1;
  return tamper;
}

}  // namespace

const char* pairLabName(PairLab lab) {
  switch (lab) {
    case PairLab::Handshake: return "handshake";
    case PairLab::Resumption: return "resumption";
    case PairLab::Starttls: return "starttls";
    case PairLab::Tamper: return "tamper";
  }
  return "?";
}

std::vector<PairLab> allPairLabs() { return {PairLab::Handshake, PairLab::Resumption, PairLab::Starttls, PairLab::Tamper}; }

std::vector<Tamper::Action> tamperActions() {
  return {Tamper::Action::FlipByte, Tamper::Action::Drop, Tamper::Action::Duplicate, Tamper::Action::Truncate};
}

const char* tamperActionDescription(Tamper::Action action) {
  switch (action) {
    case Tamper::Action::FlipByte: return "flips one bit of the encrypted request";
    case Tamper::Action::Drop: return "drops the first record of the request";
    case Tamper::Action::Duplicate: return "replays the first record of the request";
    case Tamper::Action::Truncate: return "cuts the TCP connection before the request";
    case Tamper::Action::None: break;
  }
  return "does nothing";
}

bool PairLabRun::ok() const { return setupError.empty() && !runs.empty() && runs.back().error.empty(); }

std::vector<RunLeg> PairLabRun::legs() const {
  std::vector<RunLeg> legs;
  for (std::size_t i = 0; i < runs.size(); ++i)
    legs.push_back({&runs[i], i == 0 ? "client" : "client (resuming)", serverName});
  return legs;
}

PairLabRun runPairLab(PairLab lab, const PairLabOptions& options) {
  PairLabRun result;
  result.lab = lab;
  const bool mail = lab == PairLab::Starttls;
  const auto identity = options.certsDir / (mail ? "mail-bank32" : "bank32-rsa");
  ServerConfig server;
  server.chainFile = identity / "chain.pem";
  server.keyFile = identity / "key.pem";
  server.service = mail ? Service::Smtp : Service::HttpsHello;
  pinVersion(server.tls, options.tls);
  auto started = LabServer::start(server, options.observer);
  if (!started) {
    result.setupError = started.error();
    return result;
  }
  ClientConfig client;
  client.host = result.serverName = mail ? "mail.bank32.com" : "bank32.com";
  client.port = started.value()->port();
  client.tls = server.tls;
  client.trustFiles = {options.certsDir / "root-ca" / "cert.pem"};
  client.starttls = mail ? Starttls::Smtp : Starttls::None;
  client.script = conversation(lab);
  if (lab == PairLab::Tamper) {
    client.tamper = tamperFor(options.tamper, options.tls);
    client.ioTimeoutMs = 2000;  // a dropped record leaves the client waiting for an answer
  }
  const std::size_t connections = lab == PairLab::Resumption ? 2 : 1;
  for (std::size_t i = 0; i < connections; ++i) {
    if (i > 0) {
      if (!result.runs.back().scriptOk) break;  // nothing to resume
      client.resume = result.runs.back().session;
    }
    result.runs.push_back(runClient(client, options.observer));
    if (options.onClientDone) options.onClientDone(result.runs.back(), i);
  }
  started.value()->stop();
  result.serverSide = started.value()->finishedConnections();
  return result;
}


TamperVerdict tamperVerdict(const PairLabRun& run) {
  TamperVerdict verdict;
  if (!run.runs.empty()) {
    for (const auto& event : run.runs.back().events)
      if (const auto* note = std::get_if<NoteEvent>(&event); note && note->text.rfind("tamper: ", 0) == 0) verdict.attack = note->text;
  }
  if (!run.serverSide.empty()) {
    const ServerConnection& server = run.serverSide.back();
    verdict.serverError = server.error;
    for (const auto& event : server.events) {
      const auto* info = std::get_if<InfoEvent>(&event);
      if (info && info->what == "alert sent" && verdict.serverAlert.empty()) verdict.serverAlert = info->state;
    }
    const Bytes got = appBytes(server.events, false);
    verdict.delivered.assign(got.begin(), got.end());
    verdict.requestDelivered = verdict.delivered.find(kRequest) != std::string::npos;
  }
  return verdict;
}

}  // namespace tlslab::scenarios
