#include "tlslab/scenarios/ResumptionLab.hpp"

#include <fmt/core.h>

#include <chrono>
#include <optional>
#include <sstream>
#include <thread>

#include "LabIdentity.hpp"
#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/Kdf.hpp"
#include "tlslab/crypto/Tls13Binder.hpp"
#include "tlslab/crypto/Tls13KeySchedule.hpp"
#include "tlslab/wire/ByteReader.hpp"

namespace tlslab::scenarios {

using namespace tlslab::endpoints;

namespace {

const model::TraceMessage* clientHelloOf(const model::TraceConnection& conn) {
  for (const auto& m : conn.messages)
    if (m.handshakeType == 1 && m.direction == model::Direction::ClientToServer) return &m;
  return nullptr;
}

Bytes fieldBytes(const model::TraceMessage& message, const model::Field& field) {
  if (field.offset + field.length > message.bytes.size()) return {};
  return Bytes(message.bytes.begin() + static_cast<long>(field.offset),
               message.bytes.begin() + static_cast<long>(field.offset + field.length));
}

// The secret of the key log line `label` of this connection (NSS key log
// format: LABEL client_random secret), read off the log itself: the
// derivation may show it as taken from the log or as derived and verified.
std::optional<Bytes> keyLogSecret(const model::TraceConnection& conn, std::string_view label) {
  std::istringstream lines(conn.keyLog);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(std::string(label) + " ", 0) != 0) continue;
    const std::size_t last = line.find_last_of(' ');
    return fromHex(line.substr(last + 1));
  }
  return std::nullopt;
}

}  // namespace

BinderCheck checkPskBinder(const model::TraceConnection& resumed, ByteView psk) {
  BinderCheck c;
  const model::TraceMessage* hello = clientHelloOf(resumed);
  if (hello == nullptr) {
    c.error = "the connection has no ClientHello";
    return c;
  }
  const model::Field* binders = model::findField(hello->tree, "pre_shared_key/binders");
  const model::Field* binder = binders ? model::findField(*binders, "binder/data") : nullptr;
  if (binder == nullptr) {
    c.error = "the ClientHello offers no PSK (no pre_shared_key extension with a binder)";
    return c;
  }
  c.clientHelloLength = hello->bytes.size();
  c.truncatedLength = binders->offset;
  c.bindersLength = binders->length;
  // RFC 8446 §4.2.11: pre_shared_key is the last extension, so the binders end the message.
  if (binders->offset + binders->length != hello->bytes.size()) {
    c.error = "the binders list does not end the ClientHello (pre_shared_key must be the last extension)";
    return c;
  }
  if (const model::Field* identity = model::findField(hello->tree,
                                                      "pre_shared_key/identities/identity/data"))
    c.pskIdentity = fieldBytes(*hello, *identity);
  c.wireBinder = fieldBytes(*hello, *binder);
  const crypto::CipherSuite* suite = crypto::findSuite(resumed.negotiated.suite);
  if (suite == nullptr) {
    c.error = fmt::format("unknown cipher suite 0x{:04x}: the PSK's hash is not known", resumed.negotiated.suite);
    return c;
  }
  if (psk.size() != crypto::hashLength(suite->prfHash)) {
    c.error = fmt::format("the PSK has {} bytes; {} uses {}-byte PSKs", psk.size(), suite->name,
                          crypto::hashLength(suite->prfHash));
    return c;
  }
  const ByteView truncated = ByteView(hello->bytes).first(c.truncatedLength);
  crypto::Tls13Binder computed = crypto::tls13PskBinder(suite->prfHash, psk, truncated);
  c.steps = computed.steps;
  c.steps.push_back(crypto::compareStep("binder check", computed.binder, c.wireBinder, "RFC 8446 §4.2.11.2",
                                        "binder (with the client's PSK)"));
  c.verified = c.steps.back().status == model::StepStatus::Verified;
  // client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic", ClientHello): the whole one.
  if (const std::optional<Bytes> logged = keyLogSecret(resumed, "CLIENT_EARLY_TRAFFIC_SECRET")) {
    const Bytes& earlySecret = computed.steps.front().output;
    c.steps.push_back(crypto::deriveSecret(suite->prfHash, earlySecret, "c e traffic",
                                           crypto::digest(suite->prfHash, hello->bytes), "client_early_traffic_secret",
                                           "ClientHello"));
    c.steps.push_back(crypto::compareStep("client_early_traffic_secret check", c.steps.back().output, *logged,
                                          "RFC 8446 §7.1", "early traffic secret with the key log's"));
    c.earlyTrafficMatchesKeyLog = c.steps.back().status == model::StepStatus::Verified;
  }
  return c;
}

std::string describeFlight(ByteView flight) {
  wire::ByteReader reader(flight);
  std::vector<std::string> parts;
  std::size_t early = 0;
  while (reader.ok() && !reader.empty()) {
    const std::uint8_t type = reader.u8("record type");
    reader.u16("record version");
    const std::uint16_t length = reader.u16("record length");
    reader.bytes(length, "record fragment");
    if (!reader.ok()) break;
    if (type == 22 && parts.empty()) parts.push_back("ClientHello");
    else if (type == 20) parts.push_back("ChangeCipherSpec");
    else if (type == 23) ++early;
    else parts.push_back(fmt::format("a record of type {}", type));
  }
  if (early > 0) parts.push_back(fmt::format("{} application-data record{} (the 0-RTT data)", early, early == 1 ? "" : "s"));
  std::string text;
  for (const auto& p : parts) text += (text.empty() ? "" : ", ") + p;
  if (!reader.ok()) text += (text.empty() ? "" : ", ") + std::string("then bytes that are not a whole record");
  return text;
}

const ServerConnection* ZeroRttReplayRun::genuine() const {
  if (runs.size() < 2) return nullptr;
  const std::string peer = runs[1].peers.clientAddress + ":" + std::to_string(runs[1].peers.clientPort);
  for (const auto& c : serverSide)
    if (c.peer == peer) return &c;
  return nullptr;
}

const ServerConnection* ZeroRttReplayRun::replayed() const {
  if (replay.sent.empty()) return nullptr;
  const std::string peer = replay.peers.clientAddress + ":" + std::to_string(replay.peers.clientPort);
  for (const auto& c : serverSide)
    if (c.peer == peer) return &c;
  return nullptr;
}

int ZeroRttReplayRun::timesDelivered() const {
  int times = 0;
  for (const auto& c : serverSide) times += c.earlyData.empty() ? 0 : 1;
  return times;
}

std::vector<RunLeg> ZeroRttReplayRun::legs() const {
  std::vector<RunLeg> legs;
  for (std::size_t i = 0; i < runs.size(); ++i)
    legs.push_back({&runs[i], i == 0 ? "client" : "client (0-RTT)", "bank32.com", serverEventsOf(runs[i], serverSide)});
  return legs;
}

ZeroRttReplayRun runZeroRttReplay(const ZeroRttReplayOptions& options) {
  ZeroRttReplayRun result;
  result.antiReplay = options.antiReplay;
  result.earlyData = options.earlyData;
  if (options.earlyData.empty()) {
    result.setupError = "no early data to send";
    return result;
  }
  auto stage = [&](const char* name) {
    if (options.onStage) options.onStage(name);
  };
  ServerConfig server;
  setLabIdentity(server, options.certsDir);
  server.service = Service::HttpsHello;
  server.tls.minVersion = server.tls.maxVersion = TlsVersion::Tls1_3;
  server.maxEarlyData = 16384;
  server.antiReplay = options.antiReplay;
  auto started = LabServer::start(server, options.observer);
  if (!started) {
    result.setupError = started.error();
    return result;
  }
  LabServer& lab = *started.value();
  ClientConfig client;
  client.host = "bank32.com";
  client.port = lab.port();
  client.tls = server.tls;
  client.trustFiles = {options.certsDir / "root-ca" / "cert.pem"};
  client.script = {ScriptStep::send("GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n"), ScriptStep::expect("</html>")};
  stage("ticket");
  result.runs.push_back(runClient(client, options.observer));
  if (!result.runs.back().session) {
    result.setupError = "the first connection earned no ticket: " +
                        (result.runs.back().error.empty() ? std::string("the server sent none") : result.runs.back().error);
    return result;
  }
  stage("0-RTT");
  client.resume = result.runs.back().session;
  client.earlyData = options.earlyData;
  client.script = {ScriptStep::expect("</html>")};  // the answer to the early request
  result.runs.push_back(runClient(client, options.observer));
  if (result.runs.back().connected) {
    stage("replay");
    result.replay = replayFlight("127.0.0.1", lab.port(), firstFlight(result.runs.back().events));
  }
  // The server ends the replayed connection when the replayer hangs up; wait for it (bounded).
  const std::size_t expected = 2 + (result.replay.sent.empty() ? 0 : 1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (lab.finishedCount() < expected && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  lab.stop();
  result.serverSide = lab.finishedConnections();
  return result;
}

namespace {

// Bytes as a student would type them: \r, \n and non-ASCII escaped.
std::string escaped(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
    else out += fmt::format("\\x{:02x}", c);
  }
  return out;
}

std::string applicationLog(const char* which, const ServerConnection* c) {
  if (c == nullptr) return std::string(which) + ": the server has no record of it";
  std::string line = std::string(which) + ": ";
  if (!c->earlyData.empty())
    line += fmt::format("the application took \"{}\" ({} bytes of 0-RTT data, {})", escaped(c->earlyData),
                        c->earlyData.size(), c->earlyDataStatus.empty() ? "?" : c->earlyDataStatus);
  else if (c->earlyDataStatus == "rejected")
    line += "the application took nothing: the server rejected the 0-RTT data";
  else
    line += "the application took no 0-RTT data";
  line += c->error.empty() ? "; the handshake completed" : "; then " + c->error;
  return line;
}

}  // namespace

std::vector<std::string> replayReport(const ZeroRttReplayRun& run) {
  std::vector<std::string> lines;
  if (!run.setupError.empty()) return {"the lab could not run: " + run.setupError};
  if (run.replay.sent.empty()) return {"nothing was replayed: " + (run.replay.error.empty() ? run.runs.back().error : run.replay.error)};
  lines.push_back(fmt::format("the attacker replayed the client's first flight, byte for byte: {} bytes ({})",
                              run.replay.sent.size(), describeFlight(run.replay.sent)));
  lines.push_back(fmt::format("the server answered the replay with {} bytes; without the client's keys the attacker "
                              "cannot finish the handshake, and hangs up",
                              run.replay.answer.size()));
  lines.push_back(applicationLog("genuine 0-RTT connection", run.genuine()));
  lines.push_back(applicationLog("replayed connection", run.replayed()));
  const int times = run.timesDelivered();
  if (times >= 2)
    lines.push_back(fmt::format("✗ the server's application took the early data {} times: the replayed request was "
                                "executed again (RFC 8446 §8: 0-RTT data is not protected against replay)",
                                times));
  else if (times == 1 && run.antiReplay)
    lines.push_back("✔ the server's application took the early data once: the ticket was single-use (OpenSSL's "
                    "anti-replay), so the replay could not resume and its 0-RTT data was rejected");
  else
    lines.push_back(fmt::format("the server's application took the early data {} time(s)", times));
  return lines;
}

}  // namespace tlslab::scenarios
