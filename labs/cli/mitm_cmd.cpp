// `tlslab mitm`: run the attacker's proxy on its own, for hands-on work:
// start `tlslab serve`, then this, then point a client at the proxy with
// `tlslab connect bank32.com:4433 --resolve bank32.com=127.0.0.66`.
#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "cli/Commands.hpp"
#include "cli/RunPrinter.hpp"
#include "cli/StartError.hpp"
#include "tlslab/endpoints/MitmProxy.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {
namespace {

struct MitmArgs {
  std::string listen = "127.0.0.66";
  int listenPort = 4433;
  std::string target = "127.0.0.1";
  int targetPort = 4433;
  std::string strategy = "attacker-own";
  int connections = 0;
  double seconds = 0;
  bool fullLog = false;
};

std::atomic<bool> stopRequested{false};

int runMitmProxy(const MitmArgs& args) {
  endpoints::MitmConfig config;
  config.listenAddress = args.listen;
  config.listenPort = static_cast<std::uint16_t>(args.listenPort);
  config.targetAddress = args.target;
  config.targetPort = static_cast<std::uint16_t>(args.targetPort);
  config.certsDir = certsDir();
  bool known = false;
  for (auto s : endpoints::allAttackerCertificates()) {
    if (args.strategy == endpoints::attackerCertificateName(s)) {
      config.certificate = s;
      known = true;
    }
  }
  if (!known) {
    std::cerr << "tlslab mitm: --cert is one of attacker-own, self-signed, rogue-ca, forged, leaf-signed-leaf\n";
    return 2;
  }
  RunPrinter printer(std::cout, args.fullLog ? LogStyle::Full : LogStyle::Ladder, RunLanes::mitm(false));
  auto proxy = endpoints::MitmProxy::start(config, printer.observer());
  if (!proxy) {
    printStartError(std::cerr, "mitm", proxy.error());
    return 1;
  }
  std::cout << fmt::format("proxy on {}:{} -> bank32.com at {}:{}, presenting {}\n", args.listen, (*proxy)->port(),
                           args.target, args.targetPort, endpoints::attackerCertificateDescription(config.certificate));
  std::cout << fmt::format("victims: tlslab connect bank32.com:{} --resolve bank32.com={} [--verify chain-only]\n",
                           (*proxy)->port(), args.listen);
  std::cout.flush();
  std::signal(SIGINT, [](int) { stopRequested = true; });
  std::signal(SIGTERM, [](int) { stopRequested = true; });
  auto started = std::chrono::steady_clock::now();
  while (!stopRequested) {
    if (args.connections > 0 && (*proxy)->sessions().size() >= static_cast<std::size_t>(args.connections)) break;
    if (args.seconds > 0 && std::chrono::steady_clock::now() - started > std::chrono::duration<double>(args.seconds)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  (*proxy)->stop();
  std::cout << "\nThe attacker's log:\n";
  for (const auto& session : (*proxy)->sessions()) {
    std::string seen;
    for (const auto& event : session.events)
      if (const auto* data = std::get_if<endpoints::AppDataEvent>(&event); data && !data->sent)
        seen.append(data->bytes.begin(), data->bytes.end());
    std::cout << fmt::format("  victim {}: {}\n", session.peer,
                             session.handshakeOk ? "\"" + printable(asBytes(seen), 300) + "\""
                                                 : "no TLS session (" + session.error + ")");
  }
  return 0;
}

}  // namespace

void registerMitmCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<MitmArgs>();
  CLI::App* cmd = app.add_subcommand("mitm", "Run the attacker's man-in-the-middle proxy (loopback only)");
  cmd->add_option("--listen", args->listen, "Attacker's loopback address (default 127.0.0.66)");
  cmd->add_option("--port", args->listenPort, "Port to listen on (default 4433)")->check(CLI::Range(0, 65535));
  cmd->add_option("--target", args->target, "Real server's loopback address (default 127.0.0.1)");
  cmd->add_option("--target-port", args->targetPort, "Real server's port (default 4433)")->check(CLI::Range(1, 65535));
  cmd->add_option("--cert", args->strategy, "attacker-own, self-signed, rogue-ca, forged or leaf-signed-leaf");
  cmd->add_option("--connections", args->connections, "Stop after N victims");
  cmd->add_option("--seconds", args->seconds, "Stop after this many seconds");
  cmd->add_flag("--full-log", args->fullLog, "Every event OpenSSL reported on both legs instead of the ladder");
  cmd->callback([args, &ctx] { ctx.exitCode = runMitmProxy(*args); });
}

}  // namespace tlslab::cli
