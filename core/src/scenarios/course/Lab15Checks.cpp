// Lab 15's checks, read off the student's own QUIC run (Lab15Checks.hpp).
#include "Lab15Checks.hpp"

#include <fstream>
#include <optional>

#include "CheckHelpers.hpp"
#include "tlslab/crypto/Quic.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/keys/KeyStore.hpp"
#include "tlslab/scenarios/QuicLab.hpp"
#include "tlslab/scenarios/course/LabValues.hpp"

namespace tlslab::course::lab15 {
namespace {

namespace fs = std::filesystem;
namespace quic = crypto::quic;

constexpr std::size_t kCaptureLimit = std::size_t{8} << 20;  // a lab run is a few dozen kilobytes
constexpr const char* kMake = "in your workspace run `tlslab lab run quic -o quic` (capturing needs root or CAP_NET_RAW)";

struct OwnRun {
  model::TraceConnection blind;  // dissected without keys: what anyone on the path reads
  model::TraceConnection keyed;  // with quic/keys.log
  scenarios::QuicObserved seen;  // of `blind`
};

std::optional<std::string> readBounded(const fs::path& file, std::string& problem) {
  std::error_code ec;
  const std::string name = std::string(kRunDir) + "/" + file.filename().string();
  if (!fs::is_regular_file(file, ec)) {
    problem = name + " is not in your workspace";
    return std::nullopt;
  }
  if (fs::file_size(file, ec) > kCaptureLimit) {
    problem = name + " is larger than 8 MiB: not a run of this lab";
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  return bytes;
}

std::optional<model::TraceConnection> quicConnection(const std::string& capture, keys::KeyStore& keys, std::string& problem) {
  auto trace = dissect::dissectBytes(asBytes(capture), keys);
  if (!trace) {
    problem = std::string(kRunDir) + "/" + scenarios::kQuicCaptureFile + " cannot be read: " + trace.error().message();
    return std::nullopt;
  }
  for (auto& c : trace->connections)
    if (c.quic) return std::move(c);
  problem = std::string(kRunDir) + "/" + scenarios::kQuicCaptureFile + " holds no QUIC connection";
  return std::nullopt;
}

// "" when the run is the student's and readable; else why not. The binding:
// the ClientHello names the student's server (`tlslab lab run quic` sends it
// with --student or inside the workspace), so another student's run is refused.
std::string loadRun(const CheckEnv& env, OwnRun& run) {
  const fs::path dir = env.workspace / kRunDir;
  std::string problem;
  auto capture = readBounded(dir / scenarios::kQuicCaptureFile, problem);
  if (!capture) return problem;
  keys::KeyStore none;
  auto blind = quicConnection(*capture, none, problem);
  if (!blind) return problem;
  run.blind = std::move(*blind);
  run.seen = scenarios::observeQuic(run.blind);
  const std::string mine = quicServerName(*env.variant);
  if (!run.seen.clientHello) return "the ClientHello cannot be read out of the Initial packets of your capture";
  if (run.seen.sni != mine)
    return "quic/quic.pcapng is not your run: its ClientHello names " + (run.seen.sni.empty() ? "no server" : run.seen.sni) +
           ", your server is " + mine;
  if (auto keyLog = readBounded(dir / scenarios::kQuicKeyLogFile, problem)) {
    keys::KeyStore store;
    (void)store.addKeyLogText(*keyLog, "quic/keys.log");
    if (auto keyed = quicConnection(*capture, store, problem)) run.keyed = std::move(*keyed);
  }
  return {};
}

CheckResult refuse(const std::string& why) { return fail(why, kMake); }

std::string answerHex(const CheckEnv& env, std::string_view key) { return normalizedHex(env.answer(key)->value); }

// The first server Initial's Source Connection ID: the DCID the client uses from then on (RFC 9000 §7.2).
Bytes serverScid(const model::TraceConnection& conn) {
  for (const auto& p : conn.quic->packets)
    if (p.direction == model::Direction::ServerToClient && p.type == "Initial") return p.scid;
  return {};
}

Bytes clientScid(const model::TraceConnection& conn) {
  for (const auto& p : conn.quic->packets)
    if (p.direction == model::Direction::ClientToServer && p.type == "Initial") return p.scid;
  return {};
}

// What a wrong key is instead, among every value of the Initial derivation
// (and the same derivation from the wrong inputs); "" when none.
std::string whatKeyIs(const std::string& answer, const model::TraceConnection& conn, const Bytes& dcid) {
  auto keys = quic::deriveInitialKeys(quic::kVersion1, dcid);
  if (!keys) return {};
  const std::pair<const Bytes*, const char*> values[] = {
      {&keys->client.key, "the client's quic key (the packet protection key)"},
      {&keys->client.iv, "the client's quic iv: it makes the nonce, it is not a key"},
      {&keys->client.hp, "the client's quic hp key (header protection)"},
      {&keys->server.key, "the server's Initial key: the server's Initials are protected with the \"server in\" secret"},
      {&keys->server.iv, "the server's Initial iv"},
      {&keys->server.hp, "the server's header protection key"},
      {&keys->initialSecret, "initial_secret, the HKDF-Extract of the DCID: two expansions away from a key"},
      {&keys->client.secret, "client_initial_secret: the key is expanded from it with the label \"quic key\" (or \"quic hp\")"},
      {&keys->server.secret, "server_initial_secret"},
  };
  for (auto [bytes, what] : values)
    if (answer == toHex(*bytes)) return std::string("that is ") + what;
  if (auto draft = quic::deriveInitialKeys(quic::kVersionDraft29, dcid);
      draft && (answer == toHex(draft->client.key) || answer == toHex(draft->client.hp)))
    return "that comes from draft-29's salt; your capture is QUIC v1, whose salt RFC 9001 §5.2 gives";
  for (const Bytes& other : {serverScid(conn), clientScid(conn)}) {
    if (other.empty()) continue;
    if (auto wrong = quic::deriveInitialKeys(quic::kVersion1, other);
        wrong && (answer == toHex(wrong->client.key) || answer == toHex(wrong->client.hp)))
      return "that is derived from " + toHex(other) +
             ", a Source Connection ID: the Initial keys come from the DCID of the client's *first* Initial";
  }
  if (answer.size() != 32) return "a QUIC v1 Initial key has 16 bytes (32 hex digits); that has " + std::to_string(answer.size() / 2);
  return {};
}

CheckResult checkKey(const CheckEnv& env, std::string_view question, bool hp) {
  OwnRun run;
  if (auto err = loadRun(env, run); !err.empty()) return refuse(err);
  auto keys = quic::deriveInitialKeys(quic::kVersion1, run.seen.dcid);
  if (!keys) return skipped("the checker could not derive the Initial keys: " + keys.error());
  const Bytes& right = hp ? keys->client.hp : keys->client.key;
  const std::string answer = answerHex(env, question);
  if (answer == toHex(right))
    return pass(std::string(hp ? "quic hp = HKDF-Expand-Label(client_initial_secret, \"quic hp\", \"\", 16): AES-128 of a "
                                 "16-byte sample of the ciphertext gives the mask that hides the packet number"
                               : "quic key = HKDF-Expand-Label(client_initial_secret, \"quic key\", \"\", 16), the "
                                 "AES-128-GCM key of your client's Initials") +
                " — computed from nothing but the DCID " + toHex(run.seen.dcid) + " and the published salt");
  if (answer.empty()) return fail("that is not hex", "write the key's 32 hex digits");
  std::string is = whatKeyIs(answer, run.blind, run.seen.dcid);
  if (is.rfind("that is the client's quic key", 0) == 0 && hp)
    is = "that is the packet protection key (quic key); header protection has a key of its own, \"quic hp\"";
  if (is.rfind("that is the client's quic hp", 0) == 0 && !hp)
    is = "that is the header protection key (quic hp); the payload's AEAD key has the label \"quic key\"";
  const std::string hint = "`tlslab keys quic-initial --dcid " + toHex(run.seen.dcid) + "` shows every step";
  return fail(is.empty() ? "that is not the client Initial's " + std::string(hp ? "quic hp key" : "quic key") +
                               " for the DCID of your capture"
                         : is,
              hint);
}

}  // namespace

CheckResult checkInitialDcid(const CheckEnv& env) {
  OwnRun run;
  if (auto err = loadRun(env, run); !err.empty()) return refuse(err);
  const std::string answer = answerHex(env, "initial_dcid");
  const std::string right = toHex(run.seen.dcid);
  if (answer == right)
    return pass(right + ": in clear in the long header of the client's first Initial, and the only input of the "
                "Initial keys besides a published salt (RFC 9001 §5.2)");
  if (answer == toHex(clientScid(run.blind)))
    return fail("that is the client's own Source Connection ID: the ID it wants the server to use",
                "the Destination Connection ID comes first in the long header (RFC 9000 §17.2)");
  if (answer == toHex(serverScid(run.blind)))
    return fail("that is the server's connection ID, which the client uses as DCID from the server's first Initial on "
                "(RFC 9000 §7.2); the Initial keys stay those of the first DCID",
                "look at the client's very first Initial packet");
  return fail("that is not the DCID of your client's first Initial",
              "`tlslab dissect quic/quic.pcapng` prints it: \"Initial keys from the DCID …\"");
}

CheckResult checkServerName(const CheckEnv& env) {
  OwnRun run;
  if (auto err = loadRun(env, run); !err.empty()) return refuse(err);
  const std::string& answer = env.answer("server_name")->value;
  if (sameText(answer, run.seen.sni))
    return pass(run.seen.sni + ": read out of the ClientHello in an Initial packet, without any key from the run — "
                "QUIC encrypts the Initials, but with keys anyone can compute");
  if (sameText(answer, "127.0.0.1"))
    return fail("that is the address the client sent to; the name is in the ClientHello's server_name extension",
                "`tlslab dissect quic/quic.pcapng` (no key log) shows the ClientHello");
  if (sameText(answer, "bank32.com"))
    return fail("bank32.com is the name on the server's certificate; your client asked for another name",
                "the ClientHello's server_name in `tlslab dissect quic/quic.pcapng`");
  return fail("that is not the server name in your ClientHello", "`tlslab dissect quic/quic.pcapng` shows it, no keys needed");
}

CheckResult checkAlpn(const CheckEnv& env) {
  OwnRun run;
  if (auto err = loadRun(env, run); !err.empty()) return refuse(err);
  const std::string said = normalizedWords(env.answer("alpn")->value);
  for (const auto& protocol : run.seen.alpn)
    if (said == normalizedWords(protocol))
      return pass(protocol + ": HTTP/3 (RFC 9114 §3.1), the only application protocol your client offers; QUIC "
                             "requires ALPN (RFC 9001 §8.1)");
  if (said == "http/1.1" || said == "h2" || said == "http/2")
    return fail("that is HTTP over TCP+TLS; over QUIC, HTTP has its own version and ALPN name",
                "the ClientHello's application_layer_protocol_negotiation extension");
  return fail("your client did not offer that", "`tlslab dissect quic/quic.pcapng`: the ClientHello's ALPN extension");
}

CheckResult checkInitialKey(const CheckEnv& env) { return checkKey(env, "client_initial_key", false); }
CheckResult checkHpKey(const CheckEnv& env) { return checkKey(env, "client_hp_key", true); }

CheckResult checkOneRttPackets(const CheckEnv& env) {
  OwnRun run;
  if (auto err = loadRun(env, run); !err.empty()) return refuse(err);
  auto n = answerNumber(env.answer("one_rtt_packets")->value);
  if (!n) return fail("that is not a number", "count the packets listed under \"1-RTT packets\"");
  const scenarios::QuicSpaceCount* oneRtt = run.seen.space("1-RTT");
  const long long right = oneRtt ? static_cast<long long>(oneRtt->packets()) : 0;
  if (*n == right)
    return pass(std::to_string(right) + " short-header packets, " + std::to_string(oneRtt ? oneRtt->clientPackets : 0) +
                " from the client and " + std::to_string(oneRtt ? oneRtt->serverPackets : 0) +
                " from the server: anyone sees how many and how big, only the key log opens them");
  if (oneRtt && *n == static_cast<long long>(oneRtt->clientPackets))
    return fail("that is the client's 1-RTT packets only", "count both directions");
  if (oneRtt && *n == static_cast<long long>(oneRtt->serverPackets))
    return fail("that is the server's 1-RTT packets only", "count both directions");
  if (*n == static_cast<long long>(run.blind.quic->packets.size()))
    return fail("that is every packet of the connection; Initial and Handshake packets have long headers",
                "only the short-header packets are 1-RTT");
  if (*n == static_cast<long long>(run.blind.quic->datagrams))
    return fail("that is the number of UDP datagrams: one datagram can carry several QUIC packets (coalesced, RFC 9000 "
                "§12.2)", "count packets, not datagrams");
  return fail("that is not the number of 1-RTT packets in your capture",
              "`tlslab dissect quic/quic.pcapng` lists them under \"1-RTT packets (N)\"");
}

CheckResult checkPageToken(const CheckEnv& env) {
  OwnRun run;
  if (auto err = loadRun(env, run); !err.empty()) return refuse(err);
  if (!run.keyed.quic) return refuse("quic/keys.log is missing or opens nothing");
  const std::string token = quicPageToken(*env.variant);
  const std::string served = scenarios::serverStreamBytes(run.keyed);
  if (run.keyed.quic->oneRttDecrypted == 0)
    return refuse("quic/keys.log does not open the 1-RTT packets of quic/quic.pcapng: they are not from the same run");
  if (served.find(token) == std::string::npos)
    return refuse("the page in quic/quic.pcapng does not carry your token: it is not your run");
  const std::string& answer = env.answer("page_token")->value;
  if (normalizedHex(answer) == token || (answer.size() >= token.size() && answer.find(token) != std::string::npos))
    return pass(token + ": in a STREAM frame of a 1-RTT packet, under the application traffic secret of the key log; "
                "without it the page is unreadable, unlike the ClientHello");
  return fail("that is not the token on the page your server sent",
              "`tlslab dissect quic/quic.pcapng --keylog quic/keys.log`, the server's stream 0 (or `tlslab follow`)");
}

}  // namespace tlslab::course::lab15
