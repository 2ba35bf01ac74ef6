#pragma once
// `tlslab wrap`: TLS added to an unmodified cleartext program from outside,
// the way stunnel or a system-wide TLS proxy does it (lab 14).
//
//   server mode   TLS client ──TLS──▶ [wrapper] ──cleartext──▶ plaintext server
//   client mode   plaintext client ──cleartext──▶ [wrapper] ──TLS──▶ TLS server
//
// The wrapper does every TLS call; the program behind it sees only bytes and
// the wrapper's own address. So whatever the handshake proved (the client's
// certificate, the server's name) is known to the wrapper alone, and is in
// its log, not in the program's. Both legs are loopback only, every socket has
// a deadline and the relay copies through a fixed-size buffer.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/endpoints/VerifyMode.hpp"
#include "tlslab/pki/Result.hpp"

namespace tlslab::endpoints {

enum class WrapMode {
  Server,  // accept TLS, connect in cleartext: a TLS front for a plaintext server
  Client,  // accept cleartext, connect with TLS: TLS on behalf of a plaintext client
};
const char* wrapModeName(WrapMode mode);  // "server", "client"

struct WrapConfig {
  WrapMode mode = WrapMode::Server;
  std::string acceptAddress = "127.0.0.1";
  std::uint16_t acceptPort = 0;  // 0: a free one
  std::string connectAddress = "127.0.0.1";
  std::uint16_t connectPort = 0;
  TlsOptions tls;
  int ioTimeoutMs = 5000;  // per read/write and for an idle relay
  // Server mode: the certificate the wrapper presents (files or PEM) and,
  // when clientCaFile is set, the client certificate it demands.
  std::filesystem::path chainFile, keyFile;
  std::string chainPem, keyPem;
  std::filesystem::path clientCaFile;
  // Client mode: the server the wrapper expects — the name it sends (SNI)
  // and checks, the CAs it trusts, how it verifies — and its own certificate
  // when the server asks for one.
  std::string serverName;
  std::vector<std::filesystem::path> trustFiles;
  VerifyMode verify = VerifyMode::ChainAndHost;
  std::filesystem::path clientCert, clientKey;
};

// One connection through the wrapper, once it has ended.
struct WrapSession {
  std::string peer;          // who connected to the wrapper ("127.0.0.1:50312")
  bool tlsOk = false;        // the TLS leg's handshake completed
  bool forwarded = false;    // the other leg was opened and bytes were relayed
  std::string version, cipher;
  // The TLS peer's certificate as the wrapper judged it: the client's
  // (server mode, "" when it sent none) or the server's leaf (client mode).
  std::string peerCertificate;
  std::string peerIssuer;  // the issuer named in that certificate
  model::VerifyVerdict verify;
  std::size_t bytesFromClient = 0, bytesFromServer = 0;  // application bytes relayed each way
  std::string error;         // why the connection ended early ("" for a normal end)
  std::vector<std::string> log;  // the wrapper's log lines for this connection
  ServerConnection connection;   // every event of both legs
};

class TlsWrapper {
 public:
  // Loads the certificates, binds and starts accepting; "" when `config` is
  // wrong, naming the option (an address off loopback, a missing file...).
  static pki::Result<std::unique_ptr<TlsWrapper>> start(const WrapConfig& config, Observer observer = {});
  std::uint16_t port() const { return server_->port(); }
  const WrapConfig& config() const { return config_; }
  void stop() { server_->stop(); }
  std::vector<WrapSession> sessions() const;
  std::size_t activeConnections() const { return server_->activeConnections(); }
  // The line the wrapper prints when it starts: what it accepts and where it forwards.
  std::string banner() const;

 private:
  TlsWrapper(std::unique_ptr<LabServer> server, WrapConfig config)
      : server_(std::move(server)), config_(std::move(config)) {}
  std::unique_ptr<LabServer> server_;
  WrapConfig config_;
};

// "" or what is wrong with `config` (TlsWrapper::start reports it too).
std::string checkWrapConfig(const WrapConfig& config);

}  // namespace tlslab::endpoints
