// `tlslab export CAPTURE --keylog F -o out.pcapng`: the same packets as a
// pcapng file with a Decryption Secrets Block holding the secrets of every TLS
// connection in it, TLS 1.2 and 1.3 alike (Wireshark's own "Export TLS
// Session Keys" drops the 1.3 ones), so the file opens decrypted in Wireshark,
// tshark and tlslab with no options. Secrets recovered with --rsa-key are
// embedded as CLIENT_RANDOM lines, so the RSA key itself never travels.
#include <fmt/core.h>

#include <fstream>
#include <iostream>
#include <map>

#include "cli/CaptureArgs.hpp"
#include "cli/Commands.hpp"
#include "tlslab/capture/Pcapng.hpp"
#include "tlslab/capture/Source.hpp"

namespace tlslab::cli {
namespace {

struct ExportArgs {
  std::string capture;
  std::string output;
  KeyArgs keys;
  bool quiet = false;
  bool noStream = false;  // hidden: every record kept until the end, as before issue 17 (tests compare)
};

int runExport(const ExportArgs& args) {
  keys::KeyStore keys;
  if (!loadKeys(args.keys, keys, "export", args.quiet)) return 2;
  dissect::DissectOptions options;
  options.keepPayloads = false;
  // Only each connection's summary (key log, version, verdict) is needed, so
  // records go when their connection closes: memory follows the connections
  // open at once, not the capture (issue 17). The secrets are the same.
  options.keepRecords = args.noStream;
  options.keepFinishedDetail = args.noStream;
  bool readInPart = false;
  auto trace = dissectCapture(args.capture, keys, "export", args.quiet, options, &readInPart);
  if (!trace) return 2;

  std::string keyLog = "# TLS secrets embedded by tlslab export\n";
  std::size_t withKeys = 0, tls13 = 0;
  for (const auto& c : trace->connections) {
    if (c.keyLog.empty()) {
      if (!args.quiet) {
        std::cerr << fmt::format("tlslab export: connection {} ({} -> {}): no secrets: {}\n", c.index, c.client,
                                 c.server, c.decryption.text);
      }
      continue;
    }
    ++withKeys;
    if (c.negotiated.version == 0x0304) ++tls13;
    keyLog += c.keyLog;
  }

  auto file = capture::CaptureFile::open(args.capture);
  if (!file) {
    std::cerr << fmt::format("tlslab export: {}\n", file.error().message());
    return 2;
  }
  std::ofstream out(args.output, std::ios::binary);
  if (!out) {
    std::cerr << fmt::format("tlslab export: cannot write '{}'\n", args.output);
    return 2;
  }
  capture::PcapngWriter writer(out);
  // The secrets come first: a reader reading front to back (tshark) needs
  // them before the packets they decrypt.
  std::map<int, std::uint32_t> interfaces;
  std::uint64_t packets = 0;
  capture::RawPacket packet;
  bool wroteKeys = false;
  while (true) {
    auto status = file.value()->next(packet);
    if (status != capture::CaptureFile::Status::Packet) {
      if (status == capture::CaptureFile::Status::Error) {
        readInPart = true;
        if (!args.quiet)
          std::cerr << fmt::format("tlslab export: {} (the packets before it are exported)\n", file.value()->error());
      }
      break;
    }
    auto it = interfaces.find(packet.linkType);
    if (it == interfaces.end()) {
      it = interfaces.emplace(packet.linkType, writer.addInterface(packet.linkType, 262144)).first;
    }
    if (!wroteKeys) {
      writer.writeKeyLog(keyLog);
      wroteKeys = true;
    }
    writer.writePacket(it->second, packet.time, packet.data, packet.originalLength);
    ++packets;
  }
  if (!wroteKeys) writer.writeKeyLog(keyLog);
  if (!writer.ok()) {
    std::cerr << fmt::format("tlslab export: write error on '{}'\n", args.output);
    return 1;
  }
  std::cout << fmt::format("wrote {}: {} packets, secrets for {} of {} TLS connection(s) ({} TLS 1.3, {} TLS 1.2 or "
                           "older)\n",
                           args.output, packets, withKeys, trace->connections.size(), tls13, withKeys - tls13);
  return readInPart ? kExitReadInPart : 0;
}

}  // namespace

void registerExportCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "export", "Write a capture as pcapng with its TLS 1.2 and 1.3 secrets embedded (opens decrypted anywhere)");
  cmd->add_option("capture", args->capture, "Capture file")->required();
  cmd->add_option("-o,--output", args->output, "pcapng file to write")->required();
  addKeyOptions(cmd, args->keys);
  cmd->add_flag("-q,--quiet", args->quiet, "No progress or warnings on stderr");
  cmd->add_flag("--no-stream", args->noStream, "Keep every record until the end, as before (for tests)")->group("");
  cmd->footer("Exit status: 0 done; 1 the output could not be written; 2 the capture or a key file cannot be used "
              "(the message names it and why); 3 the capture could be read only up to an error (the packets before "
              "it are exported)");
  cmd->callback([args, &ctx] { ctx.exitCode = runExport(*args); });
}

}  // namespace tlslab::cli
