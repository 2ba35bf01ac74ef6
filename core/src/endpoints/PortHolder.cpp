// Who holds a TCP port: the kernel's socket table (/proc/net/tcp, tcp6),
// then the process whose open files include that socket (/proc/PID/fd).
// Read-only, and only of this network namespace: it names the process a
// student must stop, it never touches it.
#include "PortHolder.hpp"

#include <arpa/inet.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace tlslab::endpoints {

namespace {

constexpr const char* kListen = "0A";  // TCP_LISTEN in /proc/net/tcp's "st" column
constexpr int kMaxProcesses = 100000;  // a bound on the /proc walk

// /proc/net/tcp writes an IPv4 address as one 32-bit word in host byte order.
std::string ipv4Of(const std::string& hex) {
  in_addr addr{};
  addr.s_addr = static_cast<in_addr_t>(std::stoul(hex, nullptr, 16));
  char text[INET_ADDRSTRLEN] = {};
  return inet_ntop(AF_INET, &addr, text, sizeof(text)) ? text : "";
}

// ... and an IPv6 address as four such words.
std::string ipv6Of(const std::string& hex) {
  in6_addr addr{};
  for (int word = 0; word < 4; ++word) {
    auto value = static_cast<std::uint32_t>(std::stoul(hex.substr(static_cast<std::size_t>(word) * 8, 8), nullptr, 16));
    std::memcpy(&addr.s6_addr[word * 4], &value, 4);
  }
  char text[INET6_ADDRSTRLEN] = {};
  return inet_ntop(AF_INET6, &addr, text, sizeof(text)) ? text : "";
}

struct ListeningSocket {
  std::string address;
  unsigned long inode = 0;
};

// Listening sockets on `port` whose address would clash with `address`
// (the same one, or a wildcard).
std::vector<ListeningSocket> listenersOn(const std::string& address, std::uint16_t port) {
  std::vector<ListeningSocket> found;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout;
      unsigned long inode = 0;
      if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode)) continue;
      auto colon = local.find(':');
      if (state != kListen || colon == std::string::npos) continue;
      try {
        if (std::stoul(local.substr(colon + 1), nullptr, 16) != port) continue;
        const std::string hex = local.substr(0, colon);
        const std::string ip = hex.size() == 8 ? ipv4Of(hex) : ipv6Of(hex);
        if (ip == address || ip == "0.0.0.0" || ip == "::") found.push_back({ip, inode});
      } catch (const std::exception&) {
        continue;  // a line we cannot read is not the one we want
      }
    }
  }
  return found;
}

std::string commandLine(const std::filesystem::path& procDir) {
  std::ifstream in(procDir / "cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)), {});
  while (!raw.empty() && raw.back() == '\0') raw.pop_back();
  for (char& c : raw)
    if (c == '\0') c = ' ';
  return raw.size() > 200 ? raw.substr(0, 200) + "..." : raw;
}

// The process with a descriptor for socket `inode`: "pid 123 (tlslab serve)".
std::string processWithSocket(unsigned long inode) {
  const std::string target = "socket:[" + std::to_string(inode) + "]";
  std::error_code ec;
  int seen = 0;
  for (const auto& proc : std::filesystem::directory_iterator("/proc", ec)) {
    if (++seen > kMaxProcesses) break;
    const std::string pid = proc.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code fdError;
    for (const auto& fd : std::filesystem::directory_iterator(proc.path() / "fd", fdError)) {
      std::error_code linkError;
      if (std::filesystem::read_symlink(fd.path(), linkError).string() == target)
        return "pid " + pid + " (" + commandLine(proc.path()) + ")";
    }
  }
  return {};
}

}  // namespace

std::string describePortHolder(const std::string& address, std::uint16_t port) {
  auto listeners = listenersOn(address, port);
  if (listeners.empty()) return {};
  const ListeningSocket& socket = listeners.front();
  const std::string where = (socket.address.find(':') != std::string::npos ? "[" + socket.address + "]" : socket.address) +
                            ":" + std::to_string(port);
  std::string who = processWithSocket(socket.inode);
  return who.empty() ? "a socket listening on " + where + " (its process is not visible to this user)"
                     : who + ", listening on " + where;
}

}  // namespace tlslab::endpoints
