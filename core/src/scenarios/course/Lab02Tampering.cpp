// Lab 2 — Tampering: an attacker on the path, without keys, flips, drops,
// replays and cuts the client's request. Over plain TCP the server's
// application takes whatever arrives; over TLS the record's tag (or MAC) and
// its implicit sequence number make the server refuse. Every answer is judged
// against a run of the lab made by the check itself.
#include <array>

#include "CheckHelpers.hpp"
#include "Labs.hpp"
#include "tlslab/scenarios/PairLab.hpp"
#include "tlslab/scenarios/TamperLab.hpp"

namespace tlslab::course {
namespace {

using endpoints::Tamper;
using scenarios::PairLab;

// Letters of "GET / HTTP/1.1" and masks that keep them printable.
constexpr std::array<long, 7> kOffsets{0, 1, 2, 6, 7, 8, 9};
constexpr std::array<std::uint8_t, 5> kMasks{0x01, 0x02, 0x04, 0x08, 0x20};

struct Flip {
  long offset;
  std::uint8_t mask;
  std::string flags() const { return fmt::format("--offset {} --mask 0x{:02x}", offset, mask); }
};

Flip flipOf(const Variant& v) {
  return {kOffsets[v.number("flip/offset", 0, kOffsets.size() - 1)], kMasks[v.number("flip/mask", 0, kMasks.size() - 1)]};
}

struct Run {
  scenarios::TamperVerdict verdict;
  std::string error;
};

// One run of the tamper lab, as `tlslab lab run tamper` makes it.
Run tamperRun(const CheckEnv& env, Tamper::Action action, bool plain, const std::string& tls = "",
              const std::string& ciphers = "", long offset = -1, std::uint8_t mask = 0x01) {
  scenarios::PairLabOptions options;
  options.certsDir = env.certsDir;
  options.tamper = action;
  options.plain = plain;
  options.tls = tls;
  options.ciphers = ciphers;
  options.macThenEncrypt = !ciphers.empty();
  options.tamperOffset = offset;
  options.tamperMask = mask;
  if (auto err = scenarios::checkPairLabOptions(PairLab::Tamper, options); !err.empty()) return {{}, err};
  scenarios::PairLabRun run = scenarios::runPairLab(PairLab::Tamper, options);
  if (!run.setupError.empty()) return {{}, run.setupError};
  return {scenarios::tamperVerdict(run), {}};
}

std::string firstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string unquoted(std::string text) {
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front())
    text = text.substr(1, text.size() - 2);
  if (text.size() >= 4 && text.substr(text.size() - 4) == "\\r\\n") text.resize(text.size() - 4);
  return text;
}

// "fatal bad record mac" -> "bad record mac"; accepts the alert's number too.
bool sameAlert(const std::string& answer, const std::string& serverAlert) {
  std::string expected = normalizedWords(serverAlert);
  for (const char* level : {"fatal ", "warning "})
    if (expected.rfind(level, 0) == 0) expected.erase(0, std::string(level).size());
  std::string said = normalizedWords(answer);
  for (const char* prefix : {"alert ", "fatal "})
    if (said.rfind(prefix, 0) == 0) said.erase(0, std::string(prefix).size());
  if (said == expected) return true;
  return expected == "bad record mac" && (said == "20" || said == "bad record mac (20)");
}

CheckResult checkPlainFlip(const CheckEnv& env) {
  const Flip flip = flipOf(*env.variant);
  Run run = tamperRun(env, Tamper::Action::FlipByte, true, "", "", flip.offset, flip.mask);
  if (!run.error.empty()) return skipped("the lab could not run here: " + run.error);
  const std::string received = firstLine(run.verdict.delivered);
  const std::string answer = unquoted(env.answer("plain_received")->value);
  if (answer == received)
    return pass("the server's application took \"" + received + "\" as the request line: nothing in TCP checks the bytes");
  if (answer == firstLine(run.verdict.sent))
    return fail("that is what the client sent; the server's application got something else",
                "run `tlslab lab run tamper --plain " + flip.flags() + "` and read the server's line of the ladder");
  return fail("that is not the request line the server received with your flip (" + flip.flags() + ")",
              "flip the bits of byte " + std::to_string(flip.offset) + " (counting from 0) of \"GET / HTTP/1.1\" with " +
                  fmt::format("0x{:02x}", flip.mask) + ", or run the lab and read the server's line");
}

CheckResult checkAlert(const CheckEnv& env, const char* key, const std::string& tls, const std::string& ciphers) {
  Run run = tamperRun(env, Tamper::Action::FlipByte, false, tls, ciphers);
  if (!run.error.empty()) return skipped("the lab could not run here: " + run.error);
  const std::string& answer = env.answer(key)->value;
  if (sameAlert(answer, run.verdict.serverAlert))
    return pass("the server sent " + run.verdict.serverAlert + " and closed the connection");
  const std::string said = normalizedWords(answer);
  if (said.find("decryption failed") != std::string::npos || said == "21")
    return fail("decryption_failed (21) was TLS 1.0's alert for bad padding; TLS 1.2 must not send it (RFC 5246 §7.2.2)",
                "one alert for every kind of damage, so an attacker cannot tell padding from MAC errors: which one?");
  if (said.find("decrypt error") != std::string::npos || said == "51")
    return fail("decrypt_error (51) is for a signature or Finished that does not verify, not for a damaged record",
                "run the lab and read the server's alert in the Verdict");
  std::string command = "tlslab lab run tamper" + (tls.empty() ? "" : " --tls " + tls) +
                        (ciphers.empty() ? "" : " --ciphers " + ciphers + " --mac-then-encrypt");
  return fail("'" + answer + "' is not the alert the server sent", "`" + command + "`: the Verdict names it");
}

CheckResult checkDuplicate(const CheckEnv& env) {
  Run run = tamperRun(env, Tamper::Action::Duplicate, false);
  if (!run.error.empty()) return skipped("the lab could not run here: " + run.error);
  const std::string delivered = firstLine(run.verdict.delivered);
  const std::string answer = unquoted(env.answer("duplicate_delivered")->value);
  const std::string said = normalizedWords(answer);
  if (answer == delivered || (delivered.empty() && (said == "nothing" || said == "none")))
    return pass("the first copy is genuine and in sequence, so it was accepted (\"" + delivered +
                "\"); the replayed copy arrived with the next sequence number and was refused");
  if (said == "nothing" || said == "none")
    return fail("something did reach the server's application before the replay was refused",
                "the first copy the attacker forwarded is the genuine record, in its place");
  return fail("that is not what the server's application received",
              "`tlslab lab run tamper --attack duplicate`: the Verdict says what reached the server's application");
}

CheckResult checkPlainDrop(const CheckEnv& env) {
  Run run = tamperRun(env, Tamper::Action::Drop, true);
  if (!run.error.empty()) return skipped("the lab could not run here: " + run.error);
  const std::string delivered = firstLine(run.verdict.delivered);
  const std::string answer = unquoted(env.answer("plain_drop_received")->value);
  if (answer == delivered)
    return pass("\"" + delivered + "\": the server's application saw half a request and no sign that the rest was removed");
  if (answer == firstLine(run.verdict.sent))
    return fail("that is the line the attacker dropped", "what was left for the server's application?");
  return fail("that is not what the server's application received",
              "`tlslab lab run tamper --plain --attack drop`: read the server's line of the ladder");
}

LabDefinition define() {
  LabDefinition lab;
  lab.number = 2;
  lab.slug = "tampering";
  lab.title = "Tampering";
  lab.goal = "Change, drop and replay a request on the wire: plain TCP accepts it all, TLS refuses each one, and you "
             "find out why.";
  lab.minutes = 60;
  lab.tutorial = "02-tampering.md";
  lab.questions = {
      {"plain_received", "With --plain and your flip, what request line did the server's application receive?",
       "the line, e.g. GET / HTTP/1.1", nullptr, nullptr},
      {"tls_alert", "Over TLS 1.3, which alert does the server send when one bit of the request is flipped?",
       "the alert's name, e.g. handshake_failure", nullptr, nullptr},
      {"cbc_alert", "With --tls 1.2 --ciphers AES128-SHA --mac-then-encrypt (CBC, MAC then encrypt), which alert?",
       "the alert's name", nullptr, nullptr},
      {"duplicate_delivered", "With --attack duplicate (TLS), what did the server's application receive before it refused the replay?",
       "the line it received, or nothing", nullptr, nullptr},
      {"plain_drop_received", "With --plain --attack drop, what did the server's application receive?",
       "the line it received", nullptr, nullptr},
  };
  // The answers are what the lab does: the teacher's key is a run of it.
  lab.questions[0].reference = [](const Variant& v) {
    std::string line = "GET / HTTP/1.1";
    const Flip flip = flipOf(v);
    line[static_cast<std::size_t>(flip.offset)] = static_cast<char>(line[static_cast<std::size_t>(flip.offset)] ^ flip.mask);
    return line;
  };
  lab.questions[1].reference = [](const Variant&) { return std::string("bad_record_mac"); };
  lab.questions[2].reference = [](const Variant&) { return std::string("bad_record_mac"); };
  lab.questions[3].reference = [](const Variant&) { return std::string("GET / HTTP/1.1"); };
  lab.questions[4].reference = [](const Variant&) { return std::string("Host: bank32.com"); };
  lab.hints = {
      "Run `tlslab lab run tamper --plain` with your --offset and --mask from README.md: the server's line of the "
      "ladder shows what its application received.",
      "Without --plain the same attack meets TLS: the Verdict names the alert the server sent.",
      "`--tls 1.2 --ciphers AES128-SHA --mac-then-encrypt` gives the original TLS 1.2 CBC record (RFC 5246 "
      "§6.2.3.2): does its alert tell the attacker whether the padding or the MAC was wrong?",
      "A record's sequence number is never sent: each side counts. A replayed or misplaced record is checked with "
      "the number of the place it arrives in.",
  };
  lab.personal = [](const Variant& v) {
    return std::vector<std::string>{"Your flip: `" + flipOf(v).flags() +
                                    "` (byte and bits of the request line \"GET / HTTP/1.1\", counting from 0)"};
  };
  lab.checks = {
      {"plain_received", "what plain TCP delivered after your flip", "plain_received", false, checkPlainFlip},
      {"tls_alert", "the alert TLS 1.3 sends for a flipped bit", "tls_alert", false,
       [](const CheckEnv& env) { return checkAlert(env, "tls_alert", "1.3", ""); }},
      {"cbc_alert", "the alert of a CBC MAC-then-encrypt record", "cbc_alert", false,
       [](const CheckEnv& env) { return checkAlert(env, "cbc_alert", "1.2", "AES128-SHA"); }},
      {"duplicate_delivered", "what a replay lets through", "duplicate_delivered", false, checkDuplicate},
      {"plain_drop_received", "what plain TCP delivered after a drop", "plain_drop_received", false, checkPlainDrop},
  };
  return lab;
}

}  // namespace

const LabDefinition& lab02Tampering() {
  static const LabDefinition lab = define();
  return lab;
}

}  // namespace tlslab::course
