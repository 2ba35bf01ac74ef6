// Handshake messages: parse each reassembled message with the connection's
// context, keep the transcript the Finished messages cover, record what was
// negotiated, and match resumptions to the connection that made the session.
#include <fmt/core.h>

#include <variant>

#include "Connection.hpp"
#include "tlslab/crypto/Hash.hpp"
#include "tlslab/crypto/Ssl3KeySchedule.hpp"
#include "tlslab/crypto/Tls12KeySchedule.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::dissect {
namespace {

using wire::HandshakeType;

std::string codeName(std::uint16_t code, const char* name) { return name ? name : fmt::format("0x{:04x}", code); }

const Bytes* extensionData(const std::vector<wire::Extension>& extensions, std::uint16_t type) {
  for (const auto& e : extensions)
    if (e.type == type) return &e.data;
  return nullptr;
}

// The hash the transcript is taken with: the suite's HKDF hash (TLS 1.3) or
// the PRF's handshake hash (TLS 1.2; MD5||SHA-1 before 1.2).
std::optional<crypto::HashAlg> transcriptHash(const Connection& conn) {
  if (!conn.suite) return std::nullopt;
  if (conn.version == crypto::kTls13) return conn.suite->prfHash;
  return crypto::tls12PrfHash(*conn.suite, conn.version ? conn.version : crypto::kTls12);
}

bool inTranscript(const Connection& conn, std::uint8_t type) {
  // Post-handshake and non-transcript messages (RFC 8446 §4.4.1, RFC 5246
  // §7.4.9). A TLS 1.2 NewSessionTicket is sent before the server's
  // ChangeCipherSpec and is hashed like any handshake message (RFC 5077 §3.3).
  switch (static_cast<HandshakeType>(type)) {
    case HandshakeType::HelloRequest:
    case HandshakeType::KeyUpdate: return false;
    case HandshakeType::NewSessionTicket: return conn.version != 0 && conn.version != crypto::kTls13;
    default: return true;
  }
}

void onClientHello(Shared& shared, Connection& conn, const wire::ClientHello& ch) {
  model::TraceConnection& tc = traceOf(shared, conn);
  conn.hs.clientKeyShares = ch.summary.keyShares;  // after a HelloRetryRequest, the second ClientHello's
  if (conn.hs.sawClientHello) return;  // the second ClientHello after a HelloRetryRequest changes no other key input
  conn.hs.sawClientHello = true;
  conn.hs.clientRandom = ch.random;
  tc.clientRandom = ch.random;
  conn.hs.offeredSessionId = ch.sessionId;
  if (const Bytes* ticket = extensionData(ch.extensions, wire::ext::kSessionTicket)) conn.hs.offeredTicket = *ticket;
  for (const auto& id : ch.summary.pskIdentities) conn.hs.offeredPskIdentities.push_back(id.identity);
  conn.hs.earlyDataOffered = ch.summary.earlyData;
  tc.negotiated.sni = ch.summary.serverName;
  tls13AfterClientHello(shared, conn);
}

void matchResumption(Shared& shared, Connection& conn, model::Resumption kind, const Bytes& key,
                     const std::map<Bytes, std::size_t>& table) {
  model::TraceConnection& tc = traceOf(shared, conn);
  tc.negotiated.resumption = kind;
  auto it = table.find(key);
  if (it != table.end() && it->second != conn.index) tc.negotiated.resumedFrom = it->second;
}

void onServerHello(Shared& shared, Connection& conn, const wire::ServerHello& sh, model::TraceMessage& message) {
  model::TraceConnection& tc = traceOf(shared, conn);
  if (sh.helloRetryRequest) {
    message.name = "HelloRetryRequest";
    conn.hs.helloRetry = true;
    conn.suiteId = sh.cipherSuite;
    conn.suite = crypto::findSuite(sh.cipherSuite);
    conn.version = crypto::kTls13;
    if (sh.summary.hrrSelectedGroup) tc.negotiated.group = codeName(*sh.summary.hrrSelectedGroup, wire::groupName(*sh.summary.hrrSelectedGroup));
    return;
  }
  if (conn.hs.sawServerHello) return;
  conn.hs.sawServerHello = true;
  if ((sh.legacyVersion >> 8) == 0x7f) {
    // Pre-RFC TLS 1.3 drafts put their version here and lay out the
    // ServerHello differently (no legacy_session_id), so nothing below holds.
    conn.reason = fmt::format("TLS 1.3 draft {} (version 0x{:04x}) is not dissected by tlslab, only RFC 8446 TLS 1.3",
                              sh.legacyVersion & 0xff, sh.legacyVersion);
    tc.diagnostics.push_back({model::Severity::Warning, "ServerHello", std::nullopt, conn.reason, model::DiagnosticCode::UnsupportedVersion});
    return;
  }
  conn.hs.serverRandom = sh.random;
  tc.serverRandom = sh.random;
  conn.hs.serverSessionId = sh.sessionId;
  conn.version = sh.negotiatedVersion();
  conn.suiteId = sh.cipherSuite;
  conn.suite = crypto::findSuite(sh.cipherSuite);
  conn.encryptThenMac = sh.summary.encryptThenMac;
  tc.negotiated.version = conn.version;
  tc.negotiated.suite = sh.cipherSuite;
  tc.negotiated.suiteName = codeName(sh.cipherSuite, wire::cipherSuiteName(sh.cipherSuite));
  tc.negotiated.extendedMasterSecret = sh.summary.extendedMasterSecret;
  if (!sh.summary.alpn.empty()) tc.negotiated.alpn = sh.summary.alpn.front();
  conn.hs.pskAccepted = sh.summary.pskSelectedIdentity.has_value();
  if (!sh.summary.keyShares.empty()) {
    conn.hs.serverKeyShare = sh.summary.keyShares.front();
    const std::uint16_t g = sh.summary.keyShares.front().group;
    tc.negotiated.group = codeName(g, wire::groupName(g));
  }
  if (conn.version == crypto::kTls13) {
    // The transcript holds ClientHello..ServerHello now: the handshake secrets' context.
    if (conn.suite && !shared.keys.ephemeralKeys().empty())
      conn.hs.helloHash = conn.hs.transcript.hash(conn.suite->prfHash);
    if (sh.summary.pskSelectedIdentity) {
      const std::size_t i = *sh.summary.pskSelectedIdentity;
      matchResumption(shared, conn, model::Resumption::Psk, i < conn.hs.offeredPskIdentities.size() ? conn.hs.offeredPskIdentities[i] : Bytes{},
                      shared.connectionByTicket);
    }
    tls13AfterServerHello(shared, conn);
  } else {
    // RFC 5246 §7.4.1.3 / RFC 5077 §3.4: echoing the client's session ID
    // means the server resumes; the key exchange messages are skipped.
    if (!conn.hs.offeredSessionId.empty() && conn.hs.offeredSessionId == sh.sessionId) {
      conn.hs.abbreviated = true;
      if (!conn.hs.offeredTicket.empty()) {
        matchResumption(shared, conn, model::Resumption::Ticket, conn.hs.offeredTicket, shared.connectionByTicket);
      } else {
        matchResumption(shared, conn, model::Resumption::SessionId, sh.sessionId, shared.connectionBySessionId);
      }
    }
    if (!sh.sessionId.empty() && !shared.connectionBySessionId.count(sh.sessionId)) {
      shared.connectionBySessionId[sh.sessionId] = conn.index;
    }
  }
}

void onNewSessionTicket(Shared& shared, Connection& conn, const wire::NewSessionTicket& nst) {
  if (nst.ticket.empty()) return;
  shared.connectionByTicket[nst.ticket] = conn.index;
  conn.issuedTickets.push_back(nst.ticket);
  if (!nst.tls13 && !conn.hs.masterSecret.empty()) shared.keys.addMasterSecretForTicket(nst.ticket, conn.hs.masterSecret);
}

void onFinished(Shared& shared, Connection& conn, capture::Direction d, const wire::Finished& fin, const Bytes& hash) {
  const bool client = d == capture::Direction::ClientToServer;
  conn.hs.finishedSeen[capture::index(d)] = true;
  (client ? conn.hs.clientFinishedHash : conn.hs.serverFinishedHash) = hash;
  (client ? conn.hs.clientVerifyData : conn.hs.serverVerifyData) = fin.verifyData;
  // The transcript now ends with this Finished: the application secrets'
  // (server) and the resumption master secret's (client) context.
  if (conn.version == crypto::kTls13 && conn.suite && !conn.hs.transcript.finished() && !shared.keys.ephemeralKeys().empty())
    (client ? conn.hs.resumptionHash : conn.hs.applicationHash) = conn.hs.transcript.hash(conn.suite->prfHash);
  if (conn.version == crypto::kTls13) tls13AfterFinished(shared, conn, d);
  if (conn.hs.finishedSeen[0] && conn.hs.finishedSeen[1] && !conn.hs.done) {
    conn.hs.done = true;
    conn.hs.transcript.finish();
    model::TraceConnection& tc = traceOf(shared, conn);
    if (!conn.fatalAlert) tc.state = {model::ConnectionState::Kind::Ok, "ok"};
    explainKeys(shared, conn);
  }
}

// RFC 5246 §7.4.1.2 / RFC 5746: a ClientHello after a finished TLS 1.2
// handshake starts a new handshake under the keys in force; the new session's
// keys take over at the next ChangeCipherSpec of each side.
void startRenegotiation(Shared& shared, Connection& conn) {
  conn.renegotiations += 1;
  conn.hs = {};
  model::TraceConnection& tc = traceOf(shared, conn);
  tc.diagnostics.push_back({model::Severity::Info, "handshake", std::nullopt,
                            fmt::format("renegotiation {}: a new handshake inside the encrypted connection; the key "
                                        "derivation shown is the latest handshake's",
                                        conn.renegotiations),
                            model::DiagnosticCode::Renegotiation});
}

// Adds the message to the transcript; for a Finished, first returns the hash
// of every handshake message before it (what its verify_data covers).
Bytes keepInTranscript(Shared& shared, Connection& conn, const wire::ReassembledMessage& m,
                       const wire::HandshakeMessage& parsed) {
  crypto::Transcript& transcript = conn.hs.transcript;
  Bytes finishedHash;
  if (m.type == static_cast<std::uint8_t>(HandshakeType::Finished) && !transcript.finished()) {
    // SSL 3.0's Finished hashes the master secret in after the messages
    // (RFC 6101 §5.6.9): it needs the messages themselves, not a hash.
    if (conn.version == crypto::kSsl30) finishedHash.assign(transcript.bytes().begin(), transcript.bytes().end());
    else if (auto alg = transcriptHash(conn)) finishedHash = transcript.hash(*alg);
  }
  if (transcript.finished() || !inTranscript(conn, m.type) || m.truncated) return finishedHash;
  if (const auto* sh = parsed.as<wire::ServerHello>(); sh && sh->helloRetryRequest) {
    if (const crypto::CipherSuite* suite = crypto::findSuite(sh->cipherSuite))
      transcript.replaceWithMessageHash(suite->prfHash);
  }
  if (!transcript.add(m.transcriptBytes.empty() ? m.bytes : m.transcriptBytes)) {
    traceOf(shared, conn).diagnostics.push_back(
        {model::Severity::Warning, "handshake", std::nullopt,
         "the handshake exceeds 4 MB without finishing: its transcript is no longer kept, so Finished cannot be "
         "verified",
         model::DiagnosticCode::TranscriptLimit});
  }
  return finishedHash;
}

// What each kind of message changes in the connection's state (std::visit
// over the parsed body; kinds not listed change nothing).
struct Dispatch {
  Shared& shared;
  Connection& conn;
  capture::Direction d;
  model::TraceMessage& message;
  const Bytes& finishedHash;

  model::TraceConnection& tc() { return traceOf(shared, conn); }
  void operator()(const wire::ClientHello& ch) { onClientHello(shared, conn, ch); }
  void operator()(const wire::ServerHello& sh) { onServerHello(shared, conn, sh, message); }
  void operator()(const wire::EncryptedExtensions& ee) {
    if (!ee.summary.alpn.empty()) tc().negotiated.alpn = ee.summary.alpn.front();
    tc().negotiated.earlyData = ee.summary.earlyData;
  }
  void operator()(const wire::Certificate& cert) {
    auto& chain = d == capture::Direction::ServerToClient ? tc().serverCertificates : tc().clientCertificates;
    chain.clear();
    for (const auto& entry : cert.entries) chain.push_back(entry.der);
  }
  void operator()(const wire::ServerKeyExchange& ske) {
    conn.hs.skePublic = ske.publicKey;
    conn.hs.skeP = ske.dhP;
    conn.hs.skeG = ske.dhG;
    if (ske.namedGroup) tc().negotiated.group = codeName(ske.namedGroup, wire::groupName(ske.namedGroup));
  }
  void operator()(const wire::ClientKeyExchange& cke) {
    if (wire::isPskExchange(cke.kind)) conn.hs.pskIdentity = cke.pskIdentity;
    if (cke.kind == wire::KeyExchange::Rsa || cke.kind == wire::KeyExchange::RsaPsk) conn.hs.encryptedPms = cke.exchange;
    else if (cke.kind != wire::KeyExchange::Psk) conn.hs.ckePublic = cke.exchange;
    // RFC 7627 §3: session_hash covers the handshake up to and including ClientKeyExchange.
    if (auto alg = transcriptHash(conn)) conn.hs.sessionHash = conn.hs.transcript.hash(*alg);
  }
  void operator()(const wire::NewSessionTicket& nst) { onNewSessionTicket(shared, conn, nst); }
  void operator()(const wire::Finished& fin) { onFinished(shared, conn, d, fin, finishedHash); }
  void operator()(const wire::EndOfEarlyData&) { tls13AfterEndOfEarlyData(shared, conn); }
  void operator()(const wire::KeyUpdate&) { tls13AfterKeyUpdate(shared, conn, d); }
  template <typename Other>
  void operator()(const Other&) {}
};

}  // namespace

void notifyConnection(Shared& shared, Connection& conn) {
  if (shared.options.onConnectionUpdated && conn.inTrace) shared.options.onConnectionUpdated(traceOf(shared, conn));
}

void onHandshakeMessage(Shared& shared, Connection& conn, capture::Direction d, wire::ReassembledMessage& m,
                        bool encrypted) {
  model::TraceConnection& tc = traceOf(shared, conn);
  DirectionState& ds = conn.dir[capture::index(d)];
  // Bulk runs keep no messages, so their field trees need no learner text.
  const bool trees = shared.options.keepRecords;
  wire::HandshakeMessage parsed =
      wire::parseHandshakeMessage(m.bytes, conn.context, trees ? wire::FieldDetail::Full : wire::FieldDetail::Lean);
  wire::updateContext(conn.context, parsed);

  model::TraceMessage message;
  message.name = wire::handshakeTypeLabel(m.type);
  message.handshakeType = m.type;
  message.direction = d == capture::Direction::ClientToServer ? model::Direction::ClientToServer
                                                              : model::Direction::ServerToClient;
  const std::size_t last = m.firstRecord + (m.recordCount ? m.recordCount - 1 : 0);
  if (m.firstRecord < ds.handshakeRecords.size()) message.firstRecord = ds.handshakeRecords[m.firstRecord];
  message.lastRecord = last < ds.handshakeRecords.size() ? ds.handshakeRecords[last] : message.firstRecord;
  message.encrypted = encrypted;
  message.tree = std::move(parsed.tree);
  // Decrypted plaintext has no place in the wire stream; only plaintext
  // messages point back into it.
  if (!encrypted && trees) wire::relocate(message.tree, 0, [&](std::size_t at) { return m.streamOffsetOf(at); });
  message.diagnostics = std::move(m.diagnostics);
  for (auto& diag : parsed.diagnostics) message.diagnostics.push_back(std::move(diag));
  if (m.truncated) message.name += " (truncated)";

  if (m.type == static_cast<std::uint8_t>(HandshakeType::ClientHello) && conn.hs.done &&
      conn.version != crypto::kTls13 && !m.truncated) {
    startRenegotiation(shared, conn);
  }
  const Bytes finishedHash = keepInTranscript(shared, conn, m, parsed);
  if (!m.truncated) std::visit(Dispatch{shared, conn, d, message, finishedHash}, parsed.body);

  conn.flowCheck.check(conn, tc, d, parsed, m.truncated, message);
  // Attach the message to every record it was carried in.
  const std::size_t msgIndex = tc.messages.size();
  for (std::size_t r = message.firstRecord; r <= message.lastRecord && r < tc.records.size(); ++r) {
    if (tc.records[r].direction != message.direction) continue;
    auto& list = tc.records[r].messages;
    if (list.empty() || list.back() != msgIndex) list.push_back(msgIndex);
  }
  message.bytes = std::move(m.bytes);  // the hex view shows what the tree points into
  tc.messages.push_back(std::move(message));
  notifyConnection(shared, conn);
}

}  // namespace tlslab::dissect
