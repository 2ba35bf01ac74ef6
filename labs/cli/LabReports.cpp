#include "cli/LabReports.hpp"

#include <fmt/core.h>

#include "tlslab/scenarios/CertificateCompare.hpp"
#include "tlslab/scenarios/VerifyTrace.hpp"

namespace tlslab::cli {

using namespace tlslab::scenarios;

namespace {

std::string clip(const std::string& s, std::size_t width) {
  return s.size() <= width ? s : s.substr(0, width - 1) + "…";
}

// Compact names for the matrix, with the legend printed under it.
const char* shortError(const std::string& error) {
  if (error == "HOSTNAME_MISMATCH") return "name";
  if (error == "DEPTH_ZERO_SELF_SIGNED_CERT") return "self-sig";
  if (error == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY") return "no issuer";
  if (error == "INVALID_CA") return "not a CA";
  if (error == "PIN_MISMATCH") return "pin";
  return error.c_str();
}

std::string errorCell(const std::string& error, int depth) {
  return error.empty() ? "none" : fmt::format("{} @{}", error, depth);
}

CertificateSummary leafOf(const endpoints::ClientRun& run) {
  return run.negotiated.peerChainDer.empty() ? CertificateSummary{} : summarizeCertificate(run.negotiated.peerChainDer.front());
}

}  // namespace

void printMitmLegs(std::ostream& out, const MitmOutcome& outcome) {
  const endpoints::ClientRun* upstream = outcome.proxySessions.empty() ? nullptr : &outcome.proxySessions.front().upstream;
  const bool reached = upstream != nullptr && upstream->connected;
  CertificateSummary victim = leafOf(outcome.victimRun);
  // The proxy connects to the bank only once the victim's handshake is done;
  // when the victim aborted, compare with the bank's certificate itself.
  CertificateSummary real = reached ? leafOf(*upstream) : summarizeCertificate(outcome.realServerLeafDer);
  constexpr int w = 44;
  out << fmt::format("  {:<16}{:<{}}  {}\n", "", "victim ⇄ proxy (" + outcome.proxyAddress + ")", w,
                     reached ? "proxy ⇄ bank32.com (" + outcome.serverAddress + ")"
                             : "bank32.com (" + outcome.serverAddress + "), never reached by the proxy");
  // "(not reached)" and the like are not evidence: only real values can differ.
  auto row = [&](const char* label, const std::string& a, const std::string& b) {
    bool differs = a != b && !a.empty() && !b.empty() && a.front() != '(' && b.front() != '(';
    out << fmt::format("{} {:<16}{:<{}}  {}\n", differs ? "≠" : " ", label, clip(a, w), w, clip(b, 60));
  };
  const auto& negotiated = outcome.victimRun.negotiated;
  row("protocol", negotiated.version.empty() ? "(aborted during the handshake)" : negotiated.version + " " + negotiated.cipher,
      reached ? upstream->negotiated.version + " " + upstream->negotiated.cipher : "(not reached)");
  row("subject", victim.subject, real.subject);
  row("issuer", victim.issuer, real.issuer);
  row("names (SAN)", !victim.parsed ? "" : victim.names.empty() ? "(none)" : victim.names, real.names);
  row("valid", victim.validity, real.validity);
  row("key (SHA-256)", victim.keyFingerprint.substr(0, 32), real.keyFingerprint.substr(0, 32));
  row("verification", errorCell(outcome.error, outcome.errorDepth),
      reached ? errorCell(upstream->verify.ok ? "" : upstream->verify.errorName, upstream->verify.errorDepth) : "(not reached)");
  out << "  (≠ marks what differs: the evidence a careful client could have seen)\n";
}

void printVerifyTrace(std::ostream& out, const model::VerifyVerdict& verdict, const std::string& indent) {
  for (const auto& row : verifyTrace(verdict))
    out << fmt::format("{}verify depth {}  {:<32} {}\n", indent, row.depth, clip(row.subject, 32), row.text);
}

void printMitmVerdict(std::ostream& out, const MitmOutcome& outcome) {
  if (!outcome.setupError.empty()) {
    out << "  lab could not run: " << outcome.setupError << "\n";
    return;
  }
  if (outcome.connected)
    out << "  ✔ the victim completed its login through the attacker";
  else
    out << "  ✗ the victim aborted: " << errorCell(outcome.error, outcome.errorDepth) << " (" << outcome.errorText << ")";
  out << "\n";
  if (outcome.passwordStolen)
    out << "  ☠ attacker's log: " << outcome.stolen << "\n";
  else
    out << "  the attacker's log holds no password\n";
}

void printMitmMatrix(std::ostream& out, const std::vector<MitmOutcome>& outcomes) {
  auto victims = allVictimModes();
  constexpr int kCell = 23;
  out << fmt::format("{:<18}", "attacker \\ victim");
  for (auto v : victims) out << fmt::format("{:<{}}", victimModeName(v), kCell);
  out << "\n";
  std::size_t matches = 0;
  for (auto strategy : endpoints::allAttackerCertificates()) {
    out << fmt::format("{:<18}", endpoints::attackerCertificateName(strategy));
    for (auto v : victims) {
      for (const auto& o : outcomes) {
        if (o.strategy != strategy || o.victim != v) continue;
        const auto& expected = expectedOutcome(strategy, v);
        bool match = o.connected == expected.attackSucceeds && o.error == expected.error &&
                     o.errorDepth == expected.depth && o.passwordStolen == expected.attackSucceeds;
        matches += match ? 1 : 0;
        std::string cell = o.connected ? (o.passwordStolen ? "STOLEN" : "connected") : "blocked";
        if (!o.error.empty()) cell += fmt::format(" ({}@{})", shortError(o.error), o.errorDepth);
        out << fmt::format("{:<{}}", clip(cell + (match ? "" : " (!)"), kCell - 1), kCell);
      }
    }
    out << "\n";
  }
  out << fmt::format("\n{} of {} outcomes as the lab expects{}\n", matches, outcomes.size(),
                     matches == outcomes.size() ? "" : "; (!) marks a surprise");
  out << "STOLEN: the attacker logged the password; blocked: the victim aborted the handshake.\n"
         "(error@depth) is the first verification error OpenSSL found, even when the client ignored it:\n"
         "  name = X509_V_ERR_HOSTNAME_MISMATCH, self-sig = X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT,\n"
         "  no issuer = X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, not a CA = X509_V_ERR_INVALID_CA,\n"
         "  pin = the server key does not match the pinned key. `--json` gives the full names.\n";
}

nlohmann::json mitmJson(const MitmOutcome& o) {
  const auto& expected = expectedOutcome(o.strategy, o.victim);
  return {{"attacker_certificate", endpoints::attackerCertificateName(o.strategy)},
          {"victim", victimModeName(o.victim)},
          {"connected", o.connected},
          {"password_stolen", o.passwordStolen},
          {"stolen", o.stolen},
          {"error", o.error},
          {"error_depth", o.errorDepth},
          {"error_text", o.errorText},
          {"proxy_address", o.proxyAddress},
          {"server_address", o.serverAddress},
          {"expected", {{"attack_succeeds", expected.attackSucceeds}, {"error", expected.error}, {"depth", expected.depth}}},
          {"setup_error", o.setupError}};
}

void printHandshakeComparison(std::ostream& out, const HandshakeComparison& c) {
  out << "\nThe two handshakes side by side (→ client sends, ← server sends):\n";
  out << fmt::format("  {:<26}{:<26}{}\n", "first (full)", c.resumedBy.empty() ? "second (not resumed)" : "second (resumed)", "");
  for (const auto& row : c.rows)
    out << fmt::format("  {:<26}{:<26}{}\n", row.full.empty() ? "—" : row.full, row.resumed.empty() ? "—" : row.resumed,
                       row.note);
  if (!c.resumedBy.empty()) out << "  resumed by " << c.resumedBy << "\n";
  if (!c.keyExchange.empty()) out << "  key exchange: " << c.keyExchange << "\n";
  for (const auto& note : c.notes) out << "  " << note << "\n";
}

void printGalleryResult(std::ostream& out, const GalleryResult& r) {
  out << fmt::format("── {} ── {}\n", r.entry->name, r.entry->teaches);
  if (!r.setupError.empty()) {
    out << "   the server could not present it: " << r.setupError << "\n";
    return;
  }
  // The correct client's check, every depth of the chain; where it stopped
  // early, what the chain-only client (which got further) found there.
  const auto chainOnly = verifyTrace(r.chainOnly.verify);
  for (const auto& row : verifyTrace(r.correct.verify)) {
    std::string text = row.text;
    if (row.state == VerifyTraceRow::State::NotReached)
      for (const auto& other : chainOnly)
        if (other.depth == row.depth && other.state != VerifyTraceRow::State::NotReached)
          text = "– not reached by the correct client (it stopped at depth " + std::to_string(r.correct.verify.errorDepth) +
                 "); the chain-only client checked it: " + other.text;
    out << fmt::format("   depth {}  {:<40} {}\n", row.depth, clip(row.subject, 40), text);
  }
  out << fmt::format("   correct client:    {}\n",
                     r.correct.scriptOk ? "accepted" : "rejected: " + errorCell(r.correct.verify.errorName, r.correct.verify.errorDepth));
  out << fmt::format("   chain-only client: {}\n", r.chainOnly.scriptOk ? std::string("accepted (fooled: ") + chainOnlyBlindSpot(*r.entry) + ")"
                                                                      : "rejected");
  out << fmt::format("   {}\n", r.asExpected() ? "as expected" : "NOT as expected");
}

nlohmann::json galleryJson(const GalleryResult& r) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : r.correct.verify.steps)
    steps.push_back({{"depth", s.depth}, {"subject", s.subject}, {"issuer", s.issuer}, {"ok", s.ok},
                     {"error", s.errorName}, {"error_text", s.errorText}});
  return {{"entry", std::string(r.entry->name)},
          {"teaches", std::string(r.entry->teaches)},
          {"correct_client_accepted", r.correct.scriptOk},
          {"error", r.correct.verify.errorName},
          {"error_depth", r.correct.verify.errorDepth},
          {"chain_only_accepted", r.chainOnly.scriptOk},
          {"as_expected", r.asExpected()},
          {"steps", steps},
          {"setup_error", r.setupError}};
}

}  // namespace tlslab::cli
