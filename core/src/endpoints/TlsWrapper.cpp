// The wrapper is a LabServer running the relay service: in server mode its
// front leg is TLS and its onward leg cleartext, in client mode the other way
// round. What it adds is the check of its configuration and its log.
#include "tlslab/endpoints/TlsWrapper.hpp"

#include <fmt/core.h>

#include "Socket.hpp"

namespace tlslab::endpoints {

const char* wrapModeName(WrapMode mode) {
  switch (mode) {
    case WrapMode::Server: return "server";
    case WrapMode::Client: return "client";
    default: return "unknown";
  }
}

namespace {

std::string endpoint(const std::string& address, std::uint16_t port) { return fmt::format("{}:{}", address, port); }

bool hasFile(const std::filesystem::path& file) {
  std::error_code ec;
  return std::filesystem::is_regular_file(file, ec);
}

std::size_t appBytes(const std::vector<Event>& events, bool sent) {
  std::size_t n = 0;
  for (const auto& event : events)
    if (const auto* data = std::get_if<AppDataEvent>(&event); data && data->sent == sent) n += data->bytes.size();
  return n;
}

std::string verifyFailure(const model::VerifyVerdict& verify) {
  return fmt::format("{} at depth {} ({})", verify.errorName, verify.errorDepth, verify.errorText);
}

ServerConfig serverConfigOf(const WrapConfig& config) {
  ServerConfig server;
  server.address = config.acceptAddress;
  server.port = config.acceptPort;
  server.service = Service::Relay;
  server.tls = config.tls;
  server.ioTimeoutMs = config.ioTimeoutMs;
  ClientConfig& onward = server.relay;
  onward.port = config.connectPort;
  onward.ioTimeoutMs = config.ioTimeoutMs;
  if (config.mode == WrapMode::Server) {
    server.chainFile = config.chainFile;
    server.keyFile = config.keyFile;
    server.chainPem = config.chainPem;
    server.keyPem = config.keyPem;
    server.clientAuth = config.clientCaFile.empty() ? ClientAuth::None : ClientAuth::Require;
    server.clientCaFile = config.clientCaFile;
    onward.host = config.connectAddress;
    onward.useTls = false;
    return server;
  }
  server.useTls = false;
  // The name the wrapper asks for and checks; the address it really connects to.
  onward.host = config.serverName.empty() ? config.connectAddress : config.serverName;
  onward.resolver.set(onward.host, config.connectAddress);
  onward.verifyMode = config.verify;
  onward.trustFiles = config.trustFiles;
  onward.clientCert = config.clientCert;
  onward.clientKey = config.clientKey;
  onward.tls = config.tls;
  return server;
}

void logServerMode(const WrapConfig& config, WrapSession& s) {
  const ServerConnection& c = s.connection;
  s.tlsOk = c.handshakeOk;
  s.verify = c.clientVerify;
  if (!c.handshakeOk) {
    const std::string prefix = "handshake failed: ";
    s.log.push_back("TLS handshake failed: " + (c.error.rfind(prefix, 0) == 0 ? c.error.substr(prefix.size()) : c.error));
    if (!c.clientVerify.ok && c.clientVerify.errorCode != 0)
      s.log.push_back("client certificate refused: " + verifyFailure(c.clientVerify));
    s.log.push_back("nothing forwarded: " + endpoint(config.connectAddress, config.connectPort) + " never saw this client");
    s.error = c.error;
    return;
  }
  s.version = c.negotiated.version;
  s.cipher = c.negotiated.cipher;
  s.peerCertificate = c.clientCertificate;
  s.log.push_back(fmt::format("TLS: {}, {}", s.version, s.cipher));
  if (config.clientCaFile.empty())
    s.log.push_back("client certificate: none asked for (no client CA configured)");
  else
    s.log.push_back("client certificate: " + c.clientCertificate + ", verified against " +
                    config.clientCaFile.string());
  if (!c.upstream.connected) {
    s.error = c.error;
    s.log.push_back("cannot reach " + endpoint(config.connectAddress, config.connectPort) + ": " + c.upstream.error);
    return;
  }
  s.forwarded = true;
  s.log.push_back(fmt::format("forwarded in cleartext to {}: {} bytes from the client, {} bytes back",
                              endpoint(config.connectAddress, config.connectPort), s.bytesFromClient,
                              s.bytesFromServer));
  s.log.push_back("the application there saw " + endpoint(c.upstream.peers.clientAddress, c.upstream.peers.clientPort) +
                  " (this wrapper), and no certificate");
}

void logClientMode(const WrapConfig& config, WrapSession& s) {
  const ServerConnection& c = s.connection;
  const ClientRun& up = c.upstream;
  s.verify = up.verify;
  s.version = up.negotiated.version;
  s.cipher = up.negotiated.cipher;
  if (!up.negotiated.peerChainSubjects.empty()) s.peerCertificate = up.negotiated.peerChainSubjects.front();
  for (const auto& step : up.verify.events)
    if (step.depth == 0) s.peerIssuer = step.issuer;
  const std::string target = (config.serverName.empty() ? std::string() : config.serverName + " at ") +
                             endpoint(config.connectAddress, config.connectPort);
  s.log.push_back("cleartext client; TLS to " + target + " (verify: " + verifyModeName(config.verify) + ")");
  if (!up.connected) {
    s.error = up.error;
    s.log.push_back("cannot reach " + target + ": " + up.error);
    return;
  }
  const std::string cert = s.peerCertificate.empty() ? "(none)"
                           : s.peerCertificate + (s.peerIssuer.empty() ? "" : " (issued by " + s.peerIssuer + ")");
  if (!up.handshakeOk) {
    s.error = up.error;
    if (up.verify.errorCode != 0)
      s.log.push_back("server certificate " + cert + " refused: " + verifyFailure(up.verify));
    s.log.push_back("TLS handshake failed: " + up.error);
    s.log.push_back("the cleartext client's connection is closed with nothing sent: it is not told why");
    return;
  }
  s.tlsOk = true;
  s.log.push_back(fmt::format("TLS: {}, {}", s.version, s.cipher));
  if (config.verify == VerifyMode::None || config.verify == VerifyMode::IgnoreErrors)
    s.log.push_back("server certificate " + cert + ": accepted without checking" +
                    (up.verify.errorCode != 0 ? " (OpenSSL found " + verifyFailure(up.verify) + ")" : ""));
  else if (config.verify == VerifyMode::ChainOnly)
    s.log.push_back("server certificate " + cert + ": chain verified, host name never compared");
  else
    s.log.push_back("server certificate " + cert + ": verified for " + config.serverName);
  s.forwarded = true;
  s.log.push_back(fmt::format("relayed: {} bytes from the client, {} bytes back", s.bytesFromClient, s.bytesFromServer));
}

}  // namespace

std::string checkWrapConfig(const WrapConfig& config) {
  if (!isLoopbackAddress(config.acceptAddress))
    return "--accept " + config.acceptAddress + " is not a loopback address (127.0.0.0/8 or ::1): labs stay on this machine";
  if (!isLoopbackAddress(config.connectAddress))
    return "--connect " + config.connectAddress + " is not a loopback address (127.0.0.0/8 or ::1): labs stay on this machine";
  if (config.connectPort == 0) return "--connect needs a port (ADDRESS:PORT)";
  if (config.mode == WrapMode::Server) {
    if (config.chainPem.empty() && !hasFile(config.chainFile))
      return "server mode needs --cert: the certificate chain (PEM) the wrapper presents" +
             (config.chainFile.empty() ? std::string() : "; " + config.chainFile.string() + " is not a file");
    if (config.keyPem.empty() && !hasFile(config.keyFile))
      return "server mode needs --key: the private key of --cert" +
             (config.keyFile.empty() ? std::string() : "; " + config.keyFile.string() + " is not a file");
    if (!config.clientCaFile.empty() && !hasFile(config.clientCaFile))
      return "--client-ca " + config.clientCaFile.string() + " is not a file";
    return {};
  }
  const bool checksName = config.verify != VerifyMode::None && config.verify != VerifyMode::ChainOnly;
  if (checksName && config.serverName.empty())
    return "client mode checks the server's name: give it with --name (or --verify none to check nothing)";
  if (config.verify != VerifyMode::None && config.trustFiles.empty())
    return "client mode verifies the server: give the CA it trusts with --ca (or --verify none)";
  for (const auto& file : config.trustFiles)
    if (!hasFile(file)) return "--ca " + file.string() + " is not a file";
  if (config.clientCert.empty() != config.clientKey.empty()) return "--cert and --key go together";
  return {};
}

pki::Result<std::unique_ptr<TlsWrapper>> TlsWrapper::start(const WrapConfig& config, Observer observer) {
  using R = pki::Result<std::unique_ptr<TlsWrapper>>;
  if (auto err = checkWrapConfig(config); !err.empty()) return R::failure(err);
  auto server = LabServer::start(serverConfigOf(config), std::move(observer));
  if (!server) return R::failure(server.error());
  return R::success(std::unique_ptr<TlsWrapper>(new TlsWrapper(std::move(server.value()), config)));
}

std::vector<WrapSession> TlsWrapper::sessions() const {
  std::vector<WrapSession> out;
  for (auto& connection : server_->finishedConnections()) {
    WrapSession& s = out.emplace_back();
    s.peer = connection.peer;
    s.bytesFromClient = appBytes(connection.events, false);
    s.bytesFromServer = appBytes(connection.events, true);
    s.connection = std::move(connection);
    s.log.push_back("connection from " + s.peer);
    if (config_.mode == WrapMode::Server)
      logServerMode(config_, s);
    else
      logClientMode(config_, s);
    if (s.error.empty() && !s.connection.error.empty() && s.forwarded) s.log.push_back("ended: " + s.connection.error);
  }
  return out;
}

std::string TlsWrapper::banner() const {
  const std::string accept = endpoint(config_.acceptAddress, port());
  const std::string connect = endpoint(config_.connectAddress, config_.connectPort);
  if (config_.mode == WrapMode::Server)
    return fmt::format("wrap (server mode): TLS on {} -> cleartext to {}{}", accept, connect,
                       config_.clientCaFile.empty() ? "" : ", client certificate required");
  return fmt::format("wrap (client mode): cleartext on {} -> TLS to {}{} (verify: {})", accept,
                     config_.serverName.empty() ? "" : config_.serverName + " at ", connect,
                     verifyModeName(config_.verify));
}

}  // namespace tlslab::endpoints
