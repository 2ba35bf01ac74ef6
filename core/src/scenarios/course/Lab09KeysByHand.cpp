// Lab 9 — Keys by hand: the student reproduces a key schedule value by value
// with `tlslab keys derive` (and openssl), from their own TLS 1.3 run and
// its ephemeral key, and from a TLS 1.2 capture that comes with only a key
// log, then decrypts one record themselves. The checker rebuilds every value
// from the workspace and says which one is first wrong (Lab09Chain.cpp).
#include "CheckHelpers.hpp"
#include "Lab09Keys.hpp"
#include "Labs.hpp"
#include "RecordedRuns.hpp"

namespace tlslab::course {
namespace lab09 {

Values valuesOf(const Variant& v) {
  Values values;
  values.host = studentHost(v, "keys-host");
  values.tls13Suite = kTls13Suites[v.number("tls13-suite", 0, kTls13Suites.size() - 1)];
  values.tls12Suite = kTls12Suites[v.number("tls12-suite", 0, kTls12Suites.size() - 1)];
  values.group = kGroups[v.number("group", 0, kGroups.size() - 1)];
  values.record = v.number("record", 0, kRequests - 1);
  for (std::size_t i = 0; i < kRequests; ++i) values.bodies[i] = secretMessage(v, "record/" + std::to_string(i));
  values.tls12Note = secretMessage(v, "tls12");
  return values;
}

}  // namespace lab09

namespace {

using namespace lab09;
using endpoints::ScriptStep;

std::string ordinal(std::size_t i) {
  static const char* names[] = {"first", "second", "third"};
  return i < 3 ? names[i] : std::to_string(i + 1) + "th";
}

std::string materials(const MaterialsEnv& env) {
  const Values values = valuesOf(*env.variant);
  auto server = issueStudentServer(env.certsDir, values.host);
  if (!server) return server.error();
  RecordedSpec tls13;
  tls13.server = server.value();
  tls13.tls.minVersion = tls13.tls.maxVersion = endpoints::TlsVersion::Tls1_3;
  tls13.tls.cipherSuites = std::string(values.tls13Suite.openssl);
  tls13.tls.groups = std::string(values.group);
  for (std::size_t i = 0; i < kRequests; ++i) {
    // Keep-alive: three requests, three records of the client under the same application key.
    std::string request = postRequest(values.host, "/note/" + std::to_string(i + 1), values.bodies[i]);
    if (i + 1 < kRequests) request.replace(request.find("Connection: close"), 17, "Connection: keep-alive");
    tls13.script.push_back(ScriptStep::send(request));
    tls13.script.push_back(ScriptStep::expect("</html>"));
  }
  RecordedSpec tls12;
  tls12.server = server.value();
  tls12.tls.minVersion = tls12.tls.maxVersion = endpoints::TlsVersion::Tls1_2;
  tls12.tls.cipherList = std::string(values.tls12Suite.openssl);
  tls12.script = postScript(values.host, "/note", values.tls12Note);
  env.say("your own TLS 1.3 run (" + std::string(values.tls13Suite.iana) + ", " + std::string(values.group) + ") to " +
          values.host + ", and a TLS 1.2 one (" + std::string(values.tls12Suite.iana) + ")");
  RecordedCapture run13 = recordConnections(env.certsDir, {tls13});
  if (!run13.ok()) return run13.error;
  RecordedCapture run12 = recordConnections(env.certsDir, {tls12});
  if (!run12.ok()) return run12.error;
  for (const auto& [name, text] : {std::pair<std::string, std::string>{kTls13Capture, run13.pcapng},
                                   {kTls12Capture, run12.pcapng},
                                   {kTls12KeyLog, run12.connections[0].keyLog}})
    if (auto err = writeMaterial(env.workspace, name, text); !err.empty()) return err;
  return {};
}

CheckResult checkTls12(const CheckEnv& env, std::string_view key) { return judge(tls12Chain(env), key, env); }

CheckResult checkNotDerivable(const CheckEnv& env) {
  const std::string& answer = env.answer("tls12_not_derivable")->value;
  if (namesPreMasterSecret(answer))
    return pass("the pre-master secret (the ECDHE shared secret): the key log holds the master secret made from "
                "it, and the ephemeral private keys it came from are gone");
  const std::string said = normalizedWords(answer);
  if (said.find("master secret") != std::string::npos)
    return fail("the master secret is in tls12.keylog (the CLIENT_RANDOM line)", "what is the master secret made from?");
  if (said.find("key block") != std::string::npos || said.find("verify") != std::string::npos ||
      said.find("write") != std::string::npos)
    return fail("you derived that yourself from the key log", "which value comes before the master secret?");
  return fail("that is not the value a key log cannot give you", "RFC 5246 §8.1: master_secret = PRF(?, \"master secret\", randoms)");
}

LabDefinition define() {
  LabDefinition lab;
  lab.number = 9;
  lab.slug = "keys-by-hand";
  lab.title = "Keys by hand";
  lab.goal = "Derive a connection's keys yourself, step by step, from a key log and from your own run's ephemeral "
             "key, and decrypt one record by hand.";
  lab.minutes = 90;
  lab.tutorial = "09-keys-by-hand.md";
  const char* materialsValue = "(the student's own: computed from their workspace, see `tlslab dissect`)";
  auto fromWorkspace = [materialsValue](const Variant&) { return std::string(materialsValue); };
  lab.questions = {
      {"tls12_key_block", "tls12.pcapng: the key block (RFC 5246 §6.3)", "hex", fromWorkspace},
      {"tls12_client_write_key", "tls12.pcapng: client_write_key", "hex", fromWorkspace},
      {"tls12_client_write_iv", "tls12.pcapng: client_write_IV (the implicit part of the nonce)", "hex", fromWorkspace},
      {"tls12_client_verify_data", "tls12.pcapng: the verify_data of the client's Finished", "12 bytes in hex",
       fromWorkspace},
      {"tls12_not_derivable", "tls12.pcapng: which value of its key derivation can no key log give you?",
       "the value's name", [](const Variant&) { return std::string("pre_master_secret"); }},
  };
  lab.hints = {
      "Start with tls12.pcapng: `tlslab dissect tls12.pcapng --keylog tls12.keylog --json` has the randoms, the "
      "suite and every handshake message's bytes; the key log line CLIENT_RANDOM holds the master secret.",
      "The key block's seed is server_random followed by client_random (the master secret's is the other way "
      "round); its length is 2 × (key + IV) for an AEAD suite.",
      "verify_data hashes every handshake message before the client's Finished, ChangeCipherSpec excluded, with "
      "the suite's hash.",
  };
  lab.personal = [](const Variant& v) {
    const Values values = valuesOf(v);
    return std::vector<std::string>{
        "Your server is `" + values.host + "`. `tls13.pcapng` is your own TLS 1.3 run (" +
            std::string(values.tls13Suite.iana) + ", group " + std::string(values.group) + "): the client sends three "
            "requests.",
        "Your record to decrypt by hand: the client's " + ordinal(values.record) + " request in tls13.pcapng.",
        "`tls12.pcapng` (" + std::string(values.tls12Suite.iana) + ") comes with its key log `tls12.keylog` only."};
  };
  lab.materials = materials;
  lab.checks = {
      {"tls12_key_block", "TLS 1.2: the key block", "tls12_key_block", false,
       [](const CheckEnv& env) { return checkTls12(env, "tls12_key_block"); }},
      {"tls12_client_write_key", "TLS 1.2: the client's write key", "tls12_client_write_key", false,
       [](const CheckEnv& env) { return checkTls12(env, "tls12_client_write_key"); }},
      {"tls12_client_write_iv", "TLS 1.2: the client's write IV", "tls12_client_write_iv", false,
       [](const CheckEnv& env) { return checkTls12(env, "tls12_client_write_iv"); }},
      {"tls12_client_verify_data", "TLS 1.2: the client's Finished", "tls12_client_verify_data", false,
       [](const CheckEnv& env) { return checkTls12(env, "tls12_client_verify_data"); }},
      {"tls12_not_derivable", "TLS 1.2: what a key log cannot give", "tls12_not_derivable", false, checkNotDerivable},
  };
  return lab;
}

}  // namespace

const LabDefinition& lab09KeysByHand() {
  static const LabDefinition lab = define();
  return lab;
}

}  // namespace tlslab::course
