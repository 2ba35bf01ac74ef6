// Whether a student's server listens yet, without connecting to it: a probe
// connection would use up a server that (wrongly) serves only one client,
// and the check would then blame the wrong thing.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <fstream>
#include <sstream>

#include "ProgramSpawn.hpp"

namespace tlslab::course::detail {
namespace {

constexpr const char* kListenState = "0A";  // TCP_LISTEN in /proc/net/tcp

// /proc/net/tcp prints each 32-bit word of the address as the host-order
// integer of its network-order bytes; reading it back the same way restores them.
bool addressMatches(const std::string& hex, const std::string& wanted, bool v6) {
  if (hex.find_first_not_of('0') == std::string::npos) return true;  // the wildcard address
  unsigned char bytes[16];
  std::size_t words = v6 ? 4 : 1;
  if (hex.size() != words * 8) return false;
  for (std::size_t i = 0; i < words; ++i) {
    auto word = static_cast<std::uint32_t>(std::strtoul(hex.substr(i * 8, 8).c_str(), nullptr, 16));
    std::memcpy(bytes + i * 4, &word, 4);
  }
  unsigned char want[16];
  if (::inet_pton(v6 ? AF_INET6 : AF_INET, wanted.c_str(), want) != 1) return false;
  return std::memcmp(bytes, want, v6 ? 16 : 4) == 0;
}

// nullopt when the table cannot be read (then the caller probes by connecting).
std::optional<bool> listedAsListening(const char* table, const std::string& address, std::uint16_t port, bool v6) {
  std::ifstream in(table);
  if (!in) return std::nullopt;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    if (!(fields >> slot >> local >> remote >> state) || state != kListenState) continue;
    auto colon = local.find(':');
    if (colon == std::string::npos) continue;
    if (std::strtoul(local.c_str() + colon + 1, nullptr, 16) != port) continue;
    if (addressMatches(local.substr(0, colon), address, v6)) return true;
  }
  return false;
}

bool acceptsConnections(const std::string& address, std::uint16_t port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if (::inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1) return false;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

bool somethingListens(const std::string& address, std::uint16_t port) {
  bool v6 = address.find(':') != std::string::npos;
  auto listed = listedAsListening(v6 ? "/proc/net/tcp6" : "/proc/net/tcp", address, port, v6);
  if (!listed) return !v6 && acceptsConnections(address, port);
  // A dual-stack [::] listener also takes IPv4 connections.
  if (!*listed && !v6) listed = listedAsListening("/proc/net/tcp6", "::", port, true).value_or(false);
  return *listed;
}

}  // namespace tlslab::course::detail
