#include "Ossl.hpp"

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
  if (!options.cipherList.empty() && SSL_CTX_set_cipher_list(ctx, options.cipherList.c_str()) != 1)
    return "OpenSSL rejected the TLS 1.2 cipher list '" + options.cipherList + "': " + sslErrors();
  if (!options.cipherSuites.empty() && SSL_CTX_set_ciphersuites(ctx, options.cipherSuites.c_str()) != 1)
    return "OpenSSL rejected the TLS 1.3 cipher suites '" + options.cipherSuites + "': " + sslErrors();
  if (!options.groups.empty() && SSL_CTX_set1_groups_list(ctx, options.groups.c_str()) != 1)
    return "OpenSSL rejected the groups '" + options.groups + "': " + sslErrors();
  if (!options.encryptThenMac) SSL_CTX_set_options(ctx, SSL_OP_NO_ENCRYPT_THEN_MAC);
  if (options.blockPadding > 0 && SSL_CTX_set_block_padding(ctx, options.blockPadding) != 1)
    return "OpenSSL rejected record padding to multiples of " + std::to_string(options.blockPadding) +
           " bytes (at most 16384): " + sslErrors();
  if (!options.sigalgs.empty() && SSL_CTX_set1_sigalgs_list(ctx, options.sigalgs.c_str()) != 1)
    return "OpenSSL rejected the signature algorithms '" + options.sigalgs + "': " + sslErrors();
  return {};
}

}  // namespace tlslab::endpoints
