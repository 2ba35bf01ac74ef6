// Lab 1 — Eavesdropping: the same login over plain TCP and over TLS, both
// captured; the password is in one capture and not in the other, while the
// TLS capture still shows the server name, the suite and the lengths.
#include <array>
#include <fstream>

#include "CheckHelpers.hpp"
#include "Labs.hpp"
#include "tlslab/scenarios/EavesdropLab.hpp"
#include "tlslab/scenarios/course/StudentPki.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::course {
namespace {

struct Suite {
  std::string_view name;
  std::uint16_t code;
};
// All three have a 16-byte tag, so the record-length question has one formula.
constexpr std::array<Suite, 3> kSuites{{{"TLS_AES_128_GCM_SHA256", 0x1301},
                                        {"TLS_AES_256_GCM_SHA384", 0x1302},
                                        {"TLS_CHACHA20_POLY1305_SHA256", 0x1303}}};

// Everything of a student's variant the lab uses.
struct Lab1Values {
  std::string host, user, password;
  Suite suite;
  std::string request;
  std::size_t recordLength() const { return request.size() + 1 + 16; }  // + inner type + AEAD tag (RFC 8446 §5.2)
};

Lab1Values valuesOf(const Variant& v) {
  Lab1Values values;
  values.host = studentHost(v);
  values.user = v.student();
  values.password = v.password();
  values.suite = kSuites[v.number("suite", 0, kSuites.size() - 1)];
  values.request = scenarios::loginRequest(values.host, values.user, values.password);
  return values;
}

std::string materials(const MaterialsEnv& env) {
  const Lab1Values values = valuesOf(*env.variant);
  auto server = issueStudentServer(env.certsDir, values.host);
  if (!server) return server.error();
  scenarios::EavesdropOptions options;
  options.certsDir = env.certsDir;
  options.host = values.host;
  options.chainPem = server.value().chainPem;
  options.keyPem = server.value().keyPem;
  options.user = values.user;
  options.password = values.password;
  options.tls13Suite = std::string(values.suite.name);
  env.say("logging in to " + values.host + " twice, over plain TCP and over TLS, and capturing both");
  auto run = scenarios::runEavesdrop(options);
  if (!run.setupError.empty()) return run.setupError;
  if (!run.ok()) return "the login did not complete: " + (run.plain.client.error.empty() ? run.tls.client.error : run.plain.client.error);
  for (auto [name, leg] : {std::pair{"plain-login.pcapng", &run.plain}, std::pair{"tls-login.pcapng", &run.tls}}) {
    std::ofstream out(env.workspace / name, std::ios::binary | std::ios::trunc);
    out << leg->pcapng;
    if (!out) return std::string("cannot write ") + name;
    env.say(std::string(name) + ": " + leg->captureMethod);
  }
  return {};
}

CheckResult checkPassword(const CheckEnv& env) {
  const Lab1Values values = valuesOf(*env.variant);
  std::string answer = env.answer("password")->value;
  if (answer.rfind("password=", 0) == 0) answer.erase(0, 9);
  if (answer == values.password) return pass("yes: the client sent password=" + values.password + " in cleartext");
  if (sameText(answer, values.password))
    return fail("almost: passwords are case-sensitive", "copy it exactly as it appears after password=");
  if (sameText(answer, values.user))
    return fail("that is the user name", "the password follows '&password=' in the body of the POST");
  if (answer.find("user=") != std::string::npos)
    return fail("that is the whole form body", "give only what follows 'password='");
  return fail("that is not the password in your plain-login.pcapng",
              "`tlslab follow plain-login.pcapng 0` prints what the client sent; look at the body of POST /login");
}

CheckResult checkServerName(const CheckEnv& env) {
  const Lab1Values values = valuesOf(*env.variant);
  const std::string& answer = env.answer("server_name")->value;
  if (sameText(answer, values.host))
    return pass(values.host + " travels in cleartext in the ClientHello's server_name extension (RFC 6066 §3)");
  if (sameText(answer, "bank32.com") || sameText(answer, "127.0.0.1"))
    return fail("that is not the name in your capture's ClientHello",
                "`tlslab dissect tls-login.pcapng` shows the ClientHello; look for server_name");
  return fail("'" + answer + "' is not the server_name your client sent",
              "find the ClientHello in `tlslab dissect tls-login.pcapng` and its server_name extension");
}

CheckResult checkSuite(const CheckEnv& env) {
  const Lab1Values values = valuesOf(*env.variant);
  const std::string& answer = env.answer("cipher_suite")->value;
  std::string hex = normalizedHex(answer);
  bool byCode = hex == fmt::format("{:04x}", values.suite.code);
  if (byCode || sameText(answer, values.suite.name) || normalizedWords(answer) == normalizedWords(values.suite.name))
    return pass(fmt::format("{} (0x{:04x}), chosen by the server in its ServerHello", values.suite.name, values.suite.code));
  for (const auto& other : kSuites)
    if (sameText(answer, other.name) || hex == fmt::format("{:04x}", other.code))
      return fail(std::string(other.name) + " is offered in the ClientHello, but the server chose another",
                  "the ServerHello carries the one suite the server picked");
  return fail("'" + answer + "' is not the suite of tls-login.pcapng",
              "`tlslab dissect tls-login.pcapng` names the suite in the ServerHello (e.g. TLS_AES_128_GCM_SHA256)");
}

CheckResult checkRecordLength(const CheckEnv& env) {
  const Lab1Values values = valuesOf(*env.variant);
  auto n = answerNumber(env.answer("login_record_length")->value);
  if (!n) return fail("that is not a number of bytes", "write the record's length field, e.g. 210");
  const long long right = static_cast<long long>(values.recordLength());
  const long long plain = static_cast<long long>(values.request.size());
  if (*n == right)
    return pass(fmt::format("{} bytes: the {}-byte login, 1 byte of real content type, a 16-byte tag", right, plain));
  if (*n == plain)
    return fail("that is the length of the login itself, not of the record",
                "a TLS 1.3 record also carries its real content type (1 byte) and the AEAD tag (16 bytes): RFC 8446 §5.2");
  if (*n == right + 5) return fail("you counted the 5-byte record header", "the length field counts the bytes after the header");
  if (*n == plain + 16 || *n == plain + 1)
    return fail("almost: one part of the record is missing from your count",
                "plaintext + 1 byte of inner content type + 16 bytes of tag");
  return fail(fmt::format("no application-data record of the client has {} bytes", *n),
              "in `tlslab dissect tls-login.pcapng`, take the client's first application-data record after its Finished");
}

CheckResult checkPasswordLength(const CheckEnv& env) {
  const Lab1Values values = valuesOf(*env.variant);
  auto n = answerNumber(env.answer("password_length")->value);
  if (!n) return fail("that is not a number", "write the number of characters, e.g. 17");
  if (*n == static_cast<long long>(values.password.size()))
    return pass(fmt::format("{} characters: TLS hides the bytes, not how many there are", values.password.size()));
  return fail(fmt::format("{} is not the length of the password inside your record", *n),
              "record length − 17 = the request's length; subtract every byte of the request you know "
              "(the form without the password: see the plain capture) and what is left is the password");
}

LabDefinition define() {
  LabDefinition lab;
  lab.number = 1;
  lab.slug = "eavesdropping";
  lab.title = "Eavesdropping";
  lab.goal = "Read a password off the wire, then see what TLS hides from an eavesdropper and what it does not.";
  lab.minutes = 45;
  lab.tutorial = "01-eavesdropping.md";
  lab.questions = {
      {"password", "What password did the client send in plain-login.pcapng?", "the password, exactly",
       [](const Variant& v) { return valuesOf(v).password; }},
      {"server_name", "Which server name did the TLS client ask for in tls-login.pcapng?", "a host name",
       [](const Variant& v) { return valuesOf(v).host; }},
      {"cipher_suite", "Which cipher suite protects tls-login.pcapng?", "its IANA name or code, e.g. TLS_AES_128_GCM_SHA256",
       [](const Variant& v) { return std::string(valuesOf(v).suite.name); }},
      {"login_record_length", "What is the length field of the TLS record that carries the login?", "a number of bytes",
       [](const Variant& v) { return std::to_string(valuesOf(v).recordLength()); }},
      {"password_length", "From that length alone, how many characters does the password have?", "a number",
       [](const Variant& v) { return std::to_string(valuesOf(v).password.size()); }},
  };
  lab.hints = {
      "Start with the plain capture: `tlslab dissect plain-login.pcapng` lists its connection, and "
      "`tlslab follow plain-login.pcapng 0` prints what each side sent.",
      "The password is in the body of the POST /login request, after `password=`.",
      "`tlslab dissect tls-login.pcapng` shows the ClientHello (look for server_name) and the ServerHello (the "
      "suite); the client's records after its Finished carry the request.",
      "A TLS 1.3 record is its plaintext + 1 byte (the real content type) + 16 bytes (the AEAD tag). The plain "
      "capture shows you every byte of the login except the password: subtract.",
  };
  lab.personal = [](const Variant& v) {
    const Lab1Values values = valuesOf(v);
    return std::vector<std::string>{
        "You are `" + values.user + "`, logging in to https://" + values.host + "/ — the two captures in this "
        "folder are of that login: `plain-login.pcapng` without TLS, `tls-login.pcapng` with TLS 1.3.",
        "Your password is in one of them. Find it."};
  };
  lab.materials = materials;
  lab.checks = {
      {"password", "the password read off the plain capture", "password", false, checkPassword},
      {"server_name", "the server name the TLS capture still shows", "server_name", false, checkServerName},
      {"cipher_suite", "the cipher suite of the TLS capture", "cipher_suite", false, checkSuite},
      {"login_record_length", "the length of the record carrying the login", "login_record_length", false,
       checkRecordLength},
      {"password_length", "the password's length, leaked by the record length", "password_length", false,
       checkPasswordLength},
  };
  return lab;
}

}  // namespace

const LabDefinition& lab01Eavesdropping() {
  static const LabDefinition lab = define();
  return lab;
}

}  // namespace tlslab::course
