// Lab 12's runs: `tlslab lab run replay` (the 0-RTT replay against a server
// without and with anti-replay) and the PSK binder check printed after a
// TLS 1.3 `tlslab lab run resumption`.
#include <fmt/core.h>

#include <iostream>

#include "cli/LabArgs.hpp"
#include "cli/RunPrinter.hpp"
#include "cli/SelfCheckOutput.hpp"
#include "tlslab/scenarios/ResumptionLab.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {

using namespace tlslab::scenarios;

namespace {

std::string shortHex(const Bytes& bytes) {
  const std::string hex = toHex(bytes);
  return hex.size() > 64 ? hex.substr(0, 64) + "…" : hex;
}

const char* markOf(model::StepStatus status) {
  switch (status) {
    case model::StepStatus::Verified: return "OK  ";
    case model::StepStatus::Failed: return "FAIL";
    case model::StepStatus::FromKeyLog: return "<   ";
    case model::StepStatus::NotDerivable: return "?   ";
    case model::StepStatus::Derived:
    default: return "=   ";
  }
}

// One server of the replay lab: ticket, 0-RTT, replay, then what its application took.
bool runReplayAgainst(const LabArgs& args, bool antiReplay) {
  std::cout << (antiReplay ? "Server with anti-replay ON (OpenSSL's default: with early data on, tickets are "
                             "single-use, kept in the session cache and removed at their first use)\n"
                           : "Server with anti-replay OFF (SSL_OP_NO_ANTI_REPLAY: stateless tickets, usable again "
                             "and again)\n");
  RunPrinter printer(std::cout, args.fullLog ? LogStyle::Full : LogStyle::Ladder, RunLanes::pair(true));
  ZeroRttReplayOptions options;
  options.certsDir = certsDir();
  options.earlyData = args.earlyData;
  options.antiReplay = antiReplay;
  if (!args.quiet) options.observer = printer.observer();
  options.onStage = [](const std::string& stage) {
    if (stage == "ticket") std::cout << "  1. the client connects and earns a ticket\n";
    if (stage == "0-RTT") std::cout << "  2. the client resumes and sends its request as 0-RTT early data\n";
    if (stage == "replay") std::cout << "  3. the attacker sends the client's first flight again, from its own capture\n";
  };
  ZeroRttReplayRun run = runZeroRttReplay(options);
  for (const auto& line : replayReport(run)) std::cout << "  " << line << "\n";
  bool ok = run.setupError.empty() && !run.replay.sent.empty();
  if (ok && !antiReplay) {
    const RunTrace traced = traceOfRun(run.legs(), "lab: replay");
    ok = reportSelfCheck(std::cout, traced, args.save);
  }
  std::cout << "\n";
  // The lab's claim: twice without anti-replay, once with it.
  return ok && run.timesDelivered() == (antiReplay ? 1 : 2);
}

constexpr const char* kDefaultEarlyData = "GET /transfer?to=mallory&amount=100 HTTP/1.1\r\nHost: bank32.com\r\n\r\n";

}  // namespace

std::string unescapeArg(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      const char c = text[++i];
      out += c == 'r' ? '\r' : c == 'n' ? '\n' : c == 't' ? '\t' : c;
    } else {
      out += text[i];
    }
  }
  return out;
}

void printBinderCheck(std::ostream& out, const BinderCheck& check) {
  out << "\nThe PSK binder of the resumed ClientHello (RFC 8446 §4.2.11.2):\n";
  if (!check.error.empty()) {
    out << "  not checked: " << check.error << "\n";
    return;
  }
  out << fmt::format("  the ClientHello is {} bytes (handshake header included); its binders list, the last {} bytes,\n"
                     "  cannot cover itself: the binder is an HMAC over Truncate(ClientHello), the first {} bytes\n",
                     check.clientHelloLength, check.bindersLength, check.truncatedLength);
  for (const auto& step : check.steps)
    out << fmt::format("  {} {:<38} {:<66} {}\n", markOf(step.status), step.name, shortHex(step.output),
                       step.status == model::StepStatus::Verified || step.status == model::StepStatus::Failed ? step.note
                                                                                                              : step.function);
  out << (check.verified ? "  the binder computed from the client's PSK equals the one on the wire: the client holds "
                           "the PSK, and the ClientHello was not changed\n"
                         : "  the binder computed from the client's PSK does NOT equal the one on the wire\n");
}

int runReplayLab(const LabArgs& given) {
  LabArgs args = given;
  if (args.earlyData.empty()) args.earlyData = kDefaultEarlyData;
  if (args.antiReplay != "" && args.antiReplay != "on" && args.antiReplay != "off") {
    std::cerr << "tlslab lab run replay: --anti-replay is on or off (default: both servers, one after the other)\n";
    return 2;
  }
  std::cout << "The 0-RTT replay lab (tutorials/12-resumption.md): the client's early data is \""
            << printable(asBytes(args.earlyData)) << "\"\n\n";
  bool ok = true;
  if (args.antiReplay != "on") ok &= runReplayAgainst(args, false);
  if (args.antiReplay != "off") ok &= runReplayAgainst(args, true);
  return ok ? 0 : 1;
}

}  // namespace tlslab::cli
