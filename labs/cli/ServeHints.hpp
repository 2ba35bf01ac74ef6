#pragma once
// What `tlslab serve` prints under its banner: client commands that work
// against exactly this server (its service, name, address, TLS or not,
// client authentication), so a student can paste them into another terminal.
#include <cstdint>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabServer.hpp"

namespace tlslab::cli {

struct ServeHintInput {
  const endpoints::ServerConfig* config = nullptr;
  std::uint16_t port = 0;
  bool ownCertificate = false;  // --cert-file: trust the student's own root, not the lab's
};

std::vector<std::string> serveHints(const ServeHintInput& input);

}  // namespace tlslab::cli
