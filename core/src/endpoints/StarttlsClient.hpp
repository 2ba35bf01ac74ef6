#pragma once
#include <string>

#include "Channel.hpp"
#include "tlslab/endpoints/TlsOptions.hpp"

namespace tlslab::endpoints {

// The client's cleartext part of a STARTTLS protocol, up to the server's
// go-ahead; the TLS handshake follows on the same socket. "" on success.
// "SMTP", "POP3", "IMAP": what the cleartext part of the conversation is.
const char* starttlsProtocolName(Starttls protocol);

// The server's capabilities are read first (EHLO, CAPA, the IMAP greeting):
// `offered` says whether they named STARTTLS (STLS). When they do not, the
// preamble stops before sending the command and returns "" — whether to go
// on in cleartext (opportunistic) or give up (required) is the caller's.
std::string starttlsPreamble(Starttls protocol, Channel& channel, const std::string& injected, bool& offered);

}  // namespace tlslab::endpoints
