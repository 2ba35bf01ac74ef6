#include "LabRunner.hpp"

#include "tlslab/pki/Catalog.hpp"
#include "tlslab/scenarios/GalleryLab.hpp"
#include "tlslab/scenarios/PairLab.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::gui {

using namespace tlslab::endpoints;
using scenarios::VictimMode;

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

using Leg = scenarios::RunLeg;

// The run through its own pcapng and the capture dissector (the core's
// traceOfRun), with the lab's self-check reported in the verdict.
bool dissectRun(const std::vector<Leg>& legs, const std::string& source, LabResult& result) {
  scenarios::RunTrace run = scenarios::traceOfRun(legs, source);
  if (!run.error.empty()) {
    result.error = qs(run.error);
    return false;
  }
  result.trace = std::move(run.trace);
  result.pcapng = std::move(run.pcapng);
  for (const auto& check : run.checks)
    if (check.applicable)
      result.verdict += QStringLiteral("\nself-check %1: %2").arg(check.ok ? QStringLiteral("✓") : QStringLiteral("✗"), qs(check.message));
  return true;
}

// A lab server and client in this process (handshake, resumption, STARTTLS).
LabResult runPair(const LabRequest& request, const Observer& observer) {
  LabResult result;
  scenarios::PairLabOptions options;
  options.certsDir = certsDir();
  options.tls = request.tls;
  options.observer = observer;
  const auto lab = request.kind == LabKind::Starttls     ? scenarios::PairLab::Starttls
                   : request.kind == LabKind::Resumption ? scenarios::PairLab::Resumption
                                                         : scenarios::PairLab::Handshake;
  scenarios::PairLabRun run = scenarios::runPairLab(lab, options);
  if (!run.setupError.empty()) {
    result.error = qs(run.setupError);
    return result;
  }
  const ClientRun& last = run.runs.back();
  result.verdict = last.error.empty()
                       ? QStringLiteral("%1 %2 negotiated%3").arg(qs(last.negotiated.version), qs(last.negotiated.cipher),
                                                                  last.negotiated.resumed ? QStringLiteral(", session resumed") : QString())
                       : QStringLiteral("failed: %1").arg(qs(last.error));
  dissectRun(run.legs(), request.title().toStdString(), result);
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
  std::vector<Leg> legs{{&outcome.victimRun, "victim", "proxy (127.0.0.66)"}};
  for (const auto& session : outcome.proxySessions)
    legs.push_back({&session.upstream, "proxy (back leg)", "server bank32.com"});
  dissectRun(legs, request.title().toStdString(), result);
  return result;
}

}  // namespace

QString LabRequest::title() const {
  switch (kind) {
    case LabKind::Handshake: return QStringLiteral("lab: handshake TLS %1").arg(tls.empty() ? QStringLiteral("1.2/1.3") : qs(tls));
    case LabKind::Resumption: return QStringLiteral("lab: resumption TLS %1").arg(tls.empty() ? QStringLiteral("1.2/1.3") : qs(tls));
    case LabKind::Starttls: return QStringLiteral("lab: SMTP STARTTLS");
    case LabKind::Gallery: return QStringLiteral("lab: gallery %1").arg(qs(galleryEntry));
    case LabKind::Mitm:
    default:
      return QStringLiteral("lab: mitm %1 × %2")
          .arg(QString::fromUtf8(attackerCertificateName(strategy)), QString::fromUtf8(scenarios::victimModeName(victim)));
  }
}

const std::vector<LabInfo>& labCatalog() {
  static const std::vector<LabInfo> labs = {
      {LabKind::Handshake, QStringLiteral("Handshake"),
       QStringLiteral("A full TLS 1.2 or 1.3 handshake between the lab client and server"), QStringLiteral("handshake.md")},
      {LabKind::Resumption, QStringLiteral("Resumption"),
       QStringLiteral("Connect, then resume the session (ticket / PSK) and compare both handshakes"), QStringLiteral("resumption.md")},
      {LabKind::Starttls, QStringLiteral("STARTTLS"),
       QStringLiteral("SMTP in cleartext, STARTTLS, then the login inside TLS"), QStringLiteral("starttls.md")},
      {LabKind::Gallery, QStringLiteral("Bad-certificate gallery"),
       QStringLiteral("A bad certificate served for real, judged by a correct and a chain-only client"), QStringLiteral("gallery.md")},
      {LabKind::Mitm, QStringLiteral("Man in the middle"),
       QStringLiteral("Poisoned name resolution, a proxy with a certificate of its choice, a stolen password — and the fix"),
       QStringLiteral("mitm.md")},
  };
  return labs;
}

bool parseLabRequest(const QString& lab, const QString& strategy, const QString& victim, const QString& tls,
                     const QString& entry, LabRequest& request, QString& error) {
  static const std::pair<const char*, LabKind> kinds[] = {{"handshake", LabKind::Handshake}, {"resumption", LabKind::Resumption},
                                                          {"starttls", LabKind::Starttls}, {"gallery", LabKind::Gallery},
                                                          {"mitm", LabKind::Mitm}};
  bool found = false;
  for (const auto& [name, kind] : kinds) {
    if (lab == QLatin1String(name)) {
      request.kind = kind;
      found = true;
    }
  }
  if (!found) {
    error = QStringLiteral("unknown lab '%1' (handshake, resumption, starttls, gallery, mitm)").arg(lab);
    return false;
  }
  if (!strategy.isEmpty()) {
    found = false;
    for (auto s : allAttackerCertificates())
      if (strategy == QLatin1String(attackerCertificateName(s))) request.strategy = s, found = true;
    if (!found) {
      error = QStringLiteral("unknown --strategy '%1'").arg(strategy);
      return false;
    }
  }
  if (!victim.isEmpty()) {
    found = false;
    for (auto v : scenarios::allVictimModes())
      if (victim == QLatin1String(scenarios::victimModeName(v))) request.victim = v, found = true;
    if (!found) {
      error = QStringLiteral("unknown --victim '%1'").arg(victim);
      return false;
    }
  }
  if (!tls.isEmpty() && tls != QLatin1String("1.2") && tls != QLatin1String("1.3")) {
    error = QStringLiteral("--tls is 1.2 or 1.3");
    return false;
  }
  request.tls = tls.toStdString();
  request.galleryEntry = entry.isEmpty() ? std::string("expired") : entry.toStdString();
  return true;
}

LabResult runLab(const LabRequest& request, const Observer& observer) {
  switch (request.kind) {
    case LabKind::Handshake:
    case LabKind::Resumption:
    case LabKind::Starttls: return runPair(request, observer);
    case LabKind::Gallery: return runGalleryLab(request, observer);
    case LabKind::Mitm:
    default: return runMitmLab(request, observer);
  }
}

}  // namespace tlslab::gui
