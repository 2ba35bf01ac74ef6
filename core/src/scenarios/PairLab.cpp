#include "tlslab/scenarios/PairLab.hpp"

#include <string_view>

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
// The tamper lab writes the same request (kRequest) in two records, so
// dropping the first still leaves one for the server to find out of sequence.
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
// the client's Finished as application data (outer type 23): skip it. Over
// cleartext it works on the client's writes, and flips the request's first
// byte unless told otherwise.
Tamper tamperFor(const PairLabOptions& options) {
  Tamper tamper;
  tamper.action = options.tamper;
  tamper.contentType = 23;
  tamper.recordIndex = options.plain || options.tls == "1.2" ? 0 : 1;
  tamper.byteOffset = options.tamperOffset;
  tamper.flipMask = options.tamperMask;
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

const std::vector<std::string>& labServerAlpn() {
  static const std::vector<std::string> protocols{"h2", "http/1.1", "spdy/3.1", "http/1.0"};
  return protocols;
}

std::vector<PairLab> allPairLabs() { return {PairLab::Handshake, PairLab::Resumption, PairLab::Starttls, PairLab::Tamper}; }

std::string recordProtection(const RunTrace& traced) {
  for (const auto& connection : traced.trace.connections)
    for (const auto& record : connection.records)
      if (record.crypto && !record.crypto->construction.empty())
        return record.crypto->cipher + ", " + record.crypto->construction + " (" + record.crypto->rfc + ")";
  return {};
}

bool PairLabRun::ok() const { return setupError.empty() && !runs.empty() && runs.back().error.empty(); }

std::vector<RunLeg> PairLabRun::legs() const {
  std::vector<RunLeg> legs;
  for (std::size_t i = 0; i < runs.size(); ++i)
    legs.push_back({&runs[i], i == 0 ? "client" : "client (resuming)", serverName, serverEventsOf(runs[i], serverSide)});
  return legs;
}

std::string checkPairLabOptions(PairLab lab, const PairLabOptions& options) {
  const bool tamper = lab == PairLab::Tamper;
  if (options.plain && lab != PairLab::Handshake && !tamper)
    return std::string("the ") + pairLabName(lab) + " lab needs TLS: --plain is for the handshake and tamper labs";
  if (options.plain && (!options.tls.empty() || !options.ciphers.empty()))
    return "--plain runs without TLS: --tls and --ciphers do not apply";
  if (!options.tickets && lab != PairLab::Resumption) return "--no-tickets is for the resumption lab";
  if (!options.alpn.empty() && lab != PairLab::Handshake) return "--alpn is for the handshake lab";
  if (options.plain && (!options.groups.empty() || !options.serverGroups.empty() || !options.alpn.empty()))
    return "--plain runs without TLS: --groups, --server-groups and --alpn do not apply";
  for (const auto& protocol : options.alpn)
    if (protocol.empty() || protocol.size() > 255) return "an ALPN protocol name is 1 to 255 bytes (RFC 7301 §3.1)";
  if (options.macThenEncrypt && options.ciphers.empty())
    return "--mac-then-encrypt changes CBC records only: choose a CBC suite, e.g. --tls 1.2 --ciphers AES128-SHA";
  if (!options.ciphers.empty() && options.tls != "1.2")
    return "--ciphers chooses TLS 1.2 suites: add --tls 1.2 (TLS 1.3 suites are all AEAD and set apart)";
  if (!tamper && (options.tamperOffset != -1 || options.tamperMask != 0x01))
    return "--offset and --mask are for the tamper lab";
  if (tamper && options.tamper != Tamper::Action::FlipByte && (options.tamperOffset != -1 || options.tamperMask != 0x01))
    return std::string("--offset and --mask choose what flip-byte flips; ") + tamperActionName(options.tamper) +
           " works on a whole " + (options.plain ? "write" : "record");
  if (options.tamperMask == 0) return "--mask 0x00 flips no bit: the attacker would change nothing";
  if (options.tamperOffset < -1) return "--offset counts bytes from 0 (or -1 for the lab's choice)";
  if (tamper && options.plain && options.tamperOffset >= static_cast<long>(std::string_view(kRequest).size()))
    return "--offset " + std::to_string(options.tamperOffset) + " is past the end of the " +
           std::to_string(std::string_view(kRequest).size()) + "-byte request";
  return {};
}

PairLabRun runPairLab(PairLab lab, const PairLabOptions& options) {
  PairLabRun result;
  result.lab = lab;
  result.plain = options.plain;
  if (lab == PairLab::Tamper) result.tamper = options.tamper;
  if (auto err = checkPairLabOptions(lab, options); !err.empty()) {
    result.setupError = err;
    return result;
  }
  const bool mail = lab == PairLab::Starttls;
  const auto identity = options.certsDir / (mail ? "mail-bank32" : "bank32-rsa");
  ServerConfig server;
  server.chainFile = identity / "chain.pem";
  server.keyFile = identity / "key.pem";
  server.service = mail ? Service::Smtp : Service::HttpsHello;
  server.port = options.port;
  server.siteName = mail ? "mail.bank32.com" : "bank32.com";  // what the greeting and the page say
  server.useTls = !options.plain;
  pinVersion(server.tls, options.tls);
  server.tls.cipherList = options.ciphers;
  server.tls.groups = options.serverGroups;
  server.tls.encryptThenMac = !options.macThenEncrypt;
  server.tickets = options.tickets;
  if (!options.alpn.empty()) server.tls.alpn = labServerAlpn();
  auto started = LabServer::start(server, options.observer);
  if (!started) {
    result.setupError = started.error();
    return result;
  }
  ClientConfig client;
  client.host = result.serverName = mail ? "mail.bank32.com" : "bank32.com";
  client.port = started.value()->port();
  client.tls = server.tls;
  client.tls.groups = options.groups;
  client.tls.alpn = options.alpn;
  client.useTls = server.useTls;
  client.cleartextProtocol = mail ? "SMTP" : "HTTP";
  client.trustFiles = {options.certsDir / "root-ca" / "cert.pem"};
  client.starttls = mail ? Starttls::Smtp : Starttls::None;
  client.script = conversation(lab);
  if (lab == PairLab::Tamper) {
    client.tamper = tamperFor(options);
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


}  // namespace tlslab::scenarios
