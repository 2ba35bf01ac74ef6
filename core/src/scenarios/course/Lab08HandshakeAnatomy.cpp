// Lab 8 — Handshake anatomy, TLS 1.2 versus 1.3: the same client and server
// make a TLS 1.3, a TLS 1.2 (downgraded) and a HelloRetryRequest connection;
// the student reads flights, round trips, what an observer without keys
// sees, the ALPN choice, the retry group, the downgrade sentinel and the
// middlebox-compatibility ChangeCipherSpecs off their own capture.
#include <algorithm>
#include <array>

#include "CheckHelpers.hpp"
#include "Lab08Checks.hpp"
#include "Labs.hpp"
#include "MaterialFiles.hpp"
#include "tlslab/scenarios/PairLab.hpp"
#include "tlslab/scenarios/course/StudentPki.hpp"

namespace tlslab::course {
namespace lab08 {

using scenarios::AnatomyKind;
using model::Direction;

namespace {

// The server takes two of these (labServerAlpn) and not the others.
constexpr std::array<std::string_view, 4> kServerSide{"h2", "http/1.1", "spdy/3.1", "http/1.0"};
constexpr std::array<std::string_view, 4> kOtherSide{"imap", "webrtc", "coap", "xmpp-client"};
// Groups OpenSSL's client lists but sends no key share for (its share is X25519).
constexpr std::array<std::string_view, 5> kGroups{"P-256", "P-384", "P-521", "X448", "ffdhe2048"};
struct GroupName {
  std::string_view openssl, iana;
  std::uint16_t code;
};
constexpr std::array<GroupName, 6> kGroupNames{{{"P-256", "secp256r1", 0x0017},
                                                {"P-384", "secp384r1", 0x0018},
                                                {"P-521", "secp521r1", 0x0019},
                                                {"X448", "x448", 0x001e},
                                                {"ffdhe2048", "ffdhe2048", 0x0100},
                                                {"X25519", "x25519", 0x001d}}};
constexpr std::array<CcsQuestion, 4> kCcsQuestions{{{AnatomyKind::Tls13, Direction::ServerToClient, true, "ServerHello"},
                                                    {AnatomyKind::Tls13, Direction::ClientToServer, false, "Finished"},
                                                    {AnatomyKind::HelloRetry, Direction::ServerToClient, true, "HelloRetryRequest"},
                                                    {AnatomyKind::HelloRetry, Direction::ClientToServer, false, "ClientHello"}}};

std::vector<AnatomyKind> orderOf(const Variant& v) {
  std::vector<AnatomyKind> order = scenarios::allAnatomyKinds();
  for (std::uint32_t n = v.number("order", 0, 5); n > 0; --n) std::next_permutation(order.begin(), order.end());
  return order;
}

std::vector<std::string> alpnOf(const Variant& v) {
  std::vector<std::string_view> server(kServerSide.begin(), kServerSide.end());
  std::vector<std::string> offer;
  for (int i = 0; i < 2; ++i) {
    auto at = v.number("alpn/" + std::to_string(i), 0, static_cast<std::uint32_t>(server.size() - 1));
    offer.emplace_back(server[at]);
    server.erase(server.begin() + at);
  }
  offer.emplace_back(kOtherSide[v.number("alpn/other", 0, kOtherSide.size() - 1)]);
  // The client's own order, so its first choice is often not the server's.
  std::rotate(offer.begin(), offer.begin() + v.number("alpn/rotate", 0, 2), offer.end());
  return offer;
}

}  // namespace

Values valuesOf(const Variant& v) {
  Values values;
  values.host = studentHost(v, "anatomy");
  values.alpn = alpnOf(v);
  values.hrrGroup = std::string(kGroups[v.number("hrr-group", 0, kGroups.size() - 1)]);
  values.order = orderOf(v);
  values.ccs = kCcsQuestions[v.number("ccs", 0, kCcsQuestions.size() - 1)];
  return values;
}

std::size_t indexOf(const Values& values, AnatomyKind kind) {
  return static_cast<std::size_t>(std::find(values.order.begin(), values.order.end(), kind) - values.order.begin());
}

std::string expectedAlpn(const Values& values) {
  for (const auto& preferred : scenarios::labServerAlpn())
    if (std::find(values.alpn.begin(), values.alpn.end(), preferred) != values.alpn.end()) return preferred;
  return {};
}

std::string ianaGroupName(const std::string& name) {
  for (const auto& g : kGroupNames)
    if (sameText(name, g.openssl) || sameText(name, g.iana) || normalizedHex(name) == fmt::format("{:04x}", g.code) ||
        name == std::to_string(g.code))
      return std::string(g.iana);
  return {};
}

std::string ccsPrompt(const Values& values) {
  const CcsQuestion& q = values.ccs;
  return fmt::format("In connection {} of anatomy.pcapng ({}), which handshake message does the {} send right {} its "
                     "ChangeCipherSpec?",
                     indexOf(values, q.kind), scenarios::anatomyKindName(q.kind),
                     q.from == Direction::ClientToServer ? "client" : "server", q.before ? "before" : "after");
}

namespace {

std::string materials(const MaterialsEnv& env) {
  const Values values = valuesOf(*env.variant);
  auto server = issueStudentServer(env.certsDir, values.host);
  if (!server) return server.error();
  scenarios::AnatomyOptions options;
  options.certsDir = env.certsDir;
  options.host = values.host;
  options.chainPem = server.value().chainPem;
  options.keyPem = server.value().keyPem;
  options.alpn = values.alpn;
  options.hrrGroup = values.hrrGroup;
  options.order = values.order;
  env.say("connecting to " + values.host + " three times (TLS 1.3, TLS 1.2, a HelloRetryRequest) and capturing it");
  scenarios::AnatomyRun run = scenarios::runAnatomy(options);
  if (!run.setupError.empty()) return run.setupError;
  if (!run.ok()) {
    for (const auto& r : run.runs)
      if (!r.scriptOk) return "a connection of the lab failed: " + r.error;
  }
  const std::string capture = scenarios::observerPcapng(run);
  if (capture.empty()) return "the run could not be turned into a capture";
  if (auto err = writeMaterial(env.workspace, kCapture, capture); !err.empty()) return err;
  return writeMaterial(env.workspace, kKeyLog, scenarios::anatomyKeyLog(run));
}

std::string roundTripsOf(const Values& values) {
  std::string text;
  for (AnatomyKind kind : values.order) text += (text.empty() ? "" : " ") + std::string(kind == AnatomyKind::Tls13 ? "1" : "2");
  return text;
}

LabDefinition define() {
  LabDefinition lab;
  lab.number = 8;
  lab.slug = "handshake-anatomy";
  lab.title = "Handshake anatomy: TLS 1.2 versus 1.3";
  lab.goal = "Take a TLS 1.3, a TLS 1.2 and a HelloRetryRequest handshake of the same client and server apart: "
             "flights, round trips, what an eavesdropper reads, and the fields that defend against downgrades.";
  lab.minutes = 75;
  lab.tutorial = "08-handshake-anatomy.md";
  lab.questions = {
      {"round_trips", "How many round trips does each connection of anatomy.pcapng take before the client sends its request?",
       "three numbers, for connections 0, 1 and 2, e.g. 3 3 3", [](const Variant& v) { return roundTripsOf(valuesOf(v)); }},
      {"certificate_connection", "In which connection can an eavesdropper without keys read the server's certificate?",
       "a connection number: 0, 1 or 2",
       [](const Variant& v) { return std::to_string(indexOf(valuesOf(v), AnatomyKind::Tls12)); }},
      {"certificate_name", "Which host name does that certificate name?", "a host name",
       [](const Variant& v) { return valuesOf(v).host; }},
      {"alpn_selected", "Which ALPN protocol did the server choose?", "a protocol name, e.g. h2",
       [](const Variant& v) { return expectedAlpn(valuesOf(v)); }},
      {"hrr_group", "Which group did the HelloRetryRequest ask the client for?", "a group name or code, e.g. x25519",
       [](const Variant& v) { return ianaGroupName(valuesOf(v).hrrGroup); }},
      {"downgrade_sentinel", "What are the last 8 bytes of the ServerHello random in the TLS 1.2 connection?",
       "16 hex digits", [](const Variant&) { return std::string("444f574e47524401"); }},
      {"compat_ccs", "Which message is next to a middlebox-compatibility ChangeCipherSpec?", "a handshake message's name",
       [](const Variant& v) { return std::string(valuesOf(v).ccs.expected); },
       [](const Variant& v) { return ccsPrompt(valuesOf(v)); }},
  };
  lab.hints = {
      "`tlslab dissect anatomy.pcapng` is what an eavesdropper sees; `tlslab dissect anatomy.pcapng --keylog "
      "anatomy.keys` what the endpoints see. Each connection's line says its version.",
      "A flight is what one side sends before it must wait for the other; count the server's flights before the "
      "client's first Application Data record. (TLS 1.3's NewSessionTickets come after the handshake: nobody waits "
      "for them.)",
      "ALPN: the client offers a list, the server chooses by its own preference (RFC 7301 §3.2); its choice is in "
      "the ServerHello in TLS 1.2 and in EncryptedExtensions in TLS 1.3.",
      "A HelloRetryRequest is a ServerHello with a fixed random; its key_share extension names one group "
      "(selected_group). The downgrade sentinel is the end of the other kind of ServerHello's random (RFC 8446 "
      "§4.1.3).",
      "`tlslab lab run anatomy` with your --alpn and --server-groups from README.md prints all of it for a fresh run: "
      "compare with your capture.",
  };
  lab.personal = [](const Variant& v) {
    const Values values = valuesOf(v);
    std::string alpn;
    for (const auto& p : values.alpn) alpn += (alpn.empty() ? "" : ",") + p;
    return std::vector<std::string>{
        "Your server is `" + values.host + "`. `anatomy.pcapng` holds three connections of one client to it (TLS 1.3, "
        "TLS 1.2 and one with a HelloRetryRequest, in an order of your own); `anatomy.keys` is their key log.",
        "Your client offers ALPN `" + alpn + "`; your HelloRetryRequest server takes only `" + values.hrrGroup +
            "`. The same run, narrated: `tlslab lab run anatomy --alpn " + alpn + " --server-groups " + values.hrrGroup + "`"};
  };
  lab.materials = materials;
  lab.checks = {
      {"round_trips", "round trips of each handshake", "round_trips", false, checkRoundTrips},
      {"certificate_connection", "where an eavesdropper reads the certificate", "certificate_connection", false,
       checkCertificateConnection},
      {"certificate_name", "the name in that certificate", "certificate_name", false, checkCertificateName},
      {"alpn_selected", "the ALPN protocol the server chose", "alpn_selected", false, checkAlpn},
      {"hrr_group", "the group the HelloRetryRequest asked for", "hrr_group", false, checkRetryGroup},
      {"downgrade_sentinel", "the downgrade sentinel in the TLS 1.2 ServerHello", "downgrade_sentinel", false,
       checkSentinel},
      {"compat_ccs", "the middlebox-compatibility ChangeCipherSpec's neighbour", "compat_ccs", false, checkCompatCcs},
  };
  return lab;
}

}  // namespace
}  // namespace lab08

const LabDefinition& lab08HandshakeAnatomy() {
  static const LabDefinition lab = lab08::define();
  return lab;
}

}  // namespace tlslab::course
