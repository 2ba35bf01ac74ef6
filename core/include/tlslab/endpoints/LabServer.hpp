#pragma once
// A real OpenSSL server on a loopback address, instrumented: every accepted
// connection's events (wire bytes, messages, key log, verify, info, app data)
// are recorded and streamed to an observer. One thread per connection.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tlslab/endpoints/Events.hpp"
#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/TlsOptions.hpp"
#include "tlslab/pki/Result.hpp"

namespace tlslab::endpoints {

enum class Service {
  HttpsHello,  // the textbook HTTPS page, with a login form posting to /login
  Echo,        // sends back every byte it receives
  Smtp,        // SMTP with STARTTLS (RFC 3207): log in, send one message
  Pop3,        // POP3 with STLS (RFC 2595): log in, read one message
  Imap,        // IMAP with STARTTLS (RFC 9051 §6.2.1): log in, fetch one message
  Relay,       // a man in the middle: opens its own connection (ServerConfig::relay) and relays
};
// True for services that start in cleartext and upgrade with STARTTLS.
bool isStarttlsService(Service service);
const char* serviceName(Service service);

enum class ClientAuth { None, Request, Require };

struct ServerConfig {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: pick a free one
  std::filesystem::path chainFile;  // PEM: leaf first, then intermediates
  std::filesystem::path keyFile;
  // In-memory PEM instead of the files (a certificate forged on the fly).
  std::string chainPem, keyPem;
  std::string siteName = "bank32.com";  // shown on the hello page
  // Service::HttpsHello: one more line of HTML on every page, inserted as
  // given (a course checker's per-student token it then looks for in what a
  // student's client printed).
  std::string pageNote;
  // Service::HttpsHello: end the connection (close_notify, then FIN) after
  // one response, so a client that reads until the server closes (the SEED
  // textbook's) finishes at once instead of at the idle timeout.
  bool httpCloseAfterResponse = false;
  Service service = Service::HttpsHello;
  // Service::Echo: the buffer each SSL_read is given (the record lab's reader;
  // each call is an AppDataEvent, so its return values are on record).
  std::size_t readBufferSize = 16384;
  bool useTls = true;  // false: the same service in cleartext
  TlsOptions tls;
  // OpenSSL refuses to even load weak certificates (RSA-1024, SHA-1) at the
  // default security level; the gallery server lowers it to show them (-1: default).
  int securityLevel = -1;
  ClientAuth clientAuth = ClientAuth::None;
  std::filesystem::path clientCaFile;  // trust anchor for client certificates
  // Fault hook: the classic STARTTLS command-injection bug (plaintext sent
  // with the STARTTLS command is executed after the upgrade).
  bool starttlsInjectionBug = false;
  std::uint32_t maxEarlyData = 0;  // TLS 1.3 0-RTT bytes accepted (0: early data off)
  // OpenSSL's 0-RTT anti-replay (RFC 8446 §8.1, single-use tickets): with early
  // data on, tickets are kept in the session cache and removed at their first
  // use, so a replayed ClientHello cannot resume. false sets
  // SSL_OP_NO_ANTI_REPLAY: stateless tickets, reusable, the replay lab's victim.
  bool antiReplay = true;
  // OpenSSL 3 refuses client-initiated renegotiation unless asked (the DoS
  // and the 2009 renegotiation attack are why); the renegotiation lab turns it on.
  bool allowClientRenegotiation = false;
  bool sessionCache = true;
  bool tickets = true;
  int ioTimeoutMs = 5000;
  int handshakeTimeoutMs = 10000;  // the whole handshake, however the client trickles it (0: none)
  // Connections served at once (one thread each); more wait in the kernel's
  // backlog until one ends. The log says when the server is full.
  std::size_t maxConnections = 256;
  EventWindow window;  // how much of each connection's events are kept (ServerConnection::events)
  Role role = Role::Server;  // how its events are labelled (ProxyFront for a MITM)
  // Service::Relay: where and how the proxy connects onwards (its script is unused).
  ClientConfig relay;
};

// What one accepted connection did, once it has finished.
struct ServerConnection {
  std::string peer;
  bool handshakeOk = false;
  std::string error;  // why the connection failed, "" when it did not
  // TLS 1.3 0-RTT: the bytes the application took before the handshake
  // completed (whether or not it then completed), and OpenSSL's verdict:
  // "accepted", "rejected" or "" (none offered).
  std::string earlyData;
  std::string earlyDataStatus;
  std::vector<Event> events;
  EventsDropped dropped;  // what the window did not keep
  // What the handshake agreed on (empty without TLS or when it failed).
  Negotiated negotiated;
  // Mutual TLS: the subject of the client's certificate once the handshake
  // accepted it ("" when it sent none or was refused), and the verify record.
  std::string clientCertificate;
  model::VerifyVerdict clientVerify;
  // Service::Relay: the proxy's own connection to the real server.
  ClientRun upstream;
};

class LabServer {
 public:
  // Loads the certificate and key, binds and starts accepting.
  static pki::Result<std::unique_ptr<LabServer>> start(const ServerConfig& config, Observer observer = {});
  ~LabServer();
  LabServer(const LabServer&) = delete;
  LabServer& operator=(const LabServer&) = delete;

  std::uint16_t port() const;
  const std::string& address() const;
  // Stops accepting, unblocks every connection and joins all threads.
  void stop();
  // Connections that have finished and were not taken, in the order they finished.
  std::vector<ServerConnection> finishedConnections() const;
  // Connections finished so far, taken ones included, without copying any:
  // what a main loop waiting for N connections polls (issue 16, item 4).
  std::size_t finishedCount() const;
  // The finished connections not taken yet, handed over and forgotten: a
  // server that runs for hours frees each once it has printed it (issue 16, item 3).
  std::vector<ServerConnection> takeFinished();
  // Events and payload bytes the finished, untaken connections hold (both
  // legs of a relay): what a long run must keep bounded.
  struct Retained {
    std::size_t events = 0;
    std::size_t payloadBytes = 0;
  };
  Retained retained() const;
  std::size_t activeConnections() const;

  struct Impl;

 private:
  explicit LabServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tlslab::endpoints
