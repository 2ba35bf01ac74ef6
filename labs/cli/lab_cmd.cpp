// `tlslab lab list` and `tlslab lab run NAME`: the lab scenarios, narrated.
#include <fmt/core.h>

#include <algorithm>
#include <iostream>
#include <optional>
#include <memory>

#include "cli/Commands.hpp"
#include "cli/CourseArgs.hpp"
#include "cli/LabArgs.hpp"
#include "tlslab/model/TraceJson.hpp"
#include "tlslab/scenarios/course/LabValues.hpp"
#include "tlslab/scenarios/course/Workspace.hpp"
#include "cli/LabRealClients.hpp"
#include "cli/LabReports.hpp"
#include "cli/RunPrinter.hpp"
#include "cli/SelfCheckOutput.hpp"
#include "cli/TlsArgs.hpp"
#include "tlslab/scenarios/HandshakeCompare.hpp"
#include "tlslab/scenarios/NetnsTopology.hpp"
#include "tlslab/scenarios/PairLab.hpp"
#include "tlslab/scenarios/ResumptionLab.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {
namespace {

using namespace tlslab::scenarios;
using endpoints::AttackerCertificate;

// With --student/--key, or inside a lab workspace, the victim is the student
// and the password theirs (course::Variant), as `tlslab lab check` expects.
std::string applyStudent(LabArgs& args, int labNumber) {
  std::optional<course::Variant> variant;
  if (!args.who.student.empty() || !args.who.keyFile.empty()) {
    ResolvedStudent who = resolveStudent(args.who);
    if (!who.error.empty()) return who.error;
    variant.emplace(who.credentials.student, labNumber, who.credentials.key);
  } else if (auto dir = course::findWorkspace(std::filesystem::current_path(), labNumber)) {
    if (auto info = course::openWorkspace(*dir)) variant.emplace(info->variant());
  }
  if (variant && labNumber == 3) {
    args.user = variant->student();
    args.password = variant->password();
  }
  if (variant && labNumber == 12 && args.earlyData.empty()) args.earlyData = course::earlyDataRequest(*variant);
  if (variant && labNumber == 15) {
    args.serverName = course::quicServerName(*variant);
    args.page = course::quicPage(*variant);
  }
  if (variant && labNumber == 13) {
    args.subject = course::mailSubject(*variant);
    args.injected = course::injectedCommand(*variant);
  }
  return {};
}

struct LabInfo {
  const char* name;
  const char* summary;
};
constexpr LabInfo kLabs[] = {
    {"handshake", "a full TLS 1.2 or 1.3 handshake between the lab client and server, both sides shown"},
    {"anatomy", "TLS 1.3, TLS 1.2 (a downgrade) and a HelloRetryRequest side by side: flights, what an observer reads"},
    {"resumption", "connect, then resume the session (session ID, ticket or PSK) and compare the two handshakes side by side"},
    {"replay", "0-RTT early data replayed by an attacker: twice to a server without anti-replay, refused with it"},
    {"starttls", "SMTP (or --protocol pop3, imap) in cleartext, STARTTLS, then login inside TLS"},
    {"starttls-strip", "an attacker removes STARTTLS: which clients (tlslab's, curl) send the mail in cleartext"},
    {"starttls-inject", "an attacker appends a command to STARTTLS: a buggy server runs it inside TLS, a fixed one not"},
    {"gallery", "every bad certificate served for real, judged by a correct and a chain-only client"},
    {"mitm", "the man-in-the-middle attack: poisoned name resolution, a proxy, a stolen password, and the fix"},
    {"tamper", "an attacker without keys flips, drops, replays or cuts a record of the request: TLS notices, plain TCP (--plain) does not"},
    {"real-clients", "the mitm attack against curl, wget, python3, gnutls-cli, openssl s_client and Chromium"},
    {"quic", "TLS 1.3 inside QUIC: ngtcp2's client and server on loopback, captured, read without keys, then with the key log"},
    {"records", "one SSL_write of --size bytes, SSL_read with a --buffer-byte buffer: records, sequence numbers, TCP segments"},
};

std::string scenarioNames() {
  std::string names;
  for (const auto& l : kLabs) names += (names.empty() ? "" : ", ") + std::string(l.name);
  return names;
}

std::optional<AttackerCertificate> parseStrategy(const std::string& name) {
  for (auto s : endpoints::allAttackerCertificates())
    if (name == endpoints::attackerCertificateName(s)) return s;
  return std::nullopt;
}

std::optional<VictimMode> parseVictim(const std::string& name) {
  for (auto v : allVictimModes())
    if (name == victimModeName(v)) return v;
  return std::nullopt;
}

MitmLabOptions mitmOptions(const LabArgs& args, const NetnsTopology* netns, endpoints::Observer observer = {}) {
  MitmLabOptions options;
  options.user = args.user;
  options.password = args.password;
  options.certsDir = certsDir();
  options.observer = std::move(observer);
  options.netns = netns;
  return options;
}

int runMitmMatrix(const LabArgs& args, const NetnsTopology* netns) {
  std::vector<MitmOutcome> outcomes;
  for (auto s : endpoints::allAttackerCertificates())
    for (auto v : allVictimModes()) outcomes.push_back(runMitm(s, v, mitmOptions(args, netns)));
  bool allExpected = true;
  for (const auto& o : outcomes) {
    const auto& e = expectedOutcome(o.strategy, o.victim);
    allExpected &= o.setupError.empty() && o.connected == e.attackSucceeds && o.error == e.error && o.errorDepth == e.depth;
  }
  if (args.json) {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& o : outcomes) all.push_back(mitmJson(o));
    std::cout << model::toJsonText(all, 2) << "\n";
  } else {
    printMitmMatrix(std::cout, outcomes);
  }
  return allExpected ? 0 : 1;
}

int runMitmStory(const LabArgs& args, AttackerCertificate strategy, VictimMode victim, const NetnsTopology* netns) {
  if (args.json) {
    std::cout << model::toJsonText(mitmJson(runMitm(strategy, victim, mitmOptions(args, netns))), 2) << "\n";
    return 0;
  }
  const std::string server = netns ? NetnsTopology::kServerAddress : "127.0.0.1";
  const std::string proxy = netns ? NetnsTopology::kAttackerFrontAddress : "127.0.0.66";
  std::cout << "The man-in-the-middle lab (tutorials/03-mitm.md)\n\n"
            << "1. The real bank32.com serves its login page on " << server << ".\n"
            << "2. The attacker poisons name resolution: bank32.com -> " << proxy << " (the lab resolver,\n"
            << "   like a forged hosts entry; nothing outside this process changes).\n"
            << "3. The attacker's proxy on " << proxy << " presents " << endpoints::attackerCertificateDescription(strategy)
            << ",\n   and relays to the real server over its own, genuine TLS connection.\n"
            << "4. The victim client" << (netns ? std::string(" on ") + NetnsTopology::kVictimAddress : "") << " ("
            << victimModeDescription(victim) << ") logs in.\n\n";
  RunPrinter printer(std::cout, args.fullLog ? LogStyle::Full : LogStyle::Ladder, RunLanes::mitm(true));
  MitmOutcome outcome = runMitm(strategy, victim, mitmOptions(args, netns, args.quiet ? endpoints::Observer{} : printer.observer()));
  std::cout << "\nBoth legs, side by side:\n";
  printMitmLegs(std::cout, outcome);
  std::cout << "\nVerdict:\n";
  printMitmVerdict(std::cout, outcome);
  std::cout << "\n";
  bool selfCheck = reportSelfCheck(std::cout, traceOfRun(outcome.legs(), "lab: mitm"), args.save);
  std::cout << "\nThe victim's certificate check, depth by depth:\n";
  printVerifyTrace(std::cout, outcome.victimRun.verify);
  if (victim != VictimMode::Correct) {
    std::cout << "\nThe fix: the same attack against a client that checks chain AND host name and aborts:\n";
    const MitmOutcome fixed = runMitm(strategy, VictimMode::Correct, mitmOptions(args, netns));
    printVerifyTrace(std::cout, fixed.victimRun.verify);
    printMitmVerdict(std::cout, fixed);
  }
  std::cout << "\nSee every combination: tlslab lab run mitm --matrix\n";
  return outcome.setupError.empty() && selfCheck ? 0 : 1;
}

void printTopology(std::ostream& out, const NetnsTopology& netns) {
  out << "A real network (--netns): three network namespaces joined by veth pairs, built with\n";
  for (const auto& command : netns.commands()) out << "  " << command << "\n";
  out << fmt::format("\n  victim {} ==== {} attacker {} ==== {} server (bank32.com)\n",
                     NetnsTopology::kVictimAddress, NetnsTopology::kAttackerFrontAddress,
                     NetnsTopology::kAttackerBackAddress, NetnsTopology::kServerAddress)
      << "  The victim's only link is to the attacker: it has no route to the bank at all.\n\n";
}

// The story or the matrix, on loopback or (--netns) in namespaces made for
// this run and deleted when it ends.
int runMitmLab(const LabArgs& args) {
  auto strategy = parseStrategy(args.strategy);
  auto victim = parseVictim(args.victim);
  if (!strategy || !victim) {
    std::cerr << "tlslab lab run mitm: --strategy is one of attacker-own, self-signed, rogue-ca, forged, "
                 "leaf-signed-leaf; --victim one of none, chain-only, ignore-errors, correct, correct+rogue, pinned\n";
    return 2;
  }
  std::unique_ptr<NetnsTopology> netns;
  if (args.netns) {
    auto created = NetnsTopology::create();  // says what is missing without root
    if (!created) {
      std::cerr << "tlslab lab run mitm: " << created.error() << "\n";
      return 1;
    }
    netns = std::move(created.value());
    if (!args.json) printTopology(std::cout, *netns);
  }
  int code = args.matrix ? runMitmMatrix(args, netns.get()) : runMitmStory(args, *strategy, *victim, netns.get());
  if (netns && !args.json) {
    std::string victimNs = netns->name(NetnsTopology::Host::Victim);
    netns.reset();
    std::cout << "\nThe lab deleted its namespaces (" << victimNs.substr(0, victimNs.rfind('-') + 1)
              << "victim/attacker/server) and with them the veth pairs.\n";
  }
  return code;
}

int runGalleryLab(const LabArgs& args) {
  std::vector<GalleryResult> results;
  if (!args.entry.empty()) {
    const pki::CatalogEntry* entry = pki::findEntry(args.entry);
    if (entry == nullptr || entry->kind != pki::EntryKind::Gallery) {
      std::cerr << "tlslab lab run gallery: unknown gallery entry '" << args.entry << "'\n";
      return 2;
    }
    results.push_back(runGalleryEntry(*entry, certsDir()));
  } else {
    results = runGallery(certsDir());
  }
  bool allExpected = true;
  nlohmann::json all = nlohmann::json::array();
  for (const auto& r : results) {
    allExpected &= r.asExpected();
    if (args.json) all.push_back(galleryJson(r));
    else printGalleryResult(std::cout, r);
  }
  if (args.json) std::cout << model::toJsonText(all, 2) << "\n";
  return allExpected ? 0 : 1;
}

// A lab server and client in this process, printed from both sides.
int runPair(const LabArgs& args, PairLab lab) {
  RunPrinter printer(std::cout, args.fullLog ? LogStyle::Full : LogStyle::Ladder, RunLanes::pair(true));
  PairLabOptions options;
  options.certsDir = certsDir();
  options.tls = args.tls;
  options.ciphers = args.ciphers;
  options.macThenEncrypt = args.macThenEncrypt;
  options.tickets = !args.noTickets;
  options.groups = args.groups;
  options.serverGroups = args.serverGroups;
  options.plain = args.plain;
  options.earlyData = args.earlyData;
  options.keyUpdate = args.keyUpdate;
  options.renegotiate = args.renegotiate;
  if (auto mail = parseStarttls(args.protocol); mail && *mail != endpoints::Starttls::None) options.mail = *mail;
  else options.mail = endpoints::Starttls::None;  // checkPairLabOptions names the choices
  for (std::size_t at = 0; at < args.alpn.size();) {
    std::size_t comma = std::min(args.alpn.find(',', at), args.alpn.size());
    options.alpn.push_back(args.alpn.substr(at, comma - at));
    at = comma + 1;
  }
  if (!args.quiet) options.observer = printer.observer();
  if (auto err = checkPairLabOptions(lab, options); !err.empty()) {
    std::cerr << "tlslab lab run " << args.name << ": " << err << "\n";
    return 2;
  }
  options.onClientDone = [&printer, lab](const endpoints::ClientRun& run, std::size_t index) {
    printer.printSummary(run);
    if (lab == PairLab::Resumption && index == 0 && run.scriptOk)
      std::cout << "\n--- second connection, resuming the first session ---\n";
  };
  PairLabRun run = runPairLab(lab, options);
  if (!run.setupError.empty()) {
    std::cerr << "tlslab lab: " << run.setupError << "\n";
    return 1;
  }
  std::cout << "\n";
  const RunTrace traced = traceOfRun(run.legs(), "lab: " + args.name);
  bool selfCheck = reportSelfCheck(std::cout, traced, args.save);
  if (args.keys) printRunSchedules(std::cout, traced);
  if ((args.renegotiate || args.keyUpdate) && !traced.trace.connections.empty()) {
    std::cout << (args.renegotiate ? "\nSecure renegotiation (RFC 5746), read off the run's capture:\n"
                                   : "\nKeyUpdate (RFC 8446 §4.6.3), read off the run's capture:\n");
    for (const auto& line : args.renegotiate ? renegotiationReport(traced.trace.connections[0])
                                             : keyUpdateReport(traced.trace.connections[0]))
      std::cout << "  " << line << "\n";
  }
  if (lab == PairLab::Resumption && traced.trace.connections.size() == 2) {
    printHandshakeComparison(std::cout, compareHandshakes(traced.trace.connections[0], traced.trace.connections[1]));
    if (!run.runs.back().offeredPsk.empty())
      printBinderCheck(std::cout, checkPskBinder(traced.trace.connections[1], run.runs.back().offeredPsk));
  }
  return run.ok() && selfCheck ? 0 : 1;
}

int runLab(LabArgs& args) {
  args.earlyData = unescapeArg(args.earlyData);
  const bool lab13 = args.name == "starttls-strip" || args.name == "starttls-inject";
  if (args.name == "mitm" || args.name == "real-clients" || args.name == "replay" || lab13 || args.name == "quic") {
    const int number = args.name == "replay" ? 12 : lab13 ? 13 : args.name == "quic" ? 15 : 3;
    if (auto err = applyStudent(args, number); !err.empty()) {
      std::cerr << "tlslab lab run: " << err << "\n";
      return 2;
    }
  }
  if (args.name == "mitm") return runMitmLab(args);
  if (args.netns) {
    std::cerr << "tlslab lab run: --netns is for the mitm lab only\n";
    return 2;
  }
  if (args.name == "real-clients") return runRealClientsLab({args.strategy, args.json, args.screenshot, args.user, args.password});
  if (args.name == "gallery") return runGalleryLab(args);
  if (args.name == "tamper") return runTamperLab(args);
  if (args.name == "replay") return runReplayLab(args);
  if (args.name == "starttls-strip") return runStripLab(args);
  if (args.name == "starttls-inject") return runInjectLab(args);
  if (args.name == "records") return runRecordsLab(args);
  if (args.name == "anatomy") return runAnatomyLab(args);
  if (args.name == "quic") return runQuicLab(args);
  for (auto lab : {PairLab::Handshake, PairLab::Resumption, PairLab::Starttls})
    if (args.name == pairLabName(lab)) return runPair(args, lab);
  std::cerr << "tlslab lab run: unknown lab '" << args.name << "' (see `tlslab lab list`)\n";
  return 2;
}

}  // namespace

void printScenarios(std::ostream& out) {
  for (const auto& l : kLabs) out << fmt::format("  {:<12} {}\n", l.name, l.summary);
}

void registerLabCommand(CLI::App& app, Context& ctx) {
  CLI::App* lab = app.add_subcommand("lab", "The course (list, start, check, hint, build) and the lab scenarios (run)");
  lab->require_subcommand(1);
  registerCourseCommands(lab, ctx);
  registerLabTryCommand(*lab, ctx);
  auto args = std::make_shared<LabArgs>();
  CLI::App* run = lab->add_subcommand("run", "Run one lab scenario, narrated: " + scenarioNames());
  run->add_option("name", args->name, "The lab (see `tlslab lab list`)")->required();
  run->add_option("--strategy", args->strategy, "mitm: the attacker's certificate (attacker-own, self-signed, rogue-ca, forged, leaf-signed-leaf)");
  run->add_option("--victim", args->victim, "mitm: the victim's checks (none, chain-only, ignore-errors, correct, correct+rogue, pinned)");
  run->add_flag("--matrix", args->matrix, "mitm: every attacker certificate against every victim");
  run->add_flag("--netns", args->netns, "mitm: victim, attacker and server in three network namespaces joined by veth pairs (root)");
  run->add_option("--entry", args->entry, "gallery: only this entry");
  run->add_option("--attack", args->attack, "tamper: flip-byte (default), drop, duplicate or truncate");
  run->add_option("--tls", args->tls, "handshake/resumption/starttls/tamper: 1.2 or 1.3")->check(CLI::IsMember({"1.2", "1.3"}));
  run->add_option("--ciphers", args->ciphers,
                  "handshake/resumption/starttls/tamper with --tls 1.2: TLS 1.2 suites, OpenSSL syntax (e.g. AES128-SHA, "
                  "a CBC MAC-then-encrypt suite, or ECDHE-RSA-AES128-GCM-SHA256, an AEAD one)");
  run->add_flag("--mac-then-encrypt", args->macThenEncrypt,
                "with a CBC suite (--ciphers AES128-SHA): no encrypt_then_mac extension (RFC 7366), the MAC inside the "
                "encryption as TLS 1.2 first defined it");
  run->add_option("--groups", args->groups,
                  "handshake/resumption/starttls/anatomy: the client's (EC)DHE groups, OpenSSL syntax (e.g. P-256, ffdhe2048, "
                  "X25519:P-256); it sends a key share for the first");
  run->add_option("--server-groups", args->serverGroups,
                  "handshake/resumption/starttls: the groups the server accepts (e.g. P-256: a client offering "
                  "X25519 first then gets a HelloRetryRequest); anatomy: the one group of its HelloRetryRequest server");
  run->add_flag("--no-tickets", args->noTickets, "resumption: the server issues no tickets, so TLS 1.2 resumes by session ID");
  run->add_option("--early-data", args->earlyData,
                  "resumption --tls 1.3 and replay: the request sent as 0-RTT early data (\\r\\n understood; "
                  "default for replay: yours with --student, else a transfer)");
  run->add_flag("--key-update", args->keyUpdate, "handshake/resumption --tls 1.3: a KeyUpdate after the first answer, then a second request");
  run->add_flag("--renegotiate", args->renegotiate,
                "handshake --tls 1.2: a renegotiation (RFC 5746) after the first answer, then a second request");
  run->add_option("--anti-replay", args->antiReplay, "replay: on or off (default: both servers, one after the other)");
  run->add_option("--protocol", args->protocol, "starttls: smtp (default), pop3 or imap");
  run->add_option("--client", args->client,
                  "starttls-strip: opportunistic, required, curl-ssl or curl-ssl-reqd (default: each in turn)");
  run->add_option("--server", args->server, "starttls-inject: buggy or fixed (default: both)");
  run->add_flag("--plain", args->plain, "handshake/tamper: the same conversation over cleartext TCP, without TLS");
  run->add_option("--offset", args->offset,
                  "tamper flip-byte: which byte to flip, of the record (header included; default: its last byte) or "
                  "with --plain of the request (default: its first)");
  run->add_option("--mask", args->mask, "tamper flip-byte: the bits to flip, e.g. 0x01 (default) or 0x80");
  run->add_option("--alpn", args->alpn, "handshake/anatomy: the ALPN protocols the client offers, e.g. h2,http/1.1");
  run->add_option("--size", args->size, "records: the bytes the client writes with one SSL_write (default 20000)");
  run->add_option("--buffer", args->buffer, "records: the buffer the server gives each SSL_read (default 9000)");
  run->add_option("--pad", args->pad, "records with --tls 1.3: pad every record's inner plaintext to a multiple of N bytes");
  run->add_flag("--capture", args->capture, "records: capture on lo with libpcap (root or CAP_NET_RAW) to see the real TCP segments");
  run->add_option("-o,--out", args->outDir,
                  "quic: keep the capture (quic.pcapng, no keys) and the client's key log (keys.log) in this folder");
  run->add_flag("--retry", args->retry, "quic: the server validates the client's address first (a Retry packet)");
  run->add_flag("--json", args->json, "Results as JSON");
  run->add_flag("--quiet", args->quiet, "No live ladder, only the results");
  run->add_flag("--full-log", args->fullLog, "Every event OpenSSL reported on every side instead of the ladder");
  run->add_flag("--keys", args->keys,
                "Every key-derivation step from the (EC)DHE shared secret down, checked against OpenSSL's key log, "
                "with the commands that reproduce it by hand");
  run->add_option("--screenshot", args->screenshot, "real-clients: write Chromium's error page to this PNG");
  run->add_option("--password", args->password, "real-clients: the victim's password (default hunter2)");
  run->add_option("--student", args->who.student,
                  "mitm/real-clients/replay/starttls-strip/starttls-inject/quic: your student ID: the victim is you, the "
                  "password (early data, mail, injected command) yours");
  run->add_option("--key", args->who.keyFile, "the same with your student key file (from your teacher)");
  run->add_option("--save", args->save, "handshake/resumption/starttls/tamper/mitm: write the run as pcapng with its keys");
  run->callback([args, &ctx] { ctx.exitCode = runLab(*args); });
}

}  // namespace tlslab::cli
