// `tlslab lab run real-clients`: the man in the middle of `lab run mitm`,
// against the real clients on this machine. The table is what happened
// (the attacker's log for "sent the password", each client's own verdict for
// "refused"); the lesson is drawn from it, never from a table of expectations.
#include <fmt/core.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/LabRealClients.hpp"
#include "tlslab/model/TraceJson.hpp"
#include "tlslab/scenarios/course/RealClients.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {
namespace {

using namespace tlslab::course;
using endpoints::AttackerCertificate;

std::string stateName(ClientState state) {
  switch (state) {
    case ClientState::Ran: return "ran";
    case ClientState::NotInstalled: return "not installed";
    case ClientState::NeedsHostsFile: return "needs the hosts line";
    case ClientState::CouldNotRun: return "could not run";
    default: return "unknown";
  }
}

nlohmann::json clientJson(const RealClientResult& r) {
  return {{"client", realClientName(r.client)},
          {"package", realClientPackage(r.client)},
          {"state", stateName(r.state)},
          {"skip_reason", r.skipReason},
          {"command", r.commandLine},
          {"setup_commands", r.setupCommands},
          {"resolution", r.resolution},
          {"refused", r.refused},
          {"attacker_got_request", r.attackerGotRequest},
          {"password_sent", r.passwordSent},
          {"stolen", r.stolen},
          {"proxy_connections", r.proxyConnections},
          {"words", r.words},
          {"ended", r.ended},
          {"error_code", r.errorCode},
          {"screenshot_written", r.screenshotWritten},
          {"consistent", r.state == ClientState::Ran ? nlohmann::json(r.consistent()) : nlohmann::json(nullptr)},
          {"seconds", r.seconds}};
}

nlohmann::json runJson(const RealClientsRun& run) {
  nlohmann::json clients = nlohmann::json::array();
  for (const auto& r : run.clients) clients.push_back(clientJson(r));
  return {{"strategy", endpoints::attackerCertificateName(run.strategy)},
          {"server", fmt::format("{}:{}", run.serverAddress, run.port)},
          {"proxy", fmt::format("{}:{}", run.proxyAddress, run.port)},
          {"hosts_line", run.hostsLine},
          {"hosts_method", hostsMethodName(run.hosts)},
          {"setup_error", run.setupError},
          {"clients", clients},
          {"password_senders", run.passwordSenders()},
          {"consistent", run.consistent()}};
}

std::string acceptedCell(const RealClientResult& r) {
  if (r.state == ClientState::NotInstalled) return "not installed";
  if (r.state == ClientState::NeedsHostsFile) return "needs the hosts line";
  if (r.state != ClientState::Ran) return "COULD NOT RUN";
  if (!r.consistent()) return r.attackerGotRequest ? "yes (?)" : "no reply (?)";
  return r.attackerGotRequest ? "YES" : "no, it refused";
}

std::string passwordCell(const RealClientResult& r) {
  if (r.state != ClientState::Ran) return "";
  return r.passwordSent ? "YES" : "no";
}

std::string wordsCell(const RealClientResult& r) {
  if (r.state != ClientState::Ran) return r.skipReason;
  if (!r.consistent()) return r.words + " [it " + r.ended + "; the attacker logged " + (r.stolen.empty() ? "nothing" : r.stolen) + "]";
  return r.words;
}

void printStory(std::ostream& out, const RealClientsRun& run, const RealClientsArgs& args) {
  out << "Lab 3, real clients: the man in the middle against the programs on this machine\n\n"
      << fmt::format("1. The real bank32.com serves its login page on {}:{} (certs/bank32-rsa).\n", run.serverAddress, run.port)
      << "2. The attacker poisons name resolution the textbook way, with one line in the hosts file:\n"
      << "     " << run.hostsLine << (run.hostsLine.empty() || run.hostsLine.back() != '\n' ? "\n" : "")
      << "   Here each client gets it in " << (run.hosts == HostsMethod::Unavailable ? "no hosts file (see how below)" : std::string("a ") + hostsMethodName(run.hosts))
      << "; this machine's /etc/hosts is not changed.\n"
      << fmt::format("3. The attacker's proxy on {}:{} presents {},\n   and relays to the real bank over its own TLS connection.\n",
                     run.proxyAddress, run.port, endpoints::attackerCertificateDescription(run.strategy))
      << fmt::format("4. Each client trusts the lab root (certs/root-ca/cert.pem) and logs in: POST user={}&password={}\n"
                     "   to https://bank32.com:{}/login.\n\n", args.user, args.password, run.port);
}

void printTable(std::ostream& out, const RealClientsRun& run) {
  constexpr int kName = 34, kAccepted = 23, kSent = 19;
  out << fmt::format("{:<{}}| {:<{}}| {:<{}}| {}\n", "client", kName, "accepted the attacker?", kAccepted, "sent the password?", kSent, "its words");
  out << std::string(kName, '-') << "+" << std::string(kAccepted + 1, '-') << "+" << std::string(kSent + 1, '-') << "+" << std::string(40, '-') << "\n";
  for (const auto& r : run.clients)
    out << fmt::format("{:<{}}| {:<{}}| {:<{}}| {}\n", realClientName(r.client), kName, acceptedCell(r), kAccepted,
                       passwordCell(r), kSent, wordsCell(r));
}

void printEvidence(std::ostream& out, const RealClientsRun& run) {
  out << "\nThe attacker's log (what its proxy decrypted, per client):\n";
  for (const auto& r : run.clients) {
    if (r.state != ClientState::Ran) continue;
    std::string seen = r.passwordSent ? r.stolen : r.attackerGotRequest ? "a request without the password" : "nothing";
    out << fmt::format("  {:<34} {} TLS connection{}, logged: {}\n", realClientName(r.client), r.proxyConnections,
                       r.proxyConnections == 1 ? "" : "s", seen);
  }
}

void printCommands(std::ostream& out, const RealClientsRun& run, const std::string& screenshot) {
  out << "\nThe command lines (add the hosts line to /etc/hosts first, as root, and remove it afterwards):\n";
  for (const auto& r : run.clients) {
    if (r.commandLine.empty()) continue;
    out << "  # " << realClientName(r.client) << (r.resolution.empty() ? "" : " — name resolved by " + r.resolution) << "\n";
    for (const auto& setup : r.setupCommands) out << "  " << setup << "\n";
    out << "  " << r.commandLine << "\n";
  }
  out << fmt::format("  To type them yourself, run the bank and the attacker in two terminals,\n"
                     "    tlslab serve --port 4433\n    tlslab mitm --port 4433 --target-port 4433\n"
                     "  and write 4433 for {}{}.\n",
                     run.port, run.find(RealClient::Chromium) ? " (and a folder of your own for Chromium's files: the run's is gone)" : "");
  if (const auto* browser = run.find(RealClient::Chromium); browser && browser->state == ClientState::Ran) {
    if (browser->screenshotWritten) out << "\nChromium's error page, as it showed it: " << screenshot << "\n";
    else if (!screenshot.empty()) out << "\nChromium wrote no screenshot to " << screenshot << "\n";
  }
}

// Why a client that sent the password did: the options it was run with.
std::string whyItSent(RealClient client) {
  switch (client) {
    case RealClient::CurlInsecure: return "-k (--insecure) switches certificate verification off";
    case RealClient::OpensslDefault:
      return "s_client only reports what it verified (\"Verify return code\") and carries on; it compares no host name "
             "unless given -verify_hostname";
    default: return "it went on with a certificate it should have refused";
  }
}

void printLesson(std::ostream& out, const RealClientsRun& run) {
  std::vector<std::string> refused, sent;
  for (const auto& r : run.clients) {
    if (r.state != ClientState::Ran || !r.consistent()) continue;
    (r.refused ? refused : sent).emplace_back(realClientName(r.client));
  }
  auto list = [](const std::vector<std::string>& names) {
    std::string text;
    for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
    return text.empty() ? std::string("none") : text;
  };
  out << "\nThe lesson:\n  Refused the attacker: " << list(refused) << "\n  Sent the password to the attacker: " << list(sent) << "\n";
  if (run.strategy == AttackerCertificate::AttackerOwn) {
    out << "  The attacker's chain was valid: the trusted lab CA really issued attacker32.com. Only the NAME was\n"
           "  wrong, so each client that refused compared bank32.com with the certificate's names by itself,\n"
           "  with its default options.\n";
  } else {
    out << "  This attacker's certificate does not chain to the lab root, so a chain check alone stops it; try\n"
           "  --strategy attacker-own, whose chain is valid and only the name is wrong.\n";
  }
  for (const auto& r : run.clients)
    if (r.state == ClientState::Ran && r.consistent() && r.passwordSent)
      out << "  " << realClientName(r.client) << ": " << whyItSent(r.client) << ".\n";
  out << "\nThe fix: verify the chain AND the host name, and stop when either fails.\n"
         "  In C with OpenSSL (labs 4 and 6):  SSL_set_verify(ssl, SSL_VERIFY_PEER, NULL);\n"
         "                                     SSL_set1_host(ssl, \"bank32.com\");\n"
         "  On the command line: never -k; openssl s_client -verify_return_error -verify_hostname bank32.com.\n"
         "  In a browser: the warning page IS the attack being stopped; do not click through it.\n";
}

std::optional<AttackerCertificate> strategyNamed(const std::string& name) {
  for (auto s : endpoints::allAttackerCertificates())
    if (name == endpoints::attackerCertificateName(s)) return s;
  return std::nullopt;
}

}  // namespace

int runRealClientsLab(const RealClientsArgs& args) {
  auto strategy = strategyNamed(args.strategy);
  if (!strategy) {
    std::cerr << "tlslab lab run real-clients: --strategy is one of attacker-own, self-signed, rogue-ca, forged, leaf-signed-leaf\n";
    return 2;
  }
  if (auto problem = loginPasswordProblem(args.password); !problem.empty()) {
    std::cerr << "tlslab lab run real-clients: --password " << problem << "\n";
    return 2;
  }
  RealClientsOptions options;
  options.certsDir = certsDir();
  options.strategy = *strategy;
  options.user = args.user;
  options.password = args.password;
  options.screenshot = args.screenshot;
  // Progress for a person (on stderr); --json output stays the JSON alone.
  if (!args.json) options.progress = [](const std::string& line) { std::cerr << "… " << line << "\n"; };
  RealClientsRun run = runRealClients(options);
  if (args.json) {
    std::cout << model::toJsonText(runJson(run), 2) << "\n";
    return run.consistent() ? 0 : 1;
  }
  if (!run.setupError.empty()) {
    std::cerr << "tlslab lab run real-clients: " << run.setupError << "\n";
    return 1;
  }
  printStory(std::cout, run, args);
  printTable(std::cout, run);
  printEvidence(std::cout, run);
  printCommands(std::cout, run, args.screenshot);
  printLesson(std::cout, run);
  for (const auto& r : run.clients) {
    if (r.state == ClientState::CouldNotRun)
      std::cout << "\n" << realClientName(r.client) << " is installed but could not run: " << r.skipReason << "\n";
    else if (r.state == ClientState::Ran && !r.consistent())
      std::cout << "\n" << realClientName(r.client) << "'s words and the attacker's log disagree (marked ?): the run proves "
                << "nothing about it.\n";
  }
  return run.consistent() ? 0 : 1;
}

}  // namespace tlslab::cli
