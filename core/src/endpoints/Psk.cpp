// Pre-shared keys for the lab endpoints (issue 18: the course runs PSK
// suites). OpenSSL's TLS 1.2 PSK callbacks; OpenSSL 3 also uses them for
// TLS 1.3 external PSKs (with SHA-256), so one mechanism serves both.
#include <openssl/ssl.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "Ossl.hpp"

namespace tlslab::endpoints {
namespace {

const std::string kDefaultIdentity = "tlslab";  // a client given no identity sends this

struct PskConfig {
  std::string key, identity;
};

void freeConfig(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) { delete static_cast<PskConfig*>(ptr); }

int configIndex() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, freeConfig);
  return index;
}

const PskConfig* configOf(const SSL* ssl) {
  return static_cast<const PskConfig*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), configIndex()));
}

unsigned int clientCallback(SSL* ssl, const char*, char* identity, unsigned int maxIdentity, unsigned char* psk,
                            unsigned int maxPsk) {
  const PskConfig* config = configOf(ssl);
  if (config == nullptr) return 0;
  const std::string& name = config->identity.empty() ? kDefaultIdentity : config->identity;
  // maxIdentity counts the terminating NUL.
  if (name.size() + 1 > maxIdentity || config->key.size() > maxPsk) return 0;
  std::memcpy(identity, name.c_str(), name.size() + 1);
  std::memcpy(psk, config->key.data(), config->key.size());
  return static_cast<unsigned int>(config->key.size());
}

unsigned int serverCallback(SSL* ssl, const char* identity, unsigned char* psk, unsigned int maxPsk) {
  const PskConfig* config = configOf(ssl);
  if (config == nullptr || config->key.size() > maxPsk) return 0;
  // An unknown identity: 0, and OpenSSL answers unknown_psk_identity.
  if (!config->identity.empty() && (identity == nullptr || config->identity != identity)) return 0;
  std::memcpy(psk, config->key.data(), config->key.size());
  return static_cast<unsigned int>(config->key.size());
}

}  // namespace

bool hasExternalPsk(const SSL* ssl) { return configOf(ssl) != nullptr; }

std::string applyPsk(SSL_CTX* ctx, const std::string& key, const std::string& identity) {
  if (key.size() > PSK_MAX_PSK_LEN) return "a PSK is at most " + std::to_string(PSK_MAX_PSK_LEN) + " bytes";
  if (identity.size() > PSK_MAX_IDENTITY_LEN)
    return "a PSK identity is at most " + std::to_string(PSK_MAX_IDENTITY_LEN) + " bytes";
  delete static_cast<PskConfig*>(SSL_CTX_get_ex_data(ctx, configIndex()));  // options applied again
  auto config = std::make_unique<PskConfig>(PskConfig{key, identity});
  if (SSL_CTX_set_ex_data(ctx, configIndex(), config.get()) != 1) return "cannot keep the PSK: " + sslErrors();
  config.release();  // freeConfig deletes it with the context
  SSL_CTX_set_psk_client_callback(ctx, clientCallback);
  SSL_CTX_set_psk_server_callback(ctx, serverCallback);
  return {};
}

}  // namespace tlslab::endpoints
