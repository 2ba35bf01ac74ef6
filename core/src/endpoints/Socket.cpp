#include "Socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cerrno>
#include <cstring>
#include <mutex>

#include "PortHolder.hpp"
#include "tlslab/endpoints/LabNetns.hpp"

namespace tlslab::endpoints {

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

int Fd::release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

namespace {

struct SockAddr {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family = AF_UNSPEC;
};

bool parseAddress(const std::string& address, std::uint16_t port, SockAddr& out) {
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    out.length = sizeof(sockaddr_in);
    out.family = AF_INET;
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
  if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    out.length = sizeof(sockaddr_in6);
    out.family = AF_INET6;
    return true;
  }
  return false;
}

std::string errnoText(const std::string& what) { return what + ": " + std::strerror(errno); }

// Loopback, or anything inside a network namespace the lab built (LabNetns.hpp).
bool allowedAddress(const std::string& address) { return isLoopbackAddress(address) || inLabNetns(); }
constexpr const char* kAllowed =
    "labs use loopback addresses only (127.0.0.0/8, ::1), or the network namespaces `tlslab lab run mitm --netns` "
    "creates";

}  // namespace

bool isLoopbackAddress(const std::string& address) {
  in_addr v4{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, address.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

Listener listenOn(const std::string& address, std::uint16_t port) {
  ignoreSigpipe();
  Listener result;
  SockAddr addr;
  if (!allowedAddress(address) || !parseAddress(address, port, addr)) {
    result.error = "refusing to listen on '" + address + "': " + kAllowed;
    return result;
  }
  Fd fd(::socket(addr.family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return {Fd{}, 0, errnoText("socket")};
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr.storage), addr.length) != 0) {
    const int bindErrno = errno;
    std::string error = errnoText("bind " + address + ":" + std::to_string(port));
    if (bindErrno == EADDRINUSE) {
      std::string holder = describePortHolder(address, port);
      error += holder.empty() ? " (by a socket that is not listening, or in another network namespace)" : ": held by " + holder;
    }
    return {Fd{}, 0, error};
  }
  if (::listen(fd.get(), 512) != 0) return {Fd{}, 0, errnoText("listen")};
  sockaddr_storage bound{};
  socklen_t len = sizeof(bound);
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &len);
  result.port = ntohs(bound.ss_family == AF_INET ? reinterpret_cast<sockaddr_in*>(&bound)->sin_port
                                                 : reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
  result.fd = std::move(fd);
  return result;
}

Connection connectTo(const std::string& address, std::uint16_t port, int timeoutMs, int maxSegment) {
  ignoreSigpipe();
  SockAddr addr;
  if (!allowedAddress(address) || !parseAddress(address, port, addr))
    return {Fd{}, "refusing to connect to '" + address + "': " + kAllowed};
  Fd fd(::socket(addr.family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) {
    const int socketErrno = errno;
    return {Fd{}, errnoText("socket"), socketErrno};
  }
  if (maxSegment > 0 && ::setsockopt(fd.get(), IPPROTO_TCP, TCP_MAXSEG, &maxSegment, sizeof(maxSegment)) != 0)
    return {Fd{}, errnoText("TCP_MAXSEG " + std::to_string(maxSegment))};
  int rc = ::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr.storage), addr.length);
  if (rc != 0 && errno != EINPROGRESS) return {Fd{}, errnoText("connect to " + address + ":" + std::to_string(port))};
  if (rc != 0) {
    pollfd pfd{fd.get(), POLLOUT, 0};
    if (::poll(&pfd, 1, timeoutMs) != 1) return {Fd{}, "connect to " + address + ":" + std::to_string(port) + ": timed out"};
    int err = 0;
    socklen_t len = sizeof(err);
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      errno = err;
      return {Fd{}, errnoText("connect to " + address + ":" + std::to_string(port))};
    }
  }
  ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
  setIoTimeout(fd.get(), timeoutMs);
  setNoDelay(fd.get());
  return {std::move(fd), {}};
}

void ignoreSigpipe() {
  static std::once_flag once;
  std::call_once(once, [] { std::signal(SIGPIPE, SIG_IGN); });
}

void setNoDelay(int fd) {
  int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
}

void setIoTimeout(int fd, int timeoutMs) {
  timeval tv{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

std::string peerName(int fd) {
  sockaddr_storage peer{};
  socklen_t len = sizeof(peer);
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) return "?";
  char host[INET6_ADDRSTRLEN] = {};
  std::uint16_t port = 0;
  if (peer.ss_family == AF_INET) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&peer);
    inet_ntop(AF_INET, &v4->sin_addr, host, sizeof(host));
    port = ntohs(v4->sin_port);
    return std::string(host) + ":" + std::to_string(port);
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&peer);
  inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof(host));
  port = ntohs(v6->sin6_port);
  return "[" + std::string(host) + "]:" + std::to_string(port);
}

}  // namespace tlslab::endpoints

namespace tlslab::endpoints {
std::string localAddress(int fd) {
  sockaddr_storage local{};
  socklen_t len = sizeof(local);
  char host[INET6_ADDRSTRLEN] = {};
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) return {};
  const void* ip = local.ss_family == AF_INET ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(&local)->sin_addr)
                                              : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(&local)->sin6_addr);
  return inet_ntop(local.ss_family, ip, host, sizeof(host)) ? host : "";
}

std::uint16_t localPort(int fd) {
  sockaddr_storage local{};
  socklen_t len = sizeof(local);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) return 0;
  return ntohs(local.ss_family == AF_INET ? reinterpret_cast<sockaddr_in*>(&local)->sin_port
                                          : reinterpret_cast<sockaddr_in6*>(&local)->sin6_port);
}
}  // namespace tlslab::endpoints
