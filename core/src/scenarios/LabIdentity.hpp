#pragma once
// The lab server's identity, set up in one place for every lab: the course's
// bank32.com (certs/bank32-rsa), unless a lab variant brings its own as PEM.
#include <filesystem>
#include <string>

namespace tlslab::scenarios {

// Config: endpoints::ServerConfig or endpoints::WrapConfig (both name a chain
// and key by file or by PEM text).
template <class Config>
void setLabIdentity(Config& config, const std::filesystem::path& certsDir, const std::string& chainPem = {},
                    const std::string& keyPem = {}) {
  if (chainPem.empty()) {
    config.chainFile = certsDir / "bank32-rsa" / "chain.pem";
    config.keyFile = certsDir / "bank32-rsa" / "key.pem";
  } else {
    config.chainPem = chainPem;
    config.keyPem = keyPem;
  }
}

}  // namespace tlslab::scenarios
