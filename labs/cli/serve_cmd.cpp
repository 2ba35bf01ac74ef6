// `tlslab serve`: the instrumented lab server on loopback, printing each
// connection's ladder live. Any TLS client can connect (curl, openssl s_client,
// gnutls-cli, a browser told to trust the lab root).
#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "cli/Commands.hpp"
#include "cli/RunPrinter.hpp"
#include "cli/StartError.hpp"
#include "cli/ServeHints.hpp"
#include "cli/TlsArgs.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/pki/Catalog.hpp"
#include "tlslab/pki/Summary.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {
namespace {

struct ServeArgs {
  std::string address = "127.0.0.1";
  int port = 4433;
  std::string cert;  // "": bank32-rsa, or mail-bank32 for the mail services
  std::string certFile, keyFile;  // a chain and key of the student's own instead of --cert
  std::string clientCa;           // --client-auth: trust this CA instead of the lab root
  std::string service = "https";
  TlsArgs tls;
  std::string clientAuth = "none";
  bool noTickets = false;
  bool noCache = false;
  std::uint32_t earlyData = 0;
  bool allowRenegotiation = false;
  bool starttlsBug = false;
  bool plain = false;
  int connections = 0;  // stop after this many (0: until Ctrl-C)
  std::size_t maxConnections = 256;  // served at once
  double timeout = 5;                // seconds of silence a read may wait
  double handshakeTimeout = 10;      // seconds a client's whole handshake may take
  double seconds = 0;   // stop after this long (0: no limit)
  bool wire = false;
  bool fullLog = false;
};

std::atomic<bool> interrupted{false};

// The server's end-of-run report, gathered as connections finish so that
// each one's events are freed at once (issue 16, item 3): a server left
// running for a day keeps a count, not a day of connections.
struct ServeTally {
  static constexpr std::size_t kListedFailures = 20;
  std::size_t served = 0, failed = 0, windowFull = 0;
  endpoints::EventsDropped dropped;
  std::vector<std::string> failures;  // the first kListedFailures

  void add(const endpoints::ServerConnection& c) {
    ++served;
    if (c.dropped.any()) ++windowFull;
    dropped += c.dropped;
    if (c.error.empty()) return;
    if (++failed <= kListedFailures) failures.push_back("connection from " + c.peer + ": " + c.error);
  }
  void print(std::ostream& out, const endpoints::EventWindow& window) const {
    for (const auto& line : failures) out << line << "\n";
    if (failed > failures.size()) out << fmt::format("... and {} more failed connection(s)\n", failed - failures.size());
    out << fmt::format("served {} connection(s), {} failed\n", served, failed);
    if (windowFull > 0)
      out << fmt::format("{} connection(s) filled their memory window ({} events, {} KiB each): {} events ({} bytes) "
                         "were shown but not kept\n",
                         windowFull, window.maxEvents, window.maxPayloadBytes / 1024, dropped.events, dropped.bytes);
  }
};

// The mail services answer as mail.bank32.com, as the STARTTLS lab's server does.
std::string certName(const ServeArgs& args) {
  if (!args.cert.empty()) return args.cert;
  return args.service == "smtp" || args.service == "pop3" || args.service == "imap" ? "mail-bank32" : "bank32-rsa";
}

std::optional<endpoints::Service> parseService(const std::string& name) {
  using endpoints::Service;
  for (Service s : {Service::HttpsHello, Service::Echo, Service::Smtp, Service::Pop3, Service::Imap})
    if (name == endpoints::serviceName(s)) return s;
  return std::nullopt;
}

// The server's identity: a lab PKI entry (--cert) or the student's own files.
bool chooseIdentity(const ServeArgs& args, endpoints::ServerConfig& config) {
  if (!args.certFile.empty()) {
    config.chainFile = args.certFile;
    config.keyFile = args.keyFile;
    // The page greets the name the certificate is for; LabServer::start says
    // what is wrong with the files, this only picks a name.
    auto leaf = pki::summarizeCertificateFile(args.certFile);
    config.siteName = leaf && !leaf->dnsNames.empty() ? leaf->dnsNames.front()
                      : leaf && !leaf->commonName.empty() ? leaf->commonName
                                                           : "bank32.com";
    return true;
  }
  const pki::CatalogEntry* entry = pki::findEntry(certName(args));
  if (entry == nullptr || entry->kind == pki::EntryKind::Authority) {
    std::cerr << "tlslab serve: unknown server certificate '" << certName(args) << "' (see `tlslab certs list`)\n";
    return false;
  }
  config.chainFile = certsDir() / std::string(entry->dir) / std::string(pki::kChainFile);
  config.keyFile = certsDir() / std::string(entry->dir) / std::string(pki::kKeyFile);
  config.siteName = entry->host.empty() ? "bank32.com" : std::string(entry->host);
  return true;
}

bool buildConfig(const ServeArgs& args, endpoints::ServerConfig& config) {
  if (!chooseIdentity(args, config)) return false;
  auto service = parseService(args.service);
  if (!service) {
    std::cerr << "tlslab serve: --service must be https, echo, smtp, pop3 or imap\n";
    return false;
  }
  auto tls = toTlsOptions(args.tls, "serve");
  if (!tls) return false;
  config.address = args.address;
  config.port = static_cast<std::uint16_t>(args.port);
  config.service = *service;
  config.tls = *tls;
  config.useTls = !args.plain;
  config.clientAuth = args.clientAuth == "require"   ? endpoints::ClientAuth::Require
                      : args.clientAuth == "request" ? endpoints::ClientAuth::Request
                                                     : endpoints::ClientAuth::None;
  config.clientCaFile = args.clientCa.empty() ? certsDir() / "root-ca" / "cert.pem" : std::filesystem::path(args.clientCa);
  config.tickets = !args.noTickets;
  config.sessionCache = !args.noCache;
  config.maxEarlyData = args.earlyData;
  config.allowClientRenegotiation = args.allowRenegotiation;
  config.starttlsInjectionBug = args.starttlsBug;
  config.maxConnections = args.maxConnections;
  config.ioTimeoutMs = static_cast<int>(args.timeout * 1000);
  config.handshakeTimeoutMs = static_cast<int>(args.handshakeTimeout * 1000);
  // Nothing reads a connection's events back but the live log, which sees
  // them all as they happen: keep little (256 connections at once x 256 KiB).
  config.window = {4096, 256 * 1024};
  return true;
}

int runServe(const ServeArgs& args) {
  endpoints::ServerConfig config;
  if (!buildConfig(args, config)) return 2;
  RunPrinter printer(std::cout, args.fullLog || args.wire ? LogStyle::Full : LogStyle::Ladder, RunLanes::pair(false), args.wire);
  auto server = endpoints::LabServer::start(config, printer.observer());
  if (!server) {
    printStartError(std::cerr, "serve", server.error());
    return 1;
  }
  const std::string identity = args.certFile.empty() ? "certificate '" + certName(args) + "'" : "your certificate " + args.certFile;
  std::cout << fmt::format("serving {} on {}:{} with {} ({}); Ctrl-C stops\n", args.service, config.address,
                           (*server)->port(), identity, config.useTls ? "TLS" : "NO TLS");
  const auto hints = serveHints({&config, (*server)->port(), !args.certFile.empty()});
  for (std::size_t i = 0; i < hints.size(); ++i) std::cout << (i == 0 ? "try:  " : "      ") << hints[i] << "\n";
  std::cout.flush();
  std::signal(SIGINT, [](int) { interrupted = true; });
  std::signal(SIGTERM, [](int) { interrupted = true; });
  auto started = std::chrono::steady_clock::now();
  ServeTally tally;
  while (!interrupted) {
    for (const auto& c : (*server)->takeFinished()) tally.add(c);
    if (args.connections > 0 && (*server)->finishedCount() >= static_cast<std::size_t>(args.connections)) break;
    if (args.seconds > 0 && std::chrono::steady_clock::now() - started > std::chrono::duration<double>(args.seconds)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  (*server)->stop();
  for (const auto& c : (*server)->takeFinished()) tally.add(c);
  tally.print(std::cout, config.window);
  return 0;
}

}  // namespace

void registerServeCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand("serve", "Run the instrumented lab server on loopback and show every connection");
  cmd->add_option("--address", args->address, "Loopback address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", args->port, "Port (default 4433; 0 picks a free one)")->check(CLI::Range(0, 65535));
  auto* cert = cmd->add_option("--cert", args->cert, "Certificate from the lab PKI or gallery (default bank32-rsa; mail-bank32 for smtp, pop3, imap)");
  auto* certFile = cmd->add_option("--cert-file", args->certFile,
                                   "Your own certificate chain (PEM: the server's certificate first, then its issuers)");
  auto* keyFile = cmd->add_option("--key-file", args->keyFile, "The private key of --cert-file's certificate (PEM)");
  certFile->excludes(cert)->needs(keyFile);
  keyFile->needs(certFile);
  cmd->add_option("--service", args->service, "https (default), echo, smtp, pop3 or imap (STARTTLS)");
  addTlsOptions(cmd, args->tls);
  cmd->add_option("--client-auth", args->clientAuth, "none, request or require a client certificate")
      ->check(CLI::IsMember({"none", "request", "require"}));
  cmd->add_option("--client-ca", args->clientCa, "--client-auth: the CA (PEM) client certificates must chain to (default: the lab root)");
  cmd->add_flag("--no-tickets", args->noTickets, "Do not issue session tickets");
  cmd->add_flag("--no-session-cache", args->noCache, "Do not cache sessions (no resumption by ID)");
  cmd->add_option("--early-data", args->earlyData, "Accept up to N bytes of TLS 1.3 0-RTT data");
  cmd->add_flag("--allow-renegotiation", args->allowRenegotiation, "Allow client-initiated TLS 1.2 renegotiation");
  cmd->add_flag("--starttls-bug", args->starttlsBug, "Keep plaintext sent with STARTTLS (the injection bug)");
  cmd->add_flag("--plain", args->plain, "Serve without TLS (the eavesdropping lab)");
  cmd->add_option("--connections", args->connections, "Stop after N connections");
  cmd->add_option("--max-connections", args->maxConnections,
                  "Serve at most N connections at once (default 256); more wait until one ends")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--seconds", args->seconds, "Stop after this many seconds");
  cmd->add_option("--timeout", args->timeout, "Seconds a read waits for the client before giving up (default 5)")
      ->check(CLI::Range(0.1, 600.0));
  cmd->add_option("--handshake-timeout", args->handshakeTimeout,
                  "Seconds a client's whole TLS handshake may take, however it trickles it (default 10)")
      ->check(CLI::Range(0.1, 600.0));
  cmd->add_flag("--full-log", args->fullLog, "Every event OpenSSL reported (state, key log, alerts) instead of the ladder");
  cmd->add_flag("--wire", args->wire, "The full log with the raw socket reads and writes too");
  cmd->callback([args, &ctx] { ctx.exitCode = runServe(*args); });
}

}  // namespace tlslab::cli
