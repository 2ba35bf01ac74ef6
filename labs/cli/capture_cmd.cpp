// `tlslab capture -i IFACE`: live capture through libpcap, dissected as the
// packets arrive: every TLS record is printed as it completes, and the
// connection table at the end. With -w the packets are written as pcapng
// with the secrets of the connections embedded.
#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <set>

#include "cli/CaptureArgs.hpp"
#include "cli/Commands.hpp"
#include "cli/PacketSpool.hpp"
#include "cli/TracePrinter.hpp"
#include "tlslab/capture/Pcapng.hpp"
#include "tlslab/capture/Source.hpp"
#include "tlslab/scenarios/LiveCaptureSession.hpp"

namespace tlslab::cli {
namespace {

struct CaptureArgs {
  std::string interface;
  std::string filter;
  std::uint64_t count = 0;
  double seconds = 0;
  int bufferMiB = capture::LiveOptions{}.bufferBytes >> 20;
  std::string write;
  KeyArgs keys;
  bool quiet = false;
  bool list = false;
};

std::atomic<scenarios::LiveCaptureSession*> g_session{nullptr};

extern "C" void onInterrupt(int /*signal*/) {
  if (auto* session = g_session.load()) session->stop();
}

int listInterfaces() {
  auto devices = capture::listDevices();
  if (!devices) {
    std::cerr << "tlslab capture: " << devices.error().message() << "\n";
    return 1;
  }
  for (const auto& d : devices.value()) {
    std::cout << fmt::format("{:<12} {}{}{}\n", d.name, d.loopback ? "loopback " : "", d.up ? "up " : "down ",
                             d.description);
  }
  return 0;
}

int runCapture(const CaptureArgs& args) {
  if (args.list) return listInterfaces();
  if (args.interface.empty()) {
    std::cerr << "tlslab capture: -i IFACE is required (see `tlslab capture --list`)\n";
    return 2;
  }
  capture::LiveOptions options;
  options.interface = args.interface;
  options.filter = args.filter;
  options.maxPackets = args.count;
  options.maxSeconds = args.seconds;
  options.bufferBytes = args.bufferMiB << 20;
  std::set<std::size_t> announced;
  scenarios::LiveCaptureHooks hooks;
  hooks.onRecord = [&](const model::TraceConnection& conn, const model::TraceRecord& rec) {
    if (announced.insert(conn.index).second) {
      std::cout << fmt::format("connection {}: {} -> {}\n", conn.index, conn.client, conn.server);
    }
    std::cout << fmt::format("[{}]", conn.index) << ladderLine(conn, rec) << "\n";
    std::cout.flush();
  };
  // The key log grew: records that passed without keys are opened now.
  hooks.onLateKeys = [](const dissect::LateKeys& late, const model::TraceConnection& conn) {
    if (!late.note.empty()) {
      std::cout << fmt::format("connection {}: keys arrived too late: {}\n", late.connection, late.note);
    } else if (!late.opened.empty()) {  // empty: keys came before the records they open, nothing to report
      std::cout << fmt::format("connection {}: keys arrived, decrypted {} record(s)\n", late.connection,
                               late.opened.size());
      for (std::size_t r : late.opened)
        std::cout << fmt::format("[{}]", late.connection) << ladderLine(conn, conn.records[r]) << "\n";
    }
    std::cout.flush();
  };
  // -w: packets go to disk as they arrive (a spool beside the output), and
  // the file is put together at the end, when every secret is known: the
  // secrets block must come before the packets it decrypts, for tlslab and
  // for Wireshark alike. Memory stays flat however long the capture runs.
  std::unique_ptr<PacketSpool> spool;
  if (!args.write.empty()) {
    std::string error;
    spool = PacketSpool::open(args.write, args.interface, error);
    if (!spool) {
      std::cerr << "tlslab capture: " << error << "\n";
      return 1;
    }
    hooks.onPacket = [&spool](const capture::RawPacket& packet, const scenarios::LiveCaptureSession&) {
      spool->add(packet);
    };
  }
  keys::KeyStore known;
  // A key log that does not exist yet is fine: the run being captured writes it.
  KeyArgs existing = args.keys;
  std::erase_if(existing.keylogs, [](const std::string& f) { return !std::filesystem::exists(f); });
  if (!loadKeys(existing, known, "capture", args.quiet)) return 2;
  auto opened = scenarios::LiveCaptureSession::open(options, std::move(hooks), std::move(known));
  if (!opened) {
    std::cerr << "tlslab capture: " << opened.error().message() << "\n";
    return 1;
  }
  scenarios::LiveCaptureSession& session = *opened.value();
  for (const auto& f : args.keys.keylogs) session.follow(f, std::filesystem::exists(f));

  std::cout << fmt::format("capturing on {}{} (Ctrl-C to stop)\n", args.interface,
                           args.filter.empty() ? "" : " with filter '" + args.filter + "'");
  std::cout.flush();

  g_session = &session;
  std::signal(SIGINT, onInterrupt);
  std::signal(SIGTERM, onInterrupt);
  auto result = session.run();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  g_session = nullptr;
  model::Trace trace = session.finish();
  if (!result) {
    std::cerr << "tlslab capture: " << result.error().message() << "\n";
    return 1;
  }
  const auto& stats = result.value();
  std::cout << fmt::format("\n{} packets captured ({}), {} dropped by the kernel; {} TLS connection(s)\n\n",
                           stats.packets, stats.stoppedBecause.empty() ? "stopped" : stats.stoppedBecause,
                           stats.droppedByKernel, trace.connections.size());
  if (auto warning = capture::dropWarning(stats); !warning.empty()) {
    std::cout << "WARNING: " << warning << "\n\n";
    std::cerr << "tlslab capture: " << warning << "\n";
  }
  std::vector<const model::TraceConnection*> all;
  for (const auto& c : trace.connections) all.push_back(&c);
  printConnectionTable(std::cout, all);

  if (spool) {
    // Key logs written by the endpoints often land after the handshake they
    // belong to: finish() read them a last time, what is known now is embedded too.
    std::string keyLog;
    for (const auto& c : trace.connections) {
      keyLog += c.keyLog.empty() && !c.clientRandom.empty() ? dissect::keyLogLines(session.keys(), c.clientRandom) : c.keyLog;
    }
    if (auto error = spool->finish(keyLog); !error.empty()) {
      std::cerr << "tlslab capture: " << error << "\n";
      return 1;
    }
    std::cout << fmt::format("\nwrote {} ({} packets{})\n", args.write, spool->packets(),
                             keyLog.empty() ? ", no secrets known" : ", secrets embedded");
  }
  return 0;
}

}  // namespace

void registerCaptureCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<CaptureArgs>();
  CLI::App* cmd = app.add_subcommand("capture", "Capture live from an interface and dissect TLS as it happens");
  cmd->add_option("-i,--interface", args->interface, "Interface, e.g. lo");
  cmd->add_option("-f,--filter", args->filter, "BPF filter, e.g. 'tcp port 4433'");
  cmd->add_option("-c,--count", args->count, "Stop after N packets");
  cmd->add_option("--seconds", args->seconds, "Stop after S seconds");
  cmd->add_option("-B,--buffer-size", args->bufferMiB, "Kernel capture buffer in MiB (raise it if packets are dropped)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  cmd->add_option("-w,--write", args->write, "Also write the packets as pcapng, with the known secrets embedded");
  addKeyOptions(cmd, args->keys);
  cmd->add_flag("--list", args->list, "List the interfaces that can be captured on");
  cmd->add_flag("-q,--quiet", args->quiet, "No key log warnings on stderr");
  cmd->callback([args, &ctx] { ctx.exitCode = runCapture(*args); });
}

}  // namespace tlslab::cli
