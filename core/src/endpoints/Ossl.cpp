#include "Ossl.hpp"

#include <cerrno>
#include <cstdio>

#include <openssl/err.h>

namespace tlslab::endpoints {

const char* versionName(TlsVersion version) {
  switch (version) {
    case TlsVersion::Tls1_2: return "TLS 1.2";
    case TlsVersion::Tls1_3: return "TLS 1.3";
    default: return "unknown";
  }
}

int opensslVersion(TlsVersion version) {
  switch (version) {
    case TlsVersion::Tls1_2: return TLS1_2_VERSION;
    case TlsVersion::Tls1_3: return TLS1_3_VERSION;
    default: return 0;
  }
}

std::string sslErrors() { return pki::takeOpensslErrors(); }

std::string quietHandshakeFailure(int sslError, int savedErrno, int timeoutMs, const char* peer) {
  if (sslError == SSL_ERROR_SYSCALL || sslError == SSL_ERROR_WANT_READ || sslError == SSL_ERROR_WANT_WRITE) {
    if (savedErrno == EAGAIN || savedErrno == EWOULDBLOCK) {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%g", timeoutMs / 1000.0);
      return std::string("timed out after ") + seconds + " s waiting for the " + peer + "'s next handshake message";
    }
    if (savedErrno == ECONNRESET) return std::string("the ") + peer + " reset the connection (TCP RST)";
  }
  return std::string("the ") + peer + " closed the connection";
}

std::string alpnWire(const std::vector<std::string>& protocols) {
  std::string wire;  // RFC 7301 §3.1: each protocol as a length-prefixed string
  for (const auto& p : protocols) {
    wire += static_cast<char>(p.size());
    wire += p;
  }
  return wire;
}

std::string applyTlsOptions(SSL_CTX* ctx, const TlsOptions& options) {
  if (SSL_CTX_set_min_proto_version(ctx, opensslVersion(options.minVersion)) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, opensslVersion(options.maxVersion)) != 1)
    return "cannot set protocol versions: " + sslErrors();
  const std::string cipherList = options.cipherList.empty() && !options.psk.empty() ? "PSK" : options.cipherList;
  if (!cipherList.empty() && SSL_CTX_set_cipher_list(ctx, cipherList.c_str()) != 1)
    return "OpenSSL rejected the TLS 1.2 cipher list '" + cipherList + "': " + sslErrors();
  // OpenSSL binds a callback PSK to SHA-256 in TLS 1.3: a SHA-384 suite would
  // silently fall back to a certificate handshake.
  const std::string cipherSuites = options.cipherSuites.empty() && !options.psk.empty()
                                       ? "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256"
                                       : options.cipherSuites;
  if (!cipherSuites.empty() && SSL_CTX_set_ciphersuites(ctx, cipherSuites.c_str()) != 1)
    return "OpenSSL rejected the TLS 1.3 cipher suites '" + cipherSuites + "': " + sslErrors();
  if (!options.groups.empty() && SSL_CTX_set1_groups_list(ctx, options.groups.c_str()) != 1)
    return "OpenSSL rejected the groups '" + options.groups + "': " + sslErrors();
  if (!options.encryptThenMac) SSL_CTX_set_options(ctx, SSL_OP_NO_ENCRYPT_THEN_MAC);
  if (options.blockPadding > 0 && SSL_CTX_set_block_padding(ctx, options.blockPadding) != 1)
    return "OpenSSL rejected record padding to multiples of " + std::to_string(options.blockPadding) +
           " bytes (at most 16384): " + sslErrors();
  if (!options.sigalgs.empty() && SSL_CTX_set1_sigalgs_list(ctx, options.sigalgs.c_str()) != 1)
    return "OpenSSL rejected the signature algorithms '" + options.sigalgs + "': " + sslErrors();
  if (!options.psk.empty()) return applyPsk(ctx, options.psk, options.pskIdentity);
  return {};
}

}  // namespace tlslab::endpoints
