// Lab 13 — STARTTLS: SMTP, POP3 and IMAP upgrade a cleartext connection;
// an attacker strips the upgrade (which clients fall back to cleartext?) or
// injects a command with it (which servers run it inside TLS?). Answers
// about the student's own mail are read off their capture; answers about the
// attacks are judged against runs the check makes, with the student's mail
// and the student's injected command.
#include <set>

#include "CheckHelpers.hpp"
#include "Lab13Checks.hpp"
#include "Labs.hpp"
#include "tlslab/scenarios/StarttlsLab.hpp"
#include "tlslab/scenarios/course/LabValues.hpp"

namespace tlslab::course {
namespace {

using scenarios::StripVictim;

using lab13::attackOptions;

// "opportunistic, curl-ssl" / "curl --ssl and the opportunistic client" -> {"opportunistic", "curl-ssl"}.
std::set<std::string> victimsIn(std::string_view answer) {
  std::vector<std::string> words;
  std::string word;
  for (char c : std::string(answer) + " ") {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  }
  std::set<std::string> found;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i] == "opportunistic" || words[i] == "required") found.insert(words[i]);
    if (words[i] != "curl" || i + 1 >= words.size() || words[i + 1] != "ssl") continue;
    const bool reqd = i + 2 < words.size() && words[i + 2] == "reqd";
    found.insert(reqd ? "curl-ssl-reqd" : "curl-ssl");
  }
  return found;
}

CheckResult checkStrippedClients(const CheckEnv& env) {
  std::set<std::string> right, refused;
  std::vector<std::string> evidence;
  for (auto victim : scenarios::allStripVictims()) {
    const auto run = scenarios::runStarttlsStrip(victim, attackOptions(env.certsDir, *env.variant));
    if (!run.setupError.empty()) return skipped("the lab could not run " + run.victimName + " here: " + run.setupError);
    const bool cleartext = run.victimSentMail && !run.victimUsedTls;
    (cleartext ? right : refused).insert(scenarios::stripVictimName(victim));
    evidence.push_back(scenarios::stripReport(run, mailSubject(*env.variant)).back());
  }
  const std::set<std::string> said = victimsIn(env.answer("stripped_clients")->value);
  CheckResult r;
  if (said == right) {
    std::string names;
    for (const auto& name : right) names += (names.empty() ? "" : " and ") + name;
    r = pass(names + " fell back to cleartext and the attacker read your mail; the clients that require TLS refused "
             "(RFC 3207 §6: only a client that requires TLS notices the missing STARTTLS)");
  } else {
    std::string wrong;
    for (const auto& name : said)
      if (refused.count(name)) wrong = name;
    r = !wrong.empty() ? fail(wrong + " refused to go on without STARTTLS: it sent nothing",
                              "`tlslab lab run starttls-strip --client " + wrong + "`")
                       : fail("one that fell back is missing from your list",
                              "`tlslab lab run starttls-strip` tries each victim: which ones say ✗?");
  }
  r.evidence = evidence;
  return r;
}

CheckResult checkCurlOption(const CheckEnv& env) {
  const auto run = scenarios::runStarttlsStrip(StripVictim::CurlSslReqd, attackOptions(env.certsDir, *env.variant));
  if (!run.setupError.empty()) return skipped("curl could not run here: " + run.setupError);
  if (run.victimSentMail) return skipped("curl --ssl-reqd sent the mail: this curl does not behave as documented");
  const std::string said = normalizedWords(env.answer("curl_option")->value);
  const std::size_t curlAt = run.victimError.find("curl: ");
  const std::string curlSaid = curlAt == std::string::npos ? run.victimError : run.victimError.substr(curlAt + 6);
  if (said.find("ssl reqd") != std::string::npos) return pass("--ssl-reqd: curl stopped with \"" + curlSaid + "\"");
  if (said.find("ssl") != std::string::npos)
    return fail("curl --ssl only tries TLS: when STARTTLS is stripped it sends the mail in cleartext",
                "`tlslab lab run starttls-strip --client curl-ssl`, then `man curl`");
  return fail("that is not a curl option that requires TLS", "`man curl`: look at --ssl and the option next to it");
}

scenarios::StarttlsAttackRun injected(const CheckEnv& env, bool bug) {
  auto options = attackOptions(env.certsDir, *env.variant);
  options.starttlsBug = bug;
  return scenarios::runStarttlsInjection(options);
}

CheckResult checkInjectedReply(const CheckEnv& env) {
  const auto run = injected(env, true);
  if (!run.setupError.empty()) return skipped("the lab could not run here: " + run.setupError);
  const std::string first = run.victimReceived.substr(0, run.victimReceived.find("\r\n"));
  const std::string& answer = env.answer("injected_reply")->value;
  if (sameText(answer, first) || sameText(answer, first.substr(0, 3)))
    return pass("\"" + first + "\": the buggy server's answer to " + injectedCommand(*env.variant) +
                ", which the client never sent, arrived first inside TLS");
  if (answer.rfind("250-", 0) == 0 || answer.find("mail.bank32.com") != std::string::npos)
    return fail("that answers the client's own EHLO", "the injected command's answer came before it");
  if (answer.rfind("220", 0) == 0)
    return fail("220 is the go-ahead for STARTTLS, in cleartext", "the question is about the first answer inside TLS");
  return fail("that is not the first line your client received inside TLS",
              "`tlslab lab run starttls-inject --server buggy`: the last line shows what the victim received");
}

CheckResult checkDiscardedBytes(const CheckEnv& env) {
  const auto run = injected(env, false);
  if (!run.setupError.empty()) return skipped("the lab could not run here: " + run.setupError);
  long long discarded = -1;
  for (const auto& line : run.serverLog())
    if (line.rfind("discarded ", 0) == 0) discarded = std::stoll(line.substr(10));
  if (discarded < 0) return skipped("the fixed server discarded nothing in the check's own run");
  auto n = answerNumber(env.answer("discarded_bytes")->value);
  if (!n) return fail("that is not a number", "the fixed server's log says how many bytes it discarded");
  const long long command = static_cast<long long>(injectedCommand(*env.variant).size());
  if (*n == discarded)
    return pass(fmt::format("{} bytes: your injected command and its CR LF, thrown away at the upgrade", discarded));
  if (*n == command) return fail("almost: the command ends with CR LF, and those bytes came too", "count them");
  if (*n == discarded + 10)
    return fail("the STARTTLS command itself was read and answered in cleartext", "only what came after it is discarded");
  return fail("that is not the number of bytes the fixed server discarded",
              "`tlslab lab run starttls-inject --server fixed` (in your workspace, with your command)");
}

LabDefinition define() {
  LabDefinition lab;
  lab.number = 13;
  lab.slug = "starttls";
  lab.title = "STARTTLS";
  lab.goal = "Upgrade SMTP, POP3 and IMAP to TLS, then strip the upgrade and inject a command into it as an attacker, "
             "and see which clients and servers fall for it.";
  lab.minutes = 75;
  lab.tutorial = "13-starttls.md";
  lab.questions = {
      {"cleartext_commands", "Which commands did your client send in cleartext, before TLS, in smtp-starttls.pcapng?",
       "command names, comma separated", [](const Variant&) { return std::string("EHLO, STARTTLS"); }},
      {"mail_subject", "What is the Subject of the mail your client sent inside TLS?", "the subject",
       [](const Variant& v) { return mailSubject(v).substr(9); }},
      {"pop3_command", "Which command upgrades a POP3 connection to TLS (RFC 2595)?", "a command",
       [](const Variant&) { return std::string("STLS"); }},
      {"stripped_clients",
       "With `tlslab lab run starttls-strip`, which victims sent your mail in cleartext?",
       "names from opportunistic, required, curl-ssl, curl-ssl-reqd",
       [](const Variant&) { return std::string("opportunistic, curl-ssl"); }},
      {"curl_option", "Which curl option makes curl refuse to send mail when STARTTLS is missing?", "an option",
       [](const Variant&) { return std::string("--ssl-reqd"); }},
      {"injected_reply", "Against the buggy server, what first line did your client receive inside TLS?", "the line",
       [](const Variant&) { return std::string("250 2.1.0 Ok"); }},
      {"discarded_bytes", "How many plaintext bytes did the fixed server discard?", "a number",
       [](const Variant& v) { return std::to_string(injectedCommand(v).size() + 2); }},
  };
  lab.hints = {
      "`tlslab dissect smtp-starttls.pcapng` shows the cleartext before the TLS handshake; `tlslab follow "
      "smtp-starttls.pcapng 0` the whole conversation, decrypted with the keys inside the file.",
      "`tlslab lab run starttls --protocol pop3` (and `imap`): the client's cleartext lines name the upgrade command.",
      "`tlslab lab run starttls-strip` runs each victim through the stripping attacker: ✗ means the attacker read your mail.",
      "`tlslab lab run starttls-inject` runs your injected command against both servers; their logs and the victim's "
      "first line inside TLS answer the last two questions.",
  };
  lab.personal = [](const Variant& v) {
    return std::vector<std::string>{
        "Your mail's confidential line is `" + mailSubject(v) + "`; `smtp-starttls.pcapng` is that mail going to "
        "mail.bank32.com with STARTTLS.",
        "As the attacker you inject `" + injectedCommand(v) + "`."};
  };
  lab.materials = lab13::materials;
  lab.checks = {
      {"cleartext_commands", "what crossed the wire before the upgrade", "cleartext_commands", false, lab13::checkCleartextCommands},
      {"mail_subject", "your mail, read with the capture's keys", "mail_subject", false, lab13::checkSubject},
      {"pop3_command", "POP3's upgrade command (RFC 2595)", "pop3_command", false, lab13::checkPop3Command},
      {"stripped_clients", "which clients fall back when STARTTLS is stripped", "stripped_clients", false,
       checkStrippedClients},
      {"curl_option", "the curl option that requires TLS", "curl_option", false, checkCurlOption},
      {"injected_reply", "what the buggy server's injected command gives the client", "injected_reply", false,
       checkInjectedReply},
      {"discarded_bytes", "what the fixed server throws away", "discarded_bytes", false, checkDiscardedBytes},
  };
  return lab;
}

}  // namespace

const LabDefinition& lab13Starttls() {
  static const LabDefinition lab = define();
  return lab;
}

}  // namespace tlslab::course
