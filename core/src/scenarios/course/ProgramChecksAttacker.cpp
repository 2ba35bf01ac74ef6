// The student's client against a man in the middle: bank32.com resolves to
// the attacker's proxy on 127.0.0.66 (the poisoned /etc/hosts line), which
// presents its own certificate and relays to the real server. A correct client
// aborts the handshake, so the proxy never sees its request.
#include <fmt/core.h>

#include "CheckHelpers.hpp"
#include "ProgramChecksCommon.hpp"
#include "tlslab/endpoints/MitmProxy.hpp"

namespace tlslab::course {

using namespace endpoints;

namespace {

std::string appData(const std::vector<Event>& events, bool sent) {
  std::string text;
  for (const auto& event : events)
    if (const auto* data = std::get_if<AppDataEvent>(&event); data && data->sent == sent && text.size() < 65536)
      text.append(data->bytes.begin(), data->bytes.end());
  return text;
}

// The proxy's log, in the order a student reads it.
void writeAttackerLog(const MitmProxy& proxy, AttackerCertificate strategy, const std::string& token, ClientTrial& trial) {
  std::vector<std::string>& log = trial.attackerLog;
  log.push_back(fmt::format("attacker: listening on {}:{} for bank32.com, presenting {}", kAttackerAddress, trial.port,
                            attackerCertificateDescription(strategy)));
  auto sessions = proxy.sessions();
  if (sessions.empty()) log.push_back("attacker: nobody connected");
  for (const auto& session : sessions) {
    log.push_back("attacker: the victim connected from " + session.peer);
    if (!session.handshakeOk) {
      log.push_back("attacker: the victim aborted the handshake (" + session.error + "): nothing to steal");
      continue;
    }
    log.push_back("attacker: handshake with the victim completed — it accepted the attacker's certificate");
    std::string request = appData(session.events, false);
    if (request.empty()) {
      log.push_back("attacker: the victim sent nothing");
      continue;
    }
    log.push_back("attacker: the victim sent «" + detail::firstLine(request) + "» (" + std::to_string(request.size()) +
                  " bytes, all readable here)");
    if (!session.upstream.handshakeOk) {
      log.push_back("attacker: could not reach the real server: " + session.upstream.error);
      continue;
    }
    log.push_back(fmt::format("attacker: relayed it to the real bank32.com ({}:{})", session.upstream.peers.serverAddress,
                              session.upstream.peers.serverPort));
    std::string page = appData(session.upstream.events, false);
    trial.relayedPage += page;
    bool hasToken = !token.empty() && page.find(token) != std::string::npos;
    log.push_back("attacker: relayed the page back to the victim (" + std::to_string(page.size()) + " bytes" +
                  (hasToken ? ", carrying the page token " + token : "") + ")");
  }
}

ClientTrial tryAttacker(const ClientCheckOptions& options, AttackerCertificate strategy) {
  ClientTrial trial;
  trial.scenario = std::string("attacker (") + attackerCertificateName(strategy) + ")";
  trial.address = kAttackerAddress;
  const std::string token = options.relayedToken.empty() ? options.pageToken : options.relayedToken;
  auto real = detail::startPageServer(options.certsDir, "bank32-rsa", token);
  if (!real) {
    trial.setupError = "the real bank32.com could not start: " + real.error();
    return trial;
  }
  MitmConfig config;
  config.listenAddress = kAttackerAddress;
  config.targetHost = kBankHost;
  config.targetAddress = kServerAddress;
  config.targetPort = (*real)->port();
  config.certificate = strategy;
  config.certsDir = options.certsDir;
  config.ioTimeoutMs = 3000;
  auto proxy = MitmProxy::start(config);
  if (!proxy) {
    trial.setupError = "the attacker's proxy could not start: " + proxy.error();
    return trial;
  }
  trial.port = (*proxy)->port();
  options.say(fmt::format("attacker: bank32.com -> {} (the poisoned hosts line), proxy on port {} presenting {}",
                          kAttackerAddress, trial.port, attackerCertificateDescription(strategy)));
  trial.program = detail::runClientProgram(options, kBankHost, kAttackerAddress, trial.port);
  (*proxy)->stop();
  (*real)->stop();
  detail::readServerSide((*proxy)->sessions(), trial);
  writeAttackerLog(**proxy, strategy, token, trial);
  return trial;
}

bool fooled(const ClientTrial& trial) { return !trial.request.empty(); }

CheckResult judge(const ClientCheckOptions& options, ClientCheck& check) {
  const ClientTrial& own = check.trials[1];
  const ClientTrial& selfSigned = check.trials[2];  // or whichever chainAttack the lab chose
  const std::string second = attackerCertificateDescription(options.chainAttack);
  const std::string token = options.relayedToken.empty() ? options.pageToken : options.relayedToken;
  for (const ClientTrial* trial : {&own, &selfSigned})
    if (trial->connections == 0)
      return fail("your client never connected to bank32.com:" + std::to_string(trial->port) + " (which the hosts "
                  "file sent to the attacker at 127.0.0.66); it " + trial->program.describe(),
                  "it reached the lab server, so look at what it printed for this run");
  if (!fooled(own) && !fooled(selfSigned))
    return pass("your client refused the attacker both times, before sending anything: attacker32.com's valid "
                "certificate (wrong name) and " + second +
                std::string(own.alertReceived.empty() ? "" : " (it sent the alert «" + own.alertReceived + "»)"));
  std::string relayed = own.printedToken(token) || selfSigned.printedToken(token)
                            ? " The attacker relayed the real page (token " + token + ") back, and your client printed "
                              "it, none the wiser."
                            : "";
  if (fooled(selfSigned)) {
    // It accepts anything: see whether it even takes an expired certificate, to say so.
    const auto* expired = pki::findEntry("expired");
    ClientTrial probe = detail::tryGalleryEntry(options, *expired);
    bool takesExpired = fooled(probe);
    check.trials.push_back(std::move(probe));
    return fail("your client sent «" + detail::firstLine(selfSigned.request) + "» to the attacker even when it "
                "presented " + second + (fooled(own) ? " (and with attacker32.com's certificate)" : "") +
                (takesExpired ? ", and it also accepts the expired gallery entry" : "") +
                ": it ignores verification errors — a verify callback that returns 1 (the textbook's \"This is not "
                "safe!\") or SSL_VERIFY_NONE." + relayed,
                "return preverify_ok from your verify callback (or pass NULL), with SSL_CTX_set_verify(ctx, "
                "SSL_VERIFY_PEER, …): then OpenSSL aborts the handshake at the first error");
  }
  return fail("your client sent «" + detail::firstLine(own.request) + "» to the attacker: it accepted "
              "CN=attacker32.com for bank32.com — nothing compares the host name (it did refuse " + second +
              ", so the chain is checked)." + relayed,
              "see X509_VERIFY_PARAM_set1_host(SSL_get0_param(ssl), hostname, 0), called before SSL_connect");
}

}  // namespace

ClientCheck checkClientRejectsAttacker(const ClientCheckOptions& options) {
  ClientCheck check;
  check.trials.reserve(4);  // judge() holds references to the first three while it adds the fourth
  check.trials.push_back(detail::tryLabServer(options));
  if (auto result = detail::unjudgeable(check.trials.back())) {
    check.result = *result;
    return check;
  }
  CheckResult control = detail::judgePageTrial(check.trials.back(), options.pageToken);
  if (control.verdict != Verdict::Pass) {
    check.result = fail("your client does not get the page from the real server either, so refusing the attacker "
                        "proves nothing yet: " + control.detail,
                        control.hint);
    check.result.evidence.push_back("lab server (the control): " + detail::trialSummary(check.trials.back()));
    return check;
  }
  for (auto strategy : {AttackerCertificate::AttackerOwn, options.chainAttack}) {
    check.trials.push_back(tryAttacker(options, strategy));
    if (auto result = detail::unjudgeable(check.trials.back())) {
      check.result = *result;
      return check;
    }
  }
  check.result = judge(options, check);
  for (std::size_t i = 1; i < check.trials.size(); ++i)
    check.result.evidence.push_back(check.trials[i].scenario + ": " + detail::trialSummary(check.trials[i]));
  return check;
}

}  // namespace tlslab::course
