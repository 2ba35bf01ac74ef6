#include "cli/CaptureArgs.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <chrono>
#include <iostream>

namespace tlslab::cli {

void addKeyOptions(CLI::App* command, KeyArgs& args) {
  command->add_option("--keylog", args.keylogs, "NSS key log file (SSLKEYLOGFILE); repeatable");
  command->add_option("--rsa-key", args.rsaKeys,
                      "Server RSA private key (PEM, PKCS#8 or .p12) to decrypt RSA key exchange; repeatable");
  command->add_option("--key-password", args.keyPassword, "Password of an encrypted --rsa-key");
  command->add_option("--ephemeral-keys", args.ephemeralKeys,
                      "A lab run's ephemeral (EC)DHE keys (the .ephemeral-keys file `--save` writes beside the pcapng): "
                      "every secret is then derived from the shared secret down; repeatable");
  addPskOptions(command, args);
}

void addPskOptions(CLI::App* command, KeyArgs& args) {
  command->add_option("--psk", args.psks,
                      "TLS 1.2 pre-shared key (hex) for PSK, RSA_PSK, DHE_PSK and ECDHE_PSK suites; repeatable");
  command->add_option("--psk-identity", args.pskIdentities,
                      "the PSK identity the n-th --psk is for (the ClientKeyExchange names it); a --psk without one "
                      "is used for any identity; repeatable");
}

namespace {

bool loadPsks(const KeyArgs& args, keys::KeyStore& keys, const std::string& command) {
  if (args.pskIdentities.size() > args.psks.size()) {
    std::cerr << fmt::format("tlslab {}: {} --psk-identity but only {} --psk: the n-th identity names the n-th PSK\n",
                             command, args.pskIdentities.size(), args.psks.size());
    return false;
  }
  for (std::size_t i = 0; i < args.psks.size(); ++i) {
    auto key = fromHex(args.psks[i]);
    if (!key || key->empty()) {
      std::cerr << fmt::format("tlslab {}: --psk '{}' is not a key in hex (e.g. ca19e028a8a372ad2d325f950fcaceed)\n",
                               command, args.psks[i]);
      return false;
    }
    std::optional<std::string> identity;
    if (i < args.pskIdentities.size()) identity = args.pskIdentities[i];
    keys.addPsk(std::move(*key), identity, fmt::format("--psk {}", i + 1));
  }
  return true;
}

}  // namespace

bool loadKeys(const KeyArgs& args, keys::KeyStore& keys, const std::string& command, bool quiet) {
  if (!loadPsks(args, keys, command)) return false;
  for (const auto& file : args.keylogs) {
    auto loaded = keys.addKeyLogFile(file);
    if (!loaded) {
      std::cerr << fmt::format("tlslab {}: cannot read key log '{}': {}\n", command, file, loaded.error());
      return false;
    }
    if (!quiet) {
      for (const auto& d : loaded.value()) std::cerr << fmt::format("tlslab {}: {}: {}\n", command, file, d.message);
    }
  }
  for (const auto& file : args.rsaKeys) {
    auto loaded = keys.addPrivateKeyFile(file, args.keyPassword);
    if (!loaded) {
      std::cerr << fmt::format("tlslab {}: cannot load RSA key '{}': {}\n", command, file, loaded.error());
      return false;
    }
  }
  for (const auto& file : args.ephemeralKeys) {
    auto loaded = keys.addEphemeralKeyFile(file);
    if (!loaded) {
      std::cerr << fmt::format("tlslab {}: cannot read ephemeral keys '{}': {}\n", command, file, loaded.error());
      return false;
    }
    if (!quiet) {
      for (const auto& d : loaded.value()) std::cerr << fmt::format("tlslab {}: {}: {}\n", command, d.where, d.message);
    }
  }
  return true;
}

std::optional<model::Trace> dissectCapture(const std::string& path, keys::KeyStore& keys, const std::string& command,
                                           bool quiet, dissect::DissectOptions options, bool* readInPart,
                                           bool again) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto last = start;
  bool shown = false;
  // A progress line is for someone watching: in a redirected stderr (a log, a
  // test's snapshot) it is noise, and when it appears depends on the machine's speed.
  const bool terminal = isatty(STDERR_FILENO) != 0;
  auto progress = [&](const capture::ReadProgress& p) {
    if (quiet || !terminal) return true;
    const auto now = Clock::now();
    // Only long reads show progress, at most a few times a second.
    if (now - start < std::chrono::milliseconds(700) || now - last < std::chrono::milliseconds(250)) return true;
    last = now;
    shown = true;
    if (p.total) {
      std::cerr << fmt::format("\rreading {}: {:.1f} of {:.1f} MB ({:.0f}%), {} frames, {} connections   ", path,
                               static_cast<double>(p.position) / 1e6, static_cast<double>(p.total) / 1e6,
                               100.0 * static_cast<double>(p.position) / static_cast<double>(p.total), p.frames,
                               p.connections);
    } else {
      std::cerr << fmt::format("\rreading {}: {} frames, {} connections   ", path, p.frames, p.connections);
    }
    return true;
  };
  capture::ReadSummary summary;
  auto trace = dissect::dissectFile(path, keys, std::move(options), progress, &summary);
  if (shown) std::cerr << "\n";
  if (!trace.ok()) {
    std::cerr << fmt::format("tlslab {}: {}\n", command, trace.error().message());
    return std::nullopt;
  }
  if (!summary.complete) {
    if (!again) std::cerr << fmt::format("tlslab {}: {} was read only in part: {}\n", command, path, summary.stopReason);
    if (readInPart) *readInPart = true;
  }
  return std::move(trace.value());
}

}  // namespace tlslab::cli
