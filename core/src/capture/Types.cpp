#include "tlslab/capture/Types.hpp"

#include <arpa/inet.h>

#include <array>
#include <string>

namespace tlslab::capture {

std::string toString(const Endpoint& endpoint) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (endpoint.ipv6) {
    inet_ntop(AF_INET6, endpoint.address.data(), text.data(), text.size());
    return "[" + std::string(text.data()) + "]:" + std::to_string(endpoint.port);
  }
  inet_ntop(AF_INET, endpoint.address.data(), text.data(), text.size());
  return std::string(text.data()) + ":" + std::to_string(endpoint.port);
}

const char* directionName(Direction d) {
  switch (d) {
    case Direction::ClientToServer: return "client->server";
    case Direction::ServerToClient: return "server->client";
    default: return "?";
  }
}

const char* contentName(Content c) {
  switch (c) {
    case Content::Tls: return "tls";
    case Content::Plaintext: return "plaintext";
    case Content::Unknown: return "unknown";
    default: return "?";
  }
}

const char* closeReasonName(CloseReason r) {
  switch (r) {
    case CloseReason::Fin: return "fin";
    case CloseReason::Rst: return "rst";
    case CloseReason::Reused: return "reused";
    case CloseReason::EndOfCapture: return "end of capture";
    case CloseReason::Evicted: return "evicted";
    default: return "?";
  }
}

}  // namespace tlslab::capture
