#pragma once
// The options of `tlslab lab run`, shared by the labs' runners (lab_cmd.cpp,
// lab_tamper.cpp).
#include <ostream>
#include <string>

#include "cli/CourseArgs.hpp"
#include "tlslab/scenarios/ResumptionLab.hpp"

namespace tlslab::cli {

struct LabArgs {
  std::string name;
  std::string strategy = "attacker-own";
  std::string victim = "chain-only";
  bool matrix = false;
  bool json = false;
  bool quiet = false;
  bool fullLog = false;
  bool keys = false;   // print every key-derivation step with its by-hand commands
  std::string groups;        // handshake/resumption/starttls: the client's key-share groups (OpenSSL list syntax)
  std::string serverGroups;  // ... and the server's
  std::string tls;
  std::string entry;
  std::string save;  // write the run as pcapng with keys
  std::string attack = "flip-byte";  // tamper
  bool plain = false;                // tamper/handshake: no TLS at all
  std::string ciphers;               // TLS 1.2 suites
  bool macThenEncrypt = false;       // CBC without encrypt_then_mac
  bool noTickets = false;            // resumption: by session ID
  std::string earlyData;             // resumption (TLS 1.3) and replay: the 0-RTT request
  bool keyUpdate = false;            // handshake/resumption --tls 1.3: a KeyUpdate after the first answer
  bool renegotiate = false;          // handshake --tls 1.2: a renegotiation after the first answer
  std::string antiReplay;            // replay: "on", "off" or "" (both servers, one after the other)
  std::string protocol = "smtp";     // starttls: smtp, pop3 or imap
  std::string client;                // starttls-strip: one victim ("" = all)
  std::string server;                // starttls-inject: buggy or fixed ("" = both)
  std::string subject = "Subject: quarterly payroll";  // starttls-strip/inject: the victim's mail (yours with --student)
  std::string injected = "RCPT TO:<eve@attacker32.com>";  // starttls-inject: the attacker's command
  long offset = -1;                  // tamper flip-byte: which byte
  std::string mask = "0x01";         // tamper flip-byte: which bits
  bool netns = false;  // mitm: victim, attacker and server in network namespaces (root)
  std::string screenshot;             // real-clients: Chromium's error page as PNG
  std::string password = "hunter2";   // real-clients: the victim's password
  StudentArgs who;                    // --student/--key: the student's own variant of the lab
  std::string user = "alice";         // the victim of mitm/real-clients (the student, with --student)
  std::size_t size = 20000;           // records: the client's one SSL_write
  std::size_t buffer = 9000;          // records: the server's SSL_read buffer
  std::size_t pad = 0;                // records: TLS 1.3 record padding block
  bool capture = false;               // records: capture on lo with libpcap (root)
  std::string alpn;                   // handshake/anatomy: the ALPN protocols the client offers, comma separated
  std::string outDir;                 // quic: where the capture and the key log are kept
  bool retry = false;                 // quic: the server sends a Retry first (address validation)
  std::string serverName;             // quic: the SNI (yours with --student)
  std::string page;                   // quic: the page served (yours with --student)
};

// `tlslab lab run tamper`: narrated, then judged (scenarios::TamperVerdict).
int runTamperLab(const LabArgs& args);
// `tlslab lab run records`: one write, one read buffer, the records between (lab_records.cpp).
int runRecordsLab(const LabArgs& args);
// `tlslab lab run anatomy`: TLS 1.3, 1.2 and a HelloRetryRequest side by side (lab_anatomy.cpp).
int runAnatomyLab(const LabArgs& args);

// `tlslab lab run starttls-strip` and `starttls-inject` (lab_starttls.cpp).
int runStripLab(const LabArgs& args);
int runInjectLab(const LabArgs& args);

// `tlslab lab run quic`: ngtcp2 on loopback, captured and read without and with keys (lab_quic.cpp).
int runQuicLab(const LabArgs& args);

// "\\r\\n" typed on the command line as CR LF (and \\t, \\\\).
std::string unescapeArg(const std::string& text);

// `tlslab lab run replay`: the 0-RTT replay against a server without and with
// anti-replay (lab_resumption.cpp).
int runReplayLab(const LabArgs& args);
// After `tlslab lab run resumption` over TLS 1.3: the binder of the resumed
// ClientHello computed from the client's PSK and checked (lab_resumption.cpp).
void printBinderCheck(std::ostream& out, const scenarios::BinderCheck& check);

}  // namespace tlslab::cli
