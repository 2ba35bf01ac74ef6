// Lab 11 — Forward secrecy: two TLS 1.2 captures of the student's own
// server, one with RSA key exchange and one with ECDHE, and the server's RSA
// private key. The key opens the first (it decrypts the pre-master secret the
// client sent, RFC 5246 §7.4.7.1) and not the second, where it only signed the
// server's ephemeral key (RFC 8422 §5.4) and the pre-master secret came from
// two ephemeral keys that are gone.
#include <array>

#include "CheckHelpers.hpp"
#include "Labs.hpp"
#include "RecordedRuns.hpp"

namespace tlslab::course {
namespace {

struct Suite {
  std::string_view openssl;  // what the endpoints are told
  std::string_view iana;     // what the dissector and the student name
};
constexpr std::array<Suite, 3> kRsaSuites{{{"AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"},
                                           {"AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384"},
                                           {"AES128-SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256"}}};
constexpr std::array<Suite, 2> kEcdheSuites{{{"ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
                                             {"ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"}}};

constexpr const char* kRsaCapture = "rsa-kx.pcapng";
constexpr const char* kEcdheCapture = "ecdhe.pcapng";
constexpr const char* kServerKey = "server.key";
// The student's own run, saved by `tlslab lab run handshake --tls 1.2 --save mine.pcapng`.
constexpr const char* kOwnRun = "mine.pcapng";
constexpr const char* kOwnKeys = "mine.ephemeral-keys";

struct Lab11Values {
  std::string host;
  Suite rsaSuite, ecdheSuite;
  std::string rsaSecret, ecdheSecret;
};

Lab11Values valuesOf(const Variant& v) {
  return {studentHost(v, "fs-host"), kRsaSuites[v.number("rsa-suite", 0, kRsaSuites.size() - 1)],
          kEcdheSuites[v.number("ecdhe-suite", 0, kEcdheSuites.size() - 1)], secretMessage(v, "rsa-secret"),
          secretMessage(v, "ecdhe-secret")};
}

RecordedSpec tls12Spec(const IssuedServer& server, const Suite& suite, const std::string& secret) {
  RecordedSpec spec;
  spec.server = server;
  spec.tls.minVersion = spec.tls.maxVersion = endpoints::TlsVersion::Tls1_2;
  spec.tls.cipherList = std::string(suite.openssl);
  spec.script = postScript(server.host, "/note", secret);
  return spec;
}

std::string materials(const MaterialsEnv& env) {
  const Lab11Values values = valuesOf(*env.variant);
  env.say("issuing an RSA server certificate for " + values.host);
  auto server = issueStudentRsaServer(env.certsDir, values.host);
  if (!server) return server.error();
  const std::pair<const char*, RecordedSpec> runs[] = {
      {kRsaCapture, tls12Spec(server.value(), values.rsaSuite, values.rsaSecret)},
      {kEcdheCapture, tls12Spec(server.value(), values.ecdheSuite, values.ecdheSecret)}};
  for (const auto& [file, spec] : runs) {
    env.say(std::string("sending a secret to ") + values.host + " over " + std::string(spec.tls.cipherList) +
            " and capturing it: " + file);
    RecordedCapture capture = recordConnections(env.certsDir, {spec});
    if (!capture.ok()) return capture.error;
    if (auto err = writeMaterial(env.workspace, file, capture.pcapng); !err.empty()) return err;
  }
  return writeMaterial(env.workspace, kServerKey, server.value().keyPem);
}

// A capture of the workspace with the server key, and whether it is this student's.
struct Opened {
  std::optional<model::TraceConnection> connection;
  CheckResult problem;
};
Opened openWithServerKey(const CheckEnv& env, const char* file) {
  Opened opened;
  keys::KeyStore store;
  if (auto added = store.addPrivateKeyFile(env.workspace / kServerKey); !added) {
    opened.problem = fail(std::string(kServerKey) + " cannot be used: " + added.error(),
                          "`tlslab lab start 11` writes it again (your answers stay)");
    return opened;
  }
  std::string problem;
  auto trace = dissectMaterial(env.workspace, file, store, problem);
  if (!trace) {
    opened.problem = fail(problem, "work in your own workspace (the folder `tlslab lab start 11` made)");
    return opened;
  }
  const std::string host = valuesOf(*env.variant).host;
  if (trace->connections.size() != 1 || trace->connections[0].negotiated.sni != host) {
    opened.problem = fail(std::string(file) + " is not the capture made for you (your server is " + host + ")",
                          "`tlslab lab start 11 --force` makes your own materials again");
    return opened;
  }
  opened.connection = trace->connections[0];
  return opened;
}

std::string unquoted(std::string text) {
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front())
    text = text.substr(1, text.size() - 2);
  return text;
}

CheckResult checkRsaSecret(const CheckEnv& env) {
  const Lab11Values values = valuesOf(*env.variant);
  const std::string answer = unquoted(env.answer("rsa_secret")->value);
  const std::string code = values.rsaSecret.substr(values.rsaSecret.rfind(' ') + 1);
  if (answer == values.rsaSecret || answer == code)
    return pass("\"" + values.rsaSecret + "\": the server's RSA key decrypted the pre-master secret, and "
                "everything else follows from it and the two randoms");
  if (answer.find("POST") != std::string::npos || answer.find("HTTP/1.1") != std::string::npos)
    return fail("that is the HTTP request around the message", "the message is the body, after the empty line");
  if (answer == values.ecdheSecret || answer == values.ecdheSecret.substr(values.ecdheSecret.rfind(' ') + 1))
    return fail("that is the message of ecdhe.pcapng, not of rsa-kx.pcapng", "follow rsa-kx.pcapng");
  return fail("that is not what the client sent in your rsa-kx.pcapng",
              "`tlslab follow rsa-kx.pcapng 0 --rsa-key server.key` prints what each side sent");
}

const model::DerivationStep* stepNamed(const model::TraceConnection& connection, std::string_view name) {
  for (const auto& step : connection.derivation)
    if (step.name == name && !step.output.empty()) return &step;
  return nullptr;
}

const model::TraceMessage* messageNamed(const model::TraceConnection& connection, std::string_view name) {
  for (const auto& message : connection.messages)
    if (message.name == name) return &message;
  return nullptr;
}

CheckResult checkPreMaster(const CheckEnv& env) {
  Opened opened = openWithServerKey(env, kRsaCapture);
  if (!opened.connection) return opened.problem;
  const model::DerivationStep* pms = stepNamed(*opened.connection, "pre_master_secret");
  if (!pms) return fail("the server key did not recover a pre-master secret from rsa-kx.pcapng: " +
                            opened.connection->decryption.text, "`tlslab lab start 11 --force` makes your materials again");
  const std::string answer = normalizedHex(env.answer("pre_master_secret")->value);
  if (answer.empty()) return fail("write the 48 bytes in hex", "the key derivation of `tlslab dissect` shows them");
  if (answer == toHex(pms->output))
    return pass("48 bytes: the client's version (" + toHex(ByteView(pms->output).first(2)) +
                ") and 46 random bytes it encrypted to the server's RSA key (RFC 5246 §7.4.7.1)");
  const model::DerivationStep* master = stepNamed(*opened.connection, "master_secret");
  if (!master) master = stepNamed(*opened.connection, "master_secret (extended)");  // RFC 7627
  if (master && answer == toHex(master->output))
    return fail("that is the master secret, computed from the pre-master secret and the two randoms",
                "one step earlier: the value the RSA key decrypts");
  if (const auto* cke = messageNamed(*opened.connection, "ClientKeyExchange");
      cke && cke->bytes.size() > 6 && toHex(cke->bytes).find(answer) != std::string::npos)
    return fail("that is (part of) the ClientKeyExchange: the pre-master secret still encrypted to the server's key",
                "the derivation of `tlslab dissect rsa-kx.pcapng --rsa-key server.key` shows it decrypted");
  if (answer.size() != 96)
    return fail("the pre-master secret of RSA key exchange has 48 bytes; that is " + std::to_string(answer.size() / 2),
                "copy the whole value from the pre_master_secret step (`tlslab dissect … --json` shows it in full)");
  return fail("that is not the pre-master secret of your rsa-kx.pcapng",
              "`tlslab dissect rsa-kx.pcapng --rsa-key server.key --json` shows the pre_master_secret step in full");
}

CheckResult checkSignedMessage(const CheckEnv& env) {
  const std::string said = normalizedWords(env.answer("ecdhe_key_signs")->value);
  auto has = [&](std::string_view word) { return said.find(word) != std::string::npos; };
  if (has("serverkeyexchange") || has("server key exchange"))
    return pass("the ServerKeyExchange: the server's ephemeral ECDH public key and the randoms, signed with the RSA "
                "key (RFC 8422 §5.4), so the client knows who sent it; nothing is ever encrypted to that key");
  if (has("clientkeyexchange") || has("client key exchange"))
    return fail("with ECDHE the ClientKeyExchange holds the client's ephemeral public key, in the clear: nothing "
                "in it is for the RSA key (that is RSA key exchange, rsa-kx.pcapng)",
                "which message of the server carries its ephemeral key?");
  if (has("certificateverify") || has("certificate verify"))
    return fail("a TLS 1.2 server sends no CertificateVerify (the client does, with a client certificate)",
                "look at the server's flight in `tlslab dissect ecdhe.pcapng`: which message has a signature?");
  if (has("certificate"))
    return fail("the Certificate carries the RSA public key; it is signed by the CA, not by the server",
                "which message of the server's flight holds a signature made with the server's key?");
  return fail("'" + env.answer("ecdhe_key_signs")->value + "' is not the message the server's key signs",
              "`tlslab dissect ecdhe.pcapng` shows the server's flight; one message holds a signature");
}

CheckResult checkNotDerivable(const CheckEnv& env) {
  const std::string said = normalizedWords(env.answer("ecdhe_not_derivable")->value);
  for (const char* right : {"pre master secret", "premaster secret", "pre master", "pms", "ecdhe shared secret",
                            "shared secret", "(ec)dhe shared secret"})
    if (said == right)
      return pass("the pre-master secret: the ECDH shared secret of two ephemeral keys (RFC 8422 §5.10), which "
                  "never travel; the server's RSA key has no part in it");
  if (said.find("master secret") != std::string::npos || said.find("key block") != std::string::npos)
    return fail("that follows from an earlier value", "name the first value of the derivation the dissector cannot compute");
  if (said.find("private key") != std::string::npos || said.find("rsa") != std::string::npos)
    return fail("the server's RSA private key is in your workspace: the dissector has it",
                "run `tlslab dissect ecdhe.pcapng --rsa-key server.key`: which step of the key derivation is not derivable?");
  return fail("that is not the step the dissector calls not derivable",
              "run `tlslab dissect ecdhe.pcapng --rsa-key server.key` and read its key derivation");
}

// The pre-master secret of the student's own ECDHE run, which only the
// ephemeral key its server kept (mine.ephemeral-keys) gives: the checker
// derives it again from the student's files, so the value is theirs.
CheckResult checkOwnPreMaster(const CheckEnv& env) {
  const char* make = "in your workspace run `tlslab lab run handshake --tls 1.2 --quiet --save mine.pcapng`";
  if (!std::filesystem::exists(env.workspace / kOwnRun) || !std::filesystem::exists(env.workspace / kOwnKeys))
    return fail(std::string(kOwnRun) + " and " + kOwnKeys + " are not both in your workspace", make);
  keys::KeyStore store;
  if (auto added = store.addEphemeralKeyFile(env.workspace / kOwnKeys); !added || store.ephemeralKeys().empty())
    return fail(std::string(kOwnKeys) + " holds no ephemeral key" + (added ? "" : ": " + added.error()), make);
  std::string problem;
  auto trace = dissectMaterial(env.workspace, kOwnRun, store, problem);
  if (!trace) return fail(problem, make);
  if (trace->connections.empty()) return fail(std::string(kOwnRun) + " holds no TLS connection", make);
  const model::TraceConnection& own = trace->connections[0];
  const model::DerivationStep* pms = stepNamed(own, "pre_master_secret");
  if (!pms) {
    if (own.negotiated.version == 0x0304)
      return fail("your run is TLS 1.3, which has no pre-master secret (its (EC)DHE shared secret feeds HKDF)",
                  "save a TLS 1.2 run: add --tls 1.2");
    return fail("the key derivation of " + std::string(kOwnRun) + " has no pre-master secret: " + own.decryption.text, make);
  }
  if (pms->function.find("ephemeral private key") == std::string::npos)
    return fail("that run did not use ephemeral (EC)DHE: its pre-master secret is " + pms->function,
                "run the handshake lab with its default suite, an ECDHE one");
  const std::string answer = normalizedHex(env.answer("own_pre_master_secret")->value);
  if (answer == toHex(pms->output))
    return pass("the X25519/ECDH shared secret of your run: " + pms->function +
                ". The server kept its ephemeral key, so this session is open to whoever has the file; a real "
                "server throws it away, and then nobody has it");
  const model::DerivationStep* master = stepNamed(own, "master_secret");
  if (!master) master = stepNamed(own, "master_secret (extended)");
  if (master && answer == toHex(master->output))
    return fail("that is the master secret, made from the pre-master secret (the key log holds it too)",
                "one step earlier: the ECDH shared secret of the two key shares");
  for (const auto& key : store.ephemeralKeys())
    if (answer == toHex(key.pair.privateKey) || answer == toHex(key.pair.publicKey))
      return fail("that is one of the ephemeral keys, not what the two of them make",
                  "`tlslab keys explain --capture mine.pcapng --ephemeral-keys mine.ephemeral-keys` shows the "
                  "openssl pkeyutl -derive command that computes it");
  return fail("that is not the pre-master secret of your mine.pcapng",
              "`tlslab keys explain --capture mine.pcapng --ephemeral-keys mine.ephemeral-keys` derives it");
}

LabDefinition define() {
  LabDefinition lab;
  lab.number = 11;
  lab.slug = "forward-secrecy";
  lab.title = "Forward secrecy";
  lab.goal = "Decrypt a recorded RSA-key-exchange session with the server's private key, fail to with ECDHE, and "
             "find out exactly why.";
  lab.minutes = 60;
  lab.tutorial = "11-forward-secrecy.md";
  lab.questions = {
      {"rsa_secret", "What secret message did the client send in rsa-kx.pcapng?", "the message, as sent",
       [](const Variant& v) { return valuesOf(v).rsaSecret; }},
      {"pre_master_secret", "Which pre-master secret did the server's key recover from rsa-kx.pcapng?",
       "48 bytes in hex", nullptr},
      {"ecdhe_key_signs", "In ecdhe.pcapng, which handshake message does the server's RSA key sign?",
       "a message name, e.g. Certificate", [](const Variant&) { return std::string("ServerKeyExchange"); }},
      {"ecdhe_not_derivable",
       "Which value of ecdhe.pcapng's key derivation does the dissector call not derivable, even with server.key?",
       "the value's name", [](const Variant&) { return std::string("pre_master_secret"); }},
      {"own_pre_master_secret",
       "Your own ECDHE run (mine.pcapng, saved with its server's ephemeral key): its pre-master secret?",
       "32 bytes in hex", [](const Variant&) {
         return std::string("(the pre_master_secret of `tlslab keys explain --capture mine.pcapng --ephemeral-keys "
                            "mine.ephemeral-keys`)");
       }},
  };
  // The pre-master secret is random per run: the teacher's key names where it is.
  lab.questions[1].reference = [](const Variant&) {
    return std::string("(the pre_master_secret step of `tlslab dissect rsa-kx.pcapng --rsa-key server.key`)");
  };
  lab.hints = {
      "`tlslab dissect rsa-kx.pcapng` alone shows records it cannot open; add `--rsa-key server.key`.",
      "With RSA key exchange the client encrypts 48 random bytes to the server's public key "
      "(ClientKeyExchange): whoever holds the private key, today or in ten years, recovers them.",
      "In ecdhe.pcapng look at the server's flight: Certificate, then a message with the server's ephemeral key "
      "and a signature.",
      "`tlslab dissect ecdhe.pcapng --rsa-key server.key` names the value it cannot compute, and says why.",
      "For your own run: `tlslab lab run handshake --tls 1.2 --quiet --save mine.pcapng` keeps the server's "
      "ephemeral key in mine.ephemeral-keys; `tlslab keys explain --capture mine.pcapng --ephemeral-keys "
      "mine.ephemeral-keys` starts from it.",
  };
  lab.personal = [](const Variant& v) {
    const Lab11Values values = valuesOf(v);
    return std::vector<std::string>{
        "Your server is `" + values.host + "`; its RSA private key is `server.key` (as if stolen from it).",
        "`rsa-kx.pcapng` was recorded with " + std::string(values.rsaSuite.iana) + ", `ecdhe.pcapng` with " +
            std::string(values.ecdheSuite.iana) + ". Each carries a secret message from the client."};
  };
  lab.materials = materials;
  lab.checks = {
      {"rsa_secret", "the message recovered with the server's key", "rsa_secret", false, checkRsaSecret},
      {"pre_master_secret", "the pre-master secret the RSA key decrypts", "pre_master_secret", false, checkPreMaster},
      {"ecdhe_key_signs", "what the RSA key does in an ECDHE handshake", "ecdhe_key_signs", false, checkSignedMessage},
      {"ecdhe_not_derivable", "what forward secrecy keeps from the key's owner", "ecdhe_not_derivable", false,
       checkNotDerivable},
      {"own_pre_master_secret", "your own ECDHE run, opened with its ephemeral key", "own_pre_master_secret", false,
       checkOwnPreMaster},
  };
  return lab;
}

}  // namespace

const LabDefinition& lab11ForwardSecrecy() {
  static const LabDefinition lab = define();
  return lab;
}

}  // namespace tlslab::course
