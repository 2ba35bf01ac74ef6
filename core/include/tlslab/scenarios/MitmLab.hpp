#pragma once
// The man-in-the-middle lab (tutorials/03-mitm.md). The victim wants bank32.com;
// the lab resolver is poisoned to send it to the attacker's proxy on
// 127.0.0.66, which relays to the real server on 127.0.0.1 with a certificate
// of its choice (or, with MitmLabOptions::netns, the same three parties in
// their own network namespaces). Whether the victim notices depends on how it
// verifies.
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/endpoints/MitmProxy.hpp"
#include "tlslab/scenarios/NetnsTopology.hpp"
#include "tlslab/scenarios/RunTrace.hpp"

namespace tlslab::scenarios {

using endpoints::AttackerCertificate;

enum class VictimMode {
  NoVerification,       // SSL_VERIFY_NONE
  ChainOnly,            // the classic bug: no host name check
  IgnoreErrors,         // the other classic bug: the callback returns 1
  Correct,              // chain + host name, abort on failure
  CorrectRogueTrusted,  // correct, but the student imported the Rogue CA
  Pinned,               // correct + Rogue CA trusted + the real server's key pinned
};
const char* victimModeName(VictimMode mode);  // "none", "chain-only", ...
const char* victimModeDescription(VictimMode mode);
std::vector<VictimMode> allVictimModes();

// What the lab says will happen: the teaching content, checked by the tests.
struct MitmExpectation {
  AttackerCertificate strategy;
  VictimMode victim;
  bool attackSucceeds;
  const char* error;  // X509_V_ERR_* name without the prefix, "PIN_MISMATCH", or "" (none)
  int depth;          // chain depth of the error, -1 when none
};
const MitmExpectation& expectedOutcome(AttackerCertificate strategy, VictimMode victim);

struct MitmOutcome {
  AttackerCertificate strategy = AttackerCertificate::AttackerOwn;
  VictimMode victim = VictimMode::Correct;
  bool connected = false;       // the victim finished its conversation (through the proxy)
  bool passwordStolen = false;  // the attacker's log holds the victim's password
  std::string error;            // the victim's first verification error ("" when none), as in MitmExpectation
  int errorDepth = -1;
  std::string errorText;
  std::string stolen;           // the login the attacker logged, when it got one
  endpoints::ClientRun victimRun;
  std::vector<endpoints::ServerConnection> proxySessions;  // victim leg + upstream leg each
  std::vector<endpoints::ServerConnection> serverConnections;  // the real bank32.com's view of the proxy's legs
  std::string presentedChainPem;
  // The real bank32.com's own certificate (DER), for the comparison when the
  // proxy never reached the server (the victim aborted first).
  Bytes realServerLeafDer;
  std::string proxyAddress;   // where the poisoned resolver sent the victim (127.0.0.66, or 10.66.0.1 with netns)
  std::string serverAddress;  // the real bank32.com (127.0.0.1, or 10.32.0.2)
  std::string setupError;       // the lab could not run (ports, files): not an outcome

  // The legs for traceOfRun: "victim" -> "proxy", then each proxy leg that
  // reached the bank, "proxy" -> "bank32.com"; with both sides' writes.
  std::vector<RunLeg> legs() const;
};

// The names of the three parties, on every MITM trace the CLI and the GUI show.
inline constexpr const char* kMitmVictimLabel = "victim";
inline constexpr const char* kMitmProxyLabel = "proxy";
inline constexpr const char* kMitmServerLabel = "bank32.com";

struct MitmLabOptions {
  std::filesystem::path certsDir;
  endpoints::Observer observer;  // streams all four endpoints' events
  std::string user = "alice";
  std::string password = "hunter2";
  // --netns: victim, attacker and server each in its namespace of this
  // topology (not owned; one topology serves a whole --matrix), else loopback.
  const NetnsTopology* netns = nullptr;
};

MitmOutcome runMitm(AttackerCertificate strategy, VictimMode victim, const MitmLabOptions& options);

}  // namespace tlslab::scenarios
