#pragma once
// Lab 3's man in the middle against REAL clients from Debian packages: the
// real bank32.com (LabServer, certs/bank32-rsa, login form) on 127.0.0.1, the
// attacker's MitmProxy on 127.0.0.66 at the same port, name resolution
// poisoned the textbook way (a private hosts file: 127.0.0.66 bank32.com),
// and each client, trusting the lab root, POSTs a login to
// https://bank32.com:PORT/login. Whether a client "sent the password" is read
// from the proxy's own log (MitmProxy::sessions()), never from the client's
// output; whether it "refused" is the client's own verdict (its exit status,
// Chromium's error page). The run states what happened; it does not know
// what should have happened.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tlslab/endpoints/MitmProxy.hpp"
#include "tlslab/scenarios/course/Program.hpp"

namespace tlslab::course {

enum class RealClient {
  Curl,            // curl --cacert ROOT
  CurlInsecure,    // curl -k
  Wget,            // wget --ca-certificate=ROOT
  Python,          // python3: ssl.create_default_context(cafile=ROOT) + http.client
  GnutlsCli,       // gnutls-cli --x509cafile=ROOT
  OpensslDefault,  // openssl s_client -CAfile ROOT (default flags)
  OpensslStrict,   // ... -verify_return_error -verify_hostname bank32.com
  Chromium,        // headless chromium, the lab root in an NSS database
};
std::vector<RealClient> allRealClients();
// "curl", "curl -k", "wget", "python3", "gnutls-cli", "openssl s_client",
// "openssl s_client -verify_hostname", "chromium".
const char* realClientName(RealClient client);
const char* realClientPackage(RealClient client);  // the Debian package: "curl", "libnss3-tools"…
// A client named the way a student might write it ("curl -k", "curl-k",
// "python", "s_client -verify_return_error", "Chromium"); nullopt if unknown.
std::optional<RealClient> parseRealClient(std::string_view text);

enum class ClientState {
  Ran,
  NotInstalled,  // `skipReason` names the package to install
  NeedsHostsFile,  // no private hosts file here and no option of its own to map the name: `skipReason` gives the line
  CouldNotRun,     // its set-up, the proxy or the start failed: `skipReason` says what (the run is not consistent)
};

struct RealClientResult {
  RealClient client = RealClient::Curl;
  ClientState state = ClientState::CouldNotRun;
  std::string skipReason;   // why it did not run ("" when it ran)
  std::string commandLine;  // what a student types (after adding the hosts line)
  std::vector<std::string> setupCommands;  // to type before it (Chromium's NSS database)
  std::string resolution;   // how bank32.com reached the attacker: "private /etc/hosts (mount namespace)", "curl --resolve"
  // The client's own verdict: it stopped with an error (non-zero exit, or
  // Chromium's certificate error page instead of the site).
  bool refused = false;
  // From the attacker's proxy log: an HTTP request arrived over TLS, and it held the password.
  bool attackerGotRequest = false;
  bool passwordSent = false;
  std::string stolen;       // what the proxy logged, from "user=" to the password (bounded)
  int proxyConnections = 0; // TLS connections the proxy saw from this client
  std::string words;        // the client's own line (its error, or the page it got), bounded
  std::string ended;        // ProgramResult::describe(): "exited with status 60"
  std::string errorCode;    // Chromium: the net error its error page shows ("ERR_CERT_COMMON_NAME_INVALID")
  bool screenshotWritten = false;  // Chromium: a PNG (checked signature) at the requested path
  double seconds = 0;
  // Refused exactly when the attacker got nothing, and got the password
  // whenever it got a request: the client's words and the proxy's log agree.
  bool consistent() const;
};

struct RealClientsOptions {
  std::filesystem::path certsDir;  // the lab PKI (certs/)
  endpoints::AttackerCertificate strategy = endpoints::AttackerCertificate::AttackerOwn;
  std::string user = "alice";
  std::string password = "hunter2";  // letters, digits, '.', '_', '-' (sent as a URL-encoded form)
  std::vector<RealClient> clients;   // empty: all of them, in allRealClients() order
  std::filesystem::path screenshot;  // Chromium's error page as PNG ("" = no screenshot)
  // Clients use their own name mapping (curl --resolve, Chromium
  // --host-resolver-rules, s_client -connect ADDRESS -servername) even where a
  // private hosts file is possible; those without one are NeedsHostsFile.
  bool clientOwnResolution = false;
  // Where the clients are: Debian's packages put them in /usr/bin. A client
  // whose program is not there is NotInstalled, never guessed at.
  std::filesystem::path programDir = "/usr/bin";
  std::chrono::milliseconds timeout{10000};          // per command-line client
  std::chrono::milliseconds browserTimeout{30000};   // Chromium
  std::function<void(const std::string&)> progress;  // "running curl -k …"
  void say(const std::string& text) const {
    if (progress) progress(text);
  }
};

struct RealClientsRun {
  std::string setupError;  // the lab could not run (bad password, port, files): no results
  endpoints::AttackerCertificate strategy = endpoints::AttackerCertificate::AttackerOwn;
  std::string serverAddress = "127.0.0.1";
  std::string proxyAddress = "127.0.0.66";
  std::uint16_t port = 0;       // the real server's, and the proxy's on its own address
  HostsMethod hosts = HostsMethod::Unavailable;  // what this machine allowed for the hosts file
  std::string hostsLine;        // "127.0.0.66 bank32.com"
  std::vector<RealClientResult> clients;
  const RealClientResult* find(RealClient client) const;
  bool consistent() const;  // no client failed to run, and every client that ran is consistent
  // Names (realClientName) of the clients whose password the proxy logged.
  std::vector<std::string> passwordSenders() const;
};

// Whether `password` can be posted by every client unchanged ("" = yes, else why not).
std::string loginPasswordProblem(std::string_view password);

RealClientsRun runRealClients(const RealClientsOptions& options);

}  // namespace tlslab::course
