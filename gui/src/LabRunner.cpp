#include "LabRunner.hpp"

#include "tlslab/pki/Catalog.hpp"
#include "tlslab/scenarios/GalleryLab.hpp"
#include "tlslab/scenarios/PairLab.hpp"
#include "tlslab/scenarios/QuicLab.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::gui {

using namespace tlslab::endpoints;
using scenarios::VictimMode;

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

using Leg = scenarios::RunLeg;

// The run through its own pcapng and the capture dissector (the core's
// traceOfRun), with the lab's self-check reported in the verdict.
// `expectedFailure`: the lab changed bytes on the wire on purpose, so a failed
// self-check is the expected result, and the log says why (core's words).
bool dissectRun(const std::vector<Leg>& legs, const std::string& source, LabResult& result,
                const std::string& expectedFailure = {}) {
  scenarios::RunTrace run = scenarios::traceOfRun(legs, source);
  if (!run.error.empty()) {
    result.error = qs(run.error);
    return false;
  }
  result.trace = std::move(run.trace);
  result.pcapng = std::move(run.pcapng);
  for (const auto& check : run.checks)
    if (check.applicable)
      result.verdict += QStringLiteral("\nself-check %1: %2%3")
                            .arg(check.ok ? QStringLiteral("✓") : QStringLiteral("✗"), qs(check.message),
                                 !expectedFailure.empty() && !check.ok ? " (" + qs(expectedFailure) + ")" : QString());
  return true;
}

scenarios::PairLab pairLabOf(LabKind kind) {
  switch (kind) {
    case LabKind::Starttls: return scenarios::PairLab::Starttls;
    case LabKind::Resumption: return scenarios::PairLab::Resumption;
    case LabKind::Tamper: return scenarios::PairLab::Tamper;
    default: return scenarios::PairLab::Handshake;
  }
}

QString tamperVerdictText(const scenarios::PairLabRun& run) {
  const scenarios::TamperVerdict v = scenarios::tamperVerdict(run);
  QString text = v.attack.empty() ? QStringLiteral("the attacker found no record to tamper with") : qs(v.attack);
  if (!v.serverAlert.empty()) text += QStringLiteral("; the server refused the connection: alert %1").arg(qs(v.serverAlert));
  if (!v.serverError.empty()) text += QStringLiteral(" (%1)").arg(qs(v.serverError));
  text += v.requestDelivered ? QStringLiteral("; the request reached the server's application (TLS did not notice!)")
                             : QStringLiteral("; the damaged request never reached the server's application");
  return text;
}

// A lab server and client in this process (handshake, resumption, STARTTLS, tamper).
LabResult runPair(const LabRequest& request, const Observer& observer) {
  LabResult result;
  scenarios::PairLabOptions options;
  options.certsDir = certsDir();
  options.tls = request.tls;
  options.port = request.port;
  options.observer = observer;
  options.tamper = request.attack;
  scenarios::PairLabRun run = scenarios::runPairLab(pairLabOf(request.kind), options);
  if (!run.setupError.empty()) {
    result.error = qs(run.setupError);
    return result;
  }
  const ClientRun& last = run.runs.back();
  if (request.kind == LabKind::Tamper)
    result.verdict = tamperVerdictText(run);
  else
    result.verdict = last.error.empty()
                         ? QStringLiteral("%1 %2 negotiated%3").arg(qs(last.negotiated.version), qs(last.negotiated.cipher),
                                                                    last.negotiated.resumed ? QStringLiteral(", session resumed") : QString())
                         : QStringLiteral("failed: %1").arg(qs(last.error));
  dissectRun(run.legs(), request.title().toStdString(), result,
             request.kind == LabKind::Tamper ? scenarios::tamperSelfCheckNote(request.attack) : "");
  return result;
}

LabResult runGalleryLab(const LabRequest& request, const Observer& observer) {
  LabResult result;
  const pki::CatalogEntry* entry = pki::findEntry(request.galleryEntry);
  if (entry == nullptr || entry->kind != pki::EntryKind::Gallery) {
    result.error = QStringLiteral("unknown gallery entry '%1'").arg(qs(request.galleryEntry));
    return result;
  }
  scenarios::GalleryResult run = scenarios::runGalleryEntry(*entry, certsDir(), observer);
  if (!run.setupError.empty()) {
    result.error = qs(run.setupError);
    return result;
  }
  auto verdict = [](const ClientRun& r) {
    return r.verify.ok || r.error.empty() ? QStringLiteral("accepted")
                                          : QStringLiteral("rejected (%1 at depth %2)").arg(qs(r.verify.errorName)).arg(r.verify.errorDepth);
  };
  result.verdict = QStringLiteral("correct client: %1; chain-only client: %2").arg(verdict(run.correct), verdict(run.chainOnly));
  const std::string server = "server (" + std::string(entry->name) + ")";
  dissectRun({{&run.correct, "correct client", server}, {&run.chainOnly, "chain-only client", server}},
             request.title().toStdString(), result);
  return result;
}

LabResult runMitmLab(const LabRequest& request, const Observer& observer) {
  LabResult result;
  scenarios::MitmLabOptions options;
  options.certsDir = certsDir();
  options.observer = observer;
  scenarios::MitmOutcome outcome = scenarios::runMitm(request.strategy, request.victim, options);
  if (!outcome.setupError.empty()) {
    result.error = qs(outcome.setupError);
    return result;
  }
  if (outcome.passwordStolen)
    result.verdict = QStringLiteral("attack succeeded: the proxy read \"%1\"").arg(qs(outcome.stolen));
  else if (!outcome.connected)
    result.verdict = QStringLiteral("the victim aborted: %1 at depth %2 (%3)")
                         .arg(qs(outcome.error)).arg(outcome.errorDepth).arg(qs(outcome.errorText));
  else
    result.verdict = QStringLiteral("the victim connected; no password was stolen");
  // Core's legs carry both sides' writes, so the capture has every byte (the
  // proxy's CertificateVerify and Finished an aborting victim never read),
  // and the names the CLI shows (the live preview, LiveRun, uses them too).
  dissectRun(outcome.legs(), request.title().toStdString(), result);
  return result;
}

// ngtcp2's client and server, captured on lo by core (scenarios::runQuicLab):
// external processes, so nothing streams to the observer; the ladder gets the
// capture dissected with the client's key log.
LabResult runQuicLab() {
  LabResult result;
  scenarios::QuicLabOptions options;
  options.certsDir = certsDir();
  scenarios::QuicLabRun run = scenarios::runQuicLab(options);
  if (!run.setupError.empty()) {
    result.error = qs(run.setupError);
    return result;
  }
  result.trace = std::move(run.trace);
  result.trace.source = "lab: quic (ngtcp2)";
  result.pcapng = std::move(run.pcapngWithKeys);
  const model::TraceConnection* conn = nullptr;
  for (const auto& c : result.trace.connections)
    if (c.quic) conn = &c;
  if (conn == nullptr) {
    result.verdict = QStringLiteral("the client %1, and the capture holds no QUIC connection").arg(qs(run.clientResult));
    return result;
  }
  QString blind;
  const scenarios::QuicObserved seen = scenarios::observeQuic(*conn);
  for (const auto& c : run.keyless.connections)
    if (c.quic)
      for (const auto& s : scenarios::observeQuic(c).spaces)
        blind += QStringLiteral("%1%2 %3 of %4").arg(blind.isEmpty() ? QString() : QStringLiteral(", "), qs(s.space)).arg(s.opened).arg(s.packets());
  result.verdict = QStringLiteral("%1, TLS 1.3 %2: %3 1-RTT packets decrypted with the client's key log; without keys "
                                  "(Initial keys from the DCID %4): %5")
                       .arg(qs(conn->quic->versionName), qs(conn->negotiated.suiteName))
                       .arg(conn->quic->oneRttDecrypted)
                       .arg(qs(toHex(seen.dcid)), blind);
  return result;
}

}  // namespace

QString LabRequest::title() const {
  switch (kind) {
    case LabKind::Handshake: return QStringLiteral("lab: handshake TLS %1").arg(tls.empty() ? QStringLiteral("1.2/1.3") : qs(tls));
    case LabKind::Resumption: return QStringLiteral("lab: resumption TLS %1").arg(tls.empty() ? QStringLiteral("1.2/1.3") : qs(tls));
    case LabKind::Starttls: return QStringLiteral("lab: SMTP STARTTLS");
    case LabKind::Gallery: return QStringLiteral("lab: gallery %1").arg(qs(galleryEntry));
    case LabKind::Quic: return QStringLiteral("lab: QUIC (ngtcp2)");
    case LabKind::Tamper:
      return QStringLiteral("lab: tamper %1 TLS %2").arg(QString::fromUtf8(tamperActionName(attack)), tls.empty() ? QStringLiteral("1.3") : qs(tls));
    case LabKind::Mitm:
    default:
      return QStringLiteral("lab: mitm %1 × %2")
          .arg(QString::fromUtf8(attackerCertificateName(strategy)), QString::fromUtf8(scenarios::victimModeName(victim)));
  }
}

const std::vector<LabInfo>& labCatalog() {
  static const std::vector<LabInfo> labs = {
      {LabKind::Handshake, QStringLiteral("Handshake"),
       QStringLiteral("A full TLS 1.2 or 1.3 handshake between the lab client and server"), QStringLiteral("08-handshake-anatomy.md")},
      {LabKind::Resumption, QStringLiteral("Resumption"),
       QStringLiteral("Connect, then resume the session (ticket / PSK) and compare both handshakes"), QStringLiteral("12-resumption.md")},
      {LabKind::Starttls, QStringLiteral("STARTTLS"),
       QStringLiteral("SMTP in cleartext, STARTTLS, then the login inside TLS"), QStringLiteral("13-starttls.md")},
      {LabKind::Gallery, QStringLiteral("Bad-certificate gallery"),
       QStringLiteral("A bad certificate served for real, judged by a correct and a chain-only client"), QStringLiteral("gallery.md")},
      {LabKind::Mitm, QStringLiteral("Man in the middle"),
       QStringLiteral("Poisoned name resolution, a proxy with a certificate of its choice, a stolen password — and the fix"),
       QStringLiteral("03-mitm.md")},
      {LabKind::Tamper, QStringLiteral("Tampering"),
       QStringLiteral("An attacker without keys flips, drops, replays or cuts a record — and TLS notices"),
       QStringLiteral("02-tampering.md")},
      {LabKind::Quic, QStringLiteral("QUIC"),
       QStringLiteral("TLS 1.3 inside QUIC: Debian's ngtcp2 client and server on loopback, captured with libpcap (root); "
                      "the Initial packets open without keys"),
       QStringLiteral("15-quic.md")},
  };
  return labs;
}

bool parseLabRequest(const QString& lab, const LabOptionText& options, LabRequest& request, QString& error) {
  // Finds `text` among `values` by `name`; an empty text keeps the default.
  auto pick = [&error](const QString& text, const auto& values, auto name, auto& into, const char* option) {
    if (text.isEmpty()) return true;
    for (auto v : values) {
      if (text == QLatin1String(name(v))) {
        into = v;
        return true;
      }
    }
    error = QStringLiteral("unknown %1 '%2'").arg(QLatin1String(option), text);
    return false;
  };
  static const std::pair<const char*, LabKind> kinds[] = {{"handshake", LabKind::Handshake}, {"resumption", LabKind::Resumption},
                                                          {"starttls", LabKind::Starttls}, {"gallery", LabKind::Gallery},
                                                          {"mitm", LabKind::Mitm}, {"tamper", LabKind::Tamper},
                                                          {"quic", LabKind::Quic}};
  bool found = false;
  for (const auto& [name, kind] : kinds) {
    if (lab == QLatin1String(name)) {
      request.kind = kind;
      found = true;
    }
  }
  if (!found) {
    error = QStringLiteral("unknown lab '%1' (handshake, resumption, starttls, gallery, mitm, tamper, quic)").arg(lab);
    return false;
  }
  if (!pick(options.strategy, allAttackerCertificates(), attackerCertificateName, request.strategy, "--strategy") ||
      !pick(options.victim, scenarios::allVictimModes(), scenarios::victimModeName, request.victim, "--victim") ||
      !pick(options.attack, scenarios::tamperActions(), tamperActionName, request.attack, "--attack"))
    return false;
  if (!options.tls.isEmpty() && options.tls != QLatin1String("1.2") && options.tls != QLatin1String("1.3")) {
    error = QStringLiteral("--tls is 1.2 or 1.3");
    return false;
  }
  request.tls = options.tls.toStdString();
  request.galleryEntry = options.entry.isEmpty() ? std::string("expired") : options.entry.toStdString();
  return true;
}

LabResult runLab(const LabRequest& request, const Observer& observer) {
  switch (request.kind) {
    case LabKind::Handshake:
    case LabKind::Resumption:
    case LabKind::Starttls:
    case LabKind::Tamper: return runPair(request, observer);
    case LabKind::Gallery: return runGalleryLab(request, observer);
    case LabKind::Quic: return runQuicLab();
    case LabKind::Mitm:
    default: return runMitmLab(request, observer);
  }
}

}  // namespace tlslab::gui
