#include "Services.hpp"

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

std::string serveEcho(Channel& channel) {
  std::uint8_t buffer[16384];
  for (;;) {
    long n = channel.read(buffer, sizeof(buffer));
    if (n == 0) return "";
    if (n < 0) return channel.lastError();
    if (!channel.write(ByteView(buffer, static_cast<std::size_t>(n)))) return channel.lastError();
  }
}

}  // namespace

std::string runService(Service service, ServiceContext& context) {
  switch (service) {
    case Service::HttpsHello: return serveHttp(context);
    case Service::Echo: return serveEcho(context.channel);
    case Service::Smtp: return serveSmtp(context);
    case Service::Pop3: return servePop3(context);
    case Service::Imap: return serveImap(context);
    default: return "unknown service";
  }
}

}  // namespace tlslab::endpoints
