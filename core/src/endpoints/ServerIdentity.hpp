#pragma once
#include <openssl/ssl.h>

#include <filesystem>
#include <string>

#include "Ossl.hpp"
#include "tlslab/endpoints/LabServer.hpp"

namespace tlslab::endpoints {

// Loads config's chain and key (files or in-memory PEM) into `ctx` and checks
// they belong together; "" or what is wrong, naming the file.
std::string loadServerIdentity(SSL_CTX* ctx, const ServerConfig& config);
// The trust anchor for client certificates, also named in the CertificateRequest.
std::string loadClientCa(SSL_CTX* ctx, const std::filesystem::path& file);

}  // namespace tlslab::endpoints
