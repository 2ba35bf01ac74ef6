// `tlslab keys pem`: an (EC)DHE key from its bytes as a PEM file, so a student
// can hand a lab run's ephemeral key and the peer's key share to `openssl
// pkeyutl -derive`; and `tlslab keys explain --capture`: each connection of a
// capture explained with its keys, from the (EC)DHE shared secret down when
// the run's ephemeral keys are given.
#include <fmt/core.h>
#include <sys/stat.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/CaptureArgs.hpp"
#include "cli/Commands.hpp"
#include "cli/StepOutput.hpp"
#include "tlslab/crypto/KeyAgreement.hpp"
#include "tlslab/model/TraceJson.hpp"

namespace tlslab::cli {
namespace {

struct PemArgs {
  std::string group, p, g, privateKey, publicKey, out;
};

std::optional<Bytes> hexOption(const std::string& value, const char* option) {
  auto bytes = fromHex(value);
  if (!bytes) std::cerr << fmt::format("tlslab keys pem: {} is not valid hex: \"{}\"\n", option, value.substr(0, 40));
  return bytes;
}

int runPem(const PemArgs& a) {
  crypto::KeyPair pair;
  pair.group = crypto::canonicalGroup(a.group);
  if (pair.group.empty()) {
    std::cerr << "tlslab keys pem: unknown --group \"" << a.group
              << "\" (x25519, x448, secp256r1, secp384r1, secp521r1, ffdhe2048..ffdhe8192, or dh with --p and --g)\n";
    return 2;
  }
  if (a.publicKey.empty() || a.out.empty()) {
    std::cerr << "tlslab keys pem: --public and --out are required\n";
    return 2;
  }
  auto pub = hexOption(a.publicKey, "--public");
  auto priv = a.privateKey.empty() ? std::optional<Bytes>(Bytes{}) : hexOption(a.privateKey, "--private");
  auto p = hexOption(a.p, "--p");
  auto g = hexOption(a.g, "--g");
  if (!pub || !priv || !p || !g) return 2;
  pair.publicKey = *pub;
  pair.privateKey = *priv;
  pair.dhP = *p;
  pair.dhG = *g;
  auto pem = pair.privateKey.empty() ? crypto::publicKeyPem(pair, pair.publicKey) : crypto::privateKeyPem(pair);
  if (!pem) {
    std::cerr << "tlslab keys pem: " << pem.error() << "\n";
    return 2;
  }
  {
    std::ofstream file(a.out, std::ios::binary | std::ios::trunc);
    file << *pem;
    if (!file) {
      std::cerr << "tlslab keys pem: cannot write " << a.out << "\n";
      return 2;
    }
  }
  if (!pair.privateKey.empty()) ::chmod(a.out.c_str(), 0600);  // a private key, even a spent one
  std::cout << fmt::format("wrote {} ({} {} key)\n", a.out, pair.group, pair.privateKey.empty() ? "public" : "private");
  return 0;
}

}  // namespace

void registerKeysPemCommand(CLI::App& keys, Context& ctx) {
  static PemArgs args;
  auto* pem = keys.add_subcommand("pem", "Write an (EC)DHE key given as bytes (a key share, an ephemeral private key) "
                                         "as PEM, for openssl pkeyutl -derive");
  pem->add_option("--group", args.group, "x25519, x448, secp256r1 (P-256), secp384r1, secp521r1, ffdhe2048.., or dh");
  pem->add_option("--private", args.privateKey, "the private key (hex); omit for a public key");
  pem->add_option("--public", args.publicKey, "the key share as sent (hex): raw, uncompressed point, or DH Y");
  pem->add_option("--p", args.p, "group dh: the prime p from the ServerKeyExchange (hex)");
  pem->add_option("--g", args.g, "group dh: the generator g (hex)");
  pem->add_option("--out", args.out, "the PEM file to write");
  pem->callback([&ctx] { ctx.exitCode = runPem(args); });
}

int explainCapture(const std::string& capture, const KeyArgs& keyArgs, bool json) {
  keys::KeyStore store;
  if (!loadKeys(keyArgs, store, "keys explain", json)) return 2;
  auto trace = dissectCapture(capture, store, "keys explain", true);
  if (!trace) return 2;
  bool failed = false;
  nlohmann::json out = {{"capture", capture}, {"connections", nlohmann::json::array()}};
  for (const auto& conn : trace->connections) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& step : conn.derivation) {
      failed = failed || step.status == model::StepStatus::Failed;
      steps.push_back(model::toJson(step));
    }
    if (json) {
      out["connections"].push_back({{"index", conn.index}, {"client", conn.client}, {"server", conn.server},
                                    {"clientRandom", toHex(conn.clientRandom)}, {"suite", conn.negotiated.suiteName},
                                    {"summary", scheduleSummary(conn)}, {"steps", steps}});
      continue;
    }
    std::cout << fmt::format("== connection {}: {} -> {}, {}\n   client_random {}\n   {}\n\n", conn.index, conn.client,
                             conn.server, conn.negotiated.suiteName, toHex(conn.clientRandom), scheduleSummary(conn));
    printSchedule(std::cout, conn);
    std::cout << "\n";
  }
  if (json) std::cout << model::toJsonText(out, 2) << "\n";
  if (trace->connections.empty() && !json) std::cout << "no TLS connection in " << capture << "\n";
  return failed ? 1 : 0;
}

}  // namespace tlslab::cli
