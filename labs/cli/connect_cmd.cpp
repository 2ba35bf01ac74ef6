// `tlslab connect HOST[:PORT]`: the instrumented client, printing the live
// ladder and the certificate checks as they happen.
#include <fmt/core.h>

#include <fstream>
#include <iostream>

#include "cli/Commands.hpp"
#include "cli/RunPrinter.hpp"
#include "cli/TlsArgs.hpp"
#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/RunPcapng.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {
namespace {

struct ConnectArgs {
  std::string target;
  double timeout = 5;           // seconds of silence a read may wait
  double handshakeTimeout = 10;  // seconds the whole handshake may take
  std::vector<std::string> resolve;
  std::string verify = "correct";
  std::vector<std::string> trust;
  std::string trustDir;
  std::string sni;
  bool noSni = false;
  TlsArgs tls;
  std::string cert, key;
  std::string starttls;
  std::string injectWithStarttls;
  bool opportunistic = false;
  std::vector<std::string> send;
  std::vector<std::string> expect;
  bool resume = false;
  std::string earlyData;
  bool keyUpdate = false;
  bool renegotiate = false;
  bool plain = false;
  bool wire = false;
  bool fullLog = false;
  std::string pcapng, keylog;
};

std::optional<endpoints::VerifyMode> parseVerify(const std::string& name) {
  using endpoints::VerifyMode;
  for (VerifyMode mode : {VerifyMode::None, VerifyMode::ChainOnly, VerifyMode::IgnoreErrors, VerifyMode::ChainAndHost})
    if (name == endpoints::verifyModeName(mode)) return mode;
  return std::nullopt;
}

// "HOST[:PORT]" with IPv6 as "[::1]:443".
bool splitTarget(const std::string& target, std::string& host, std::uint16_t& port) {
  std::string portText;
  if (!target.empty() && target.front() == '[') {
    auto close = target.find(']');
    if (close == std::string::npos) return false;
    host = target.substr(1, close - 1);
    if (close + 1 < target.size() && target[close + 1] == ':') portText = target.substr(close + 2);
  } else if (auto colon = target.rfind(':'); colon != std::string::npos && target.find(':') == colon) {
    host = target.substr(0, colon);
    portText = target.substr(colon + 1);
  } else {
    host = target;
  }
  if (portText.empty()) return !host.empty();
  try {
    int value = std::stoi(portText);
    if (value <= 0 || value > 65535) return false;
    port = static_cast<std::uint16_t>(value);
  } catch (const std::exception&) {
    return false;
  }
  return !host.empty();
}

std::string unescape(const std::string& text) {
  std::string out;  // lets a student type "\r\n" on the command line
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      char c = text[++i];
      out += c == 'r' ? '\r' : c == 'n' ? '\n' : c == 't' ? '\t' : c;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool buildConfig(const ConnectArgs& args, endpoints::ClientConfig& config) {
  if (!splitTarget(args.target, config.host, config.port)) {
    std::cerr << "tlslab connect: cannot read '" << args.target << "' as HOST[:PORT]\n";
    return false;
  }
  for (const auto& entry : args.resolve) {
    auto eq = entry.find('=');
    if (eq == std::string::npos) {
      std::cerr << "tlslab connect: --resolve takes NAME=ADDRESS, got '" << entry << "'\n";
      return false;
    }
    config.resolver.set(entry.substr(0, eq), entry.substr(eq + 1));
  }
  auto mode = parseVerify(args.verify);
  if (!mode) {
    std::cerr << "tlslab connect: --verify must be none, chain-only, ignore-errors or correct\n";
    return false;
  }
  config.verifyMode = *mode;
  auto starttls = parseStarttls(args.starttls);
  if (!starttls) {
    std::cerr << "tlslab connect: --starttls must be smtp, pop3 or imap\n";
    return false;
  }
  config.starttls = *starttls;
  if (!args.injectWithStarttls.empty() && config.starttls == endpoints::Starttls::None) {
    std::cerr << "tlslab connect: --inject-with-starttls needs --starttls smtp, pop3 or imap\n";
    return false;
  }
  config.injectWithStarttls = unescape(args.injectWithStarttls);
  config.starttlsRequired = !args.opportunistic;
  auto tls = toTlsOptions(args.tls, "connect");
  if (!tls) return false;
  config.tls = *tls;
  for (const auto& t : args.trust) {
    if (t == "lab") config.trustFiles.push_back(certsDir() / "root-ca" / "cert.pem");
    else if (t == "rogue") config.trustFiles.push_back(certsDir() / "rogue-ca" / "cert.pem");
    else config.trustFiles.push_back(t);
  }
  if (config.trustFiles.empty() && args.trustDir.empty()) config.trustFiles.push_back(certsDir() / "root-ca" / "cert.pem");
  config.trustDir = args.trustDir;
  if (args.noSni) config.sni = "";
  else if (!args.sni.empty()) config.sni = args.sni;
  config.clientCert = args.cert;
  config.clientKey = args.key.empty() ? args.cert : args.key;
  config.useTls = !args.plain;
  if (args.plain && args.send.empty() && config.starttls == endpoints::Starttls::None) config.cleartextProtocol = "HTTP";
  config.earlyData = unescape(args.earlyData);
  for (const auto& s : args.send) config.script.push_back(endpoints::ScriptStep::send(unescape(s)));
  if (args.send.empty() && config.starttls == endpoints::Starttls::None)
    config.script.push_back(endpoints::ScriptStep::send("GET / HTTP/1.1\r\nHost: " + config.host + "\r\n\r\n"));
  if (args.keyUpdate) config.script.push_back(endpoints::ScriptStep::keyUpdate());
  if (args.renegotiate) config.script.push_back(endpoints::ScriptStep::renegotiate());
  for (const auto& e : args.expect) config.script.push_back(endpoints::ScriptStep::expect(unescape(e)));
  if (args.expect.empty() && args.send.empty() && config.starttls == endpoints::Starttls::None)
    config.script.push_back(endpoints::ScriptStep::expect("\r\n\r\n"));
  return true;
}

bool saveOutputs(const ConnectArgs& args, const std::vector<endpoints::RecordedConnection>& runs) {
  if (!args.keylog.empty()) {
    std::ofstream out(args.keylog);
    for (const auto& r : runs) out << endpoints::keyLogText(r.clientEvents);
    if (!out) {
      std::cerr << "tlslab connect: cannot write " << args.keylog << "\n";
      return false;
    }
  }
  if (!args.pcapng.empty()) {
    std::ofstream out(args.pcapng, std::ios::binary);
    if (auto err = endpoints::writeRunPcapng(out, runs); !err.empty() || !out) {
      std::cerr << "tlslab connect: cannot write " << args.pcapng << ": " << (err.empty() ? "write error" : err) << "\n";
      return false;
    }
    std::cout << "wrote " << args.pcapng << " (open it in Wireshark or `tlslab dissect`: the keys are inside)\n";
  }
  return true;
}

int runConnect(const ConnectArgs& args) {
  endpoints::ClientConfig config;
  config.port = 4433;
  if (!buildConfig(args, config)) return 2;
  config.ioTimeoutMs = static_cast<int>(args.timeout * 1000);
  config.handshakeTimeoutMs = static_cast<int>(args.handshakeTimeout * 1000);
  RunPrinter printer(std::cout, args.fullLog || args.wire ? LogStyle::Full : LogStyle::Ladder, RunLanes::pair(false), args.wire);
  std::cout << fmt::format("connecting to {}:{} (verification: {})\n", config.host, config.port,
                           endpoints::verifyModeDescription(config.verifyMode));
  std::vector<endpoints::RecordedConnection> recorded;
  std::string early = config.earlyData;
  if (args.resume || !early.empty()) config.earlyData.clear();  // the first run earns the ticket
  endpoints::ClientRun run = endpoints::runClient(config, printer.observer());
  printer.printSummary(run);
  recorded.push_back({run.peers, run.events});
  if ((args.resume || !early.empty()) && run.handshakeOk) {
    std::cout << "\n--- reconnecting to resume the session" << (early.empty() ? "" : " with 0-RTT early data") << " ---\n";
    config.resume = run.session;
    config.earlyData = early;
    run = endpoints::runClient(config, printer.observer());
    printer.printSummary(run);
    recorded.push_back({run.peers, run.events});
  }
  if (!saveOutputs(args, recorded)) return 1;
  return run.error.empty() ? 0 : 1;
}

}  // namespace

void registerConnectCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ConnectArgs>();
  CLI::App* cmd = app.add_subcommand("connect", "Connect to a TLS server with the instrumented client and show every step");
  cmd->add_option("target", args->target, "HOST[:PORT] (default port 4433); names go through the lab resolver")->required();
  cmd->add_option("--timeout", args->timeout, "Seconds a read waits for the server before giving up (default 5)")
      ->check(CLI::Range(0.1, 600.0));
  cmd->add_option("--handshake-timeout", args->handshakeTimeout,
                  "Seconds the whole TLS handshake may take, however the server trickles it (default 10)")
      ->check(CLI::Range(0.1, 600.0));
  cmd->add_option("--resolve", args->resolve, "Lab resolver entry NAME=ADDRESS (loopback only), like a hosts file entry");
  cmd->add_option("--verify", args->verify, "none | chain-only | ignore-errors | correct (default)");
  cmd->add_option("--trust", args->trust, "Trust anchor: lab, rogue or a PEM file (repeatable; default lab)");
  cmd->add_option("--trust-dir", args->trustDir, "Hashed CA directory (e.g. certs/hashed)");
  cmd->add_option("--sni", args->sni, "Server name to send (default: HOST)");
  cmd->add_flag("--no-sni", args->noSni, "Send no server_name extension");
  addTlsOptions(cmd, args->tls);
  cmd->add_option("--cert", args->cert, "Client certificate chain (PEM) for mutual TLS");
  cmd->add_option("--key", args->key, "Client private key (PEM; default: same file as --cert)");
  cmd->add_option("--starttls", args->starttls, "Upgrade a cleartext protocol first: smtp, pop3 or imap");
  cmd->add_option("--inject-with-starttls", args->injectWithStarttls,
                  "Send this cleartext in the same write as the STARTTLS command, as an on-path attacker injects it "
                  "(\\r\\n understood; e.g. 'MAIL FROM:<eve@attacker32.com>\\r\\n')");
  cmd->add_flag("--opportunistic", args->opportunistic,
                "--starttls: when the server does not offer STARTTLS, go on in cleartext (default: refuse, as a client "
                "that requires TLS must)");
  cmd->add_option("--send", args->send, "Text to send (\\r\\n understood; repeatable; default: an HTTP GET)");
  cmd->add_option("--expect", args->expect, "Text the server must send back (repeatable)");
  cmd->add_flag("--resume", args->resume, "Connect twice, resuming the first session");
  cmd->add_option("--early-data", args->earlyData, "Resume and send this as TLS 1.3 0-RTT early data");
  cmd->add_flag("--key-update", args->keyUpdate, "Send a TLS 1.3 KeyUpdate after the first message");
  cmd->add_flag("--renegotiate", args->renegotiate, "Renegotiate (TLS 1.2) after the first message");
  cmd->add_flag("--plain", args->plain, "No TLS at all: see what an eavesdropper sees");
  cmd->add_flag("--full-log", args->fullLog, "Every event OpenSSL reported (state, key log, alerts) instead of the ladder");
  cmd->add_flag("--wire", args->wire, "The full log with the raw socket reads and writes too");
  cmd->add_option("--pcapng", args->pcapng, "Write the run as a pcapng file with its key log embedded");
  cmd->add_option("--keylog", args->keylog, "Write the key log (NSS format) to this file");
  cmd->callback([args, &ctx] { ctx.exitCode = runConnect(*args); });
}

}  // namespace tlslab::cli
