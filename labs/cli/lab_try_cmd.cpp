// `tlslab lab try N [--program P] [--against …]`: runs the student's program
// against one scenario of lab N's checks and narrates it — what the program
// printed, what the server or the attacker saw (its log: the request, the
// page token it relayed), and the verdict. How a student watches the MITM
// succeed in lab 6. The runs and verdicts are core's (ProgramChecks.hpp).
#include <fmt/core.h>

#include <filesystem>
#include <iostream>

#include "cli/Commands.hpp"
#include "cli/CourseArgs.hpp"
#include "tlslab/pki/Catalog.hpp"
#include "tlslab/scenarios/course/ProgramChecks.hpp"
#include "tlslab/scenarios/course/Workspace.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {
namespace fs = std::filesystem;
using namespace tlslab::course;

namespace {

struct TryArgs {
  std::string lab;
  std::string program;
  std::string against;
  std::string dir;
  StudentArgs who;
};

constexpr std::size_t kOutLines = 14, kErrLines = 8;

// A program's stream, indented, at most `lines` lines from its end.
void printStream(const char* name, const std::string& text, std::size_t lines) {
  if (text.empty()) return;
  std::vector<std::string> all;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    all.push_back(lastLines(text.substr(start, end - start), 1, 200));
    start = end + 1;
  }
  std::cout << "   " << name << ":\n";
  if (all.size() > lines) std::cout << fmt::format("   │ … ({} lines before)\n", all.size() - lines);
  for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) std::cout << "   │ " << all[i] << "\n";
}

std::string serverSaw(const ClientTrial& trial, bool attacker) {
  std::string who = attacker ? "the attacker" : "the server";
  if (trial.connections == 0) return who + " saw no connection";
  if (!trial.handshakeCompleted)
    return who + " saw a connection whose handshake your program aborted" +
           (trial.alertReceived.empty() ? "" : " with the alert " + trial.alertReceived);
  if (trial.request.empty()) return who + " completed a handshake, but no request came";
  std::string line = trial.request.substr(0, trial.request.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return who + " completed a handshake and received «" + line + "»" + (trial.pageSent ? "; it sent the page back" : "");
}

void printTrial(const ClientTrial& trial, const fs::path& program) {
  std::cout << fmt::format("── {}: bank32.com -> {}, port {}\n", trial.scenario, trial.address, trial.port);
  if (!trial.setupError.empty()) {
    std::cout << "   not run: " << trial.setupError << "\n";
    return;
  }
  std::cout << fmt::format("   $ ./{} bank32.com {}     (bank32.com resolved through: {})\n", program.filename().string(),
                           trial.port, hostsMethodName(trial.program.hostsMethod));
  std::cout << "   your program " << trial.program.describe() << "\n";
  printStream("it printed on stdout", trial.program.out, kOutLines);
  printStream("and on stderr", trial.program.err, kErrLines);
  bool attacker = !trial.attackerLog.empty();
  std::cout << "   " << serverSaw(trial, attacker) << "\n";
  if (attacker) {
    std::cout << "   the attacker's log:\n";
    for (const auto& line : trial.attackerLog) std::cout << "   │ " << line << "\n";
  }
}

void printVerdict(const CheckResult& result, bool evidence) {
  std::cout << "\n" << (result.verdict == Verdict::Pass ? "PASS" : result.verdict == Verdict::Skipped ? "SKIPPED" : "FAIL")
            << ": " << result.detail << "\n";
  if (!result.hint.empty()) std::cout << "hint: " << result.hint << "\n";
  if (evidence)
    for (const auto& line : result.evidence) std::cout << "  • " << line << "\n";
}

int tryClient(const TryArgs& args, const ProgramCheckSetup& setup) {
  const std::string against = args.against.empty() ? "server" : args.against;
  ClientCheck check;
  bool wholeGallery = against == "gallery";
  if (against == "server") {
    check = checkClientGetsPage(setup.client);
  } else if (against == "attacker") {
    check = checkClientRejectsAttacker(setup.client);
  } else if (wholeGallery) {
    check = checkClientRejectsGallery(setup.client);
  } else if (const auto* entry = pki::findEntry(against); entry && entry->kind == pki::EntryKind::Gallery) {
    check = checkClientRejectsGallery(setup.client, std::vector<std::string>{against});
  } else {
    std::cerr << "tlslab lab try: --against " << against
              << ": expected server, gallery, attacker or a gallery entry (`tlslab certs list`)\n";
    return 2;
  }
  // The gallery and the attacker start with a control run against the good
  // server: one line, unless it is what went wrong. The whole gallery is one
  // line per entry (the evidence); a single scenario is narrated in full.
  for (std::size_t i = 0; i < check.trials.size(); ++i) {
    const ClientTrial& trial = check.trials[i];
    bool control = against != "server" && i == 0;
    if (wholeGallery && !control) break;
    std::cout << "\n";
    if (control && trial.printedToken(setup.client.pageToken)) {
      std::cout << "── lab server (the control): your client got the page with your token " << setup.client.pageToken << "\n";
      continue;
    }
    printTrial(trial, setup.client.program);
  }
  printVerdict(check.result, wholeGallery || against == "attacker");
  return check.result.verdict == Verdict::Pass ? 0 : 1;
}

void printProbe(const ServerProbe& probe) {
  std::string who = probe.client + (probe.identity.empty() ? "" : " with " + probe.identity);
  std::cout << "── " << who << (probe.expectPage ? "" : " (must be refused)") << "\n";
  if (probe.notRun) {
    std::cout << "   " << probe.detail << "\n";
    return;
  }
  std::cout << "   " << (probe.gotPage ? "got «" + probe.statusLine + "»" : "no page") << (probe.detail.empty() ? "" : ": " + probe.detail) << "\n";
  if (!probe.presentedChain.empty()) {
    std::string chain;
    for (const auto& subject : probe.presentedChain) chain += (chain.empty() ? "" : "  ←  ") + subject;
    std::cout << "   your server presented: " << chain << (probe.presentedOurLeaf ? " (the CHAIN it was given)" : "") << "\n";
  }
  if (!probe.flow.empty()) {
    std::string flow;
    for (const auto& step : probe.flow) flow += (flow.empty() ? "" : ", ") + step;
    std::cout << "   handshake: " << flow << "\n";
  }
}

int tryServer(const TryArgs& args, const ProgramCheckSetup& setup) {
  const std::string against = args.against.empty() ? "clients" : args.against;
  ServerCheck check;
  if (against == "clients") {
    check = checkServerServesPage(setup.server);
  } else if (against == "mtls") {
    check = checkServerRequiresClientCertificate(setup.server);
  } else {
    std::cerr << "tlslab lab try: --against " << against << ": expected clients or mtls\n";
    return 2;
  }
  std::cout << fmt::format("\n── your server: {} PORT CHAIN KEY{}, with a fresh certificate for {}\n",
                           setup.server.program.filename().string(), against == "mtls" ? " CLIENT_CA" : "",
                           setup.server.host);
  for (const auto& probe : check.probes) printProbe(probe);
  std::cout << "── your server " << check.server.describe() << "\n";
  printStream("it printed on stdout", check.server.out, kErrLines);
  printStream("and on stderr", check.server.err, kErrLines);
  printVerdict(check.result, false);
  return check.result.verdict == Verdict::Pass ? 0 : 1;
}

int runTry(const TryArgs& args) {
  const LabDefinition* lab = findLab(args.lab);
  if (lab == nullptr) {
    std::cerr << "tlslab lab try: no lab '" << args.lab << "' (see `tlslab lab list`)\n";
    return 2;
  }
  if (lab->exercises.empty()) {
    std::cerr << "tlslab lab try: lab " << lab->number << " has no program to try\n";
    return 2;
  }
  const Exercise& exercise = lab->exercises.front();
  auto dir = findWorkspace(args.dir.empty() ? fs::current_path() : fs::path(args.dir), lab->number);
  StudentCredentials who;
  if (dir) {
    auto info = openWorkspace(*dir);
    if (!info) {
      std::cerr << "tlslab lab try: " << info.error() << "\n";
      return 2;
    }
    who = {info->student, info->studentKey, info->classTag};
  } else {
    ResolvedStudent resolved = resolveStudent(args.who);
    if (!resolved.error.empty()) {
      std::cerr << "tlslab lab try: " << resolved.error << "\n";
      return 2;
    }
    who = resolved.credentials;
  }
  std::error_code ec;
  fs::path program = !args.program.empty() ? fs::absolute(args.program)
                     : dir                 ? fs::absolute(*dir / std::string(exercise.program))
                                           : fs::path{};
  if (program.empty() || !fs::exists(program, ec)) {
    std::cerr << "tlslab lab try: " << (program.empty() ? "no program" : program.string() + ": no such file")
              << ": build yours with `tlslab lab build " << lab->number << "` in the workspace, or give --program PATH\n";
    return 2;
  }
  const Variant variant(who.student, lab->number, who.key);
  CheckEnv env{&variant, nullptr, dir ? fs::absolute(*dir) : fs::current_path(), certsDir(), program,
               [](const std::string& text) { std::cerr << "  … " << text << "\n"; }};
  ProgramCheckSetup setup = programCheckSetup(lab->number, env);
  if (!setup.problem.empty()) {
    std::cerr << "tlslab lab try: " << setup.problem << "\n";
    return 2;
  }
  std::cout << fmt::format("Lab {} — {}: trying {} ({}'s variant)\n", lab->number, lab->title, program.string(),
                           who.student);
  return exercise.kind == Exercise::Kind::Server ? tryServer(args, setup) : tryClient(args, setup);
}

}  // namespace

void registerLabTryCommand(CLI::App& lab, Context& ctx) {
  auto args = std::make_shared<TryArgs>();
  CLI::App* cmd = lab.add_subcommand("try", "Run your program against one scenario of lab N and watch what happens");
  cmd->add_option("N", args->lab, "The lab's number (or name)")->required();
  cmd->add_option("--program", args->program, "The program (default: the workspace's own build)");
  cmd->add_option("--against", args->against,
                  "A client: server (default), gallery, a gallery entry (e.g. expired), attacker; "
                  "a server: clients (default), mtls");
  cmd->add_option("--dir", args->dir, "Your workspace (default: this folder or ./tlslab-lab-N)");
  cmd->add_option("--student", args->who.student, "Your student ID, outside a workspace (default: $USER)");
  cmd->add_option("--key", args->who.keyFile, "The student key file your teacher gave you");
  cmd->callback([args, &ctx] { ctx.exitCode = runTry(*args); });
}

}  // namespace tlslab::cli
