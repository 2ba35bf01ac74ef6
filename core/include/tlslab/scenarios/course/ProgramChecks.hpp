#pragma once
// The program checks of the course: a student's client or server run against
// real lab endpoints and judged by what the far side saw. A client meets the
// lab server (it must print the page's token), the bad-certificate gallery
// and a man in the middle (the server or proxy must never see its request);
// a server meets tlslab's LabClient, openssl s_client and gnutls-cli (each
// must get a 200 page), then the same with client certificates (mTLS).
// Each check returns its CheckResult for `tlslab lab check` and the runs
// themselves, so `tlslab lab try` can narrate what happened.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "tlslab/endpoints/MitmProxy.hpp"
#include "tlslab/scenarios/course/Lab.hpp"
#include "tlslab/scenarios/course/Program.hpp"

namespace tlslab::course {

inline constexpr const char* kBankHost = "bank32.com";
inline constexpr const char* kServerAddress = "127.0.0.1";
inline constexpr const char* kAttackerAddress = "127.0.0.66";

// ---- clients: PROGRAM HOSTNAME PORT, run in the workspace (trusted CAs in ./cert)

struct ClientCheckOptions {
  std::filesystem::path program;
  std::filesystem::path workspace;  // the program's working folder
  std::filesystem::path certsDir;   // the lab PKI (certs/)
  std::string pageToken;            // the lab server's page carries it; printing it proves the page arrived
  std::string relayedToken;         // the page token behind the attacker ("" = pageToken)
  // The attacker's second try, a certificate whose chain is bad (not only its name).
  endpoints::AttackerCertificate chainAttack = endpoints::AttackerCertificate::SelfSigned;
  std::chrono::milliseconds timeout{6000};  // per run of the program
  std::function<void(const std::string&)> progress;
  void say(const std::string& text) const {
    if (progress) progress(text);
  }
};

// One run of the student's client against one server the check set up.
struct ClientTrial {
  std::string scenario;  // "lab server", "gallery expired", "attacker (attacker-own)"
  std::string address;   // where HOSTNAME resolved for the program
  std::uint16_t port = 0;
  std::string setupError;  // the lab could not set the scenario up (not the student's fault)
  ProgramResult program;
  // What the server (or the attacker's proxy) saw of the program:
  int connections = 0;             // TCP connections accepted
  bool handshakeCompleted = false; // a TLS handshake with it finished
  std::string request;             // what it sent inside TLS ("" = nothing)
  std::string serverError;         // how the server's side of the connection ended
  std::string alertReceived;       // the alert the program sent, e.g. "certificate_expired (45)"
  bool pageSent = false;           // the server answered with its page
  // Attacker only: the proxy's log and the page it relayed back from the real server.
  std::vector<std::string> attackerLog;
  std::string relayedPage;
  bool printedToken(const std::string& token) const;
};

struct ClientCheck {
  CheckResult result;
  std::vector<ClientTrial> trials;
};

ClientCheck checkClientGetsPage(const ClientCheckOptions& options);
// `only`: gallery entry names to run (every Gallery entry of pki::catalog() when empty).
// `revoked` and `cn-only` are bonus: reported, never required.
ClientCheck checkClientRejectsGallery(const ClientCheckOptions& options, std::span<const std::string> only = {});
// The attacker's proxy on 127.0.0.66 with its own valid certificate for
// attacker32.com, then with `chainAttack` (self-signed by default); the
// program must send neither its request.
ClientCheck checkClientRejectsAttacker(const ClientCheckOptions& options);

// Whether a gallery entry is a bonus (and why, with the call that would catch it).
bool isBonusGalleryEntry(std::string_view name, std::string* why = nullptr);

// ---- servers: PROGRAM PORT CHAIN KEY [CLIENT_CA]

struct ServerCheckOptions {
  std::filesystem::path program;
  std::filesystem::path workspace;  // the program's working folder
  std::filesystem::path certsDir;
  std::string host;  // the student's host name: the fresh leaf is issued for it
  std::chrono::milliseconds timeout{30000};  // the server's whole run
  std::chrono::milliseconds clientTimeout{6000};  // each client's
  std::function<void(const std::string&)> progress;
  void say(const std::string& text) const {
    if (progress) progress(text);
  }
};

// One client's conversation with the student's server.
struct ServerProbe {
  std::string client;      // "tlslab LabClient", "openssl s_client", "gnutls-cli"
  std::string identity;    // mTLS: "student01", "no certificate", "Rogue CA certificate"
  bool expectPage = true;  // false: this client must be refused
  bool handshakeOk = false;
  bool gotPage = false;    // an HTTP 200 response came back
  std::string statusLine;  // its first line
  std::string detail;      // what went wrong, quoted from the client
  std::vector<std::string> presentedChain;  // the certificates the server sent, subjects leaf first
  bool presentedOurLeaf = false;            // the leaf is the CHAIN the check gave it
  bool certificateRequested = false;        // the server sent a CertificateRequest
  std::vector<std::string> flow;            // handshake messages as the client saw them: "<- ServerHello"
  bool notRun = false;                      // the tool is not installed here: not judged
  bool ok() const;                          // behaved as this probe needs (or was not run)
};

struct ServerCheck {
  CheckResult result;
  std::vector<ServerProbe> probes;
  ProgramResult server;  // how the student's server ended and what it printed
  std::string chainFile, keyFile, clientCaFile;  // what it was given (removed after the check)
};

ServerCheck checkServerServesPage(const ServerCheckOptions& options);
ServerCheck checkServerRequiresClientCertificate(const ServerCheckOptions& options);

// ---- what a lab's own checks use, for `tlslab lab try`

// The options lab `lab`'s checks give this student's program: the page
// tokens, the attacker's second certificate, the student's host name, and a
// temporary workspace with ./cert when `env` has none.
struct ProgramCheckSetup {
  ClientCheckOptions client;
  ServerCheckOptions server;
  std::shared_ptr<void> scratch;  // keeps a temporary workspace alive
  std::string problem;            // why the program cannot be checked here ("" = fine)
};
ProgramCheckSetup programCheckSetup(int lab, const CheckEnv& env);

// The last `lines` lines of a program's output, each cut to a bound, for quoting.
std::string lastLines(const std::string& text, std::size_t lines = 4, std::size_t width = 160);

}  // namespace tlslab::course
