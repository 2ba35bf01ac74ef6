// Lab 14's checks of the student's two stunnel4 configurations: each is run
// for real (Debian's stunnel4, with the check's ports) in front of the lab's
// application or on behalf of its plaintext client, and judged by what the
// far side saw — the application, the real server, the attacker.
#include <fstream>
#include <sstream>

#include "CheckHelpers.hpp"
#include "Lab14Checks.hpp"
#include "Lab14Runs.hpp"
#include "tlslab/scenarios/course/StudentPki.hpp"

namespace tlslab::course::lab14 {

namespace fs = std::filesystem;

namespace {

struct StudentConfig {
  std::string text;
  std::optional<CheckResult> problem;  // set when there is nothing to run
};

StudentConfig readConfig(const CheckEnv& env, const std::string& name) {
  StudentConfig config;
  if (env.workspace.empty()) {
    config.problem = CheckResult{{}, {}, Verdict::Missing, "no workspace to read " + name + " from",
                                 "run the check in your lab 14 workspace", {}};
    return config;
  }
  std::ifstream in(env.workspace / name, std::ios::binary);
  if (!in) {
    config.problem = CheckResult{{}, {}, Verdict::Missing, "there is no " + name + " in " + env.workspace.string(),
                                 "`tlslab lab start 14` wrote one to complete", {}};
    return config;
  }
  std::stringstream text;
  text << in.rdbuf();
  config.text = text.str();
  if (stunnelProgram().empty())
    config.problem = skipped("stunnel4 is not installed here: `apt-get install stunnel4` (scripts/setup-deps.sh) to check " + name);
  return config;
}

CheckResult withLog(CheckResult result, const std::vector<std::string>& log) {
  for (const auto& line : stunnelHighlights(log)) result.evidence.push_back(line);
  return result;
}

std::string firstError(const std::vector<endpoints::ClientRun>& clients, std::size_t i) {
  return i < clients.size() ? clients[i].error : "it did not run";
}

}  // namespace

CheckResult checkStunnelServer(const CheckEnv& env) {
  const std::string name = "stunnel-server.conf";
  StudentConfig config = readConfig(env, name);
  if (config.problem) return *config.problem;
  const Values values = valuesOf(*env.variant);
  Scratch scratch;
  std::string err = scratch.error;
  if (err.empty()) err = issueClient(env.certsDir, values.clientCn, false, scratch.dir, "yours");
  if (err.empty()) err = issueClient(env.certsDir, values.clientCn, true, scratch.dir, "rogue");
  if (!err.empty()) return skipped("the check could not make its client certificates: " + err);
  StunnelRunner stunnel(env.workspace, name, config.text);
  scenarios::WrappedServerOptions options;
  options.certsDir = env.certsDir;
  options.host = values.host;
  options.startWrapper = stunnel.starter();
  options.clients = {{scratch.dir / "yours-chain.pem", scratch.dir / "yours-key.pem"},
                     {},
                     {scratch.dir / "rogue-chain.pem", scratch.dir / "rogue-key.pem"}};
  env.say("running stunnel4 with your " + name + " in front of the application; three clients connect");
  scenarios::WrappedServerRun run = scenarios::runWrappedServer(options);
  const auto log = stunnel.stopAll();
  if (!run.setupError.empty())
    return withLog(fail(run.setupError, "run `stunnel4 " + name + "` by hand: it says what it does not like"), log);
  const bool yours = run.clients.size() == 3 && run.clients[0].scriptOk;
  const bool none = run.clients.size() == 3 && run.clients[1].scriptOk;
  const bool rogue = run.clients.size() == 3 && run.clients[2].scriptOk;
  if (!yours)
    return withLog(fail("with your client certificate (" + values.clientSubject() + ") no page came back: " +
                            firstError(run.clients, 0),
                        "the client checks the certificate stunnel presents for " + values.host +
                            ": cert = server/chain.pem and key = server/key.pem; connect = the application's address"),
                   log);
  if (none || rogue)
    return withLog(fail(std::string("stunnel gave the application's page to a client ") +
                            (none ? "without any certificate" : "with a certificate from the Rogue CA") +
                            ": it does not check its clients",
                        "stunnel asks for and checks a client certificate only when told: CAfile = root-ca.pem and "
                        "verifyChain = yes (requireCert = yes refuses a client that sends none)"),
                   log);
  CheckResult result = pass(fmt::format(
      "stunnel served your certificate's client and refused the one without a certificate and the Rogue CA's; the "
      "application behind it saw {} connection(s), all from stunnel, and logged: {}",
      run.application.size(), run.applicationLog().empty() ? "nothing" : run.applicationLog().front()));
  return withLog(result, log);
}

CheckResult checkStunnelClient(const CheckEnv& env) {
  const std::string name = "stunnel-client.conf";
  StudentConfig config = readConfig(env, name);
  if (config.problem) return *config.problem;
  const Values values = valuesOf(*env.variant);
  StunnelRunner stunnel(env.workspace, name, config.text);
  scenarios::WrappedClientOptions options;
  options.certsDir = env.certsDir;
  options.user = env.variant->student();
  options.password = values.password;
  options.startWrapper = stunnel.starter();
  // The control run first: a configuration that reaches nothing would "refuse" every attacker.
  options.attacked = false;
  env.say("running stunnel4 with your " + name + " to the real bank32.com");
  scenarios::WrappedClientRun control = scenarios::runWrappedClient(options);
  if (!control.setupError.empty())
    return withLog(fail(control.setupError, "run `stunnel4 " + name + "` by hand: it says what it does not like"),
                   stunnel.stopAll());
  if (!control.gotPage())
    return withLog(fail("through your stunnel the plaintext client got no page from the real bank32.com: " +
                            control.client.error,
                        "the real server's certificate is for bank32.com, issued under the lab root: CAfile = "
                        "root-ca.pem, checkHost = bank32.com (not the address)"),
                   stunnel.stopAll());
  options.attacked = true;
  // First a certificate whose chain fails (the student's attacker, or a
  // self-signed one), then attacker-own: its chain is valid, only the name check stops it.
  using endpoints::AttackerCertificate;
  const AttackerCertificate chainBreaker =
      values.attacker == AttackerCertificate::AttackerOwn ? AttackerCertificate::SelfSigned : values.attacker;
  const std::vector<AttackerCertificate> attackers{chainBreaker, AttackerCertificate::AttackerOwn};
  for (auto attacker : attackers) {
    options.attacker = attacker;
    env.say(std::string("… and to the attacker's proxy, presenting ") + endpoints::attackerCertificateDescription(attacker));
    scenarios::WrappedClientRun attacked = scenarios::runWrappedClient(options);
    if (!attacked.setupError.empty()) return withLog(fail(attacked.setupError, ""), stunnel.stopAll());
    if (attacked.passwordStolen || attacked.gotPage()) {
      const bool chainOnly = attacker == AttackerCertificate::AttackerOwn;
      return withLog(
          fail(std::string("the attacker presenting ") + endpoints::attackerCertificateDescription(attacker) +
                   " read your login in the clear (" + values.password + "): stunnel accepted its certificate",
               chainOnly ? "a valid chain is not enough: that certificate is for attacker32.com. checkHost = bank32.com"
                         : "stunnel verifies nothing by default (verifyChain = no): verifyChain = yes, CAfile = "
                           "root-ca.pem, checkHost = bank32.com"),
          stunnel.stopAll());
    }
  }
  return withLog(pass("through your stunnel the plaintext client got the real bank32.com's page, and neither attacker (" +
                      std::string(endpoints::attackerCertificateName(chainBreaker)) +
                      ", attacker-own) read a byte of the login"),
                 stunnel.stopAll());
}

}  // namespace tlslab::course::lab14
