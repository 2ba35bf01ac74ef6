#include "Lab08Checks.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>

#include "CheckHelpers.hpp"
#include "MaterialFiles.hpp"
#include "tlslab/scenarios/CertificateCompare.hpp"
#include "tlslab/scenarios/course/Answers.hpp"

namespace tlslab::course::lab08 {

using model::Direction;
using scenarios::AnatomyKind;
using scenarios::HandshakeAnatomy;

namespace {

constexpr const char* kDissect = "`tlslab dissect anatomy.pcapng --keylog anatomy.keys`";

// The student's capture, read as an eavesdropper and as the endpoints.
struct Loaded {
  Values values;
  scenarios::CaptureAnatomy anatomy;
  std::vector<AnatomyKind> kinds;  // what each connection of the capture is
  std::optional<CheckResult> problem;
  std::size_t index(AnatomyKind kind) const {
    return static_cast<std::size_t>(std::find(kinds.begin(), kinds.end(), kind) - kinds.begin());
  }
  const HandshakeAnatomy& of(AnatomyKind kind) const { return anatomy.connections[index(kind)]; }
};

AnatomyKind kindOf(const HandshakeAnatomy& a) {
  if (a.version != 0x0304) return AnatomyKind::Tls12;
  return a.retryGroup.empty() ? AnatomyKind::Tls13 : AnatomyKind::HelloRetry;
}

Loaded load(const CheckEnv& env) {
  Loaded l;
  l.values = valuesOf(*env.variant);
  auto capture = readMaterial(env.workspace, kCapture);
  auto keyLog = capture ? readMaterial(env.workspace, kKeyLog, std::size_t{1} << 20) : capture;
  if (!capture || !keyLog) {
    l.problem = fail(capture ? keyLog.error() : capture.error(), "the checker reads your answers off your own capture");
    return l;
  }
  l.anatomy = scenarios::anatomizeCapture(asBytes(capture.value()), keyLog.value());
  if (!l.anatomy.error.empty()) {
    l.problem = fail("anatomy.pcapng cannot be read: " + l.anatomy.error, "make your workspace again with `tlslab lab start 8`");
    return l;
  }
  for (const auto& a : l.anatomy.connections) {
    if (a.sni != l.values.host) {
      l.problem = fail("anatomy.pcapng is not the capture made for you: its client asked for '" + a.sni + "', yours for " +
                           l.values.host,
                       "answer from the capture in your own workspace (`tlslab lab start 8` makes it again)");
      return l;
    }
    l.kinds.push_back(kindOf(a));
  }
  std::vector<AnatomyKind> sorted = l.kinds;
  std::sort(sorted.begin(), sorted.end());
  if (sorted != scenarios::allAnatomyKinds())
    l.problem = fail("anatomy.pcapng does not hold one TLS 1.3, one TLS 1.2 and one HelloRetryRequest connection",
                     "make your workspace again with `tlslab lab start 8`");
  return l;
}

std::vector<long long> numbersIn(const std::string& text) {
  std::vector<long long> numbers;
  static const std::regex number("[0-9]+");
  for (std::sregex_iterator it(text.begin(), text.end(), number), end; it != end; ++it)
    numbers.push_back(std::stoll(it->str()));
  return numbers;
}

// "server_hello", "Server Hello", "ServerHello" are one message.
std::string lettersOf(std::string_view text) {
  std::string out;
  for (unsigned char c : text)
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  return out;
}
bool sameMessage(std::string_view a, std::string_view b) { return lettersOf(a) == lettersOf(b); }

// The last 8 bytes of a random, in hex ("" when there is no random).
std::string tailHex(const Bytes& random) { return random.size() < 8 ? std::string() : toHex(ByteView(random).last(8)); }

}  // namespace

CheckResult checkRoundTrips(const CheckEnv& env) {
  Loaded l = load(env);
  if (l.problem) return *l.problem;
  const std::vector<long long> said = numbersIn(env.answer("round_trips")->value);
  std::vector<long long> right, flights;
  for (const auto& a : l.anatomy.connections) {
    right.push_back(a.roundTrips);
    flights.push_back(static_cast<long long>(a.flights.size()));
  }
  std::string kinds;
  for (std::size_t i = 0; i < l.kinds.size(); ++i)
    kinds += fmt::format("{}connection {} is {}", i ? ", " : "", i, scenarios::anatomyKindName(l.kinds[i]));
  if (said.size() != right.size())
    return fail(fmt::format("write {} numbers, one per connection, in the order 0, 1, 2", right.size()),
                "e.g. `round_trips: 3 3 3` (not the right numbers)");
  if (said == right)
    return pass(fmt::format("{} {} {}: TLS 1.3 needs 1 round trip before the request, TLS 1.2 needs 2, and a "
                            "HelloRetryRequest costs TLS 1.3 one more",
                            right[0], right[1], right[2]));
  if (said == flights)
    return fail("those are the flights up to the request, not the round trips",
                "a round trip is a flight of the client answered by a flight of the server: count the server's flights "
                "before the client's first Application Data");
  std::vector<long long> a = said, b = right;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  if (a == b) return fail("the right numbers in the wrong order: " + kinds, "write them in the capture's order");
  if (said[l.index(AnatomyKind::Tls13)] == 0)
    return fail("no full handshake takes 0 round trips: that is 0-RTT early data (RFC 8446 §2.3), which needs a "
                "session to resume",
                "this capture has no resumption: the client waits for the server's flight at least once");
  for (std::size_t i = 0; i < said.size(); ++i)
    if (said[i] != right[i])
      return fail(fmt::format("connection {} ({}) is not {} round trip(s)", i, scenarios::anatomyKindName(l.kinds[i]),
                              said[i]),
                  std::string("count the server flights before the client's first Application Data in ") + kDissect +
                      " (TLS 1.3's NewSessionTickets come after the handshake: nobody waits for them)");
  return fail("not the round trips of your capture", kDissect);
}

CheckResult checkCertificateConnection(const CheckEnv& env) {
  Loaded l = load(env);
  if (l.problem) return *l.problem;
  const std::string& answer = env.answer("certificate_connection")->value;
  const std::size_t right = l.index(AnatomyKind::Tls12);
  const std::string said = normalizedWords(answer);
  if (said == "none" || said == "no" || said == "neither")
    return fail("one connection shows it to anyone", "`tlslab dissect anatomy.pcapng` (no keys): which connection lists a Certificate in the clear?");
  if (said == "all" || said == "every" || said.find("both") != std::string::npos)
    return fail("not in every connection: TLS 1.3 encrypts the Certificate", "which connection is TLS 1.2?");
  auto n = answerNumber(answer);
  if (!n) return fail("write the connection's number: 0, 1 or 2", "the number `tlslab dissect anatomy.pcapng` gives it");
  if (static_cast<std::size_t>(*n) == right)
    return pass(fmt::format("connection {} is TLS 1.2: its Certificate crosses the wire in the clear, with the "
                            "ServerHello; anyone on the path learns which site and which CA",
                            right));
  if (*n >= 0 && static_cast<std::size_t>(*n) < l.kinds.size())
    return fail(fmt::format("connection {} is {}: its Certificate comes after the ServerHello, encrypted under the "
                            "handshake keys (RFC 8446 §2)",
                            *n, scenarios::anatomyKindName(l.kinds[static_cast<std::size_t>(*n)])),
                "without keys, `tlslab dissect anatomy.pcapng` shows it only as [encrypted] records");
  return fail(fmt::format("anatomy.pcapng has no connection {}", *n), "its connections are 0, 1 and 2");
}

CheckResult checkCertificateName(const CheckEnv& env) {
  Loaded l = load(env);
  if (l.problem) return *l.problem;
  const std::string& answer = env.answer("certificate_name")->value;
  const auto& chain = l.anatomy.observed.connections[l.index(AnatomyKind::Tls12)].serverCertificates;
  if (chain.empty()) return fail("the TLS 1.2 connection of your capture has no readable certificate", "make your workspace again");
  const scenarios::CertificateSummary leaf = scenarios::summarizeCertificate(chain[0]);
  if (sameText(answer, l.values.host) && leaf.names.find(l.values.host) != std::string::npos)
    return pass(l.values.host + ", in the subjectAltName of the certificate the eavesdropper read");
  if (sameText(answer, "bank32.com"))
    return fail("that is the lab's usual server; your capture's certificate names another", "read it in the TLS 1.2 connection");
  if (chain.size() > 1 && scenarios::summarizeCertificate(chain[1]).subject.find(answer) != std::string::npos)
    return fail("that names the CA that issued the certificate, not the server",
                "the server's own certificate is the first of the Certificate message");
  return fail("'" + answer + "' is not the name in your capture's certificate",
              "`tlslab dissect anatomy.pcapng --json` holds the certificate; or the server name the client asked for");
}

CheckResult checkAlpn(const CheckEnv& env) {
  Loaded l = load(env);
  if (l.problem) return *l.problem;
  const std::string answer = env.answer("alpn_selected")->value;
  const HandshakeAnatomy& tls12 = l.of(AnatomyKind::Tls12);
  const std::string& right = tls12.alpnSelected;
  if (!right.empty() && sameText(answer, right))
    return pass(right + ": the server's choice among your client's offer; an eavesdropper reads it in the TLS 1.2 "
                        "ServerHello, while TLS 1.3 carries it in the encrypted EncryptedExtensions");
  const auto& offer = tls12.alpnOffered;
  auto offered = std::find_if(offer.begin(), offer.end(), [&](const std::string& p) { return sameText(p, answer); });
  if (offered == offer.begin())
    return fail("that is your client's first choice; the server chooses by its own preference (RFC 7301 §3.2)",
                "the ServerHello of the TLS 1.2 connection (in the clear) names the protocol it chose");
  if (offered != offer.end())
    return fail("your client offered it, but the server preferred another of the offer",
                "look for application_layer_protocol_negotiation in the TLS 1.2 ServerHello");
  return fail("your client never offered '" + answer + "'",
              "the ClientHello's application_layer_protocol_negotiation lists the offer; the server picks one of them");
}

CheckResult checkRetryGroup(const CheckEnv& env) {
  Loaded l = load(env);
  if (l.problem) return *l.problem;
  const std::string& answer = env.answer("hrr_group")->value;
  const HandshakeAnatomy& retry = l.of(AnatomyKind::HelloRetry);
  const std::string said = ianaGroupName(answer);
  if (!said.empty() && said == retry.retryGroup)
    return pass(retry.retryGroup + ": the client had sent a key share for " + retry.firstKeyShare +
                " only; the server takes " + retry.retryGroup + ", so it asked again, at the cost of a round trip");
  if (!said.empty() && said == retry.firstKeyShare)
    return fail("that is the key share the client sent first, the one the server refused",
                "the HelloRetryRequest's key_share extension names the group it wants (selected_group)");
  if (said.empty())
    return fail("'" + answer + "' is not a group the lab knows", "write its name (e.g. secp256r1 or P-256) or its code");
  return fail("your HelloRetryRequest asked for another group", std::string("its key_share/selected_group in ") + kDissect);
}

CheckResult checkSentinel(const CheckEnv& env) {
  Loaded l = load(env);
  if (l.problem) return *l.problem;
  std::string answer = env.answer("downgrade_sentinel")->value;
  const HandshakeAnatomy& tls12 = l.of(AnatomyKind::Tls12);
  const std::string right = tailHex(tls12.serverRandom);
  const std::string text = lettersOf(answer);
  std::string hex = normalizedHex(answer);
  if (text == "downgrdx01" || text == "downgrd01") hex = "444f574e47524401";
  if (text == "downgrdx00" || text == "downgrd00") hex = "444f574e47524400";
  if (!right.empty() && hex == right && !tls12.downgradeSentinel.empty())
    return pass(scenarios::sentinelText(tls12.downgradeSentinel) +
                " = \"DOWNGRD\\x01\": the server can do TLS 1.3 and says, inside the random it signs, that it was "
                "made to use 1.2 (RFC 8446 §4.1.3)");
  if (hex == "444f574e47524400")
    return fail("…00 marks a downgrade to TLS 1.1 or below; this server negotiated TLS 1.2",
                "read the last byte of your ServerHello random");
  if (!right.empty() && hex == toHex(tls12.serverRandom))
    return fail("that is the whole random; the sentinel is its last 8 bytes", "16 hex digits");
  for (AnatomyKind kind : {AnatomyKind::Tls13, AnatomyKind::HelloRetry}) {
    const std::string tail = tailHex(l.of(kind).serverRandom);
    if (!tail.empty() && hex == tail)
      return fail("those are the last bytes of the TLS 1.3 connection's ServerHello: random, since nothing was "
                  "downgraded there",
                  "the sentinel is in the TLS 1.2 connection's ServerHello");
  }
  if (hex == "079e09e2c8a8339c")
    return fail("that is the end of the HelloRetryRequest's fixed random, SHA-256(\"HelloRetryRequest\")",
                "the sentinel is in the TLS 1.2 connection's ServerHello");
  if (hex.size() != 16) return fail("write 8 bytes as 16 hex digits", "the last 8 of the 32-byte random");
  return fail("those are not the last 8 bytes of your TLS 1.2 ServerHello's random",
              "the ServerHello's random field in `tlslab dissect anatomy.pcapng --json`, or `tlslab lab run anatomy`");
}

CheckResult checkCompatCcs(const CheckEnv& env) {
  Loaded l = load(env);
  if (l.problem) return *l.problem;
  const CcsQuestion& q = l.values.ccs;
  const std::string& answer = env.answer("compat_ccs")->value;
  const HandshakeAnatomy& a = l.of(q.kind);
  auto ccs = std::find_if(a.changeCipherSpecs.begin(), a.changeCipherSpecs.end(),
                          [&](const HandshakeAnatomy::Ccs& c) { return c.from == q.from; });
  if (ccs == a.changeCipherSpecs.end())
    return fail("that side sent no ChangeCipherSpec in your capture", "make your workspace again with `tlslab lab start 8`");
  const std::string& right = q.before ? ccs->before : ccs->after;
  const std::string& other = q.before ? ccs->after : ccs->before;
  if (sameMessage(answer, right))
    return pass(right + ": a dummy ChangeCipherSpec that a TLS 1.3 peer ignores, sent so the handshake looks like "
                        "a TLS 1.2 resumption to middleboxes (RFC 8446 Appendix D.4)");
  if (sameMessage(answer, "ChangeCipherSpec"))
    return fail("the question asks for the message next to the ChangeCipherSpec", ccsPrompt(l.values));
  if (!other.empty() && sameMessage(answer, other))
    return fail(std::string("that one comes right ") + (q.before ? "after" : "before") + " it; the question asks " +
                    (q.before ? "before" : "after"),
                "read the same side's messages in the order they were sent");
  for (const char* tls12 : {"ClientKeyExchange", "ServerHelloDone", "NewSessionTicket"})
    if (sameMessage(answer, tls12))
      return fail("that is TLS 1.2's real ChangeCipherSpec, which switches to the new keys; the question is about "
                  "the TLS 1.3 connection " + std::to_string(l.index(q.kind)),
                  ccsPrompt(l.values));
  return fail("'" + answer + "' is not next to that ChangeCipherSpec in your capture", kDissect);
}

}  // namespace tlslab::course::lab08
