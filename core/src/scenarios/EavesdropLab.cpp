#include "tlslab/scenarios/EavesdropLab.hpp"

#include <chrono>
#include <sstream>
#include <thread>

#include "LabIdentity.hpp"
#include "tlslab/capture/Pcapng.hpp"
#include "tlslab/capture/Source.hpp"
#include "tlslab/endpoints/RunPcapng.hpp"

namespace tlslab::scenarios {

using namespace tlslab::endpoints;

std::string loginRequest(const std::string& host, const std::string& user, const std::string& password) {
  const std::string body = "user=" + user + "&password=" + password;
  return "POST /login HTTP/1.1\r\nHost: " + host +
         "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

namespace {

// The run's own capture, without the key log: an eavesdropper has no keys.
std::string pcapngWithoutKeys(const ClientRun& run) {
  std::vector<Event> events;
  for (const auto& e : run.events)
    if (!std::holds_alternative<KeyLogEvent>(e)) events.push_back(e);
  std::ostringstream out;
  if (!writeRunPcapng(out, {{run.peers, events}}).empty()) return {};
  return out.str();
}

EavesdropLeg login(const ServerConfig& serverConfig, const EavesdropOptions& options, std::string& setupError) {
  EavesdropLeg leg;
  auto server = LabServer::start(serverConfig, options.observer);
  if (!server) {
    setupError = server.error();
    return leg;
  }
  // Capture only this server's port, so each login gets its own file.
  std::unique_ptr<capture::LiveCapture> live;
  std::string liveError = "capturing was not asked for";
  if (options.liveCapture) {
    capture::LiveOptions liveOptions;
    liveOptions.interface = "lo";
    liveOptions.filter = "tcp port " + std::to_string(server.value()->port());
    liveOptions.bufferTimeoutMs = 20;
    auto opened = capture::LiveCapture::open(liveOptions);
    if (opened) live = std::move(opened.value());
    else liveError = opened.error().message();
  }
  std::ostringstream captured;
  capture::PcapngWriter writer(captured);
  std::thread pump;
  if (live) {
    std::uint32_t id = writer.addInterface(live->linkType(), 262144, "lo");
    // `id` by value: it lives in this block, the thread outlives it.
    pump = std::thread([&, id] { (void)live->run([&, id](const capture::RawPacket& p) { writer.writePacket(id, p.time, p.data); }); });
  }
  ClientConfig client;
  client.host = options.host;
  client.port = server.value()->port();
  client.resolver.set(options.host, "127.0.0.1");
  client.trustFiles = {options.certsDir / "root-ca" / "cert.pem"};
  client.useTls = serverConfig.useTls;
  client.tls = serverConfig.tls;
  client.script = {ScriptStep::send(loginRequest(options.host, options.user, options.password)),
                   ScriptStep::expect("</html>")};
  leg.client = runClient(client, options.observer);
  server.value()->stop();
  leg.server = server.value()->finishedConnections();
  if (live) {
    // The last FIN must pass the tap before it stops.
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    live->stop();
    pump.join();
    leg.pcapng = captured.str();
    leg.captureMethod = "captured live on lo with libpcap";
  } else {
    leg.pcapng = pcapngWithoutKeys(leg.client);
    leg.captureMethod = "the run's own pcapng, from the wire tap (no live capture: " + liveError + ")";
  }
  return leg;
}

}  // namespace

EavesdropRun runEavesdrop(const EavesdropOptions& options) {
  EavesdropRun run;
  ServerConfig server;
  setLabIdentity(server, options.certsDir, options.chainPem, options.keyPem);
  server.siteName = options.host;
  server.useTls = false;
  run.plain = login(server, options, run.setupError);
  if (!run.setupError.empty()) return run;
  server.useTls = true;
  server.tls.minVersion = server.tls.maxVersion = TlsVersion::Tls1_3;
  server.tls.cipherSuites = options.tls13Suite;
  run.tls = login(server, options, run.setupError);
  return run;
}

}  // namespace tlslab::scenarios
