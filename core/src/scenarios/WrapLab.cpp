#include "tlslab/scenarios/WrapLab.hpp"

#include <fmt/core.h>

#include <ctime>
#include <memory>

#include "LabIdentity.hpp"
#include "tlslab/scenarios/EavesdropLab.hpp"

namespace tlslab::scenarios {

using namespace tlslab::endpoints;

namespace {

std::string firstLine(const Bytes& bytes) {
  std::string text(bytes.begin(), bytes.end());
  text = text.substr(0, text.find('\n'));
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

// "[01/Dec/2026:23:58:18 +0000]": the Common Log Format's time, in UTC.
std::string clfTime(TimeUs time) {
  std::time_t seconds = static_cast<std::time_t>(time / 1000000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[40];
  std::strftime(text, sizeof text, "[%d/%b/%Y:%H:%M:%S +0000]", &tm);
  return text;
}

std::string hostOf(const std::string& peer) {
  auto colon = peer.rfind(':');
  std::string host = colon == std::string::npos ? peer : peer.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  return host;
}

// A wrapper's start, ours or the caller's, in front of the application on 127.0.0.1:backendPort.
struct StartedWrapper {
  std::unique_ptr<TlsWrapper> ours;
  ExternalWrapper at;
};

StartedWrapper startOurs(const WrapConfig& config, const Observer& observer) {
  StartedWrapper started;
  auto wrapper = TlsWrapper::start(config, observer);
  if (!wrapper) {
    started.at.error = "the wrapper cannot start: " + wrapper.error();
    return started;
  }
  started.ours = std::move(wrapper.value());
  started.at.address = config.acceptAddress;
  started.at.port = started.ours->port();
  return started;
}

}  // namespace

std::vector<std::string> WrappedServerRun::applicationLog() const {
  std::vector<std::string> log;
  for (const auto& connection : application) {
    const AppDataEvent* request = nullptr;
    std::size_t sent = 0;
    std::string status = "-";
    for (const auto& event : connection.events) {
      const auto* data = std::get_if<AppDataEvent>(&event);
      if (data == nullptr) continue;
      if (!data->sent && request == nullptr) request = data;
      if (data->sent) {
        if (sent == 0) {
          const std::string line = firstLine(data->bytes);  // "HTTP/1.1 200 OK"
          if (line.size() >= 12) status = line.substr(9, 3);
        }
        sent += data->bytes.size();
      }
    }
    if (request == nullptr) continue;
    // ident and authuser are "-": nothing in a cleartext connection says who the client is.
    log.push_back(fmt::format("{} - - {} \"{}\" {} {}", hostOf(connection.peer), clfTime(request->time),
                              firstLine(request->bytes), status, sent));
  }
  return log;
}

std::vector<RunLeg> WrappedServerRun::legs() const {
  std::vector<RunLeg> legs;
  for (const auto& client : clients) {
    if (!client.connected) continue;
    const std::vector<Event>* front = nullptr;
    const WrapSession* session = nullptr;
    const std::string peer = fmt::format("{}:{}", client.peers.clientAddress, client.peers.clientPort);
    for (const auto& s : wrapper)
      if (s.peer == peer) {
        session = &s;
        front = &s.connection.events;
      }
    legs.push_back({&client, "client", "wrapper", front});
    if (session != nullptr && session->connection.upstream.connected)
      legs.push_back({&session->connection.upstream, "wrapper", "application",
                      serverEventsOf(session->connection.upstream, application)});
  }
  return legs;
}

WrappedServerRun runWrappedServer(const WrappedServerOptions& options) {
  WrappedServerRun run;
  // The unmodified application: the lab's HTTP service, in cleartext.
  ServerConfig app;
  app.useTls = false;
  app.siteName = options.host;
  app.pageNote = options.pageNote;
  app.httpCloseAfterResponse = true;
  auto application = LabServer::start(app, options.observer);
  if (!application) {
    run.setupError = "the application cannot start: " + application.error();
    return run;
  }
  run.applicationPort = (*application)->port();
  StartedWrapper wrapper;
  if (options.startWrapper) {
    wrapper.at = options.startWrapper("127.0.0.1", run.applicationPort);
  } else {
    WrapConfig config;
    config.mode = WrapMode::Server;
    config.connectPort = run.applicationPort;
    setLabIdentity(config, options.certsDir, options.chainPem, options.keyPem);
    config.clientCaFile = options.clientCaFile;
    wrapper = startOurs(config, options.observer);
  }
  if (!wrapper.at.error.empty()) {
    run.setupError = wrapper.at.error;
    return run;
  }
  for (const auto& identity : options.clients) {
    ClientConfig client;
    client.host = options.host;
    client.port = wrapper.at.port;
    client.resolver.set(options.host, wrapper.at.address);
    client.trustFiles = {options.certsDir / "root-ca" / "cert.pem"};
    client.clientCert = identity.chainFile;
    client.clientKey = identity.keyFile;
    client.script = {ScriptStep::send("GET / HTTP/1.1\r\nHost: " + options.host + "\r\nConnection: close\r\n\r\n"),
                     ScriptStep::expect("</html>")};
    run.clients.push_back(runClient(client, options.observer));
  }
  if (wrapper.ours) {
    wrapper.ours->stop();
    run.wrapper = wrapper.ours->sessions();
  }
  (*application)->stop();
  run.application = (*application)->finishedConnections();
  return run;
}

WrappedClientRun runWrappedClient(const WrappedClientOptions& options) {
  WrappedClientRun run;
  ServerConfig bank;
  setLabIdentity(bank, options.certsDir);
  auto server = LabServer::start(bank, options.observer);
  if (!server) {
    run.setupError = "the real server cannot start: " + server.error();
    return run;
  }
  std::unique_ptr<MitmProxy> proxy;
  run.targetAddress = "127.0.0.1";
  run.targetPort = (*server)->port();
  if (options.attacked) {
    MitmConfig attack;
    attack.targetPort = (*server)->port();
    attack.certificate = options.attacker;
    attack.certsDir = options.certsDir;
    auto started = MitmProxy::start(attack, options.observer);
    if (!started) {
      run.setupError = started.error();
      return run;
    }
    proxy = std::move(started.value());
    // What poisoned name resolution does: bank32.com is now the attacker's address.
    run.targetAddress = attack.listenAddress;
    run.targetPort = proxy->port();
  }
  StartedWrapper wrapper;
  if (options.startWrapper) {
    wrapper.at = options.startWrapper(run.targetAddress, run.targetPort);
  } else {
    WrapConfig config;
    config.mode = WrapMode::Client;
    config.connectAddress = run.targetAddress;
    config.connectPort = run.targetPort;
    config.serverName = "bank32.com";
    config.trustFiles = {options.certsDir / "root-ca" / "cert.pem"};
    config.verify = options.verify;
    wrapper = startOurs(config, options.observer);
  }
  if (!wrapper.at.error.empty()) {
    run.setupError = wrapper.at.error;
    return run;
  }
  ClientConfig client;
  client.host = wrapper.at.address;
  client.port = wrapper.at.port;
  client.useTls = false;
  client.cleartextProtocol = "HTTP";
  client.script = {ScriptStep::send(loginRequest("bank32.com", options.user, options.password)),
                   ScriptStep::expect("Welcome back")};
  run.client = runClient(client, options.observer);
  if (wrapper.ours) {
    wrapper.ours->stop();
    run.wrapper = wrapper.ours->sessions();
  }
  if (proxy) {
    proxy->stop();
    run.proxySessions = proxy->sessions();
  }
  (*server)->stop();
  run.serverConnections = (*server)->finishedConnections();
  for (const auto& session : run.proxySessions)
    for (const auto& event : session.events)
      if (const auto* data = std::get_if<AppDataEvent>(&event); data && !data->sent)
        run.attackerLog.append(data->bytes.begin(), data->bytes.end());
  run.passwordStolen = run.attackerLog.find("password=" + options.password) != std::string::npos;
  return run;
}

}  // namespace tlslab::scenarios
