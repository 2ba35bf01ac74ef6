#pragma once
// The two-endpoint labs (tutorials/handshake.md, resumption.md, starttls.md):
// the lab server for bank32.com (or mail.bank32.com for SMTP) and a correct
// client in this process, on loopback. The CLI narrates a run and the GUI
// draws it; both get it from here so the two always show the same lab.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/scenarios/RunTrace.hpp"

namespace tlslab::scenarios {

enum class PairLab {
  Handshake,   // one HTTPS request
  Resumption,  // the same, then a second connection resuming the first session
  Starttls,    // SMTP in cleartext, STARTTLS, AUTH inside TLS
};
const char* pairLabName(PairLab lab);  // "handshake", "resumption", "starttls"

struct PairLabOptions {
  std::filesystem::path certsDir;
  std::string tls;               // "1.2", "1.3", or "" (both allowed, 1.3 wins)
  endpoints::Observer observer;  // both endpoints' events as they happen
  // Called after each client connection ends, before the next one starts
  // (the CLI prints its summary there, between the two resumption runs).
  std::function<void(const endpoints::ClientRun&, std::size_t index)> onClientDone;
};

struct PairLabRun {
  PairLab lab = PairLab::Handshake;
  std::string serverName;                 // the host name the client asked for
  std::vector<endpoints::ClientRun> runs;  // one, or two when resuming
  std::string setupError;                 // the server could not start: no run at all

  bool ok() const;  // set up, and the last conversation completed
  // The runs as legs for traceOfRun, labelled "client" / "client (resuming)".
  std::vector<RunLeg> legs() const;
};

PairLabRun runPairLab(PairLab lab, const PairLabOptions& options);

}  // namespace tlslab::scenarios
