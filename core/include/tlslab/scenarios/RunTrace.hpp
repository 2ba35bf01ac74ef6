#pragma once
// A lab run as a Trace, and the lab's self-check (DESIGN.md: "every lab run is
// also a self-check"). The wire tap's exact bytes become a pcapng with the
// run's key log (endpoints::writeRunPcapng), the dissector reads it like any
// capture, and the application bytes it decrypts must equal what the
// endpoints really sent and received. The endpoints then add what a capture
// cannot know: who was who (victim, proxy) and the verify trace.
#include <cstddef>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/keys/KeyStore.hpp"
#include "tlslab/model/Trace.hpp"

namespace tlslab::scenarios {

// One TCP connection of a run, seen from its client side.
struct RunLeg {
  const endpoints::ClientRun* run = nullptr;
  std::string clientLabel = "client";
  std::string serverLabel = "server";
  // The server's record of the same connection, when the lab ran the server:
  // its writes are the server -> client segments of the capture, so bytes the
  // client never read (it aborted) are in the capture too.
  const std::vector<endpoints::Event>* serverEvents = nullptr;
};

// The server's record of `run`'s connection among `connections` (matched by
// the client's address and port), or null.
const std::vector<endpoints::Event>* serverEventsOf(const endpoints::ClientRun& run,
                                                     const std::vector<endpoints::ServerConnection>& connections);

struct SelfCheck {
  bool ok = false;
  bool applicable = true;     // false for cleartext runs and runs that never connected
  std::size_t bytesChecked = 0;  // application bytes compared, both directions
  std::string message;        // "decrypted 120 bytes, equal to what the endpoints sent", or the first difference
};

struct RunTrace {
  model::Trace trace;             // one connection per leg, in leg order
  std::vector<SelfCheck> checks;  // one per leg
  std::string error;              // the run could not be turned into a capture or read back
  bool selfCheckOk() const;
  // The pcapng the trace was read from (keys embedded): `tlslab lab run --save`.
  // It holds the key log only, never a private key.
  std::string pcapng;
  // The endpoints' ephemeral (EC)DHE keys, which the trace's derivations
  // start from; saved beside the pcapng (keys::ephemeralKeyText).
  std::vector<keys::EphemeralKey> ephemeralKeys;
};

// The run's trace: its own pcapng read back with the endpoints' ephemeral
// keys, so each connection's derivation starts at the (EC)DHE shared secret.
RunTrace traceOfRun(const std::vector<RunLeg>& legs, const std::string& source);

// The ephemeral keys among one endpoint's events, into `keys` ("who": the
// endpoint's label, for the steps' notes).
void addEphemeralKeys(keys::KeyStore& keys, const std::vector<endpoints::Event>& events, const std::string& who);

// The application bytes one endpoint sent (sent = true) or received, in order.
Bytes appBytes(const std::vector<endpoints::Event>& events, bool sent);

}  // namespace tlslab::scenarios
