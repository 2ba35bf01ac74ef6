// The student's client against the bad-certificate gallery: each entry's
// chain served for real; a correct client aborts every handshake, so the
// server never receives its request.
#include <fmt/core.h>

#include <algorithm>

#include "CheckHelpers.hpp"
#include "ProgramChecksCommon.hpp"
#include "tlslab/pki/Verify.hpp"

namespace tlslab::course {

bool isBonusGalleryEntry(std::string_view name, std::string* why) {
  std::string reason;
  if (name == "revoked")
    reason = "only a client that checks revocation notices: OpenSSL consults no CRL unless asked. The Issuing CA's "
             "CRL is in ./cert (as <issuer_hash>.r0); X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK) "
             "makes OpenSSL check the leaf against it";
  else if (name == "cn-only")
    reason = "OpenSSL's host check falls back to the subject CN when a certificate has no subjectAltName, which "
             "RFC 6125 §6.4.4 and browsers do not; X509_VERIFY_PARAM_set_hostflags(param, "
             "X509_CHECK_FLAG_NEVER_CHECK_SUBJECT) turns the fallback off";
  if (why) *why = reason;
  return !reason.empty();
}

namespace detail {

ClientTrial tryGalleryEntry(const ClientCheckOptions& options, const pki::CatalogEntry& entry) {
  ClientTrial trial;
  trial.scenario = "gallery " + std::string(entry.name);
  trial.address = kServerAddress;
  auto server = startPageServer(options.certsDir, std::string(entry.dir), options.pageToken);
  if (!server) {
    trial.setupError = "the gallery server for " + std::string(entry.name) + " could not start: " + server.error();
    return trial;
  }
  trial.port = (*server)->port();
  options.say(fmt::format("gallery {}: serving its chain on 127.0.0.1:{}", entry.name, trial.port));
  trial.program = runClientProgram(options, std::string(entry.host), kServerAddress, trial.port);
  (*server)->stop();
  readServerSide((*server)->finishedConnections(), trial);
  return trial;
}

}  // namespace detail

namespace {

std::string expectedError(const pki::CatalogEntry& entry) {
  return fmt::format("{} at depth {}", pki::verifyErrorName(entry.expectedError), entry.expectedDepth);
}

std::string evidenceLine(const pki::CatalogEntry& entry, const ClientTrial& trial) {
  std::string why;
  bool bonus = isBonusGalleryEntry(entry.name, &why);
  std::string name = std::string(entry.name) + (bonus ? " (bonus)" : "");
  if (!trial.setupError.empty()) return name + ": not run: " + trial.setupError;
  if (trial.connections == 0) return name + ": your client never connected (it " + trial.program.describe() + ")";
  if (trial.request.empty()) {
    std::string how = trial.alertReceived.empty() ? "" : ", sending the alert «" + trial.alertReceived + "»";
    return name + ": rejected in the handshake" + how + " (a correct client reports " + expectedError(entry) + ")";
  }
  std::string line = name + ": ACCEPTED — your client sent «" + detail::firstLine(trial.request) + "» to a server whose certificate is bad: " +
                     std::string(entry.teaches) + " (a correct client fails with " + expectedError(entry) + ")";
  if (bonus) line += "; not required: " + why;
  return line;
}

}  // namespace

ClientCheck checkClientRejectsGallery(const ClientCheckOptions& options, std::span<const std::string> only) {
  ClientCheck check;
  std::vector<const pki::CatalogEntry*> entries;
  for (const auto& entry : pki::catalog()) {
    if (entry.kind != pki::EntryKind::Gallery) continue;
    if (only.empty() || std::find(only.begin(), only.end(), entry.name) != only.end()) entries.push_back(&entry);
  }
  for (const auto& name : only) {
    const auto* entry = pki::findEntry(name);
    if (entry == nullptr || entry->kind != pki::EntryKind::Gallery) {
      check.result = fail("'" + name + "' is not an entry of the bad-certificate gallery",
                          "`tlslab certs list` names them (expired, wrong-host, self-signed, …)");
      return check;
    }
  }

  // A client that rejects everything would pass the gallery; it must get the good page first.
  check.trials.push_back(detail::tryLabServer(options));
  const ClientTrial& control = check.trials.back();
  if (auto result = detail::unjudgeable(control)) {
    check.result = *result;
    return check;
  }
  CheckResult controlVerdict = detail::judgePageTrial(control, options.pageToken);
  if (controlVerdict.verdict != Verdict::Pass) {
    check.result = fail("your client does not get the page from the good lab server either, so rejecting bad "
                        "certificates proves nothing yet: " + controlVerdict.detail,
                        controlVerdict.hint);
    check.result.evidence.push_back("lab server (the control): " + detail::trialSummary(control));
    return check;
  }

  std::vector<std::string> accepted, notConnected;
  int required = 0, hangs = 0;
  for (const auto* entry : entries) {
    if (hangs >= 2) {
      check.result.evidence.push_back(std::string(entry->name) + ": not run (your client hung twice already)");
      notConnected.emplace_back(entry->name);
      continue;
    }
    check.trials.push_back(detail::tryGalleryEntry(options, *entry));
    const ClientTrial& trial = check.trials.back();
    if (auto result = detail::unjudgeable(trial)) {
      check.result = *result;
      return check;
    }
    hangs += trial.program.timedOut ? 1 : 0;
    check.result.evidence.push_back(evidenceLine(*entry, trial));
    if (isBonusGalleryEntry(entry->name)) continue;
    ++required;
    if (trial.connections == 0) notConnected.emplace_back(entry->name);
    else if (!trial.request.empty()) accepted.emplace_back(entry->name);
  }

  auto joined = [](const std::vector<std::string>& names) {
    std::string text;
    for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
    return text;
  };
  CheckResult verdict;
  if (!accepted.empty()) {
    bool onlyNames = std::all_of(accepted.begin(), accepted.end(), [](const std::string& n) {
      const auto* entry = pki::findEntry(n);
      return entry && std::string_view(pki::verifyErrorName(entry->expectedError)) == "X509_V_ERR_HOSTNAME_MISMATCH";
    });
    verdict = fail(required == 1 ? "your client accepted the bad certificate of " + joined(accepted) + ", which it must reject"
                                 : fmt::format("your client accepted {} of the {} bad certificates it must reject: {}",
                                               accepted.size(), required, joined(accepted)),
                   onlyNames ? "every one it accepted has a valid chain for the wrong name: nothing compares the "
                               "host name (X509_VERIFY_PARAM_set1_host on SSL_get0_param(ssl), before SSL_connect)"
                             : "it goes on after a failed verification: SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, …) and, "
                               "with a verify callback, return preverify_ok (returning 1 accepts everything)");
  } else if (!notConnected.empty()) {
    verdict = fail("your client never reached the handshake with: " + joined(notConnected),
                   "it connects to the lab server, so look at what it printed for these runs");
  } else {
    verdict = required == 1 ? pass("your client rejected the bad certificate during the handshake and sent no request")
                            : pass(fmt::format("your client rejected all {} bad certificates during the handshake and "
                                               "sent no request to any of them", required));
    if (required == 0) verdict = pass("these entries are bonus ones: see the evidence for what your client did");
  }
  verdict.evidence = std::move(check.result.evidence);
  check.result = std::move(verdict);
  return check;
}

}  // namespace tlslab::course
