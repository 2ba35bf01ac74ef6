// Lab 12 — Resumption, 0-RTT and renegotiation: TLS 1.2 session IDs and
// tickets, the TLS 1.3 PSK and its binder, 0-RTT early data replayed by an
// attacker for real, secure renegotiation and KeyUpdate. Answers about the
// lab's behaviour are judged against runs the check makes; answers about
// values against the student's own captures (Lab12Checks.cpp).
#include <set>
#include <sstream>

#include "CheckHelpers.hpp"
#include "Lab12Checks.hpp"
#include "Labs.hpp"
#include "tlslab/scenarios/HandshakeCompare.hpp"
#include "tlslab/scenarios/PairLab.hpp"
#include "tlslab/scenarios/ResumptionLab.hpp"
#include "tlslab/scenarios/course/LabValues.hpp"

namespace tlslab::course {
namespace {

struct Compared {
  scenarios::HandshakeComparison comparison;
  std::string error;
};

// `tlslab lab run resumption --tls 1.2 [--no-tickets]`, as the check's own run.
Compared tls12Resumption(const CheckEnv& env, bool tickets) {
  scenarios::PairLabOptions options;
  options.certsDir = env.certsDir;
  options.tls = "1.2";
  options.tickets = tickets;
  scenarios::PairLabRun run = scenarios::runPairLab(scenarios::PairLab::Resumption, options);
  if (!run.ok()) return {{}, run.setupError.empty() ? run.runs.back().error : run.setupError};
  const scenarios::RunTrace traced = scenarios::traceOfRun(run.legs(), "lab 12 check");
  if (traced.trace.connections.size() != 2) return {{}, "the run's capture does not hold both connections"};
  return {scenarios::compareHandshakes(traced.trace.connections[0], traced.trace.connections[1]), {}};
}

CheckResult checkResumedBy(const CheckEnv& env) {
  Compared run = tls12Resumption(env, false);
  if (!run.error.empty()) return skipped("the lab could not run here: " + run.error);
  const std::string said = normalizedWords(env.answer("tls12_resumed_by")->value);
  const bool byId = run.comparison.resumedBy.find("session ID") != std::string::npos;
  if (!byId) return skipped("the check's own run did not resume by session ID: " + run.comparison.resumedBy);
  if (said == "session id" || said == "session ids" || said == "id" || said == "sessionid" || said == "the session id")
    return pass("the session ID: without tickets the server keeps the session in its cache, and the client offers "
                "its ID in the ClientHello (RFC 5246 §7.4.1.2)");
  if (said.find("ticket") != std::string::npos)
    return fail("a ticket resumes it when the server issues one; with --no-tickets it sends no NewSessionTicket",
                "look at the comparison's \"resumed by\" line of `tlslab lab run resumption --tls 1.2 --no-tickets`");
  if (said.find("psk") != std::string::npos)
    return fail("a PSK is how TLS 1.3 resumes; this is TLS 1.2", "TLS 1.2 has two ways: the session ID and the ticket");
  return fail("'" + env.answer("tls12_resumed_by")->value + "' is not what resumed the session",
              "`tlslab lab run resumption --tls 1.2 --no-tickets`: the comparison says what resumed it");
}

// "Certificate, ServerHelloDone" -> {"certificate", "serverhellodone"}.
std::set<std::string> messageNames(std::string_view text) {
  std::set<std::string> names;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) names.insert(word);
    word.clear();
  };
  for (char c : text) {
    if (c == ',' || c == ';' || c == ' ' || c == '\n' || c == '/') flush();
    else if (c != '_' && c != '-') word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  flush();
  names.erase("and");
  return names;
}

CheckResult checkLeftOut(const CheckEnv& env) {
  Compared run = tls12Resumption(env, false);
  if (!run.error.empty()) return skipped("the lab could not run here: " + run.error);
  std::set<std::string> right;
  std::string rightText;
  for (const auto& row : run.comparison.rows)
    if (!row.full.empty() && row.full[0] != '(' && row.resumed.empty()) {
      const std::string name = row.full.substr(row.full.find(' ') + 1);
      right.insert(*messageNames(name).begin());
      rightText += (rightText.empty() ? "" : ", ") + name;
    }
  const std::set<std::string> said = messageNames(env.answer("tls12_left_out")->value);
  if (said == right)
    return pass(rightText + ": no certificate and no key exchange; the keys come from the cached master secret "
                "(RFC 5246 §7.3)");
  for (const auto& name : said) {
    if (name == "changecipherspec" || name == "finished")
      return fail("both handshakes have ChangeCipherSpec and Finished: in the resumed one they come in the other order",
                  "the server sends its ChangeCipherSpec and Finished first; list only what is gone");
    if (name == "certificateverify")
      return fail("CertificateVerify is not in either TLS 1.2 handshake here (no client certificate)",
                  "compare the two columns of the side-by-side table");
    if (!right.count(name) && name != "clienthello" && name != "serverhello")
      return fail("'" + name + "' is not a message the resumed handshake leaves out", "the table's rows with — in the second column");
    if (name == "clienthello" || name == "serverhello")
      return fail("the resumed handshake still starts with ClientHello and ServerHello",
                  "the session ID (or ticket) travels in them");
  }
  for (const auto& name : right)
    if (!said.count(name))
      return fail("one is missing from your list", "the table shows " + std::to_string(right.size()) +
                                                       " messages of the full handshake with — in the second column");
  return fail("that is not the list", "`tlslab lab run resumption --tls 1.2 --no-tickets`");
}

CheckResult checkReplay(const CheckEnv& env, bool antiReplay) {
  scenarios::ZeroRttReplayOptions options;
  options.certsDir = env.certsDir;
  options.earlyData = earlyDataRequest(*env.variant);
  options.antiReplay = antiReplay;
  const scenarios::ZeroRttReplayRun run = scenarios::runZeroRttReplay(options);
  if (!run.setupError.empty() || run.replay.sent.empty())
    return skipped("the lab could not run here: " + (run.setupError.empty() ? run.replay.error : run.setupError));
  const char* key = antiReplay ? "replay_with_anti_replay" : "replay_without_anti_replay";
  auto n = answerNumber(env.answer(key)->value);
  if (!n) return fail("that is not a number", "how many times did the server's application take your early data?");
  const int times = run.timesDelivered();
  if (*n == times)
    return pass(antiReplay ? "once: the ticket was single-use, so the replayed ClientHello could not resume and the "
                             "server rejected its 0-RTT data"
                           : fmt::format("{} times: the replay's ClientHello resumed with the same ticket, and the "
                                         "server's application took the request again before the handshake failed",
                                         times));
  if (!antiReplay && *n == 1)
    return fail("the replayed connection's handshake never completes, but its early data was taken before that",
                "`tlslab lab run replay --anti-replay off --student YOU`: read the \"replayed connection\" line");
  if (antiReplay && *n == 0)
    return fail("the genuine client's 0-RTT request was accepted: its ticket was fresh", "only the replay is refused");
  if (antiReplay && *n == 2)
    return fail("with OpenSSL's anti-replay the ticket is gone after its first use",
                "`tlslab lab run replay --anti-replay on --student YOU`: read the \"replayed connection\" line");
  return fail(fmt::format("your early data did not arrive {} times", *n), "`tlslab lab run replay --student YOU`");
}

LabDefinition define() {
  LabDefinition lab;
  lab.number = 12;
  lab.slug = "resumption";
  lab.title = "Resumption, 0-RTT and renegotiation";
  lab.goal = "Resume sessions by ID, ticket and PSK, check a PSK binder by hand, replay 0-RTT data for real, and "
             "see renegotiation and KeyUpdate on the wire.";
  lab.minutes = 90;
  lab.tutorial = "12-resumption.md";
  lab.questions = {
      {"tls12_resumed_by", "With `tlslab lab run resumption --tls 1.2 --no-tickets`, what resumed the session?",
       "session ID or ticket", [](const Variant&) { return std::string("session ID"); }},
      {"tls12_left_out", "Which messages of the full TLS 1.2 handshake does that resumed handshake leave out?",
       "message names, comma separated",
       [](const Variant&) { return std::string("Certificate, ServerKeyExchange, ServerHelloDone, ClientKeyExchange"); }},
      {"binder_covers",
       "How many bytes of the resumed ClientHello (resumption.pcapng, connection 1) does its PSK binder's HMAC cover?",
       "a number of bytes", nullptr},
      {"binder_key", "binder_key of that resumption, computed from psk.txt (RFC 8446 §7.1)", "hex", nullptr},
      {"replay_without_anti_replay",
       "Replayed to a server without anti-replay, how many times did its application take your early data?",
       "a number", [](const Variant&) { return std::string("2"); }},
      {"replay_with_anti_replay", "And with OpenSSL's default anti-replay?", "a number",
       [](const Variant&) { return std::string("1"); }},
      {"renegotiated_connection",
       "renegotiated_connection in the renegotiation_info of the second ClientHello of renegotiation.pcapng",
       "hex", nullptr},
      {"client_traffic_secret_1",
       "client_application_traffic_secret_1 of resumption.pcapng's connection 0 (after the client's KeyUpdate)", "hex",
       nullptr},
  };
  lab.hints = {
      "`tlslab lab run resumption --tls 1.2 --no-tickets` compares the two handshakes side by side: the \"resumed by\" "
      "line and the rows with — answer the first two questions.",
      "`tlslab lab run resumption --tls 1.3 --early-data …` prints the binder's computation. In your own capture the "
      "ClientHello's length field + 4 is the whole message; the binders list is its last part.",
      "binder_key: Early Secret = HKDF-Extract(0, PSK); binder_key = Derive-Secret(Early Secret, \"res binder\", \"\"). "
      "`tlslab keys derive hkdf-extract` and `tlslab keys derive derive-secret` do each step (SHA-384 for a "
      "*_SHA384 suite).",
      "`tlslab lab run replay --student YOU` replays your own 0-RTT flight to both servers and counts.",
      "renegotiated_connection is a verify_data of the first handshake (RFC 5746 §3.4); the next traffic secret is "
      "HKDF-Expand-Label(secret, \"traffic upd\", \"\", Hash.length) (RFC 8446 §7.2).",
  };
  lab.personal = [](const Variant& v) {
    std::string request = earlyDataRequest(v);
    request = request.substr(0, request.find('\r'));
    return std::vector<std::string>{
        "Your client's 0-RTT early data is `" + request + "` — a money transfer, sent before the handshake is done.",
        "`resumption.pcapng` (TLS 1.3: a full handshake, then a resumption carrying that request as 0-RTT data, a "
        "KeyUpdate in each), `psk.txt` (the PSK the client offered: only the client and the server know it) and "
        "`renegotiation.pcapng` (TLS 1.2, renegotiated once) are yours."};
  };
  lab.materials = lab12::materials;
  lab.checks = {
      {"tls12_resumed_by", "what resumes a TLS 1.2 session without tickets", "tls12_resumed_by", false, checkResumedBy},
      {"tls12_left_out", "what an abbreviated TLS 1.2 handshake leaves out", "tls12_left_out", false, checkLeftOut},
      {"binder_covers", "what the PSK binder covers (RFC 8446 §4.2.11.2)", "binder_covers", false, lab12::checkBinderCovers},
      {"binder_key", "the binder key computed from the PSK", "binder_key", false, lab12::checkBinderKey},
      {"replay_without_anti_replay", "a replayed 0-RTT flight against a server without anti-replay",
       "replay_without_anti_replay", false, [](const CheckEnv& env) { return checkReplay(env, false); }},
      {"replay_with_anti_replay", "the same replay against single-use tickets", "replay_with_anti_replay", false,
       [](const CheckEnv& env) { return checkReplay(env, true); }},
      {"renegotiated_connection", "what secure renegotiation binds the new handshake to (RFC 5746)",
       "renegotiated_connection", false, lab12::checkRenegotiatedConnection},
      {"client_traffic_secret_1", "the client's traffic secret after its KeyUpdate", "client_traffic_secret_1", false,
       lab12::checkNextTrafficSecret},
  };
  return lab;
}

}  // namespace

const LabDefinition& lab12Resumption() {
  static const LabDefinition lab = define();
  return lab;
}

}  // namespace tlslab::course
