#pragma once
// RAII handles for libssl objects (endpoints is the only module using libssl).
#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "tlslab/endpoints/TlsOptions.hpp"
#include "tlslab/pki/Handles.hpp"

namespace tlslab::endpoints {

using SslCtxPtr = std::unique_ptr<SSL_CTX, pki::OsslDeleter<SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, pki::OsslDeleter<SSL_free>>;

int opensslVersion(TlsVersion version);

// Applies versions, suites, groups and sigalgs; returns "" or what OpenSSL rejected.
std::string applyTlsOptions(SSL_CTX* ctx, const TlsOptions& options);
// Psk.cpp: both PSK callbacks on `ctx` (a context is a client's or a server's;
// the other callback is never called). "" or why it failed.
std::string applyPsk(SSL_CTX* ctx, const std::string& key, const std::string& identity);
// True when the connection's context was given a PSK (a TLS 1.3 "resumption" is then that external PSK).
bool hasExternalPsk(const SSL* ssl);

// ALPN protocol list in wire form (RFC 7301 §3.1).
std::string alpnWire(const std::vector<std::string>& protocols);

// Everything on OpenSSL's error queue as one line (and the queue emptied).
std::string sslErrors();

// Why SSL_connect/SSL_accept returned `rc` when OpenSSL itself queued no
// error: the socket's read timeout (`timeoutMs`) ran out, the peer reset the
// connection, or it closed it. `sslError` is SSL_get_error(ssl, rc) and
// `savedErrno` errno, both taken right after the call; `peer` is "client"
// or "server".
std::string quietHandshakeFailure(int sslError, int savedErrno, int timeoutMs, const char* peer);

}  // namespace tlslab::endpoints
