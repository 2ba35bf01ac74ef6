#pragma once
// A real OpenSSL client, instrumented like LabServer, that connects by name
// through the lab Resolver and runs a scripted conversation.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tlslab/endpoints/Events.hpp"
#include "tlslab/endpoints/Resolver.hpp"
#include "tlslab/endpoints/RunPcapng.hpp"
#include "tlslab/endpoints/Tamper.hpp"
#include "tlslab/endpoints/TlsOptions.hpp"
#include "tlslab/endpoints/VerifyMode.hpp"
#include "tlslab/model/Verify.hpp"

namespace tlslab::endpoints {

struct ScriptStep {
  enum class Kind { Send, Expect, KeyUpdate, Renegotiate };
  Kind kind = Kind::Send;
  std::string data;  // bytes to send, or a substring the peer must send next
  static ScriptStep send(std::string text) { return {Kind::Send, std::move(text)}; }
  static ScriptStep expect(std::string text) { return {Kind::Expect, std::move(text)}; }
  // TLS 1.3 KeyUpdate (RFC 8446 §4.6.3), asking the peer to update too.
  static ScriptStep keyUpdate() { return {Kind::KeyUpdate, {}}; }
  // TLS 1.2 secure renegotiation (RFC 5746): a new handshake under the current keys.
  static ScriptStep renegotiate() { return {Kind::Renegotiate, {}}; }
};

// A session a later run can resume (by ID, ticket or TLS 1.3 PSK, whichever
// the server offered). Opaque: it holds OpenSSL's SSL_SESSION.
struct ResumableSession;
using SessionHandle = std::shared_ptr<const ResumableSession>;

struct ClientConfig {
  std::string host = "bank32.com";
  std::uint16_t port = 443;
  Resolver resolver;
  VerifyMode verifyMode = VerifyMode::ChainAndHost;
  std::vector<std::filesystem::path> trustFiles;  // PEM CA certificates
  std::filesystem::path trustDir;                 // hashed directory (c_rehash layout)
  std::vector<std::filesystem::path> crlFiles;    // CRLs to check the leaf against (revocation)
  // OpenSSL's default falls back to the subject CN when a certificate has no
  // DNS SAN; browsers do not (RFC 6125 §6.4.4). The lab's clients behave like
  // browsers unless told otherwise.
  bool allowCnFallback = false;
  std::optional<std::string> sni;  // default: host (none when host is an IP literal)
  TlsOptions tls;
  std::filesystem::path clientCert, clientKey;
  // VerifyMode::Pinned: SHA-256 of the server's SubjectPublicKeyInfo (RFC 7469 §2.4).
  Bytes pinnedSpkiSha256;
  bool useTls = true;
  Starttls starttls = Starttls::None;  // cleartext preamble, then the handshake
  // When the server's capabilities do not name STARTTLS (an attacker may have
  // stripped it, RFC 3207 §6): true gives up, as a client that requires TLS
  // must; false (opportunistic) goes on in cleartext, as most MTAs do.
  bool starttlsRequired = true;
  // Fault hook: plaintext sent in the same write as the STARTTLS command, as
  // an on-path attacker would inject it (the STARTTLS command-injection bug).
  std::string injectWithStarttls;
  // What the cleartext bytes are, for the trace ("" = the STARTTLS protocol, else "TCP").
  std::string cleartextProtocol;
  SessionHandle resume;  // offer this session (null: full handshake)
  Tamper tamper;         // an attacker on the client's outgoing records
  // TLS 1.3 0-RTT: sent before the handshake completes when `resume` allows
  // early data (RFC 8446 §4.2.10). Replayable by design: see tutorials.
  std::string earlyData;
  std::vector<ScriptStep> script;
  int ioTimeoutMs = 5000;
  int handshakeTimeoutMs = 10000;  // the whole handshake, however the peer trickles it (0: none)
  // TCP_MAXSEG before connecting (0: the kernel's choice, 65483 on loopback):
  // the record lab asks for an Ethernet-sized MSS so loopback segments like a LAN.
  int tcpMaxSegment = 0;
  EventWindow window;  // how much of the run's events are kept in ClientRun::events
};

// What the handshake agreed on.
struct Negotiated {
  std::string version;  // "TLSv1.3"
  std::string cipher;   // OpenSSL name, e.g. "TLS_AES_256_GCM_SHA384"
  std::string group;    // key exchange group, e.g. "x25519" ("" when there was none: a resumed TLS 1.2 session)
  std::string alpn;
  bool resumed = false;
  std::string resumedBy;  // "session ID", "ticket" (RFC 5077) or "PSK" (TLS 1.3); "" for a full handshake
  // As the peer sent them, leaf first; filled even when the handshake then
  // failed (what a client that aborted was shown).
  std::vector<std::string> peerChainSubjects;
  std::vector<Bytes> peerChainDer;             // the same certificates, DER
};

struct ClientRun {
  std::string address;           // where the resolver sent us
  TcpPeers peers;                // both ends of the TCP connection (for pcapng export)
  bool connected = false;        // TCP connected
  bool handshakeOk = false;      // TLS established (always true for cleartext)
  bool scriptOk = false;         // every Expect step was met
  bool earlyDataAccepted = false;  // the server took the 0-RTT data
  // STARTTLS: the server offered no upgrade and the (opportunistic) client went on in cleartext.
  bool starttlsSkipped = false;
  std::string error;             // first failure, in plain words
  model::VerifyVerdict verify;   // the verify callback's record
  Negotiated negotiated;
  std::string received;          // all application bytes from the server
  SessionHandle session;         // to resume in a later run (null if none was issued)
  // TLS 1.3 resumption: the PSK of the offered session. OpenSSL keeps it as
  // the session's "master key" (HKDF-Expand-Label(resumption_master_secret,
  // "resumption", ticket_nonce), RFC 8446 §4.6.1), so the lab can compute the
  // ClientHello's binder (§4.2.11.2) and check it against the wire. Empty otherwise.
  Bytes offeredPsk;
  std::vector<Event> events;
  EventsDropped dropped;  // what `window` did not keep
};

ClientRun runClient(const ClientConfig& config, Observer observer = {});

}  // namespace tlslab::endpoints
