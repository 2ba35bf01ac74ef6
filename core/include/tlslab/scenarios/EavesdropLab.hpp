#pragma once
// The eavesdropping lab (tutorials/01-eavesdropping.md): the same login sent
// once over plain TCP and once over TLS 1.3, each captured on its own. With
// permission to capture (root or CAP_NET_RAW) the captures are real libpcap
// captures on lo; without, they are the runs' own pcapng files made from the
// wire tap's bytes (the same bytes, as the live-capture test shows). The TLS
// capture never holds the run's keys: it is what an eavesdropper gets.
#include <filesystem>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"

namespace tlslab::scenarios {

struct EavesdropOptions {
  std::filesystem::path certsDir;
  std::string host = "bank32.com";  // the name the client asks for (SNI)
  // PEM of a server certificate for `host` ("" = certs/bank32-rsa).
  std::string chainPem, keyPem;
  std::string user = "alice";
  std::string password = "hunter2";
  std::string tls13Suite;  // "" = OpenSSL's choice, e.g. "TLS_CHACHA20_POLY1305_SHA256"
  bool liveCapture = true;  // try libpcap on lo first
  endpoints::Observer observer;
};

struct EavesdropLeg {
  endpoints::ClientRun client;
  std::vector<endpoints::ServerConnection> server;
  std::string pcapng;         // the capture of this login
  std::string captureMethod;  // "captured live on lo with libpcap" or why the run's own pcapng was used
};

struct EavesdropRun {
  EavesdropLeg plain, tls;
  std::string setupError;  // a server could not start: no run
  bool ok() const { return setupError.empty() && plain.client.scriptOk && tls.client.scriptOk; }
};

// The HTTP request of the login (the bytes an eavesdropper looks for).
std::string loginRequest(const std::string& host, const std::string& user, const std::string& password);

EavesdropRun runEavesdrop(const EavesdropOptions& options);

}  // namespace tlslab::scenarios
