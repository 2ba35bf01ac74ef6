#pragma once
#include <string>

#include "Channel.hpp"
#include "tlslab/endpoints/LabServer.hpp"

namespace tlslab::endpoints {

// Runs `service` on an established channel until the peer closes.
// Returns "" or why it stopped early.
std::string runService(Service service, Channel& channel, const std::string& siteName);

}  // namespace tlslab::endpoints
