#pragma once
// The QUIC lab (tutorials/15-quic.md, issue 19): TLS 1.3 without records.
// Debian's ngtcp2 examples — gtlsserver and gtlsclient, a real QUIC stack with
// GnuTLS, independent of tlslab and OpenSSL — fetch one page over HTTP/3 on
// 127.0.0.1 while tlslab captures lo with its own libpcap live capture
// (filtered to the run's UDP port) and the client writes its key log
// (SSLKEYLOGFILE). The capture is dissected twice: without keys (what anyone
// on the path reads: the Initial packets, whose keys come from the public
// Destination Connection ID) and with the key log (everything).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "tlslab/model/Trace.hpp"

namespace tlslab::scenarios {

struct QuicLabOptions {
  std::filesystem::path certsDir;           // certs/: the server uses bank32-ecdsa/{key,chain}.pem
  std::string serverName = "bank32.com";    // the SNI the client sends (and the URL's host)
  std::string page = "<html><body>Hello over QUIC from ngtcp2</body></html>\n";  // index.html
  bool retry = false;                       // the server validates the address first (a Retry packet)
  std::chrono::milliseconds clientTimeout{8000};  // the client's deadline
  std::chrono::milliseconds serverTimeout{15000}; // the server's: killed at the end of the run, or then
};

// The programs the lab needs and where they are: "" when both are installed,
// else which is missing and the Debian package that has it.
std::string quicLabPrerequisites();

struct QuicLabRun {
  std::string setupError;      // nothing ran: a program missing, no permission to capture, ...
  std::uint16_t port = 0;      // the server's UDP port
  std::string url;             // what the client fetched
  std::string serverCommand, clientCommand;  // as a student would type them
  std::string captureFilter;   // "udp port N"
  std::size_t frames = 0;      // frames captured
  std::string pcapng;          // the capture alone, no keys: what an eavesdropper on lo recorded
  std::string keyLog;          // the client's SSLKEYLOGFILE
  std::string pcapngWithKeys;  // the same frames with the key log as a Decryption Secrets Block
  model::Trace keyless;        // the capture dissected without keys
  model::Trace trace;          // ... and with the key log
  std::string hostsNote;       // how the client resolved the server name to 127.0.0.1
  std::string clientResult;    // "exited with status 0" or what went wrong (course::ProgramResult::describe)
  std::string clientOutput, serverOutput;  // their stderr/stdout (bounded)
  bool clientOk = false;
  // The one QUIC connection of `trace`, or null.
  const model::TraceConnection* connection() const;
  bool ok() const { return setupError.empty() && clientOk && connection() != nullptr; }
};

QuicLabRun runQuicLab(const QuicLabOptions& options);

// What a QUIC connection shows: to anyone on the path from a capture without
// keys (the DCID, the ClientHello inside the Initials), and how many packets
// of each space the keys at hand opened. Read by the lab's printout and by
// lab 15's checks alike.
struct QuicSpaceCount {
  std::string space;  // "Initial", "Handshake", "0-RTT", "1-RTT", "Retry", "Version Negotiation"
  std::size_t clientPackets = 0, serverPackets = 0, opened = 0;
  std::size_t packets() const { return clientPackets + serverPackets; }
};
struct QuicObserved {
  Bytes dcid;                     // the DCID of the client's first Initial (the Initial keys' input)
  Bytes retryDcid;                // after a Retry: its Source Connection ID, the client's next Initials' DCID and keys
  bool clientHello = false;       // the ClientHello was read (out of the client's Initials)
  std::string sni;                // its server_name
  std::vector<std::string> alpn;  // the protocols it offers
  std::vector<QuicSpaceCount> spaces;  // the spaces that have packets, in the order above
  const QuicSpaceCount* space(std::string_view name) const;
};
QuicObserved observeQuic(const model::TraceConnection& connection);
// What the server sent on its streams (HTTP/3: control streams and the
// response), concatenated in the order the streams appear.
std::string serverStreamBytes(const model::TraceConnection& connection);

// The response body the server sent on the client's request streams
// (bidirectional, id % 4 == 0): the payloads of their HTTP/3 DATA frames
// (RFC 9114 §7.2.1), HEADERS and other frames skipped; stops at a frame that
// does not fit.
std::string http3ResponseBody(const model::TraceConnection& connection);

// The file names inside a saved run's folder.
inline constexpr const char* kQuicCaptureFile = "quic.pcapng";  // no keys: decrypt the Initials yourself
inline constexpr const char* kQuicKeyLogFile = "keys.log";      // the client's key log
// Writes quic.pcapng and keys.log into `dir` (made if missing); "" or what failed.
std::string saveQuicRun(const QuicLabRun& run, const std::filesystem::path& dir);

}  // namespace tlslab::scenarios
