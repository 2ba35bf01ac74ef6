#pragma once
// The two-endpoint labs (tutorials/handshake.md, resumption.md, starttls.md,
// tamper.md): the lab server for bank32.com (or mail.bank32.com for SMTP) and
// a correct client in this process, on loopback. The CLI narrates a run and the GUI
// draws it; both get it from here so the two always show the same lab.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/endpoints/Tamper.hpp"
#include "tlslab/scenarios/RunTrace.hpp"

namespace tlslab::scenarios {

enum class PairLab {
  Handshake,   // one HTTPS request
  Resumption,  // the same, then a second connection resuming the first session
  Starttls,    // SMTP in cleartext, STARTTLS, AUTH inside TLS
  Tamper,      // an on-path attacker without keys damages the client's request
};
const char* pairLabName(PairLab lab);  // "handshake", "resumption", "starttls", "tamper"
std::vector<PairLab> allPairLabs();

// The attacks of the tamper lab (endpoints::Tamper::Action, minus None).
std::vector<endpoints::Tamper::Action> tamperActions();
const char* tamperActionDescription(endpoints::Tamper::Action action);

struct PairLabOptions {
  std::filesystem::path certsDir;
  std::string tls;               // "1.2", "1.3", or "" (both allowed, 1.3 wins)
  endpoints::Observer observer;  // both endpoints' events as they happen
  // Tamper: what the attacker does to the first record of the request.
  endpoints::Tamper::Action tamper = endpoints::Tamper::Action::FlipByte;
  // Called after each client connection ends, before the next one starts
  // (the CLI prints its summary there, between the two resumption runs).
  std::function<void(const endpoints::ClientRun&, std::size_t index)> onClientDone;
};

struct PairLabRun {
  PairLab lab = PairLab::Handshake;
  std::string serverName;                 // the host name the client asked for
  std::vector<endpoints::ClientRun> runs;  // one, or two when resuming
  std::vector<endpoints::ServerConnection> serverSide;  // the server's view of each connection
  std::string setupError;                 // the server could not start: no run at all

  bool ok() const;  // set up, and the last conversation completed
  // The runs as legs for traceOfRun, labelled "client" / "client (resuming)".
  std::vector<RunLeg> legs() const;
};

PairLabRun runPairLab(PairLab lab, const PairLabOptions& options);

// What the tamper lab shows: the attack happened, TLS noticed, and the
// damaged bytes never reached the server's application.
struct TamperVerdict {
  std::string attack;          // the attacker's note: "tamper: record 1 (61 bytes) byte 60 flipped in flight"
  std::string serverAlert;     // the alert the server sent, "fatal bad record mac" ("" when none)
  std::string serverError;     // why the server closed the connection
  std::string delivered;       // application bytes the server accepted
  bool requestDelivered = false;  // the whole request reached the server's application
  bool detected() const { return !requestDelivered && (!serverAlert.empty() || !serverError.empty()); }
};
TamperVerdict tamperVerdict(const PairLabRun& run);

}  // namespace tlslab::scenarios
