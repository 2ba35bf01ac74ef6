// `tlslab wrap`: TLS for a program that has none, from outside (lab 14).
//   tlslab wrap --accept 127.0.0.1:8443 --connect 127.0.0.1:8080 --cert chain.pem --key key.pem [--client-ca ca.pem]
//   tlslab wrap --client --accept 127.0.0.1:8080 --connect 127.0.0.1:8443 --name bank32.com --ca root.pem
// Each connection's log is printed when it ends: what the wrapper verified,
// which the program behind it never learns.
#include <fmt/core.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <iostream>
#include <optional>
#include <thread>

#include "cli/Commands.hpp"
#include "cli/StartError.hpp"
#include "cli/TlsArgs.hpp"
#include "tlslab/endpoints/TlsWrapper.hpp"

namespace tlslab::cli {
namespace {

struct WrapArgs {
  bool client = false;
  std::string accept, connect;
  std::string cert, key, clientCa;  // server mode (and --cert/--key in client mode: its own certificate)
  std::string name, ca;
  std::string verify = "correct";
  TlsArgs tls;
  int connections = 0;
  double seconds = 0;
};

std::atomic<bool> stopWrapping{false};

struct HostPort {
  std::string address;
  std::uint16_t port = 0;
};

// "127.0.0.1:8443" or "[::1]:8443".
std::optional<HostPort> parseHostPort(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
  HostPort out;
  out.address = text.substr(0, colon);
  if (out.address.size() > 2 && out.address.front() == '[' && out.address.back() == ']')
    out.address = out.address.substr(1, out.address.size() - 2);
  unsigned port = 0;
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  auto [at, ec] = std::from_chars(begin, end, port);
  if (ec != std::errc{} || at != end || port > 65535) return std::nullopt;
  out.port = static_cast<std::uint16_t>(port);
  return out;
}

std::optional<endpoints::VerifyMode> parseVerify(const std::string& name) {
  using endpoints::VerifyMode;
  for (VerifyMode mode : {VerifyMode::None, VerifyMode::ChainOnly, VerifyMode::ChainAndHost})
    if (name == endpoints::verifyModeName(mode)) return mode;
  return std::nullopt;
}

std::optional<endpoints::WrapConfig> buildConfig(const WrapArgs& args) {
  endpoints::WrapConfig config;
  config.mode = args.client ? endpoints::WrapMode::Client : endpoints::WrapMode::Server;
  auto accept = parseHostPort(args.accept);
  auto connect = parseHostPort(args.connect);
  if (!accept || !connect) {
    std::cerr << "tlslab wrap: --" << (accept ? "connect" : "accept") << " must be ADDRESS:PORT, e.g. 127.0.0.1:8443 (got '"
              << (accept ? args.connect : args.accept) << "')\n";
    return std::nullopt;
  }
  config.acceptAddress = accept->address;
  config.acceptPort = accept->port;
  config.connectAddress = connect->address;
  config.connectPort = connect->port;
  auto tls = toTlsOptions(args.tls, "wrap");
  if (!tls) return std::nullopt;
  config.tls = *tls;
  if (!args.client) {
    if (!args.name.empty() || !args.ca.empty() || args.verify != "correct") {
      std::cerr << "tlslab wrap: --name, --ca and --verify are for --client mode (the wrapper checks a server)\n";
      return std::nullopt;
    }
    config.chainFile = args.cert;
    config.keyFile = args.key;
    config.clientCaFile = args.clientCa;
    return config;
  }
  if (!args.clientCa.empty()) {
    std::cerr << "tlslab wrap: --client-ca is for server mode (the wrapper checks its clients)\n";
    return std::nullopt;
  }
  auto verify = parseVerify(args.verify);
  if (!verify) {
    std::cerr << "tlslab wrap: --verify must be none, chain-only or correct (got '" << args.verify << "')\n";
    return std::nullopt;
  }
  config.verify = *verify;
  config.serverName = args.name;
  if (!args.ca.empty()) config.trustFiles = {args.ca};
  config.clientCert = args.cert;
  config.clientKey = args.key;
  return config;
}

void printSessions(const std::vector<endpoints::WrapSession>& sessions, std::size_t& printed) {
  for (; printed < sessions.size(); ++printed)
    for (const auto& line : sessions[printed].log) std::cout << fmt::format("wrap[{}]: {}\n", printed + 1, line);
  std::cout.flush();
}

int runWrap(const WrapArgs& args) {
  auto config = buildConfig(args);
  if (!config) return 2;
  if (auto err = endpoints::checkWrapConfig(*config); !err.empty()) {
    std::cerr << "tlslab wrap: " << err << "\n";
    return 2;
  }
  auto wrapper = endpoints::TlsWrapper::start(*config);
  if (!wrapper) {
    printStartError(std::cerr, "wrap", wrapper.error());
    return 1;
  }
  std::cout << (*wrapper)->banner() << "; Ctrl-C stops\n";
  std::cout.flush();
  std::signal(SIGINT, [](int) { stopWrapping = true; });
  std::signal(SIGTERM, [](int) { stopWrapping = true; });
  const auto started = std::chrono::steady_clock::now();
  std::size_t printed = 0;
  while (!stopWrapping) {
    auto sessions = (*wrapper)->sessions();
    printSessions(sessions, printed);
    if (args.connections > 0 && sessions.size() >= static_cast<std::size_t>(args.connections)) break;
    if (args.seconds > 0 && std::chrono::steady_clock::now() - started > std::chrono::duration<double>(args.seconds)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  (*wrapper)->stop();
  auto sessions = (*wrapper)->sessions();
  printSessions(sessions, printed);
  std::size_t refused = 0;
  for (const auto& s : sessions) refused += s.forwarded ? 0 : 1;
  std::cout << fmt::format("wrapped {} connection(s), {} not forwarded\n", sessions.size(), refused);
  return 0;
}

}  // namespace

void registerWrapCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<WrapArgs>();
  CLI::App* cmd = app.add_subcommand(
      "wrap", "Add TLS to a cleartext program from outside, like stunnel: a TLS front for a server, or TLS for a client");
  cmd->add_flag("--client", args->client, "Client mode: accept cleartext, connect with TLS (default: server mode)");
  cmd->add_option("--accept", args->accept, "Loopback ADDRESS:PORT to listen on")->required();
  cmd->add_option("--connect", args->connect, "Loopback ADDRESS:PORT to forward to")->required();
  cmd->add_option("--cert", args->cert, "Server mode: the chain (PEM) to present; client mode: a client certificate");
  cmd->add_option("--key", args->key, "The private key of --cert (PEM)");
  cmd->add_option("--client-ca", args->clientCa, "Server mode: require a client certificate issued under this CA (PEM)");
  cmd->add_option("--name", args->name, "Client mode: the server's name, sent as SNI and checked in its certificate");
  cmd->add_option("--ca", args->ca, "Client mode: the CA (PEM) to verify the server with");
  cmd->add_option("--verify", args->verify, "Client mode: correct (chain and name, default), chain-only or none");
  addTlsOptions(cmd, args->tls);
  cmd->add_option("--connections", args->connections, "Stop after N connections");
  cmd->add_option("--seconds", args->seconds, "Stop after this many seconds");
  cmd->callback([args, &ctx] { ctx.exitCode = runWrap(*args); });
}

}  // namespace tlslab::cli
