// `tlslab keys`: explain a session's key derivation from a key log, and
// compute single derivation steps by hand (PRF, HKDF-Extract,
// HKDF-Expand-Label, Derive-Secret) so a student can check their own work.
#include <fmt/core.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/CaptureArgs.hpp"
#include "cli/Commands.hpp"
#include "cli/KeysAead.hpp"
#include "cli/KeysQuic.hpp"
#include "cli/StepOutput.hpp"
#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/Kdf.hpp"
#include "tlslab/crypto/RecordCipher.hpp"
#include "tlslab/keys/Explain.hpp"
#include "tlslab/keys/KeyStore.hpp"
#include "tlslab/model/TraceJson.hpp"

namespace tlslab::cli {
namespace {

struct ExplainArgs {
  std::string keylog;
  std::string capture;
  std::vector<std::string> ephemeralKeys;
  KeyArgs psk;  // --psk, --psk-identity (with --capture)
  std::string clientRandom;
  std::string serverRandom;
  std::string suite;
  std::string version;
  std::string sessionHash;
  std::string serverKey, keyPassword, clientKeyExchange;
  std::string clientFinishedHash, serverFinishedHash, clientVerifyData, serverVerifyData;
  bool json = false;
};

struct DeriveArgs {
  std::string secret, salt, ikm, label, seed, context, transcriptHash, messages, key, data;
  std::string hash = "sha256";
  std::size_t length = 0;
  bool json = false;
};

// Thrown inside this file only, caught by each command: a usage problem (exit 2).
struct UsageError {
  std::string message;
};

Bytes hexArg(const std::string& value, const char* option, bool required = true) {
  if (value.empty()) {
    if (required) throw UsageError{fmt::format("{} is required", option)};
    return {};
  }
  auto bytes = fromHex(value);
  if (!bytes) throw UsageError{fmt::format("{} is not valid hex: \"{}\"", option, value.substr(0, 40))};
  return *bytes;
}

crypto::HashAlg hashArg(const std::string& name) {
  auto hash = crypto::hashFromName(name);
  if (!hash) throw UsageError{fmt::format("--hash must be sha256, sha384 or md5sha1 (TLS 1.0/1.1 PRF), not \"{}\"", name)};
  return *hash;
}

std::optional<std::uint16_t> suiteArg(const std::string& value) {
  if (value.empty()) return std::nullopt;
  if (const auto* suite = crypto::findSuite(std::string_view(value))) return suite->id;
  auto bytes = fromHex(value);
  if (!bytes || bytes->size() != 2) throw UsageError{fmt::format("--suite: unknown cipher suite \"{}\" (use e.g. 0x1301 or TLS_AES_128_GCM_SHA256)", value)};
  const std::uint16_t id = static_cast<std::uint16_t>(((*bytes)[0] << 8) | (*bytes)[1]);
  if (!crypto::findSuite(id)) throw UsageError{fmt::format("--suite: 0x{:04x} is not a suite tlslab can decrypt", id)};
  return id;
}

std::optional<std::uint16_t> versionArg(const std::string& value) {
  if (value.empty()) return std::nullopt;
  if (value == "1.0") return crypto::kTls10;
  if (value == "1.1") return crypto::kTls11;
  if (value == "1.2") return crypto::kTls12;
  if (value == "1.3") return crypto::kTls13;
  throw UsageError{fmt::format("--version must be 1.0, 1.1, 1.2 or 1.3, not \"{}\"", value)};
}

nlohmann::json stepJson(const model::DerivationStep& step) { return model::toJson(step); }

int runExplain(const ExplainArgs& args) {
  if (!args.capture.empty()) {
    KeyArgs keyArgs = args.psk;
    if (!args.keylog.empty()) keyArgs.keylogs = {args.keylog};
    keyArgs.ephemeralKeys = args.ephemeralKeys;
    return explainCapture(args.capture, keyArgs, args.json);
  }
  if (!args.ephemeralKeys.empty() || !args.psk.psks.empty()) {
    std::cerr << "tlslab keys explain: --ephemeral-keys and --psk need --capture (the key shares, PSK identity and "
                 "transcript are in it)\n";
    return 2;
  }
  if (args.keylog.empty() && args.serverKey.empty()) {
    std::cerr << "tlslab keys explain: --keylog FILE is required (or --server-key with --client-key-exchange)\n";
    return 2;
  }
  keys::SessionContext ctx;
  Bytes wanted, encryptedPms;
  try {
    wanted = hexArg(args.clientRandom, "--client-random", false);
    ctx.serverRandom = hexArg(args.serverRandom, "--server-random", false);
    ctx.suite = suiteArg(args.suite);
    ctx.version = versionArg(args.version);
    ctx.sessionHash = hexArg(args.sessionHash, "--session-hash", false);
    ctx.extendedMasterSecret = !ctx.sessionHash.empty();
    ctx.clientFinishedHash = hexArg(args.clientFinishedHash, "--client-finished-hash", false);
    ctx.serverFinishedHash = hexArg(args.serverFinishedHash, "--server-finished-hash", false);
    ctx.clientVerifyData = hexArg(args.clientVerifyData, "--client-verify-data", false);
    ctx.serverVerifyData = hexArg(args.serverVerifyData, "--server-verify-data", false);
    encryptedPms = hexArg(args.clientKeyExchange, "--client-key-exchange", false);
    if (!encryptedPms.empty() && wanted.empty()) throw UsageError{"--client-key-exchange needs --client-random"};
  } catch (const UsageError& e) {
    std::cerr << "tlslab keys explain: " << e.message << "\n";
    return 2;
  }
  keys::KeyStore store;
  std::vector<model::Diagnostic> diagnostics;
  if (!args.keylog.empty()) {
    auto loaded = store.addKeyLogFile(args.keylog);
    if (!loaded) {
      std::cerr << "tlslab keys explain: " << loaded.error() << "\n";
      return 2;
    }
    diagnostics = std::move(*loaded);
  }
  if (!args.serverKey.empty()) {
    auto added = store.addPrivateKeyFile(args.serverKey, args.keyPassword);
    if (!added) {
      std::cerr << "tlslab keys explain: " << added.error() << "\n";
      return 2;
    }
  }
  for (const auto& d : diagnostics) {
    if (args.json) break;  // JSON output carries them instead
    std::cerr << fmt::format("{}: {}: {}\n", d.where, model::severityName(d.severity), d.message);
  }
  // RSA key exchange: the pre-master secret from the ClientKeyExchange and the server key.
  std::vector<model::DerivationStep> prefix;
  std::vector<keys::SessionSecrets> sessions;
  if (!encryptedPms.empty()) {
    prefix.push_back(store.recoverPreMasterSecret(encryptedPms));
    if (!prefix.back().output.empty()) {
      keys::SessionSecrets recovered;
      recovered.clientRandom = wanted;
      recovered.preMasterSecret = prefix.back().output;
      recovered.sources.push_back("RSA decryption of the ClientKeyExchange");
      sessions.push_back(std::move(recovered));
    }
  }
  if (sessions.empty() && !wanted.empty()) {
    if (const auto* s = store.findByClientRandom(wanted)) sessions.push_back(*s);
  } else if (sessions.empty()) {
    for (const auto* s : store.sessions()) sessions.push_back(*s);
  }
  if (sessions.empty()) {
    for (const auto& step : prefix) printStep(std::cerr, step);
    std::cerr << "tlslab keys explain: " << (wanted.empty() ? "the key log has no session keyed by client random"
                                                            : "no session with that client random")
              << "\n";
    return 1;
  }
  nlohmann::json json = {{"sessions", nlohmann::json::array()}, {"diagnostics", nlohmann::json::array()}};
  for (const auto& d : diagnostics) json["diagnostics"].push_back({{"where", d.where}, {"message", d.message}});
  bool failed = false;
  for (const auto& s : sessions) {
    auto ex = keys::explainSession(s, ctx);
    ex.steps.insert(ex.steps.begin(), prefix.begin(), prefix.end());
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& step : ex.steps) {
      failed = failed || step.status == model::StepStatus::Failed;
      steps.push_back(stepJson(step));
    }
    if (args.json) {
      json["sessions"].push_back({{"clientRandom", toHex(s.clientRandom)},
                                  {"protocol", ex.protocol},
                                  {"suite", ex.suite ? std::string(ex.suite->name) : ""},
                                  {"notes", ex.notes},
                                  {"steps", steps}});
      continue;
    }
    std::cout << fmt::format("== session client_random {}\n   {}{}\n", toHex(s.clientRandom), ex.protocol,
                             ex.suite ? ", " + std::string(ex.suite->name) : "");
    for (const auto& note : ex.notes) std::cout << "   note: " << note << "\n";
    std::cout << "\n";
    for (const auto& step : ex.steps) printStep(std::cout, step);
    std::cout << "\n(A full chain with the Finished checks needs the handshake: a capture or an instrumented run "
                 "supplies the randoms and transcript.)\n\n";
  }
  if (args.json) std::cout << model::toJsonText(json, 2) << "\n";
  return failed ? 1 : 0;
}

int printDerived(const model::DerivationStep& step, bool json) {
  if (json) {
    std::cout << model::toJsonText(stepJson(step), 2) << "\n";
  } else {
    printStep(std::cout, step);
  }
  return step.output.empty() && step.status != model::StepStatus::Derived ? 1 : 0;
}

template <typename F>
int guarded(const char* name, F&& body) {
  try {
    return body();
  } catch (const UsageError& e) {
    std::cerr << "tlslab keys derive " << name << ": " << e.message << "\n";
    return 2;
  }
}

void addDeriveCommands(CLI::App& derive, Context& ctx, DeriveArgs& a) {
  auto* prf = derive.add_subcommand("prf", "TLS PRF (RFC 5246 §5): PRF(secret, label, seed) -> length bytes");
  prf->add_option("--secret", a.secret, "secret (hex)");
  prf->add_option("--label", a.label, "ASCII label, e.g. \"master secret\"");
  prf->add_option("--seed", a.seed, "seed (hex), e.g. client_random + server_random");
  prf->add_option("--length", a.length, "output length in bytes");
  prf->add_option("--hash", a.hash, "sha256 (default), sha384, or md5sha1 for TLS 1.0/1.1");
  prf->add_flag("--json", a.json, "JSON output");
  prf->callback([&] {
    ctx.exitCode = guarded("prf", [&] {
      const Bytes secret = hexArg(a.secret, "--secret");
      const Bytes seed = hexArg(a.seed, "--seed");
      if (a.label.empty() || a.length == 0) throw UsageError{"--label and --length (> 0) are required"};
      return printDerived(crypto::prf(hashArg(a.hash), secret, a.label, seed, a.length, "PRF output"), a.json);
    });
  });

  auto* extract = derive.add_subcommand("hkdf-extract", "HKDF-Extract(salt, IKM) (RFC 5869 §2.2)");
  extract->add_option("--salt", a.salt, "salt (hex); omit for no salt (zeros)");
  extract->add_option("--ikm", a.ikm, "input keying material (hex)");
  extract->add_option("--hash", a.hash, "sha256 (default) or sha384");
  extract->add_flag("--json", a.json, "JSON output");
  extract->callback([&] {
    ctx.exitCode = guarded("hkdf-extract", [&] {
      const Bytes salt = hexArg(a.salt, "--salt", false);
      const Bytes ikm = hexArg(a.ikm, "--ikm");
      return printDerived(crypto::hkdfExtract(hashArg(a.hash), salt, ikm, "PRK"), a.json);
    });
  });

  auto* expand = derive.add_subcommand("hkdf-expand-label", "HKDF-Expand-Label(secret, label, context, length) (RFC 8446 §7.1)");
  expand->add_option("--secret", a.secret, "secret (hex)");
  expand->add_option("--label", a.label, "label without \"tls13 \", e.g. key, iv, finished");
  expand->add_option("--length", a.length, "output length in bytes");
  expand->add_option("--context", a.context, "context (hex), default empty");
  expand->add_option("--hash", a.hash, "sha256 (default) or sha384");
  expand->add_flag("--json", a.json, "JSON output");
  expand->callback([&] {
    ctx.exitCode = guarded("hkdf-expand-label", [&] {
      const Bytes secret = hexArg(a.secret, "--secret");
      const Bytes context = hexArg(a.context, "--context", false);
      if (a.label.empty() || a.length == 0) throw UsageError{"--label and --length (> 0) are required"};
      return printDerived(crypto::hkdfExpandLabel(hashArg(a.hash), secret, a.label, context, a.length, "output"), a.json);
    });
  });

  auto* ds = derive.add_subcommand("derive-secret", "Derive-Secret(secret, label, messages) (RFC 8446 §7.1)");
  ds->add_option("--secret", a.secret, "secret (hex)");
  ds->add_option("--label", a.label, "label without \"tls13 \", e.g. \"c hs traffic\", derived");
  ds->add_option("--transcript-hash", a.transcriptHash, "Transcript-Hash(messages) (hex)");
  ds->add_option("--messages", a.messages, "the handshake messages themselves (hex); hashed for you");
  ds->add_option("--hash", a.hash, "sha256 (default) or sha384");
  ds->add_flag("--json", a.json, "JSON output");
  ds->callback([&] {
    ctx.exitCode = guarded("derive-secret", [&] {
      const crypto::HashAlg hash = hashArg(a.hash);
      const Bytes secret = hexArg(a.secret, "--secret");
      if (a.label.empty()) throw UsageError{"--label is required"};
      Bytes th = hexArg(a.transcriptHash, "--transcript-hash", false);
      if (th.empty()) th = crypto::digest(hash, hexArg(a.messages, "--messages", false));  // "" hashes to Hash("")
      return printDerived(crypto::deriveSecret(hash, secret, a.label, th, "output"), a.json);
    });
  });
  auto* mac = derive.add_subcommand("hmac", "HMAC(key, data), e.g. a TLS 1.3 Finished: HMAC(finished_key, transcript hash)");
  mac->add_option("--key", a.key, "key (hex)");
  mac->add_option("--data", a.data, "data (hex)");
  mac->add_option("--hash", a.hash, "sha256 (default) or sha384");
  mac->add_flag("--json", a.json, "JSON output");
  mac->callback([&] {
    ctx.exitCode = guarded("hmac", [&] {
      const crypto::HashAlg hash = hashArg(a.hash);
      model::DerivationStep step;
      step.name = "HMAC output";
      step.function = std::string("HMAC-") + crypto::hashName(hash) + "(key, data)";
      step.inputs = {{"key", hexArg(a.key, "--key")}, {"data", hexArg(a.data, "--data", false)}};
      step.output = crypto::hmac(hash, step.inputs[0].bytes, step.inputs[1].bytes);
      step.rfc = "RFC 2104; RFC 8446 §4.4.4";
      return printDerived(step, a.json);
    });
  });
  derive.require_subcommand(1);
}

}  // namespace

void registerKeysCommand(CLI::App& app, Context& ctx) {
  auto* keys = app.add_subcommand("keys", "Key logs and key derivation, step by step");
  keys->require_subcommand(1);

  static ExplainArgs explainArgs;
  auto* explain = keys->add_subcommand("explain", "Print a session's derivation chain from a key log");
  explain->add_option("--keylog", explainArgs.keylog, "NSS key log file (SSLKEYLOGFILE), required without --capture");
  explain->add_option("--capture", explainArgs.capture,
                      "a capture (pcap/pcapng): explain each of its connections with its keys (embedded, --keylog, "
                      "--ephemeral-keys)");
  explain->add_option("--ephemeral-keys", explainArgs.ephemeralKeys,
                      "with --capture: a lab run's ephemeral (EC)DHE keys (saved beside its pcapng); then every "
                      "secret is derived from the shared secret down; repeatable");
  addPskOptions(explain, explainArgs.psk);
  explain->add_option("--client-random", explainArgs.clientRandom, "which session (hex); default: all");
  explain->add_option("--server-random", explainArgs.serverRandom, "TLS 1.2: ServerHello.random (hex) for the key block");
  explain->add_option("--suite", explainArgs.suite, "negotiated cipher suite, e.g. 0xc02f or TLS_AES_128_GCM_SHA256");
  explain->add_option("--version", explainArgs.version, "1.0, 1.1, 1.2 or 1.3");
  explain->add_option("--server-key", explainArgs.serverKey, "RSA server private key (PEM, PKCS#8 or .p12)");
  explain->add_option("--key-password", explainArgs.keyPassword, "password of --server-key");
  explain->add_option("--client-key-exchange", explainArgs.clientKeyExchange,
                      "RSA key exchange: EncryptedPreMasterSecret from the ClientKeyExchange (hex)");
  explain->add_option("--session-hash", explainArgs.sessionHash, "TLS 1.2 extended master secret: session_hash (hex)");
  explain->add_option("--client-finished-hash", explainArgs.clientFinishedHash,
                      "transcript hash the client Finished covers (hex), from the handshake");
  explain->add_option("--server-finished-hash", explainArgs.serverFinishedHash,
                      "transcript hash the server Finished covers (hex), from the handshake");
  explain->add_option("--client-verify-data", explainArgs.clientVerifyData, "verify_data of the received client Finished (hex)");
  explain->add_option("--server-verify-data", explainArgs.serverVerifyData, "verify_data of the received server Finished (hex)");
  explain->add_flag("--json", explainArgs.json, "JSON output");
  explain->callback([&ctx] { ctx.exitCode = runExplain(explainArgs); });

  static DeriveArgs deriveArgs;
  auto* derive = keys->add_subcommand("derive", "Compute one derivation step by hand");
  addDeriveCommands(*derive, ctx, deriveArgs);
  registerKeysPemCommand(*keys, ctx);
  addAeadDecryptCommand(*keys, ctx);
  addQuicInitialCommand(*keys, ctx);
}

}  // namespace tlslab::cli
