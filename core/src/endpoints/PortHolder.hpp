#pragma once
#include <cstdint>
#include <string>

namespace tlslab::endpoints {

// Which process listens on `port` at `address` (or on the wildcard address):
// "pid 4242 (tlslab mitm --port 4433), listening on 127.0.0.66:4433"; "" when
// nothing in this network namespace is.
std::string describePortHolder(const std::string& address, std::uint16_t port);

}  // namespace tlslab::endpoints
