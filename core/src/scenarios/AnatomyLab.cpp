#include "tlslab/scenarios/AnatomyLab.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>
#include <sstream>

#include "LabIdentity.hpp"
#include "tlslab/endpoints/RunPcapng.hpp"
#include "tlslab/scenarios/PairLab.hpp"

namespace tlslab::scenarios {

using namespace tlslab::endpoints;

namespace {

std::vector<Event> withoutKeys(const std::vector<Event>& events) {
  std::vector<Event> kept;
  for (const auto& e : events)
    if (!std::holds_alternative<KeyLogEvent>(e)) kept.push_back(e);
  return kept;
}

ServerConfig serverConfig(const AnatomyOptions& options) {
  ServerConfig server;
  setLabIdentity(server, options.certsDir, options.chainPem, options.keyPem);
  server.siteName = options.host;
  server.tls.alpn = labServerAlpn();  // 1.2 to 1.3: a 1.3-capable server
  return server;
}

}  // namespace

const char* anatomyKindName(AnatomyKind kind) {
  switch (kind) {
    case AnatomyKind::Tls13: return "TLS 1.3";
    case AnatomyKind::Tls12: return "TLS 1.2";
    case AnatomyKind::HelloRetry: return "TLS 1.3 + HelloRetryRequest";
    default: return "?";
  }
}

std::vector<AnatomyKind> allAnatomyKinds() { return {AnatomyKind::Tls13, AnatomyKind::Tls12, AnatomyKind::HelloRetry}; }

std::string checkAnatomyOptions(const AnatomyOptions& options) {
  if (options.hrrGroup.empty() || options.hrrGroup.find(':') != std::string::npos)
    return "--server-groups takes one group for the HelloRetryRequest connection, e.g. P-384";
  std::string lower = options.hrrGroup;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "x25519")
    return "the client's first key share is X25519: a server that takes X25519 needs no HelloRetryRequest; choose "
           "another group, e.g. P-384";
  for (const auto& protocol : options.alpn)
    if (protocol.empty() || protocol.size() > 255) return "an ALPN protocol name is 1 to 255 bytes (RFC 7301 §3.1)";
  if (options.order.empty()) return "no connection to make";
  return {};
}

bool AnatomyRun::ok() const {
  return setupError.empty() && !runs.empty() &&
         std::all_of(runs.begin(), runs.end(), [](const ClientRun& r) { return r.scriptOk; });
}

std::vector<RunLeg> AnatomyRun::legs() const {
  std::vector<RunLeg> legs;
  for (std::size_t i = 0; i < runs.size(); ++i)
    legs.push_back({&runs[i], std::string("client (") + anatomyKindName(kinds[i]) + ")", serverName,
                    serverEventsOf(runs[i], serverSide)});
  return legs;
}

AnatomyRun runAnatomy(const AnatomyOptions& options) {
  AnatomyRun result;
  result.serverName = options.host;
  if (auto err = checkAnatomyOptions(options); !err.empty()) {
    result.setupError = err;
    return result;
  }
  // One server for TLS 1.3 and 1.2; the same server again, taking one group only, for the retry.
  ServerConfig config = serverConfig(options);
  auto main = LabServer::start(config, options.observer);
  if (!main) {
    result.setupError = main.error();
    return result;
  }
  config.tls.groups = options.hrrGroup;
  auto picky = LabServer::start(config, options.observer);
  if (!picky) {
    main.value()->stop();
    result.setupError = "the server for the HelloRetryRequest: " + picky.error();
    return result;
  }
  for (AnatomyKind kind : options.order) {
    ClientConfig client;
    client.host = options.host;
    client.resolver.set(options.host, "127.0.0.1");
    client.port = kind == AnatomyKind::HelloRetry ? picky.value()->port() : main.value()->port();
    client.trustFiles = {options.certsDir / "root-ca" / "cert.pem"};
    client.tls.alpn = options.alpn;
    // Capped at 1.2: what an old client (or an attacker's downgrade) would make the server do.
    if (kind == AnatomyKind::Tls12) client.tls.maxVersion = TlsVersion::Tls1_2;
    client.script = {ScriptStep::send("GET / HTTP/1.1\r\nHost: " + options.host + "\r\n\r\n"), ScriptStep::expect("</html>")};
    result.kinds.push_back(kind);
    result.runs.push_back(runClient(client, options.observer));
    if (options.onConnectionDone) options.onConnectionDone(kind, result.runs.back());
  }
  for (auto* server : {main.value().get(), picky.value().get()}) {
    server->stop();
    for (auto& connection : server->finishedConnections()) result.serverSide.push_back(std::move(connection));
  }
  return result;
}

std::string observerPcapng(const AnatomyRun& run) {
  std::vector<RecordedConnection> recorded;
  for (const RunLeg& leg : run.legs())
    recorded.push_back({leg.run->peers, withoutKeys(leg.run->events),
                        leg.serverEvents ? withoutKeys(*leg.serverEvents) : std::vector<Event>{}});
  std::ostringstream out;
  if (!writeRunPcapng(out, recorded).empty()) return {};
  return out.str();
}

std::string anatomyKeyLog(const AnatomyRun& run) {
  std::set<std::string> seen;
  std::string text;
  for (const RunLeg& leg : run.legs()) {
    std::string lines = keyLogText(leg.run->events) + (leg.serverEvents ? keyLogText(*leg.serverEvents) : "");
    std::istringstream in(lines);
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && seen.insert(line).second) text += line + "\n";
  }
  return text;
}

}  // namespace tlslab::scenarios
