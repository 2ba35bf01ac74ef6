#pragma once
// What an instrumented endpoint records while it runs, as plain values (no
// OpenSSL types): the GUI and CLI show these live, the Trace collects them.
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "tlslab/model/Verify.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::endpoints {

// Microseconds since the Unix epoch; captures and runs share one time base.
using TimeUs = std::int64_t;
TimeUs nowUs();

// Who recorded an event. A man in the middle is two endpoints in one: a
// server facing the victim and a client facing the real server.
enum class Role { Client, Server, ProxyFront, ProxyBack };
const char* roleName(Role role);

// Exact bytes that crossed the socket, as the wire tap saw them.
struct WireEvent {
  TimeUs time = 0;
  bool sent = false;  // true: this endpoint wrote them; false: it read them
  Bytes bytes;
};

// One protocol message as OpenSSL's msg callback reports it (plaintext view:
// a handshake message, alert, CCS or the record header of a record).
struct MessageEvent {
  TimeUs time = 0;
  bool sent = false;
  int version = 0;      // protocol version the callback reports
  int contentType = 0;  // 20 CCS, 21 alert, 22 handshake, 23 app data, 256 record header, 257 inner content type
  Bytes bytes;
};

struct KeyLogEvent {
  TimeUs time = 0;
  std::string line;  // NSS key log format, as OpenSSL wrote it
};

// An (EC)DHE key pair this endpoint generated for a handshake, read from
// libssl while it still held it (SSL_get_tmp_key, Instrument.cpp). Like a key
// log line it lets the run be decrypted, and more: every secret from the
// shared secret down can be derived. It never goes into a capture (the
// run's pcapng keeps only the key log); it travels beside it.
struct EphemeralKeyEvent {
  TimeUs time = 0;
  // IANA group name ("x25519", "x448", "secp256r1", "secp384r1", "secp521r1",
  // "ffdhe2048", ...) or "dh" for a TLS 1.2 DHE key with its own p and g.
  std::string group;
  Bytes privateKey;  // raw (X25519/X448) or big-endian scalar / exponent
  Bytes publicKey;   // the key share as this endpoint sent it
  Bytes dhP, dhG;    // "dh" only
};

// One call of the certificate-verify callback.
struct VerifyEvent {
  TimeUs time = 0;
  model::VerifyStep step;
  bool preverifyOk = false;     // OpenSSL's own verdict at this depth
  bool callbackReturned = false;  // what our callback told OpenSSL
  std::string why;              // why it returned that (the verify mode's policy)
  int chainLength = 0;          // certificates in the chain OpenSSL had built at this call
};

// Info callback: state-machine transitions, handshake start/done, alerts.
struct InfoEvent {
  TimeUs time = 0;
  std::string what;   // "handshake start", "state", "alert sent", ...
  std::string state;  // SSL_state_string_long, or the alert text
};

// Application bytes the endpoint itself sent or received (after decryption);
// the self-check compares these with what the dissector decrypts.
struct AppDataEvent {
  TimeUs time = 0;
  bool sent = false;
  Bytes bytes;
  // "" when TLS protected the bytes; else the cleartext protocol they were
  // ("SMTP", "POP3", "IMAP" before STARTTLS, "HTTP", or "TCP" when unknown).
  std::string cleartext = {};
};

// What a note tells, for code that reacts to it (the GUI's live preview, the
// tamper lab's verdict); the text is only for people to read.
enum class NoteKind {
  Narration,       // nothing to react to
  Resolved,        // a client resolved its host: a new connection starts (its TCP connect follows)
  StarttlsAgreed,  // the server said go ahead: the bytes that follow on this connection are TLS
  Tampered,        // the tamper lab's attacker changed, dropped or repeated bytes in flight
};

struct NoteEvent {
  TimeUs time = 0;
  std::string text;  // lab-level narration: "resolved bank32.com to 127.0.0.1 (lab resolver)"
  NoteKind kind = NoteKind::Narration;
};

using Event = std::variant<WireEvent, MessageEvent, KeyLogEvent, VerifyEvent, InfoEvent, AppDataEvent, NoteEvent,
                           EphemeralKeyEvent>;
using Observer = std::function<void(Role, const Event&)>;

// How much of one connection's events a Recorder keeps in memory (issue 16,
// item 3). The observer still sees every event as it happens; what is kept is
// what is read afterwards (a lab's pcapng and self-check, the attacker's log).
// What is kept is a prefix: the handshake and the start of the conversation,
// which a dissector can still frame and decrypt (a tail would start
// mid-record). The defaults are far above any lab's scripted conversation;
// `serve` and `mitm`, which read almost nothing back, keep less.
struct EventWindow {
  std::size_t maxEvents = 65536;
  std::size_t maxPayloadBytes = std::size_t{16} << 20;  // the bytes of wire, message and app data events
};

// What a Recorder saw but did not keep.
struct EventsDropped {
  std::size_t events = 0;
  std::size_t bytes = 0;  // payload bytes of the dropped events
  bool any() const { return events > 0; }
  EventsDropped& operator+=(const EventsDropped& other) {
    events += other.events;
    bytes += other.bytes;
    return *this;
  }
};

// The payload bytes an event carries (what EventWindow::maxPayloadBytes counts).
std::size_t payloadBytes(const Event& event);

// Collects the events of one endpoint connection and forwards each to an
// optional observer as it happens. Thread-safe: the observer may be shared
// by a client and a server running on different threads.
class Recorder {
 public:
  Recorder(Role role, Observer observer, EventWindow window = {})
      : role_(role), observer_(std::move(observer)), window_(window) {}
  void record(Event event);
  std::vector<Event> events() const;
  EventsDropped dropped() const;
  Role role() const { return role_; }

 private:
  Role role_;
  Observer observer_;
  EventWindow window_;
  mutable std::mutex mutex_;
  std::vector<Event> events_;
  std::size_t keptBytes_ = 0;
  bool droppingPayload_ = false;  // once one payload event is dropped, all later ones are (the kept bytes stay a prefix)
  EventsDropped dropped_;
};

}  // namespace tlslab::endpoints
