// `tlslab serve`: the instrumented lab server on loopback, printing each
// connection's ladder live. Any TLS client can connect (curl, openssl s_client,
// gnutls-cli, a browser told to trust the lab root).
#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "cli/Commands.hpp"
#include "cli/RunPrinter.hpp"
#include "cli/TlsArgs.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/pki/Catalog.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {
namespace {

struct ServeArgs {
  std::string address = "127.0.0.1";
  int port = 4433;
  std::string cert = "bank32-rsa";
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
  double seconds = 0;   // stop after this long (0: no limit)
  bool wire = false;
};

std::atomic<bool> interrupted{false};

std::optional<endpoints::Service> parseService(const std::string& name) {
  using endpoints::Service;
  for (Service s : {Service::HttpsHello, Service::Echo, Service::Smtp, Service::Pop3, Service::Imap})
    if (name == endpoints::serviceName(s)) return s;
  return std::nullopt;
}

bool buildConfig(const ServeArgs& args, endpoints::ServerConfig& config) {
  const pki::CatalogEntry* entry = pki::findEntry(args.cert);
  if (entry == nullptr || entry->kind == pki::EntryKind::Authority) {
    std::cerr << "tlslab serve: unknown server certificate '" << args.cert << "' (see `tlslab certs list`)\n";
    return false;
  }
  auto service = parseService(args.service);
  if (!service) {
    std::cerr << "tlslab serve: --service must be https, echo, smtp, pop3 or imap\n";
    return false;
  }
  auto tls = toTlsOptions(args.tls, "serve");
  if (!tls) return false;
  config.address = args.address;
  config.port = static_cast<std::uint16_t>(args.port);
  config.chainFile = certsDir() / std::string(entry->dir) / std::string(pki::kChainFile);
  config.keyFile = certsDir() / std::string(entry->dir) / std::string(pki::kKeyFile);
  config.siteName = entry->host.empty() ? "bank32.com" : std::string(entry->host);
  config.service = *service;
  config.tls = *tls;
  config.useTls = !args.plain;
  config.clientAuth = args.clientAuth == "require"   ? endpoints::ClientAuth::Require
                      : args.clientAuth == "request" ? endpoints::ClientAuth::Request
                                                     : endpoints::ClientAuth::None;
  config.clientCaFile = certsDir() / "root-ca" / "cert.pem";
  config.tickets = !args.noTickets;
  config.sessionCache = !args.noCache;
  config.maxEarlyData = args.earlyData;
  config.allowClientRenegotiation = args.allowRenegotiation;
  config.starttlsInjectionBug = args.starttlsBug;
  return true;
}

int runServe(const ServeArgs& args) {
  endpoints::ServerConfig config;
  if (!buildConfig(args, config)) return 2;
  RunPrinter printer(std::cout, args.wire);
  auto server = endpoints::LabServer::start(config, printer.observer());
  if (!server) {
    std::cerr << "tlslab serve: " << server.error() << "\n";
    return 1;
  }
  std::cout << fmt::format("serving {} on {}:{} with certificate '{}' ({}); Ctrl-C stops\n", args.service,
                           config.address, (*server)->port(), args.cert, config.useTls ? "TLS" : "NO TLS");
  std::cout << fmt::format("try:  tlslab connect bank32.com:{}\n      openssl s_client -connect {}:{} -CAfile {}\n",
                           (*server)->port(), config.address, (*server)->port(),
                           (certsDir() / "root-ca" / "cert.pem").string());
  std::cout.flush();
  std::signal(SIGINT, [](int) { interrupted = true; });
  std::signal(SIGTERM, [](int) { interrupted = true; });
  auto started = std::chrono::steady_clock::now();
  while (!interrupted) {
    if (args.connections > 0 && (*server)->finishedConnections().size() >= static_cast<std::size_t>(args.connections)) break;
    if (args.seconds > 0 && std::chrono::steady_clock::now() - started > std::chrono::duration<double>(args.seconds)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  (*server)->stop();
  auto done = (*server)->finishedConnections();
  std::size_t failed = 0;
  for (const auto& c : done) {
    if (!c.error.empty()) {
      ++failed;
      std::cout << "connection from " << c.peer << ": " << c.error << "\n";
    }
  }
  std::cout << fmt::format("served {} connection(s), {} failed\n", done.size(), failed);
  return 0;
}

}  // namespace

void registerServeCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand("serve", "Run the instrumented lab server on loopback and show every connection");
  cmd->add_option("--address", args->address, "Loopback address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", args->port, "Port (default 4433; 0 picks a free one)")->check(CLI::Range(0, 65535));
  cmd->add_option("--cert", args->cert, "Certificate from the lab PKI or gallery (default bank32-rsa)");
  cmd->add_option("--service", args->service, "https (default), echo, smtp, pop3 or imap (STARTTLS)");
  addTlsOptions(cmd, args->tls);
  cmd->add_option("--client-auth", args->clientAuth, "none, request or require a client certificate")
      ->check(CLI::IsMember({"none", "request", "require"}));
  cmd->add_flag("--no-tickets", args->noTickets, "Do not issue session tickets");
  cmd->add_flag("--no-session-cache", args->noCache, "Do not cache sessions (no resumption by ID)");
  cmd->add_option("--early-data", args->earlyData, "Accept up to N bytes of TLS 1.3 0-RTT data");
  cmd->add_flag("--allow-renegotiation", args->allowRenegotiation, "Allow client-initiated TLS 1.2 renegotiation");
  cmd->add_flag("--starttls-bug", args->starttlsBug, "Keep plaintext sent with STARTTLS (the injection bug)");
  cmd->add_flag("--plain", args->plain, "Serve without TLS (the eavesdropping lab)");
  cmd->add_option("--connections", args->connections, "Stop after N connections");
  cmd->add_option("--seconds", args->seconds, "Stop after this many seconds");
  cmd->add_flag("--wire", args->wire, "Also show the raw socket reads and writes");
  cmd->callback([args, &ctx] { ctx.exitCode = runServe(*args); });
}

}  // namespace tlslab::cli
