// Lab 3's question about real clients, judged against a live run of them on
// this machine (runRealClients): the answer is what this machine's curl,
// wget, python3, gnutls-cli, openssl and Chromium really do.
#include <algorithm>
#include <set>

#include "CheckHelpers.hpp"
#include "Lab03Checks.hpp"
#include "tlslab/scenarios/course/RealClients.hpp"

namespace tlslab::course::lab03 {

namespace {

constexpr std::string_view kNames =
    "curl, curl -k, wget, python3, gnutls-cli, openssl s_client, openssl s_client -verify_hostname, chromium";

// "curl -k, openssl s_client and python3" -> its pieces.
std::vector<std::string> listItems(std::string_view text) {
  std::string s(text);
  for (std::string_view joiner : {" and ", " AND ", " And "})
    for (auto pos = s.find(joiner); pos != std::string::npos; pos = s.find(joiner)) s.replace(pos, joiner.size(), ",");
  std::vector<std::string> items;
  std::string item;
  for (char c : s + ",") {
    if (c == ',' || c == ';') {
      auto start = item.find_first_not_of(" \t");
      if (start != std::string::npos) items.push_back(item.substr(start, item.find_last_not_of(" \t") - start + 1));
      item.clear();
    } else {
      item += c;
    }
  }
  return items;
}

RealClientsRun runAgainstAttacker(const std::filesystem::path& certsDir, const Variant& v,
                                  std::function<void(const std::string&)> progress = {}) {
  RealClientsOptions options;
  options.certsDir = certsDir;
  options.user = victimUser(v);
  options.password = victimPassword(v);
  options.progress = std::move(progress);
  return runRealClients(options);
}

std::string joined(const std::set<RealClient>& clients) {
  std::string text;
  for (auto c : clients) text += (text.empty() ? "" : ", ") + std::string(realClientName(c));
  return text;
}

}  // namespace

std::string realClientsSentReference(const std::filesystem::path& certsDir, const Variant& v) {
  const auto run = runAgainstAttacker(certsDir, v);
  std::string text;
  for (const auto& name : run.passwordSenders()) text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "none" : text;
}

CheckResult checkRealClientsSent(const CheckEnv& env) {
  const std::string& answer = env.answer("real_clients_sent")->value;
  std::set<RealClient> named;
  bool saidNone = false;
  for (const auto& item : listItems(answer)) {
    if (sameText(item, "none") || sameText(item, "nothing") || sameText(item, "no client")) {
      saidNone = true;
      continue;
    }
    auto client = parseRealClient(item);
    if (!client) return fail("'" + item + "' is not one of the lab's real clients", "write them as the table names them: " + std::string(kNames));
    named.insert(*client);
  }
  if (saidNone && !named.empty()) return fail("'none' and some clients at once", "either list the clients or write none");

  env.say("running the real clients against the attacker's proxy (a few seconds)");
  const RealClientsRun run = runAgainstAttacker(env.certsDir, *env.variant, env.progress);
  if (!run.setupError.empty()) return skipped("the real clients could not run here: " + run.setupError);
  std::set<RealClient> sent, ran;
  std::vector<std::string> evidence;
  for (const auto& r : run.clients) {
    if (r.state != ClientState::Ran) {
      evidence.push_back(std::string(realClientName(r.client)) + ": " + r.skipReason);
      continue;
    }
    if (!r.consistent())
      return skipped(std::string(realClientName(r.client)) + "'s words and the attacker's log disagree here (it " + r.ended +
                     "): the run proves nothing, so your answer is not judged");
    ran.insert(r.client);
    if (r.passwordSent) sent.insert(r.client);
    evidence.push_back(std::string(realClientName(r.client)) + ": " +
                       (r.passwordSent ? "sent it; the attacker logged " + r.stolen : "refused: " + r.words));
  }
  auto withEvidence = [&](CheckResult result) {
    result.evidence = evidence;
    return result;
  };
  for (auto c : named) {
    if (ran.count(c)) continue;
    const auto* r = run.find(c);
    return withEvidence(fail(std::string(realClientName(c)) + " did not run on this machine (" + (r ? r->skipReason : "not run") +
                                 "), so it sent nothing",
                             "list only what the attacker's log shows: `tlslab lab run real-clients`"));
  }
  for (auto c : named) {
    if (sent.count(c)) continue;
    return withEvidence(fail(std::string(realClientName(c)) + " refused the attacker; it said: " + run.find(c)->words,
                             "the attacker's log is the evidence, not the client's exit: see the column 'sent the password?'"));
  }
  std::set<RealClient> missed;
  std::set_difference(sent.begin(), sent.end(), named.begin(), named.end(), std::inserter(missed, missed.end()));
  if (!missed.empty())
    return withEvidence(fail(joined(missed) + " also sent" + " the password: the attacker logged " +
                                 run.find(*missed.begin())->stolen,
                             "look at every row of `tlslab lab run real-clients`, openssl's too"));
  return withEvidence(pass(sent.empty() ? "none: every real client here refused the attacker"
                                        : joined(sent) + ": the attacker's proxy logged the password from " +
                                              (sent.size() == 1 ? "it" : "each of them") +
                                              "; every other client checked the host name and refused"));
}

}  // namespace tlslab::course::lab03
