#pragma once
// The Trace: what tlslab learned about a set of TLS connections, from a
// capture or from an instrumented lab run (DESIGN.md: one model, three views).
// Plain values only (no OpenSSL, no Qt, no capture types) so the CLI, the GUI
// and JSON export all read the same thing. Connections are numbered from 0 in
// order of appearance (what `tlslab follow N` counts).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tlslab/model/Derivation.hpp"
#include "tlslab/model/Diagnostic.hpp"
#include "tlslab/model/Dtls.hpp"
#include "tlslab/model/Field.hpp"
#include "tlslab/model/KeyPhase.hpp"
#include "tlslab/model/Quic.hpp"
#include "tlslab/model/RecordCrypto.hpp"
#include "tlslab/model/Verify.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::model {

enum class Direction : std::uint8_t { ClientToServer = 0, ServerToClient = 1 };
const char* directionArrow(Direction direction);  // "->" / "<-"

// A protocol message: a handshake message (possibly spread over several
// records), a ChangeCipherSpec, an Alert or a Heartbeat.
struct TraceMessage {
  std::string name;            // "ClientHello", "Alert", "ChangeCipherSpec", ...
  int handshakeType = -1;      // 0..255 for handshake messages, -1 otherwise
  Direction direction = Direction::ClientToServer;
  std::size_t firstRecord = 0;  // index into TraceConnection::records
  std::size_t lastRecord = 0;
  Bytes bytes;                 // the message as parsed (handshake header included)
  Field tree;                  // offsets relative to `bytes`; streamOffset set when known
  bool encrypted = false;      // carried in protected records (decrypted to be read)
  std::vector<Diagnostic> diagnostics;
  // What a conformant peer would not have sent, one sentence each: a message
  // no known flow allows here, an extension not allowed in this TLS 1.3
  // message, a repeated extension (RFC 8446 §2, §4.2). Empty when it fits.
  std::vector<std::string> flowVerdicts;
};

// One TLS record as it crossed the wire, and what became of it.
struct TraceRecord {
  std::size_t index = 0;       // within the connection, both directions interleaved by time
  Direction direction = Direction::ClientToServer;
  double time = 0;             // seconds since the connection's first packet
  std::uint64_t frame = 0;     // capture frame that completed it (0 for lab runs)
  std::uint8_t contentType = 0;  // outer (header) content type
  std::uint16_t version = 0;     // header legacy_record_version
  std::size_t streamOffset = 0;  // of the header's first byte in its direction's stream
  // Sizes of `wire` and `plaintext`, set even when the bytes are not kept
  // (bulk runs, the printout's bounded pass): the ladder shows them.
  std::size_t wireSize = 0;
  std::size_t plaintextSize = 0;
  Bytes wire;                  // header + fragment exactly as on the wire
  Field header;                // field tree of the header (offsets relative to `wire`)
  bool encrypted = false;      // protected under some key (whether or not we could open it)
  KeyPhase keyPhase;           // none when not protected (or no key could be confirmed)
  std::optional<RecordCrypto> crypto;  // how it was opened (nonce, AAD, tag, ...) when tried
  std::uint8_t innerContentType = 0;   // the real content type (TLS 1.3 inner type)
  Bytes plaintext;                     // decrypted (or never-encrypted) content
  std::string undecryptedReason;       // empty when plaintext is valid or not encrypted
  std::vector<std::size_t> messages;   // indices into TraceConnection::messages
  std::optional<DtlsRecordInfo> dtls;  // set for a DTLS record (epoch, sequence, flight)
};

// How a handshake resumed an earlier session (RFC 5246 §7.3, RFC 5077, RFC 8446 §2.2).
enum class Resumption : std::uint8_t { None, SessionId, Ticket, Psk };
const char* resumptionName(Resumption resumption);  // "", "session id", "ticket", "psk"

struct Negotiated {
  std::uint16_t version = 0;     // 0x0303 TLS 1.2, 0x0304 TLS 1.3; 0 unknown
  std::uint16_t suite = 0;       // 0 unknown
  std::string suiteName;
  std::string group;             // key exchange group name, e.g. "x25519"
  std::string alpn;
  std::string sni;
  Resumption resumption = Resumption::None;
  std::optional<std::size_t> resumedFrom;  // connection index the session came from
  bool extendedMasterSecret = false;
  bool earlyData = false;        // 0-RTT offered and accepted
};

// One side's decrypted application byte stream, in order, with where each
// piece came from.
struct AppDataChunk {
  Direction direction = Direction::ClientToServer;
  std::size_t record = 0;  // index into records
  Bytes data;
  // Bytes of this chunk not kept after `data` (DissectOptions::payloadPreview):
  // its real size is data.size() + omitted.
  std::size_t omitted = 0;
};

// How a connection ended, as far as its capture shows; `text` is for display
// (JSON "state": "ok", "alert: handshake_failure (from server)", ...).
struct ConnectionState {
  enum class Kind : std::uint8_t {
    Unknown,          // not judged (lab runs traced without a capture)
    Incomplete,       // the handshake did not finish in the capture
    HiddenHandshake,  // TLS 1.3 without keys: the handshake's end cannot be seen
    Ok,               // both Finished seen
    Closed,           // ... and closed with close_notify
    Alert,            // a fatal alert
    Cleartext,        // no TLS at all
  };
  Kind kind = Kind::Unknown;
  std::string text;
};

// Whether the connection's protected records were opened; `text` is the one
// line of plain words (JSON "decryption": "decrypted", or why not).
struct Decryption {
  enum class Kind : std::uint8_t {
    Unknown,
    Decrypted,         // every protected record opened
    Partly,            // some opened, some not
    NotDecrypted,      // none opened
    NothingEncrypted,  // nothing to open (cleartext, or no protected record in the capture)
  };
  Kind kind = Kind::Unknown;
  std::string text;
};

struct TraceConnection {
  std::size_t index = 0;
  std::string client;            // "127.0.0.1:54321" or "[::1]:54321"
  std::string server;
  std::string clientLabel = "client";  // lab runs: "victim", "proxy (back leg)", ...
  std::string serverLabel = "server";
  double startTime = 0;          // seconds since the Unix epoch of the first packet
  double duration = 0;
  std::string startTlsProtocol;  // "SMTP", "POP3", "IMAP", "FTP" or empty
  Bytes preamble[2];             // plaintext before TLS, per Direction (STARTTLS)
  Negotiated negotiated;
  std::vector<TraceRecord> records;
  std::vector<TraceMessage> messages;
  std::vector<AppDataChunk> appData;
  std::vector<DerivationStep> derivation;  // the key schedule, Finished checks last
  // Certificate chains as sent by the server (and client), DER, leaf first.
  std::vector<Bytes> serverCertificates, clientCertificates;
  // Verification as the lab endpoints saw it (empty for captures: a capture
  // does not say what the client trusted).
  std::optional<VerifyVerdict> serverVerification, clientVerification;
  Bytes clientRandom, serverRandom;  // from the hellos (empty when not in the capture)
  // NSS key log lines that decrypt this connection (from the key log, or
  // derived: e.g. the master secret recovered with an RSA key); what
  // `tlslab export` embeds in a pcapng Decryption Secrets Block.
  std::string keyLog;
  Decryption decryption;
  ConnectionState state;
  std::vector<Diagnostic> diagnostics;
  // QUIC (issue 19): set for a QUIC connection, whose handshake came in
  // packets (quic->packets) instead of `records`, which then stays empty.
  std::optional<QuicInfo> quic;
  // DTLS (issue 18): set for a DTLS association; its records are in `records`.
  std::optional<DtlsInfo> dtls;
};

// The decrypted conversation as turns: consecutive chunks of one direction
// joined (what `tlslab follow` and the dissect printout show).
std::vector<AppDataChunk> conversationTurns(const TraceConnection& conn);

struct Trace {
  std::string source;            // file name, "live: lo", "lab: mitm ..."
  std::vector<TraceConnection> connections;
  std::vector<Diagnostic> diagnostics;  // not tied to one connection
};

}  // namespace tlslab::model
