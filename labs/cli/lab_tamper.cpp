// `tlslab lab run tamper`: an attacker without keys damages the request, over
// TLS (suites, versions, which byte) or over cleartext TCP (--plain).
#include <iostream>
#include <optional>

#include "cli/LabArgs.hpp"
#include "cli/RunPrinter.hpp"
#include "cli/SelfCheckOutput.hpp"
#include "tlslab/scenarios/PairLab.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {

using namespace tlslab::scenarios;

namespace {

// "0x10", "16" or "020": one byte, not zero.
std::optional<std::uint8_t> parseMask(const std::string& text) {
  try {
    std::size_t used = 0;
    unsigned long value = std::stoul(text, &used, 0);
    if (used != text.size() || value > 0xff) return std::nullopt;
    return static_cast<std::uint8_t>(value);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The tamper lab: the run is narrated like a handshake, then judged (in
// core: TamperVerdict): did TLS notice, and what does the capture of the run show?
}  // namespace

int runTamperLab(const LabArgs& args) {
  std::optional<endpoints::Tamper::Action> action;
  for (auto a : tamperActions())
    if (args.attack == endpoints::tamperActionName(a)) action = a;
  if (!action) {
    std::cerr << "tlslab lab run tamper: --attack is one of flip-byte, drop, duplicate, truncate\n";
    return 2;
  }
  auto mask = parseMask(args.mask);
  if (!mask) {
    std::cerr << "tlslab lab run tamper: --mask takes one byte, e.g. 0x01 or 0x80, not '" << args.mask << "'\n";
    return 2;
  }
  RunLanes lanes = RunLanes::pair(true);
  lanes.showDelivered = true;  // the server's "got ..." shows what the attack left of the request
  RunPrinter printer(std::cout, args.fullLog ? LogStyle::Full : LogStyle::Ladder, lanes);
  PairLabOptions options;
  options.certsDir = certsDir();
  options.tls = args.tls;
  options.ciphers = args.ciphers;
  options.macThenEncrypt = args.macThenEncrypt;
  options.plain = args.plain;
  if (!args.quiet) options.observer = printer.observer();
  options.tamper = *action;
  options.tamperOffset = args.offset;
  options.tamperMask = *mask;
  if (auto err = checkPairLabOptions(PairLab::Tamper, options); !err.empty()) {
    std::cerr << "tlslab lab run tamper: " << err << "\n";
    return 2;
  }
  std::cout << "The tamper lab (tutorials/02-tampering.md)\n\n"
            << "An attacker on the path, without any key, " << tamperActionDescription(*action, args.plain)
            << (args.plain ? ", and this time there is no TLS: the request crosses the wire in cleartext" : "") << ".\n\n";
  PairLabRun run = runPairLab(PairLab::Tamper, options);
  if (!run.setupError.empty()) {
    std::cerr << "tlslab lab: " << run.setupError << "\n";
    return 1;
  }
  const RunTrace traced = traceOfRun(run.legs(), "lab: tamper");
  if (!traced.error.empty()) {
    std::cout << "the run could not be read back: " << traced.error << "\n";
    return 1;
  }
  if (!run.runs.empty() && !run.runs.back().negotiated.version.empty()) {
    const std::string protection = recordProtection(traced);
    std::cout << "\nnegotiated: " << run.runs.back().negotiated.version << " " << run.runs.back().negotiated.cipher
              << (protection.empty() ? "" : "; records: " + protection) << "\n";
  }
  const TamperVerdict verdict = tamperVerdict(run);
  std::cout << "\nVerdict:\n";
  for (const auto& line : verdict.lines()) std::cout << "  " << line << "\n";
  std::cout << "  " << tamperCaptureLine(verdict, run, traced) << "\n";
  if (!args.save.empty() && !saveRun(std::cout, traced, args.save)) return 1;
  std::cout << "\nTry the other attacks: tlslab lab run tamper --attack drop|duplicate|truncate"
            << (args.plain ? "; and the same with TLS: leave out --plain\n" : "; and without TLS: add --plain\n");
  return verdict.asExpected() ? 0 : 1;
}

}  // namespace tlslab::cli
