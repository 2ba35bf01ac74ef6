#pragma once
// Lab server and client settings the endpoint and scenario tests share: the
// demo PKI from certs/, the bank32.com name, full verification. Header-only so
// only tests that link tlslab::endpoints pull it in.
#include <filesystem>
#include <string>

#include "support/TestPaths.hpp"
#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"

namespace tlslab::test {

inline std::filesystem::path labCerts() { return sourceDir() / "certs"; }

inline endpoints::ServerConfig labServerFor(const std::string& entryDir,
                                            endpoints::Service service = endpoints::Service::HttpsHello) {
  endpoints::ServerConfig config;
  config.chainFile = labCerts() / entryDir / "chain.pem";
  config.keyFile = labCerts() / entryDir / "key.pem";
  config.service = service;
  return config;
}

inline endpoints::ClientConfig labClientFor(const endpoints::LabServer& server,
                                            endpoints::VerifyMode mode = endpoints::VerifyMode::ChainAndHost) {
  endpoints::ClientConfig config;
  config.host = "bank32.com";
  config.port = server.port();
  config.verifyMode = mode;
  config.trustFiles = {labCerts() / "root-ca" / "cert.pem"};
  return config;
}

}  // namespace tlslab::test
