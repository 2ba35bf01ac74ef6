#pragma once
#include <functional>
#include <string>

#include "Channel.hpp"
#include "tlslab/endpoints/LabServer.hpp"

namespace tlslab::endpoints {

struct ServiceContext {
  Channel& channel;
  std::string siteName;
  // Runs the TLS handshake on the channel's socket (STARTTLS); "" on success.
  std::function<std::string()> startTls;
  // The STARTTLS injection bug: keep plaintext that arrived with the command.
  bool keepPlaintextAfterStarttls = false;
  // ... and how many of those bytes are still to be read: each line taken
  // from them is logged as executed (what the bug does, made visible).
  std::size_t injectedBytes = 0;
  std::function<void(const std::string&)> note;  // narration for the trace
  // HTTPS service (ServerConfig::pageNote, httpCloseAfterResponse).
  std::string pageNote;
  bool closeAfterResponse = false;
  // Echo service: the buffer each read is given (ServerConfig::readBufferSize).
  std::size_t readBufferSize = 16384;
};

// Runs `service` on an established channel until the peer closes.
// Returns "" or why it stopped early.
std::string runService(Service service, ServiceContext& context);

// The hello page with its login form (HttpService.cpp).
std::string serveHttp(ServiceContext& context);

// The STARTTLS mail services (Mail.cpp).
std::string serveSmtp(ServiceContext& context);
std::string servePop3(ServiceContext& context);
std::string serveImap(ServiceContext& context);

}  // namespace tlslab::endpoints
