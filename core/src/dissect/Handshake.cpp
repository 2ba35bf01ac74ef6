// Handshake messages: parse each reassembled message with the connection's
// context, keep the transcript the Finished messages cover, record what was
// negotiated, and match resumptions to the connection that made the session.
#include <fmt/core.h>

#include "Connection.hpp"
#include "tlslab/crypto/Hash.hpp"
#include "tlslab/crypto/Tls12KeySchedule.hpp"
#include "tlslab/crypto/Tls13KeySchedule.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::dissect {
namespace {

using wire::HandshakeType;
constexpr std::size_t kMaxTranscript = 4u << 20;

std::string codeName(std::uint16_t code, const char* name) { return name ? name : fmt::format("0x{:04x}", code); }

// Message names as the RFCs' structure names (the Trace's convention:
// "ClientHello", not the registry's "client_hello").
std::string messageName(std::uint8_t type) {
  switch (static_cast<HandshakeType>(type)) {
    case HandshakeType::HelloRequest: return "HelloRequest";
    case HandshakeType::ClientHello: return "ClientHello";
    case HandshakeType::ServerHello: return "ServerHello";
    case HandshakeType::HelloVerifyRequest: return "HelloVerifyRequest";
    case HandshakeType::NewSessionTicket: return "NewSessionTicket";
    case HandshakeType::EndOfEarlyData: return "EndOfEarlyData";
    case HandshakeType::EncryptedExtensions: return "EncryptedExtensions";
    case HandshakeType::Certificate: return "Certificate";
    case HandshakeType::ServerKeyExchange: return "ServerKeyExchange";
    case HandshakeType::CertificateRequest: return "CertificateRequest";
    case HandshakeType::ServerHelloDone: return "ServerHelloDone";
    case HandshakeType::CertificateVerify: return "CertificateVerify";
    case HandshakeType::ClientKeyExchange: return "ClientKeyExchange";
    case HandshakeType::Finished: return "Finished";
    case HandshakeType::CertificateStatus: return "CertificateStatus";
    case HandshakeType::KeyUpdate: return "KeyUpdate";
    case HandshakeType::CompressedCertificate: return "CompressedCertificate";
    case HandshakeType::MessageHash: return "MessageHash";
    default: return fmt::format("handshake type {}", type);
  }
}

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
  conn.clientKeyShares = ch.summary.keyShares;  // after a HelloRetryRequest, the second ClientHello's
  if (conn.sawClientHello) return;  // the second ClientHello after a HelloRetryRequest changes no other key input
  conn.sawClientHello = true;
  conn.clientRandom = ch.random;
  tc.clientRandom = ch.random;
  conn.offeredSessionId = ch.sessionId;
  if (const Bytes* ticket = extensionData(ch.extensions, wire::ext::kSessionTicket)) conn.offeredTicket = *ticket;
  for (const auto& id : ch.summary.pskIdentities) conn.offeredPskIdentities.push_back(id.identity);
  conn.earlyDataOffered = ch.summary.earlyData;
  tc.negotiated.sni = ch.summary.serverName;
  tls13AfterClientHello(shared, conn);
}

void matchResumption(Shared& shared, Connection& conn, const std::string& kind, const Bytes& key,
                     const std::map<Bytes, std::size_t>& table) {
  model::TraceConnection& tc = traceOf(shared, conn);
  tc.negotiated.resumption = kind;
  auto it = table.find(key);
  if (it != table.end() && it->second != conn.index) tc.negotiated.resumedFrom = it->second;
}

void onServerHello(Shared& shared, Connection& conn, const wire::ServerHello& sh, model::TraceMessage& message,
                   std::size_t messageLength) {
  model::TraceConnection& tc = traceOf(shared, conn);
  if (sh.helloRetryRequest) {
    message.name = "HelloRetryRequest";
    conn.helloRetry = true;
    conn.suiteId = sh.cipherSuite;
    conn.suite = crypto::findSuite(sh.cipherSuite);
    conn.version = crypto::kTls13;
    if (sh.summary.hrrSelectedGroup) tc.negotiated.group = codeName(*sh.summary.hrrSelectedGroup, wire::groupName(*sh.summary.hrrSelectedGroup));
    // RFC 8446 §4.4.1: ClientHello1 is replaced by message_hash(Hash(ClientHello1));
    // the transcript holds ClientHello1 || HelloRetryRequest at this point.
    if (conn.suite && conn.transcript.size() >= messageLength) {
      const std::size_t ch1 = conn.transcript.size() - messageLength;
      const Bytes hrr(conn.transcript.begin() + static_cast<std::ptrdiff_t>(ch1), conn.transcript.end());
      Bytes replaced = crypto::tls13MessageHash(conn.suite->prfHash, ByteView(conn.transcript).first(ch1));
      replaced.insert(replaced.end(), hrr.begin(), hrr.end());
      conn.transcript = std::move(replaced);
    }
    return;
  }
  if (conn.sawServerHello) return;
  conn.sawServerHello = true;
  if ((sh.legacyVersion >> 8) == 0x7f) {
    // Pre-RFC TLS 1.3 drafts put their version here and lay out the
    // ServerHello differently (no legacy_session_id), so nothing below holds.
    conn.reason = fmt::format("TLS 1.3 draft {} (version 0x{:04x}) is not dissected by tlslab, only RFC 8446 TLS 1.3",
                              sh.legacyVersion & 0xff, sh.legacyVersion);
    tc.diagnostics.push_back({model::Severity::Warning, "ServerHello", std::nullopt, conn.reason});
    return;
  }
  conn.serverRandom = sh.random;
  tc.serverRandom = sh.random;
  conn.serverSessionId = sh.sessionId;
  conn.version = sh.negotiatedVersion();
  conn.suiteId = sh.cipherSuite;
  conn.suite = crypto::findSuite(sh.cipherSuite);
  conn.encryptThenMac = sh.summary.encryptThenMac;
  tc.negotiated.version = conn.version;
  tc.negotiated.suite = sh.cipherSuite;
  tc.negotiated.suiteName = codeName(sh.cipherSuite, wire::cipherSuiteName(sh.cipherSuite));
  tc.negotiated.extendedMasterSecret = sh.summary.extendedMasterSecret;
  if (!sh.summary.alpn.empty()) tc.negotiated.alpn = sh.summary.alpn.front();
  conn.pskAccepted = sh.summary.pskSelectedIdentity.has_value();
  if (!sh.summary.keyShares.empty()) {
    conn.serverKeyShare = sh.summary.keyShares.front();
    const std::uint16_t g = sh.summary.keyShares.front().group;
    tc.negotiated.group = codeName(g, wire::groupName(g));
  }
  if (conn.version == crypto::kTls13) {
    // The transcript holds ClientHello..ServerHello now: the handshake secrets' context.
    if (conn.suite && !shared.keys.ephemeralKeys().empty())
      conn.helloHash = crypto::digest(conn.suite->prfHash, conn.transcript);
    if (sh.summary.pskSelectedIdentity) {
      const std::size_t i = *sh.summary.pskSelectedIdentity;
      matchResumption(shared, conn, "psk", i < conn.offeredPskIdentities.size() ? conn.offeredPskIdentities[i] : Bytes{},
                      shared.connectionByTicket);
    }
    tls13AfterServerHello(shared, conn);
  } else {
    // RFC 5246 §7.4.1.3 / RFC 5077 §3.4: echoing the client's session ID
    // means the server resumes; the key exchange messages are skipped.
    if (!conn.offeredSessionId.empty() && conn.offeredSessionId == sh.sessionId) {
      conn.abbreviated = true;
      if (!conn.offeredTicket.empty()) {
        matchResumption(shared, conn, "ticket", conn.offeredTicket, shared.connectionByTicket);
      } else {
        matchResumption(shared, conn, "session id", sh.sessionId, shared.connectionBySessionId);
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
  if (!nst.tls13 && !conn.masterSecret.empty()) shared.keys.addMasterSecretForTicket(nst.ticket, conn.masterSecret);
}

void onFinished(Shared& shared, Connection& conn, capture::Direction d, const wire::Finished& fin, const Bytes& hash) {
  const bool client = d == capture::Direction::ClientToServer;
  DirectionState& ds = conn.dir[capture::index(d)];
  ds.sawFinished = true;
  (client ? conn.clientFinishedHash : conn.serverFinishedHash) = hash;
  (client ? conn.clientVerifyData : conn.serverVerifyData) = fin.verifyData;
  // The transcript now ends with this Finished: the application secrets'
  // (server) and the resumption master secret's (client) context.
  if (conn.version == crypto::kTls13 && conn.suite && !conn.transcriptDone && !shared.keys.ephemeralKeys().empty())
    (client ? conn.resumptionHash : conn.applicationHash) = crypto::digest(conn.suite->prfHash, conn.transcript);
  if (conn.version == crypto::kTls13) tls13AfterFinished(shared, conn, d);
  if (conn.dir[0].sawFinished && conn.dir[1].sawFinished && !conn.handshakeDone) {
    conn.handshakeDone = true;
    conn.transcriptDone = true;
    conn.transcript.clear();
    conn.transcript.shrink_to_fit();
    model::TraceConnection& tc = traceOf(shared, conn);
    if (!conn.fatalAlert) tc.state = "ok";
    explainKeys(shared, conn);
  }
}

// RFC 5246 §7.4.1.2 / RFC 5746: a ClientHello after a finished TLS 1.2
// handshake starts a new handshake under the keys in force; the new session's
// keys take over at the next ChangeCipherSpec of each side.
void startRenegotiation(Shared& shared, Connection& conn) {
  conn.renegotiations += 1;
  conn.handshakeDone = conn.transcriptDone = false;
  conn.transcript.clear();
  conn.sawClientHello = conn.sawServerHello = conn.abbreviated = false;
  conn.offeredSessionId.clear();
  conn.offeredTicket.clear();
  conn.sessionHash.clear();
  conn.clientFinishedHash.clear();
  conn.serverFinishedHash.clear();
  conn.clientVerifyData.clear();
  conn.serverVerifyData.clear();
  conn.encryptedPms.clear();
  conn.skePublic.clear();
  conn.ckePublic.clear();
  conn.ephemeral.reset();
  conn.ephemeralTried = false;
  conn.tls12KeysTried = false;
  conn.clientKeys.reset();
  conn.serverKeys.reset();
  conn.masterSecret.clear();
  conn.extraSteps.clear();
  conn.explained.reset();
  conn.derivedSecrets.reset();
  conn.dir[0].sawFinished = conn.dir[1].sawFinished = false;
  model::TraceConnection& tc = traceOf(shared, conn);
  tc.diagnostics.push_back({model::Severity::Info, "handshake", std::nullopt,
                            fmt::format("renegotiation {}: a new handshake inside the encrypted connection; the key "
                                        "derivation shown is the latest handshake's",
                                        conn.renegotiations)});
}

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
  message.name = messageName(m.type);
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

  if (m.type == static_cast<std::uint8_t>(HandshakeType::ClientHello) && conn.handshakeDone &&
      conn.version != crypto::kTls13 && !m.truncated) {
    startRenegotiation(shared, conn);
  }
  // The Finished a message completes covers every handshake message before it.
  Bytes finishedHash;
  if (m.type == static_cast<std::uint8_t>(HandshakeType::Finished) && !conn.transcriptDone) {
    if (auto alg = transcriptHash(conn)) finishedHash = crypto::digest(*alg, conn.transcript);
  }
  if (!conn.transcriptDone && inTranscript(conn, m.type) && !m.truncated) {
    conn.transcript.insert(conn.transcript.end(), m.bytes.begin(), m.bytes.end());
    // Real handshakes are a few KB (tens with long chains); a stream that
    // never finishes its handshake must not grow memory without bound.
    if (conn.transcript.size() > kMaxTranscript) {
      conn.transcriptDone = true;
      Bytes().swap(conn.transcript);
      tc.diagnostics.push_back({model::Severity::Warning, "handshake", std::nullopt,
                                "the handshake exceeds 4 MB without finishing: its transcript is no longer kept, so "
                                "Finished cannot be verified"});
    }
  }

  if (!m.truncated) {
    if (const auto* ch = parsed.as<wire::ClientHello>()) {
      onClientHello(shared, conn, *ch);
    } else if (const auto* sh = parsed.as<wire::ServerHello>()) {
      onServerHello(shared, conn, *sh, message, m.bytes.size());
    } else if (const auto* ee = parsed.as<wire::EncryptedExtensions>()) {
      if (!ee->summary.alpn.empty()) tc.negotiated.alpn = ee->summary.alpn.front();
      tc.negotiated.earlyData = ee->summary.earlyData;
    } else if (const auto* cert = parsed.as<wire::Certificate>()) {
      auto& chain = d == capture::Direction::ServerToClient ? tc.serverCertificates : tc.clientCertificates;
      chain.clear();
      for (const auto& entry : cert->entries) chain.push_back(entry.der);
    } else if (const auto* ske = parsed.as<wire::ServerKeyExchange>()) {
      conn.skePublic = ske->publicKey;
      conn.skeP = ske->dhP;
      conn.skeG = ske->dhG;
      if (ske->namedGroup) tc.negotiated.group = codeName(ske->namedGroup, wire::groupName(ske->namedGroup));
    } else if (const auto* cke = parsed.as<wire::ClientKeyExchange>()) {
      if (cke->kind == wire::KeyExchange::Rsa) conn.encryptedPms = cke->exchange;
      else conn.ckePublic = cke->exchange;
      // RFC 7627 §3: session_hash covers the handshake up to and including ClientKeyExchange.
      if (auto alg = transcriptHash(conn)) conn.sessionHash = crypto::digest(*alg, conn.transcript);
    } else if (const auto* nst = parsed.as<wire::NewSessionTicket>()) {
      onNewSessionTicket(shared, conn, *nst);
    } else if (const auto* fin = parsed.as<wire::Finished>()) {
      onFinished(shared, conn, d, *fin, finishedHash);
    } else if (parsed.as<wire::EndOfEarlyData>()) {
      tls13AfterEndOfEarlyData(shared, conn);
    } else if (parsed.as<wire::KeyUpdate>()) {
      tls13AfterKeyUpdate(shared, conn, d);
    }
  }

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
