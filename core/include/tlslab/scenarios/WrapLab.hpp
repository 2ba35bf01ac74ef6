#pragma once
// Lab 14 (tutorials/14-wrappers.md): TLS added from outside to programs that
// have none. Two stories, each composed once here for the CLI, the checks and
// the sample captures:
//
//  wrapped server   TLS client (with or without a client certificate)
//                     ──TLS──▶ wrapper (server mode) ──cleartext──▶ plaintext HTTP server
//                   The wrapper verifies the client's certificate; the
//                   application behind it sees only the wrapper's address.
//
//  wrapped client   plaintext HTTP client ──cleartext──▶ wrapper (client mode)
//                     ──TLS──▶ bank32.com … which name resolution sends to an
//                   attacker's proxy (127.0.0.66) that relays to the real one.
//                   The wrapper's verification alone decides: the client
//                   cannot check anything, and is never told why it got nothing.
//
// The wrapper is tlslab's own (endpoints::TlsWrapper) unless the caller
// starts another (stunnel4) through `startWrapper`.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/endpoints/MitmProxy.hpp"
#include "tlslab/endpoints/TlsWrapper.hpp"
#include "tlslab/scenarios/RunTrace.hpp"

namespace tlslab::scenarios {

// Where clients reach a wrapper someone else started, or why it did not start.
struct ExternalWrapper {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;
  std::string error;
};
// Starts a wrapper that forwards to address:port and returns where it accepts.
using StartWrapper = std::function<ExternalWrapper(const std::string& forwardAddress, std::uint16_t forwardPort)>;

// One client of the wrapped server: its certificate ("" = none).
struct WrapClientIdentity {
  std::filesystem::path chainFile, keyFile;
};

struct WrappedServerOptions {
  std::filesystem::path certsDir;
  std::string host = "bank32.com";        // the wrapped server's name (SNI, checked by the client)
  std::string chainPem, keyPem;           // the wrapper's certificate for `host` ("" = certs/bank32-rsa)
  std::filesystem::path clientCaFile;     // client certificates must chain to it ("" = none asked for)
  std::vector<WrapClientIdentity> clients{{}};  // one TLS client each, in order
  std::string pageNote;                   // one more line on the application's page
  StartWrapper startWrapper;              // null: tlslab's own wrapper
  endpoints::Observer observer;
};

struct WrappedServerRun {
  std::vector<endpoints::ClientRun> clients;               // one per WrapClientIdentity
  std::vector<endpoints::WrapSession> wrapper;             // tlslab's wrapper's log (empty for another wrapper)
  std::vector<endpoints::ServerConnection> application;    // the plaintext server's connections
  std::uint16_t applicationPort = 0;
  std::string setupError;
  // The application's access log, one line per request it served, in the
  // Common Log Format a plaintext web server writes (host ident authuser
  // [date] "request" status bytes): it knows its peer's address, and has
  // nothing to put where the user's identity would go.
  std::vector<std::string> applicationLog() const;
  // client -> wrapper (TLS) and wrapper -> application (cleartext), per connection the wrapper forwarded.
  std::vector<RunLeg> legs() const;
};
WrappedServerRun runWrappedServer(const WrappedServerOptions& options);

struct WrappedClientOptions {
  std::filesystem::path certsDir;
  bool attacked = true;  // name resolution sends the wrapper to the attacker's proxy
  endpoints::AttackerCertificate attacker = endpoints::AttackerCertificate::AttackerOwn;
  endpoints::VerifyMode verify = endpoints::VerifyMode::ChainAndHost;  // the wrapper's verification
  std::string user = "alice";
  std::string password = "hunter2";
  StartWrapper startWrapper;  // null: tlslab's own wrapper, which expects bank32.com and trusts the lab root
  endpoints::Observer observer;
};

struct WrappedClientRun {
  endpoints::ClientRun client;                       // the plaintext client's login
  std::vector<endpoints::WrapSession> wrapper;       // tlslab's wrapper's log
  std::vector<endpoints::ServerConnection> proxySessions;      // the attacker's (when attacked)
  std::vector<endpoints::ServerConnection> serverConnections;  // the real bank32.com's
  std::uint16_t targetPort = 0;     // where the wrapper was sent: the attacker's port, or the real server's
  std::string targetAddress;
  std::string attackerLog;          // every byte the attacker read in the clear
  bool passwordStolen = false;      // the attacker's log holds the login
  std::string setupError;
  bool gotPage() const { return client.scriptOk; }
};
WrappedClientRun runWrappedClient(const WrappedClientOptions& options);

}  // namespace tlslab::scenarios
