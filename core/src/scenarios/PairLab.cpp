#include "tlslab/scenarios/PairLab.hpp"

namespace tlslab::scenarios {

using namespace tlslab::endpoints;

namespace {

void pinVersion(TlsOptions& tls, const std::string& version) {
  if (version == "1.2") tls.minVersion = tls.maxVersion = TlsVersion::Tls1_2;
  if (version == "1.3") tls.minVersion = tls.maxVersion = TlsVersion::Tls1_3;
}

// What the client says once TLS is up: a web request, or an SMTP login
// (AUTH PLAIN of student01 / secret, which the STARTTLS tutorial decodes).
std::vector<ScriptStep> conversation(bool mail) {
  if (mail)
    return {ScriptStep::send("EHLO client.lab\r\n"), ScriptStep::expect("250 "),
            ScriptStep::send("AUTH PLAIN AHN0dWRlbnQwMQBzZWNyZXQ=\r\n"), ScriptStep::expect("235 "),
            ScriptStep::send("QUIT\r\n"), ScriptStep::expect("221 ")};
  return {ScriptStep::send("GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n"), ScriptStep::expect("</html>")};
}

}  // namespace

const char* pairLabName(PairLab lab) {
  switch (lab) {
    case PairLab::Handshake: return "handshake";
    case PairLab::Resumption: return "resumption";
    case PairLab::Starttls: return "starttls";
  }
  return "?";
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
  client.script = conversation(mail);
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
  return result;
}

}  // namespace tlslab::scenarios
