#include "Services.hpp"

#include <algorithm>
#include <vector>

namespace tlslab::endpoints {

const char* serviceName(Service service) {
  switch (service) {
    case Service::HttpsHello: return "https";
    case Service::Echo: return "echo";
    case Service::Smtp: return "smtp";
    case Service::Pop3: return "pop3";
    case Service::Imap: return "imap";
    case Service::Relay: return "relay";
    default: return "unknown";
  }
}

namespace {

// Each read gets `bufferSize` bytes of room (bounded: 1 byte to 1 MiB), and
// what it returns is written back as it is: one SSL_read, one SSL_write.
std::string serveEcho(Channel& channel, std::size_t bufferSize) {
  std::vector<std::uint8_t> buffer(std::clamp<std::size_t>(bufferSize, 1, std::size_t{1} << 20));
  for (;;) {
    long n = channel.read(buffer.data(), buffer.size());
    if (n == 0) return "";
    if (n < 0) return channel.lastError();
    if (!channel.write(ByteView(buffer.data(), static_cast<std::size_t>(n)))) return channel.lastError();
  }
}

}  // namespace

std::string runService(Service service, ServiceContext& context) {
  switch (service) {
    case Service::HttpsHello: return serveHttp(context);
    case Service::Echo: return serveEcho(context.channel, context.readBufferSize);
    case Service::Smtp: return serveSmtp(context);
    case Service::Pop3: return servePop3(context);
    case Service::Imap: return serveImap(context);
    default: return "unknown service";
  }
}

}  // namespace tlslab::endpoints
