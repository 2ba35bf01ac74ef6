// Challenge 20 — Forensics: one capture that does not explain itself. Four
// connections in a per-student order: TLS 1.3 whose keys are in the key log
// beside it, TLS 1.2 with RSA key exchange whose server key was seized, the
// same server again with (EC)DHE (forward secret: the seized key cannot open
// it), and an SMTP session upgraded with STARTTLS (its keys in the key log
// too). One of the decryptable three carries the secret message.
#include <array>

#include "CheckHelpers.hpp"
#include "Labs.hpp"
#include "RecordedRuns.hpp"

namespace tlslab::course {
namespace {

using endpoints::ScriptStep;

enum class Kind { KeyLog, Rsa, ForwardSecret, Starttls };
constexpr std::array<Kind, 4> kKinds{Kind::KeyLog, Kind::Rsa, Kind::ForwardSecret, Kind::Starttls};

struct Suite {
  std::string_view openssl;  // what the endpoints are told ("" = a TLS 1.3 suite, given in iana)
  std::string_view iana;
  std::string_view kx;       // the key exchange, as a student names it
};
constexpr std::array<Suite, 3> kTls13Suites{{{"", "TLS_AES_128_GCM_SHA256", "ECDHE"},
                                             {"", "TLS_AES_256_GCM_SHA384", "ECDHE"},
                                             {"", "TLS_CHACHA20_POLY1305_SHA256", "ECDHE"}}};
constexpr std::array<Suite, 2> kRsaSuites{{{"AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256", "RSA"},
                                           {"AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384", "RSA"}}};
constexpr std::array<Suite, 3> kForwardSecretSuites{
    {{"ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE"},
     {"DHE-RSA-AES128-GCM-SHA256", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "DHE"},
     {"ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE"}}};

constexpr const char* kCapture = "capture.pcapng";
constexpr const char* kKeyLog = "keys.log";
constexpr const char* kServerKey = "server.key";

struct Values {
  std::array<Kind, 4> order;  // the capture's connections, in order
  Kind secretIn = Kind::KeyLog;
  std::string webHost, rsaHost, mailHost;
  Suite keyLogSuite, rsaSuite, forwardSecretSuite, starttlsSuite;
  std::string secret, decoy;

  std::size_t indexOf(Kind kind) const {
    for (std::size_t i = 0; i < order.size(); ++i)
      if (order[i] == kind) return i;
    return 0;
  }
  const std::string& hostOf(Kind kind) const {
    return kind == Kind::KeyLog ? webHost : kind == Kind::Starttls ? mailHost : rsaHost;
  }
  const Suite& suiteOf(Kind kind) const {
    switch (kind) {
      case Kind::KeyLog: return keyLogSuite;
      case Kind::Rsa: return rsaSuite;
      case Kind::ForwardSecret: return forwardSecretSuite;
      case Kind::Starttls: return starttlsSuite;
      default: return keyLogSuite;
    }
  }
};

Values valuesOf(const Variant& v) {
  Values values;
  values.order = kKinds;
  for (std::size_t i = values.order.size() - 1; i > 0; --i)  // Fisher-Yates, from the student's seed
    std::swap(values.order[i], values.order[v.number("order/" + std::to_string(i), 0, static_cast<std::uint32_t>(i))]);
  constexpr std::array<Kind, 3> decryptable{Kind::KeyLog, Kind::Rsa, Kind::Starttls};
  values.secretIn = decryptable[v.number("secret-in", 0, decryptable.size() - 1)];
  values.webHost = studentHost(v, "forensics/web");
  values.rsaHost = studentHost(v, "forensics/rsa");
  values.mailHost = "mail." + studentHost(v, "forensics/mail").substr(4);
  values.keyLogSuite = kTls13Suites[v.number("suite/keylog", 0, kTls13Suites.size() - 1)];
  values.rsaSuite = kRsaSuites[v.number("suite/rsa", 0, kRsaSuites.size() - 1)];
  values.forwardSecretSuite = kForwardSecretSuites[v.number("suite/fs", 0, kForwardSecretSuites.size() - 1)];
  values.starttlsSuite = kTls13Suites[v.number("suite/starttls", 0, kTls13Suites.size() - 1)];
  values.secret = secretMessage(v, "secret");
  values.decoy = secretMessage(v, "decoy");  // sent where no one can read it
  return values;
}

std::vector<ScriptStep> mailScript(const std::string& host, const std::string& body) {
  return {ScriptStep::send("EHLO client.lab\r\n"), ScriptStep::expect("250 "),
          ScriptStep::send("MAIL FROM:<alice@" + host.substr(5) + ">\r\n"), ScriptStep::expect("250 "),
          ScriptStep::send("RCPT TO:<bob@" + host.substr(5) + ">\r\n"), ScriptStep::expect("250 "),
          ScriptStep::send("DATA\r\n"), ScriptStep::expect("354 "),
          ScriptStep::send("Subject: " + std::string(body.empty() ? "lunch?" : "the code") + "\r\n\r\n" +
                           (body.empty() ? std::string("Lunch at noon?") : body) + "\r\n.\r\n"),
          ScriptStep::expect("250 "), ScriptStep::send("QUIT\r\n"), ScriptStep::expect("221 ")};
}

RecordedSpec specFor(Kind kind, const Values& values, const IssuedServer& web, const IssuedServer& rsa,
                     const IssuedServer& mail) {
  RecordedSpec spec;
  const Suite& suite = values.suiteOf(kind);
  const bool tls13 = suite.openssl.empty();
  spec.tls.minVersion = spec.tls.maxVersion = tls13 ? endpoints::TlsVersion::Tls1_3 : endpoints::TlsVersion::Tls1_2;
  if (tls13) spec.tls.cipherSuites = std::string(suite.iana);
  else spec.tls.cipherList = std::string(suite.openssl);
  const bool secret = kind == values.secretIn;
  switch (kind) {
    case Kind::Starttls:
      spec.server = mail;
      spec.service = endpoints::Service::Smtp;
      spec.starttls = endpoints::Starttls::Smtp;
      spec.script = mailScript(mail.host, secret ? values.secret : "");
      break;
    case Kind::ForwardSecret:
      spec.server = rsa;
      spec.script = postScript(rsa.host, "/note", values.decoy);
      break;
    case Kind::KeyLog:
    case Kind::Rsa:
    default:
      spec.server = kind == Kind::KeyLog ? web : rsa;
      spec.script = secret ? postScript(spec.server.host, "/note", values.secret)
                           : std::vector<ScriptStep>{ScriptStep::send("GET / HTTP/1.1\r\nHost: " + spec.server.host +
                                                                      "\r\nConnection: close\r\n\r\n"),
                                                     ScriptStep::expect("</html>")};
      break;
  }
  return spec;
}

std::string materials(const MaterialsEnv& env) {
  const Values values = valuesOf(*env.variant);
  env.say("issuing certificates for " + values.webHost + ", " + values.rsaHost + " (RSA) and " + values.mailHost);
  auto web = issueStudentServer(env.certsDir, values.webHost);
  if (!web) return web.error();
  auto rsa = issueStudentRsaServer(env.certsDir, values.rsaHost);
  if (!rsa) return rsa.error();
  auto mail = issueStudentServer(env.certsDir, values.mailHost);
  if (!mail) return mail.error();
  std::vector<RecordedSpec> specs;
  for (Kind kind : values.order) specs.push_back(specFor(kind, values, web.value(), rsa.value(), mail.value()));
  env.say("recording four connections into one capture");
  RecordedCapture capture = recordConnections(env.certsDir, specs);
  if (!capture.ok()) return capture.error;
  // The key log an endpoint left behind: the TLS 1.3 web visit and the mail session, nothing else.
  const std::string keyLog = capture.connections[values.indexOf(Kind::KeyLog)].keyLog +
                             capture.connections[values.indexOf(Kind::Starttls)].keyLog;
  const std::pair<const char*, const std::string*> files[] = {
      {kCapture, &capture.pcapng}, {kKeyLog, &keyLog}, {kServerKey, &rsa.value().keyPem}};
  for (const auto& [name, text] : files)
    if (auto err = writeMaterial(env.workspace, name, *text); !err.empty()) return err;
  return {};
}

std::string unquoted(std::string text) {
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front())
    text = text.substr(1, text.size() - 2);
  return text;
}

constexpr const char* kDecryptAll = "`tlslab dissect capture.pcapng --keylog keys.log --rsa-key server.key`";

CheckResult checkSecret(const CheckEnv& env) {
  const Values values = valuesOf(*env.variant);
  const std::string answer = unquoted(env.answer("secret")->value);
  const std::string code = values.secret.substr(values.secret.rfind(' ') + 1);
  if (answer == values.secret || answer == code)
    return pass("\"" + values.secret + "\", in connection " + std::to_string(values.indexOf(values.secretIn)));
  if (answer == "Lunch at noon?" || answer.find("GET /") != std::string::npos)
    return fail("that is in a connection you opened, but it is not a secret", "one more connection opens with what you have");
  if (answer == values.decoy || answer == values.decoy.substr(values.decoy.rfind(' ') + 1))
    return fail("how did you read that? it is in the connection no one can decrypt", "tell your teacher how");
  return fail("that is not the secret message of your capture",
              kDecryptAll + std::string(" opens every connection it can; `tlslab follow capture.pcapng N` with the same keys prints one"));
}

CheckResult checkServerName(const CheckEnv& env) {
  const Values values = valuesOf(*env.variant);
  const std::string answer = env.answer("server_name")->value;
  const std::string& right = values.hostOf(values.secretIn);
  if (sameText(answer, right)) return pass(right + ": the server_name (SNI) of the connection with the secret");
  for (Kind kind : kKinds)
    if (sameText(answer, values.hostOf(kind)))
      return fail(answer + " is in your capture, but the secret went to another server",
                  "find the connection with the secret first; its ClientHello names the server");
  return fail("'" + answer + "' is not a server name in your capture", "the summary table of `tlslab dissect capture.pcapng` lists them");
}

CheckResult checkSuite(const CheckEnv& env) {
  const Values values = valuesOf(*env.variant);
  const std::string& answer = env.answer("cipher_suite")->value;
  const Suite& right = values.suiteOf(values.secretIn);
  auto same = [&](const Suite& s) {
    return sameText(answer, s.iana) || normalizedWords(answer) == normalizedWords(s.iana) ||
           (!s.openssl.empty() && sameText(answer, s.openssl));
  };
  if (same(right)) return pass(std::string(right.iana) + ", chosen in that connection's ServerHello");
  for (Kind kind : kKinds)
    if (same(values.suiteOf(kind)))
      return fail(answer + " protects another connection of your capture", "take the suite of the connection with the secret");
  return fail("'" + answer + "' is not a suite of your capture", "the summary table of `tlslab dissect capture.pcapng` lists each connection's");
}

CheckResult checkConnection(const CheckEnv& env, const char* key, Kind kind, const std::string& what) {
  const Values values = valuesOf(*env.variant);
  auto n = answerNumber(env.answer(key)->value);
  if (!n) return fail("write the connection's number, as `tlslab dissect` lists them (from 0)", "e.g. 2");
  const long long right = static_cast<long long>(values.indexOf(kind));
  if (*n == right) return pass("connection " + std::to_string(right) + ": " + what);
  if (*n == right + 1) return fail("connections are numbered from 0", "count again as `tlslab dissect` lists them");
  if (*n < 0 || *n >= 4) return fail("your capture has connections 0 to 3", "`tlslab dissect capture.pcapng --summary`");
  return fail("connection " + std::to_string(*n) + " is not the one", kind == Kind::Starttls
                                                                           ? "which connection shows cleartext before its ClientHello?"
                                                                           : kDecryptAll + std::string(" says which one stays encrypted"));
}

CheckResult checkWhy(const CheckEnv& env) {
  const Values values = valuesOf(*env.variant);
  const std::string said = normalizedWords(env.answer("why")->value);
  auto has = [&](std::string_view word) { return said.find(word) != std::string::npos; };
  const std::string kx(values.forwardSecretSuite.kx);
  const bool saysEcdhe = has("ecdhe") || has("elliptic");
  const bool saysDhe = !saysEcdhe && (has("dhe") || has("diffie"));
  if ((kx == "ECDHE" && saysDhe) || (kx == "DHE" && saysEcdhe))
    return fail("that connection's suite is " + std::string(values.forwardSecretSuite.iana), "read its key exchange off the suite's name");
  if (saysEcdhe || saysDhe || has("forward secre") || has("ephemeral"))
    return pass("its key exchange is " + kx + " (" + std::string(values.forwardSecretSuite.iana) +
                "): the server's key only signed its ephemeral key, so the seized server.key cannot recover the "
                "pre-master secret, and no endpoint logged this session's keys");
  if (has("key log") || has("keylog") || has("no key"))
    return fail("true, there is no key log for it, but server.key belongs to its server too",
                "why can the server's own private key not open it, when it opens another connection to the same server?");
  if (has("rsa"))
    return fail("RSA key exchange is what server.key can open", "read that connection's suite: which key exchange does it use?");
  return fail("that does not say why", "name its key exchange and what that means for the seized server key");
}

LabDefinition define() {
  LabDefinition lab;
  lab.number = 20;
  lab.slug = "forensics";
  lab.title = "Forensics: the seized capture";
  lab.goal = "A capture, a key log and a seized server key: find the secret, where it went, how it was protected, "
             "and which connection stays closed, and why.";
  lab.minutes = 45;
  lab.tutorial = "20-forensics.md";
  auto& q = lab.questions;
  q.push_back({"secret", "What is the secret message?", "the message, as sent",
               [](const Variant& v) { return valuesOf(v).secret; }});
  q.push_back({"server_name", "Which server name did the client visit to send it?", "a host name",
               [](const Variant& v) { const Values x = valuesOf(v); return x.hostOf(x.secretIn); }});
  q.push_back({"cipher_suite", "Which cipher suite protected it?", "its IANA name, e.g. TLS_AES_128_GCM_SHA256",
               [](const Variant& v) { const Values x = valuesOf(v); return std::string(x.suiteOf(x.secretIn).iana); }});
  q.push_back({"undecryptable", "Which connection can you not decrypt with what you were given?",
               "its number, as `tlslab dissect` lists them",
               [](const Variant& v) { return std::to_string(valuesOf(v).indexOf(Kind::ForwardSecret)); }});
  q.push_back({"why", "Why not, when the server's own key is in your hands?", "a few words: its key exchange and what it means",
               [](const Variant& v) { return std::string(valuesOf(v).forwardSecretSuite.kx) + ": forward secrecy"; }});
  q.push_back({"starttls_connection", "Which connection began in cleartext and upgraded to TLS?", "its number",
               [](const Variant& v) { return std::to_string(valuesOf(v).indexOf(Kind::Starttls)); }});
  lab.hints = {
      "Look before you decrypt: `tlslab dissect capture.pcapng --summary` lists the four connections, their "
      "server names and suites.",
      "Give the dissector everything you have: --keylog keys.log and --rsa-key server.key. It says, per "
      "connection, whether it was decrypted and, if not, why.",
      "`tlslab follow capture.pcapng N` (with the same options) prints what each side sent in connection N.",
      "A server key opens only RSA key exchange; a key log only the sessions it lists.",
  };
  lab.personal = [](const Variant&) {
    return std::vector<std::string>{
        "Seized from a suspect's machine: `capture.pcapng`, the key log its browser and mail client left "
        "(`keys.log`), and the private key of one of the servers it talked to (`server.key`).",
        "The capture holds several connections. Somewhere in it is a secret message."};
  };
  lab.materials = materials;
  lab.checks = {
      {"secret", "the secret message", "secret", false, checkSecret},
      {"server_name", "where the secret went", "server_name", false, checkServerName},
      {"cipher_suite", "how it was protected", "cipher_suite", false, checkSuite},
      {"undecryptable", "the connection that stays closed", "undecryptable", false,
       [](const CheckEnv& env) {
         return checkConnection(env, "undecryptable", Kind::ForwardSecret,
                                "neither the key log nor the server key opens it");
       }},
      {"why", "why it stays closed", "why", false, checkWhy},
      {"starttls_connection", "the connection that upgraded with STARTTLS", "starttls_connection", false,
       [](const CheckEnv& env) {
         return checkConnection(env, "starttls_connection", Kind::Starttls,
                                "SMTP in cleartext (EHLO, STARTTLS), then the TLS handshake (RFC 3207)");
       }},
  };
  return lab;
}

}  // namespace

const LabDefinition& challenge20Forensics() {
  static const LabDefinition lab = define();
  return lab;
}

}  // namespace tlslab::course
