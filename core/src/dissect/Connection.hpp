#pragma once
// Per-connection dissection state, shared by the files of core/src/dissect:
// Records.cpp (framing, opening records, dispatch), Handshake.cpp (messages,
// what was negotiated, resumption), Tls12Keys.cpp / Tls13Keys.cpp (which keys
// protect which records), Finalize.cpp (derivation, plain-words verdicts).
#include <chrono>
#include <cstddef>
#include <memory>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "FlowCheck.hpp"
#include "tlslab/capture/Types.hpp"
#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/RecordCipher.hpp"
#include "tlslab/crypto/Transcript.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/keys/Explain.hpp"
#include "tlslab/keys/KeyStore.hpp"
#include "tlslab/model/Trace.hpp"
#include "tlslab/wire/Handshake.hpp"
#include "tlslab/wire/Messages.hpp"
#include "tlslab/wire/Record.hpp"

namespace tlslab::dissect {

// What every connection's dissection shares: the keys, the options, the
// result, and the sessions seen so far (to match resumptions to the
// connection that created the session).
struct Shared {
  keys::KeyStore& keys;
  const DissectOptions& options;
  model::Trace& trace;
  std::map<Bytes, std::size_t> connectionBySessionId;
  std::map<Bytes, std::size_t> connectionByTicket;  // TLS 1.2 ticket or TLS 1.3 PSK identity
};

// One direction of a connection.
struct DirectionState {
  wire::RecordFramer framer;
  wire::HandshakeReassembler reassembler;
  // Handshake records fed to the reassembler, as indices into the trace's
  // records (the reassembler counts its own addRecord calls).
  std::vector<std::size_t> handshakeRecords;
  bool tls = false;             // TLS bytes have started in this direction
  std::uint64_t base = 0;       // stream offset of the framer's first byte
  bool lostSync = false;        // a gap: record sequence numbers are unknown from here on
  std::string lostSyncReason;
  std::uint64_t lostBytes = 0;  // size of the gap(s) since the last record that opened
  int resyncTries = 0;          // records tried since the gap (bounded: each try costs many decryptions)

  bool encrypted = false;       // records from here on are protected
  std::optional<crypto::RecordCipher> cipher;  // the read keys in force
  std::uint64_t sequence = 0;
  model::KeyPhase keyPhase;
  int epoch = 0;                // key changes so far (for the reassembler)
  // TLS 1.3: keys the sender may switch to without a message we can see
  // (client: early -> handshake when early data ends or was never sent).
  std::optional<crypto::RecordCipher> next;
  model::KeyPhase nextPhase;
  // TLS 1.3 0-RTT: the PSK's cipher suite is not in the ClientHello, so the
  // early keys are tried for each suite with the secret's hash length.
  std::vector<crypto::RecordCipher> earlyCandidates;
  Bytes applicationSecret;      // TLS 1.3: current application traffic secret (KeyUpdate)
  unsigned generation = 0;
  bool openedInPhase = false;  // a record opened under the keys in force
  bool skippedEarly = false;   // the last record was taken for undecryptable 0-RTT data
};

// A connection's stream as the capture layer delivered it, held while some
// records wait for keys (DissectOptions::retainForLateKeys, LateKeys.cpp).
struct Retained {
  struct Event {
    enum class Kind { Data, Gap, Diagnostic } kind = Kind::Data;
    capture::StreamChunk chunk;  // data and protocol re-pointed at the copies below on replay
    Bytes bytes;
    std::string protocol;
    capture::StreamGap gap;
    capture::CaptureDiagnostic diagnostic;
  };
  std::vector<Event> events;
  std::size_t bytes = 0;
  bool dropped = false;         // over DissectOptions::retainLimit: events cleared
  std::size_t secretsTried = 0; // secrets known for the client random at the last retry
  std::optional<capture::ConnectionInfo> closed;
  std::chrono::steady_clock::time_point closedAt;
};

// A connection dissected again on its own (from a file, or from held bytes
// when late keys arrive) takes over what only the whole capture knows from
// its first reading: index, role labels and the resumption link.
void keepWholeCaptureFacts(model::TraceConnection& again, const model::TraceConnection& first);

// A connection whose endpoint's own ephemeral (EC)DHE key is known (a lab
// run's keys beside its capture): every secret follows from it
// (Ephemeral.cpp).
struct EphemeralState {
  keys::EphemeralKey own;
  std::string ownSide;  // "client" or "server"
  Bytes peerShare;
  Bytes sharedSecret;   // empty when the agreement failed
  std::string failure;
  keys::SessionSecrets derived;  // TLS 1.3 traffic secrets / TLS 1.2 pre-master, for opening records
};

// What one handshake establishes. A TLS 1.2 renegotiation starts a fresh one
// with `conn.hs = {}`, so no field can be forgotten in the reset (Botan's
// Handshake_State_13 idea); the keys in force stay in DirectionState until
// the new ChangeCipherSpec of each side.
struct HandshakeState {
  bool sawClientHello = false;
  bool sawServerHello = false;
  bool helloRetry = false;
  Bytes clientRandom, serverRandom;
  Bytes offeredSessionId, serverSessionId, offeredTicket;
  std::vector<Bytes> offeredPskIdentities;
  bool earlyDataOffered = false;
  bool abbreviated = false;  // TLS 1.2 resumption: no key exchange in this handshake

  // Until both Finished are seen (the hash is known only from the ServerHello).
  crypto::Transcript transcript;
  Bytes sessionHash;  // RFC 7627: Hash(handshake up to ClientKeyExchange)
  Bytes clientFinishedHash, serverFinishedHash, clientVerifyData, serverVerifyData;
  bool finishedSeen[2] = {false, false};  // by capture::index(direction)
  bool done = false;                      // both Finished seen
  Bytes encryptedPms;  // RSA (and RSA_PSK) ClientKeyExchange
  std::optional<Bytes> pskIdentity;  // PSK suites' ClientKeyExchange (RFC 4279 §2)
  // Key shares, for the ephemeral keys: TLS 1.3 ClientHello (the last one,
  // after a HelloRetryRequest) and ServerHello; TLS 1.2 ServerKeyExchange
  // (with DHE p, g) and ClientKeyExchange.
  std::vector<wire::KeyShareEntry> clientKeyShares;
  wire::KeyShareEntry serverKeyShare;
  bool pskAccepted = false;
  Bytes skePublic, skeP, skeG, ckePublic;
  // TLS 1.3 transcript hashes the schedule needs beyond the Finished ones.
  Bytes helloHash;        // ClientHello..ServerHello
  Bytes applicationHash;  // ClientHello..server Finished
  Bytes resumptionHash;   // ClientHello..client Finished
  std::optional<EphemeralState> ephemeral;
  bool ephemeralTried = false;

  // TLS 1.2 keys, computed once at the first ChangeCipherSpec.
  bool tls12KeysTried = false;
  Bytes masterSecret;
  std::optional<crypto::TrafficKeys> clientKeys, serverKeys;
  std::vector<model::DerivationStep> extraSteps;  // RSA recovery, resumption source
  std::optional<keys::SessionSecrets> derivedSecrets;  // when not straight from the key log
  // What the derivation in the Trace was explained from, and its notes: the
  // connection is explained when its handshake finishes and again when it
  // closes, usually from the same inputs (a dozen HMACs and the steps' copies
  // saved per connection). Reset whenever extraSteps changes.
  struct Explained {
    keys::SessionSecrets secrets;
    keys::SessionContext context;
    std::vector<std::string> notes;
  };
  std::optional<Explained> explained;
};

struct Connection {
  std::size_t index = 0;  // into Trace::connections
  capture::ConnectionInfo info;  // as the capture layer opened it
  capture::Timestamp start;
  bool inTrace = false;
  DirectionState dir[2];
  wire::ParseContext context;
  FlowCheck flowCheck;  // flow verdicts on each handshake message (FlowCheck.hpp)
  HandshakeState hs;  // the latest handshake's

  // The record layer's version and suite: the last ServerHello's (a
  // renegotiation's new ones take over at its ServerHello).
  std::uint16_t version = 0;
  const crypto::CipherSuite* suite = nullptr;
  std::uint16_t suiteId = 0;
  bool encryptThenMac = false;
  // DTLS (Dtls.hpp): the record layer's version (0xfefd, 0xfeff, 0x0100);
  // `version` is then the TLS version whose key schedule it uses.
  std::uint16_t dtlsVersion = 0;
  bool finishedFormUnknown = false;  // DTLS1_BAD_VER: its Finished input is not known, so it is not checked
  std::vector<Bytes> issuedTickets;  // NewSessionTicket tickets this connection's server sent

  std::string reason;        // why records cannot be opened (empty: no problem known)
  bool anyEncrypted = false;
  bool anyOpened = false;
  std::optional<std::size_t> firstFailure;  // record index of the first MAC/tag failure
  bool fatalAlert = false;
  int renegotiations = 0;     // TLS 1.0-1.2 handshakes after the first, under the keys in force
  std::vector<std::size_t> noKeyRecords;  // protected records not opened for lack of keys
  std::unique_ptr<Retained> retained;     // null unless retainForLateKeys and still useful
  std::string tls12KeyLog;  // CLIENT_RANDOM lines of every TLS 1.2 session keyed on this connection
  std::size_t turnKept = 0;  // payloadPreview: bytes kept of the current conversation turn
};

// The reason shown for 0-RTT records that cannot be opened.
inline constexpr const char* kEarlyDataNoKey =
    "0-RTT early data: the key log has no CLIENT_EARLY_TRAFFIC_SECRET for this connection, so it stays encrypted "
    "(the rest of the connection does not depend on it)";

model::TraceConnection& traceOf(Shared& shared, Connection& conn);
double secondsSince(const Connection& conn, capture::Timestamp time);

// Records.cpp
void feedTls(Shared& shared, Connection& conn, const capture::StreamChunk& chunk);
void flushDirection(Shared& shared, Connection& conn, capture::Direction direction, capture::Timestamp time);

// The content of a readable record to its parser (handshake reassembly,
// ChangeCipherSpec, Alert, Heartbeat, application data).
void onRecordContent(Shared& shared, Connection& conn, capture::Direction d, model::TraceRecord& rec, ByteView content,
                     std::size_t headerLength, bool encrypted);

// Handshake.cpp
void onHandshakeMessage(Shared& shared, Connection& conn, capture::Direction direction,
                        wire::ReassembledMessage& message, bool encrypted);
void notifyConnection(Shared& shared, Connection& conn);

// Tls12Keys.cpp: master secret and key block (at the first ChangeCipherSpec);
// false when the keys are not available (conn.reason says why).
bool ensureTls12Keys(Shared& shared, Connection& conn);
void activateTls12Keys(Shared& shared, Connection& conn, capture::Direction direction);
void rememberTls12Session(Shared& shared, Connection& conn);

// Tls13Keys.cpp
void tls13AfterClientHello(Shared& shared, Connection& conn);
void tls13AfterServerHello(Shared& shared, Connection& conn);
void tls13AfterFinished(Shared& shared, Connection& conn, capture::Direction direction);
void tls13AfterEndOfEarlyData(Shared& shared, Connection& conn);
void tls13AfterKeyUpdate(Shared& shared, Connection& conn, capture::Direction direction);
// Opens a TLS 1.3 record with the keys in force, trying a pending switch
// (client early -> handshake) or the 0-RTT suite candidates when needed.
model::RecordCrypto tls13Open(Connection& conn, DirectionState& ds, ByteView wire, bool keepDetail);

// Ephemeral.cpp: finds the connection's own ephemeral key (once its key
// shares are known) and keeps the secrets derived from it up to date.
EphemeralState* ephemeralOf(Shared& shared, Connection& conn);
void deriveFromEphemeral(Shared& shared, Connection& conn);
// The TLS 1.3 secret to open records with: the key log's, else the derived one.
const Bytes* tls13Secret(Shared& shared, Connection& conn, crypto::SecretKind kind);

// Finalize.cpp
void explainKeys(Shared& shared, Connection& conn);
void finalizeConnection(Shared& shared, Connection& conn);
// After onConnectionFinished (or in bulk mode): what a finished connection
// no longer needs, freed (swap frees; `= {}` keeps capacity).
void releaseFinished(const DissectOptions& options, model::TraceConnection& tc);
std::string noKeyReason(Shared& shared, Connection& conn);

}  // namespace tlslab::dissect
