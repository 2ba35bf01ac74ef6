// The main job (`tlslab` with no arguments). In an interactive terminal with
// a display, and when the GUI was built next to this binary, it opens
// `tlslab-gui --lab mitm`: the man-in-the-middle run in the visualizer.
// Otherwise it prints the text rendering: the lab PKI at a glance, the
// bad-certificate gallery verified by OpenSSL twice (as a correct client and
// as a client that forgets the host name check), and the MITM lab's verdicts.
#include <fmt/core.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "cli/Commands.hpp"
#include "cli/LabReports.hpp"
#include "tlslab/pki/Catalog.hpp"
#include "tlslab/pki/Summary.hpp"
#include "tlslab/pki/Verify.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {
namespace fs = std::filesystem;
namespace {

std::string shortError(const std::string& name) {
  constexpr std::string_view prefix = "X509_V_ERR_";
  return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
}

std::string outcome(const model::VerifyVerdict& v) {
  if (v.ok) return "pass";
  return fmt::format("{} @{}", shortError(v.errorName), v.errorDepth);
}

std::string expectation(const pki::CatalogEntry& entry) {
  if (entry.expectedError == 0) return "pass";
  return fmt::format("{} @{}", shortError(pki::verifyErrorName(entry.expectedError)), entry.expectedDepth);
}

std::string date(const std::string& time) { return time.substr(0, 10); }

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "(no SAN)" : out;
}

// Returns false when a file is missing or unreadable.
bool printPki(std::ostream& out, const fs::path& dir) {
  out << fmt::format("Lab PKI  ({})\n", dir.string());
  out << "  Private keys in this folder are public teaching material: never use them outside the lab.\n\n";
  out << fmt::format("  {:<13} {:<34} {:<20} {:<24} {}\n", "AUTHORITY", "SUBJECT", "ISSUED BY", "VALID", "KEY");
  bool ok = true;
  for (const auto& entry : pki::catalog()) {
    if (entry.kind != pki::EntryKind::Authority) continue;
    auto s = pki::summarizeCertificateFile(dir / entry.dir / pki::kCertFile);
    if (!s) {
      out << fmt::format("  {:<13} unreadable: {}\n", entry.name, s.error());
      ok = false;
      continue;
    }
    out << fmt::format("  {:<13} {:<34} {:<20} {} .. {} {}{}\n", entry.name, s->subject,
                       s->selfIssued ? "(self-signed root)" : s->issuerCommonName, date(s->notBefore),
                       date(s->notAfter), s->key, entry.name == "rogue-ca" ? "  [untrusted]" : "");
  }
  out << fmt::format("\n  {:<13} {:<34} {:<20} {:<24} {}\n", "END ENTITY", "NAMES (SAN, else CN)", "ISSUED BY",
                     "VALID", "KEY");
  for (const auto& entry : pki::catalog()) {
    if (entry.kind != pki::EntryKind::Server && entry.kind != pki::EntryKind::Client) continue;
    auto s = pki::summarizeCertificateFile(dir / entry.dir / pki::kCertFile);
    if (!s) {
      out << fmt::format("  {:<13} unreadable: {}\n", entry.name, s.error());
      ok = false;
      continue;
    }
    std::string names = s->dnsNames.empty() ? "CN=" + s->commonName + " (client)" : joined(s->dnsNames);
    out << fmt::format("  {:<13} {:<34} {:<20} {} .. {} {}\n", entry.name, names, s->issuerCommonName,
                       date(s->notBefore), date(s->notAfter), s->key);
  }
  return ok;
}

struct GalleryTally {
  int rows = 0, asExpected = 0, slipThrough = 0, errors = 0;
  std::vector<std::string> cnFallbackNotes;  // entries whose verdict changes with OpenSSL's CN fallback
};

constexpr const char* kRow = "  {:<17} {:<37} {:<37} {:<4} {}\n";

// libssl's default host matching falls back to the subject CN; say where that matters.
void noteCnFallback(const fs::path& dir, const pki::CatalogEntry& entry, const model::VerifyVerdict& correct,
                    GalleryTally& tally) {
  pki::VerifyOptions lax = pki::clientOptions(entry);
  lax.allowCnFallback = true;
  auto verdict = pki::verifyEntry(dir, entry, lax);
  if (verdict && verdict->errorCode != correct.errorCode) {
    tally.cnFallbackNotes.push_back(fmt::format("{}: {} with OpenSSL's default CN fallback", entry.name, outcome(*verdict)));
  }
}

void printGalleryRow(std::ostream& out, const fs::path& dir, const pki::CatalogEntry& entry, GalleryTally& tally) {
  pki::VerifyOptions correct = pki::clientOptions(entry);
  pki::VerifyOptions chainOnly = correct;
  chainOnly.host.reset();
  auto a = pki::verifyEntry(dir, entry, correct);
  auto b = pki::verifyEntry(dir, entry, chainOnly);
  ++tally.rows;
  if (!a || !b) {
    ++tally.errors;
    out << fmt::format("  {:<17} cannot verify: {}\n", entry.name, a ? b.error() : a.error());
    return;
  }
  bool matches = a->errorCode == entry.expectedError && a->errorDepth == entry.expectedDepth;
  tally.asExpected += matches ? 1 : 0;
  bool slips = !a->ok && b->ok;
  tally.slipThrough += slips ? 1 : 0;
  out << fmt::format(kRow, entry.name, expectation(entry), outcome(*a), matches ? "ok" : "DIFF",
                     slips ? "pass  <- accepted without host check" : outcome(*b));
  if (std::string_view(pki::verifyErrorName(entry.expectedError)) == "X509_V_ERR_HOSTNAME_MISMATCH") noteCnFallback(dir, entry, *a, tally);
}

// The GUI binary installed next to this one, if it was built.
fs::path guiNextToSelf() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  fs::path gui = self.parent_path() / "tlslab-gui";
  return ::access(gui.c_str(), X_OK) == 0 ? gui : fs::path{};
}

bool haveDisplay() {
  auto set = [](const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0';
  };
  return set("DISPLAY") || set("WAYLAND_DISPLAY");
}

// Runs the GUI on a MITM run and waits for it; true when it ran and closed
// normally. Only for a person at a terminal: scripts and tests piping the
// output get text. A GUI that cannot start (DISPLAY set but unreachable, as
// over ssh without X forwarding) falls back to the terminal rendering.
bool runGuiIfPossible() {
  if (!haveDisplay() || ::isatty(STDOUT_FILENO) == 0 || std::getenv("TLSLAB_NO_GUI") != nullptr) return false;
  const fs::path gui = guiNextToSelf();
  if (gui.empty()) return false;
  std::cout << "Opening the GUI on the man-in-the-middle lab: " << gui.string()
            << " --lab mitm   (TLSLAB_NO_GUI=1 for the terminal rendering)\n"
            << std::flush;
  const std::string program = gui.string();
  const pid_t child = ::fork();
  if (child == 0) {
    char* argv[] = {const_cast<char*>(program.c_str()), const_cast<char*>("--lab"), const_cast<char*>("mitm"), nullptr};
    ::execv(program.c_str(), argv);
    ::_exit(127);
  }
  int status = 0;
  if (child < 0 || ::waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::cout << "The GUI did not start or ended with an error; here is the terminal rendering.\n\n";
    return false;
  }
  return true;
}

// The MITM lab in two lines per run: the classic bug, then the fix.
bool printMitmSummary(std::ostream& out, const fs::path& dir) {
  using namespace tlslab::scenarios;
  out << "\nThe man-in-the-middle lab: bank32.com is poisoned to the attacker's proxy (127.0.0.66),\n"
         "which presents its own valid certificate for attacker32.com.\n";
  bool asExpected = true;
  for (VictimMode victim : {VictimMode::ChainOnly, VictimMode::Correct}) {
    MitmLabOptions options;
    options.certsDir = dir;
    const MitmOutcome outcome = runMitm(endpoints::AttackerCertificate::AttackerOwn, victim, options);
    const MitmExpectation& expected = expectedOutcome(endpoints::AttackerCertificate::AttackerOwn, victim);
    asExpected &= outcome.setupError.empty() && outcome.connected == expected.attackSucceeds;
    out << "\n  victim: " << victimModeDescription(victim) << "\n";
    printMitmVerdict(out, outcome);
  }
  out << "\n  Both legs, step by step: tlslab lab run mitm      every combination: tlslab lab run mitm --matrix\n";
  return asExpected;
}

}  // namespace

void registerDemoCommand(CLI::App& app, Context& ctx) {
  app.add_subcommand("demo", "Run the main job: the demo PKI summary and gallery verdicts")
      ->callback([&ctx] { ctx.exitCode = runDemo(ctx); });
}

int runDemo(Context& /*ctx*/) {
  if (runGuiIfPossible()) return 0;
  std::ostream& out = std::cout;
  const fs::path dir = certsDir();
  out << "tlslab -- learn TLS by watching it happen\n\n";
  bool pkiOk = printPki(out, dir);

  out << "\nBad-certificate gallery, verified by OpenSSL " << "(X509_verify_cert)\n";
  out << "  correct client: trust = tlslab Root CA only, host name checked on the SAN (no CN fallback),\n"
         "  security level 2 (Debian's default), CRL checked where the entry says so. Errors are\n"
         "  X509_V_ERR_* names; @N is the chain depth (0 = the server's certificate).\n\n";
  out << fmt::format(kRow, "ENTRY", "EXPECTED", "CORRECT CLIENT", "", "CHAIN ONLY (no host check)");
  GalleryTally tally;
  for (const auto& entry : pki::catalog()) {
    if (entry.kind == pki::EntryKind::Gallery) printGalleryRow(out, dir, entry, tally);
  }
  out << fmt::format("\n  {} of {} gallery entries rejected exactly as expected by a correct client; "
                     "{} slip through a client that skips the host name check.\n",
                     tally.asExpected, tally.rows, tally.slipThrough);
  for (const auto& note : tally.cnFallbackNotes) out << "  Note: " << note << ".\n";
  const bool mitmOk = printMitmSummary(out, dir);
  out << "\nTry:  tlslab certs verify expired      tlslab certs verify cn-only --cn-fallback\n"
         "      tlslab certs list                tlslab certs show bank32-rsa/cert.pem\n";
  bool allGood = pkiOk && mitmOk && tally.errors == 0 && tally.asExpected == tally.rows;
  if (!allGood) out << "\nSomething is off: the PKI in " << dir.string() << " does not behave as documented.\n";
  return allGood ? 0 : 1;
}

}  // namespace tlslab::cli
