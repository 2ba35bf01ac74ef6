#include "tlslab/capture/Types.hpp"

#include <arpa/inet.h>

#include <array>
#include <limits>
#include <string>

namespace tlslab::capture {

Timestamp Timestamp::fromParts(std::int64_t seconds, std::int64_t fractionNanos) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  std::int64_t nanos = 0;
  if (__builtin_mul_overflow(seconds, std::int64_t{1'000'000'000}, &nanos)) return {seconds < 0 ? kMin : kMax};
  if (__builtin_add_overflow(nanos, fractionNanos, &nanos)) return {fractionNanos < 0 ? kMin : kMax};
  return {nanos};
}

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
    case CloseReason::Idle: return "idle";
    default: return "?";
  }
}

std::size_t hashEndpointPair(const Endpoint& a, const Endpoint& b) noexcept {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](std::uint8_t byte) { h = (h ^ byte) * 1099511628211ULL; };
  for (const Endpoint* e : {&a, &b}) {
    for (std::uint8_t byte : e->address) mix(byte);
    mix(static_cast<std::uint8_t>(e->port >> 8));
    mix(static_cast<std::uint8_t>(e->port));
    mix(e->ipv6 ? 1 : 0);
  }
  return static_cast<std::size_t>(h);
}

}  // namespace tlslab::capture
