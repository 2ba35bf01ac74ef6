// Lab 13's attacks, narrated: `tlslab lab run starttls-strip` (which clients
// send their mail in cleartext when an attacker strips STARTTLS) and
// `tlslab lab run starttls-inject` (a command injected after STARTTLS,
// against a buggy and a fixed server).
#include <iostream>

#include "cli/LabArgs.hpp"
#include "cli/RunPrinter.hpp"
#include "tlslab/scenarios/StarttlsLab.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {

using namespace tlslab::scenarios;

namespace {

StarttlsAttackOptions attackOptions(const LabArgs& args) {
  StarttlsAttackOptions options;
  options.certsDir = certsDir();
  options.subject = args.subject;
  options.injected = args.injected;
  return options;
}

void printStory(const char* attack) {
  std::cout << "1. The real mail.bank32.com (the lab's SMTP server) listens on 127.0.0.1.\n"
            << "2. The attacker poisons name resolution: mail.bank32.com -> 127.0.0.66, its own proxy, which relays\n"
            << "   every byte to the real server and " << attack << ".\n"
            << "3. The victim sends a mail through it.\n\n";
}

}  // namespace

int runStripLab(const LabArgs& args) {
  std::vector<StripVictim> victims;
  for (auto v : allStripVictims())
    if (args.client.empty() || args.client == stripVictimName(v)) victims.push_back(v);
  if (victims.empty()) {
    std::cerr << "tlslab lab run starttls-strip: --client is opportunistic, required, curl-ssl or curl-ssl-reqd\n";
    return 2;
  }
  std::cout << "The STARTTLS stripping lab (tutorials/13-starttls.md): the victim's mail says \"" << args.subject << "\"\n\n";
  printStory("removes STARTTLS from the server's EHLO answer");
  bool ok = true;
  for (auto victim : victims) {
    std::cout << "Victim: " << stripVictimDescription(victim) << "\n";
    const StarttlsAttackRun run = runStarttlsStrip(victim, attackOptions(args));
    for (const auto& line : stripReport(run, args.subject)) std::cout << "  " << line << "\n";
    std::cout << "\n";
    ok &= run.setupError.empty() || victim == StripVictim::CurlSsl || victim == StripVictim::CurlSslReqd;
  }
  return ok ? 0 : 1;
}

int runInjectLab(const LabArgs& args) {
  if (!args.server.empty() && args.server != "buggy" && args.server != "fixed") {
    std::cerr << "tlslab lab run starttls-inject: --server is buggy or fixed (default: both)\n";
    return 2;
  }
  std::cout << "The STARTTLS command-injection lab (tutorials/13-starttls.md): the attacker injects \"" << args.injected
            << "\"\n\n";
  printStory("appends its own command to the client's STARTTLS, in the same segment");
  bool ok = true;
  for (bool bug : {true, false}) {
    if (!args.server.empty() && (args.server == "buggy") != bug) continue;
    std::cout << (bug ? "Server with the STARTTLS bug (keeps what arrived with the command: CVE-2011-0411 class)\n"
                      : "Fixed server (discards what arrived with the command)\n");
    StarttlsAttackOptions options = attackOptions(args);
    options.starttlsBug = bug;
    const StarttlsAttackRun run = runStarttlsInjection(options);
    for (const auto& line : injectionReport(run, bug)) std::cout << "  " << line << "\n";
    if (run.setupError.empty())
      std::cout << "  the victim received inside TLS: \"" << printable(asBytes(run.victimReceived), 300) << "\"\n";
    std::cout << "\n";
    ok &= run.setupError.empty();
  }
  return ok ? 0 : 1;
}

}  // namespace tlslab::cli
