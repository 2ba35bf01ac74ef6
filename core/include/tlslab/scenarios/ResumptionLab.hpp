#pragma once
// Lab 12's scenarios (tutorials/12-resumption.md): the PSK binder of a TLS
// 1.3 resumption computed from the client's PSK and checked against the
// ClientHello on the wire, and the 0-RTT replay — the client's first flight
// sent again byte for byte by an attacker, to a server without anti-replay
// (its application takes the early data twice) and to OpenSSL's default
// single-use tickets (the replay is refused).
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/endpoints/Replay.hpp"
#include "tlslab/model/Trace.hpp"
#include "tlslab/scenarios/RunTrace.hpp"

namespace tlslab::scenarios {

// RFC 8446 §4.2.11.2 for one resumed connection of a trace.
struct BinderCheck {
  std::string error;               // why it could not be checked ("" when it was)
  std::size_t clientHelloLength = 0;  // the whole message, handshake header included
  std::size_t truncatedLength = 0;    // Truncate(ClientHello): what the binder's HMAC covers
  std::size_t bindersLength = 0;      // the binders list left out (2-byte length + binders)
  Bytes pskIdentity;                  // the ticket the client offered
  Bytes wireBinder;                   // the binder in the ClientHello
  std::vector<model::DerivationStep> steps;  // the computation, then its comparison with the wire
  bool verified = false;              // the computed binder equals the one on the wire
  // The early secret also gives client_early_traffic_secret: when the key log
  // has it (0-RTT was offered), the computed one is compared with it.
  std::optional<bool> earlyTrafficMatchesKeyLog;
};
// `resumed` is the connection whose ClientHello offered the PSK; `psk` the
// client's (endpoints::ClientRun::offeredPsk).
BinderCheck checkPskBinder(const model::TraceConnection& resumed, ByteView psk);

struct ZeroRttReplayOptions {
  std::filesystem::path certsDir;
  std::string earlyData;  // the client's 0-RTT request
  bool antiReplay = false;  // the server's SSL_OP_NO_ANTI_REPLAY is off (true) or on (false)
  endpoints::Observer observer;  // the client's and server's events as they happen
  // Called between the stages: "ticket", "0-RTT", "replay".
  std::function<void(const std::string& stage)> onStage;
};

struct ZeroRttReplayRun {
  bool antiReplay = false;
  std::string earlyData;
  // [0] the full handshake that earns a ticket, [1] the resumption with 0-RTT.
  std::vector<endpoints::ClientRun> runs;
  endpoints::ReplayResult replay;  // the attacker's copy of runs[1]'s first flight
  std::vector<endpoints::ServerConnection> serverSide;  // every connection the server saw
  std::string setupError;

  // The server's view of the genuine 0-RTT connection and of the replay (null if missing).
  const endpoints::ServerConnection* genuine() const;
  const endpoints::ServerConnection* replayed() const;
  // How many times the server's application took the early data (0, 1 or 2).
  int timesDelivered() const;
  // The two client connections as legs (the replay is not one: same client
  // random, other server secrets, so it stays out of the run's capture).
  std::vector<RunLeg> legs() const;
};

ZeroRttReplayRun runZeroRttReplay(const ZeroRttReplayOptions& options);

// What happened, in the words the CLI prints and the GUI shows: the replay,
// each server connection's application log, and the verdict (✔ / ✗ line last).
std::vector<std::string> replayReport(const ZeroRttReplayRun& run);

// The TLS records of a flight: "ClientHello, ChangeCipherSpec, 1 application-data record (0-RTT)".
std::string describeFlight(ByteView flight);

}  // namespace tlslab::scenarios

namespace tlslab::scenarios {

// A TLS 1.2 connection that renegotiated, read off its trace (RFC 5746): how
// the first ClientHello signals support, what the second hellos carry, and
// whether that equals the first handshake's Finished data (✔ / ✗ line last).
std::vector<std::string> renegotiationReport(const model::TraceConnection& conn);
// A TLS 1.3 connection with KeyUpdate messages (RFC 8446 §4.6.3, §7.2): who
// sent each, and which key phase the records after it use.
std::vector<std::string> keyUpdateReport(const model::TraceConnection& conn);

}  // namespace tlslab::scenarios
