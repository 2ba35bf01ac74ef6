#pragma once
#include "Channel.hpp"
#include "tlslab/endpoints/LabClient.hpp"

namespace tlslab::endpoints {

// The man in the middle's work after the victim's handshake: open its own
// connection per `upstream` (recorded by `recorder`), then copy bytes both
// ways until either side closes. Returns "" or why it stopped.
std::string runRelay(Channel& victim, int victimFd, const ClientConfig& upstream, Recorder& recorder, ClientRun& run);

}  // namespace tlslab::endpoints
