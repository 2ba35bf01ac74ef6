// Lab 13's materials and the checks read off captures (Lab13Checks.hpp).
#include <fstream>
#include <set>

#include "CheckHelpers.hpp"
#include "Lab13Checks.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/keys/KeyStore.hpp"
#include "tlslab/scenarios/PairLab.hpp"
#include "tlslab/scenarios/course/LabValues.hpp"

namespace tlslab::course::lab13 {
namespace {

namespace fs = std::filesystem;

// The student's capture: "" or why it cannot be judged.

std::string readCapture(const CheckEnv& env, model::TraceConnection& conn) {
  const fs::path file = env.workspace / "smtp-starttls.pcapng";
  if (env.workspace.empty() || !fs::is_regular_file(file)) return "smtp-starttls.pcapng is not in your workspace";
  keys::KeyStore keys;
  auto trace = dissect::dissectFile(file, keys);
  if (!trace) return "cannot read smtp-starttls.pcapng: " + trace.error().message();
  if (trace.value().connections.size() != 1) return "smtp-starttls.pcapng should hold one connection";
  conn = trace.value().connections[0];
  return {};
}

std::string decryptedFromClient(const model::TraceConnection& conn) {
  std::string text;
  for (const auto& chunk : conn.appData)
    if (chunk.direction == model::Direction::ClientToServer) text.append(chunk.data.begin(), chunk.data.end());
  return text;
}

// The client's cleartext lines of a capture's connection: {"CAPA", "STLS"}.

std::vector<std::string> clientLines(const model::TraceConnection& conn) {
  std::vector<std::string> lines;
  const std::string text(conn.preamble[0].begin(), conn.preamble[0].end());
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find("\r\n", at);
    if (end == std::string::npos) break;
    if (end > at) lines.push_back(text.substr(at, end - at));
    at = end + 2;
  }
  return lines;
}

// The mail commands named in `text`: "EHLO client.lab, then STARTTLS" and
// "ehlo starttls" -> {"EHLO", "STARTTLS"}; "the STLS command" -> {"STLS"}.
// Other words (arguments, "then", "command") do not count.
std::set<std::string> commandWords(std::string_view text) {
  static const std::set<std::string> kCommands{"EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "RSET",
                                               "NOOP", "QUIT", "CAPA", "STLS", "USER", "PASS", "RETR", "CAPABILITY",
                                               "LOGIN", "SELECT", "FETCH", "LOGOUT"};
  std::set<std::string> words;
  std::string word;
  auto flush = [&] {
    if (kCommands.count(word)) words.insert(word);
    word.clear();
  };
  for (char c : text) {
    if (std::isalpha(static_cast<unsigned char>(c))) word += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    else flush();
  }
  flush();
  return words;
}

CheckResult refuse(const std::string& why) {
  return fail(why, "`tlslab lab start 13` writes your capture again (your answers stay)");
}

}  // namespace

scenarios::StarttlsAttackOptions attackOptions(const fs::path& certsDir, const Variant& v) {
  scenarios::StarttlsAttackOptions options;
  options.certsDir = certsDir;
  options.subject = mailSubject(v);
  options.injected = injectedCommand(v);
  return options;
}

std::string materials(const MaterialsEnv& env) {
  env.say("sending your mail to mail.bank32.com with STARTTLS, and capturing it");
  const scenarios::StarttlsAttackRun run = scenarios::runStarttlsDirect(attackOptions(env.certsDir, *env.variant));
  if (!run.setupError.empty()) return run.setupError;
  if (!run.victimSentMail || !run.victimUsedTls) return "the mail was not sent inside TLS: " + run.victimError;
  const scenarios::RunTrace traced = scenarios::traceOfRun(scenarios::legsOf(run), "lab 13");
  if (!traced.error.empty() || !traced.selfCheckOk()) return "the run's capture does not check: " + traced.error;
  std::ofstream out(env.workspace / "smtp-starttls.pcapng", std::ios::binary | std::ios::trunc);
  out << traced.pcapng;
  return out ? "" : "cannot write smtp-starttls.pcapng";
}

CheckResult checkCleartextCommands(const CheckEnv& env) {
  model::TraceConnection conn;
  if (auto err = readCapture(env, conn); !err.empty()) return refuse(err);
  std::set<std::string> right;
  for (const auto& line : clientLines(conn)) {
    const auto words = commandWords(line.substr(0, line.find(' ')));  // the verb, not its argument
    if (!words.empty()) right.insert(*words.begin());
  }
  const std::set<std::string> said = commandWords(env.answer("cleartext_commands")->value);
  std::string rightText;
  for (const auto& w : right) rightText += (rightText.empty() ? "" : ", ") + w;
  if (said == right)
    return pass(rightText + ": everything before the handshake is readable (and changeable) by anyone on the path");
  for (const char* inside : {"AUTH", "MAIL", "RCPT", "DATA", "QUIT"})
    if (said.count(inside) && !right.count(inside))
      return fail(std::string(inside) + " was sent inside TLS, after the upgrade",
                  "`tlslab dissect smtp-starttls.pcapng` shows the cleartext before the ClientHello");
  if (!said.count("EHLO") && right.count("EHLO"))
    return fail("the client spoke before STARTTLS: how did it learn the server offers it?",
                "the EHLO answer lists the server's extensions (RFC 5321 §4.1.1.1), STARTTLS among them");
  return fail("that is not what your client sent before the handshake",
              "the cleartext part of `tlslab follow smtp-starttls.pcapng 0`, or the preamble in `tlslab dissect`");
}

CheckResult checkSubject(const CheckEnv& env) {
  model::TraceConnection conn;
  if (auto err = readCapture(env, conn); !err.empty()) return refuse(err);
  const std::string mine = mailSubject(*env.variant);
  if (decryptedFromClient(conn).find(mine) == std::string::npos)
    return refuse("smtp-starttls.pcapng is not yours: it does not carry your mail");
  std::string answer = env.answer("mail_subject")->value;
  const std::string value = mine.substr(std::string("Subject: ").size());
  if (sameText(answer, mine) || sameText(answer, value))
    return pass("\"" + value + "\": sent inside TLS, readable only with the keys (the capture has them)");
  if (sameText(answer, "quarterly payroll"))
    return fail("that is the lab's example mail, not yours", "`tlslab follow smtp-starttls.pcapng 0`, after DATA");
  return fail("that is not the Subject of the mail in your capture",
              "`tlslab follow smtp-starttls.pcapng 0` prints the decrypted conversation: the Subject line follows DATA");
}

CheckResult checkPop3Command(const CheckEnv& env) {
  scenarios::PairLabOptions options;
  options.certsDir = env.certsDir;
  options.mail = endpoints::Starttls::Pop3;
  scenarios::PairLabRun run = scenarios::runPairLab(scenarios::PairLab::Starttls, options);
  if (!run.ok()) return skipped("the lab could not run here: " + (run.setupError.empty() ? run.runs.back().error : run.setupError));
  const scenarios::RunTrace traced = scenarios::traceOfRun(run.legs(), "lab 13 check");
  if (traced.trace.connections.size() != 1) return skipped("the check's own POP3 run left no capture to read");
  // The upgrade is the last thing the client says in cleartext.
  const std::vector<std::string> lines = clientLines(traced.trace.connections[0]);
  if (lines.empty()) return skipped("the client of the check's own POP3 run sent nothing in cleartext");
  const std::string upgrade = lines.back();
  const std::set<std::string> said = commandWords(env.answer("pop3_command")->value);
  if (said == commandWords(upgrade))
    return pass(upgrade + ", answered with +OK, then the TLS handshake (RFC 2595 §4); before it the client sent " +
                (lines.size() > 1 ? lines.front() : std::string("nothing")) + " in cleartext");
  if (said.count("STARTTLS"))
    return fail("STARTTLS is SMTP's and IMAP's word; POP3 has its own",
                "`tlslab lab run starttls --protocol pop3`: read the client's cleartext lines");
  for (const auto& line : lines)
    if (line != upgrade && said == commandWords(line))
      return fail(line + " asks for the capabilities; the upgrade is the command after it",
                  "look for the line answered with \"+OK Begin TLS negotiation\"");
  return fail("that is not what upgrades a POP3 connection", "`tlslab lab run starttls --protocol pop3`");
}

}  // namespace tlslab::course::lab13
