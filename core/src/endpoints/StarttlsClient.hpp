#pragma once
#include <string>

#include "Channel.hpp"
#include "tlslab/endpoints/TlsOptions.hpp"

namespace tlslab::endpoints {

// The client's cleartext part of a STARTTLS protocol, up to the server's
// go-ahead; the TLS handshake follows on the same socket. "" on success.
// "SMTP", "POP3", "IMAP": what the cleartext part of the conversation is.
const char* starttlsProtocolName(Starttls protocol);

std::string starttlsPreamble(Starttls protocol, Channel& channel, const std::string& injected);

}  // namespace tlslab::endpoints
