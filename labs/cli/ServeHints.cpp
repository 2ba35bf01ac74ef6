#include "cli/ServeHints.hpp"

#include <fmt/core.h>

#include "tlslab/endpoints/Resolver.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {

using endpoints::Service;

namespace {

// A first exchange each service answers, so the hint shows a reply.
std::string conversation(Service service) {
  switch (service) {
    case Service::Echo: return " --send 'hello\\n' --expect hello";
    case Service::Smtp: return " --starttls smtp --send 'EHLO me\\r\\n' --expect 250";
    case Service::Pop3: return " --starttls pop3 --send 'CAPA\\r\\n' --expect +OK";
    case Service::Imap: return " --starttls imap --send 'a1 CAPABILITY\\r\\n' --expect 'a1 OK'";
    case Service::HttpsHello:
    case Service::Relay:
    default: return "";  // connect's default: GET / and the page
  }
}

const char* sClientStarttls(Service service) {
  switch (service) {
    case Service::Smtp: return " -starttls smtp";
    case Service::Pop3: return " -starttls pop3";
    case Service::Imap: return " -starttls imap";
    default: return "";
  }
}

}  // namespace

std::vector<std::string> serveHints(const ServeHintInput& input) {
  const endpoints::ServerConfig& config = *input.config;
  const std::string& host = config.siteName;
  const std::string root = (certsDir() / "root-ca" / "cert.pem").string();
  std::string connect = fmt::format("tlslab connect {}:{}", host, input.port);
  // The lab resolver knows the lab's names on 127.0.0.1; anything else needs an entry.
  if (endpoints::Resolver{}.resolve(host) != config.address) connect += fmt::format(" --resolve {}={}", host, config.address);
  if (!config.useTls) connect += " --plain";
  if (config.useTls && input.ownCertificate) connect += " --trust YOUR-ROOT-CA.pem";
  if (config.useTls && config.clientAuth == endpoints::ClientAuth::Require)
    connect += input.config->clientCaFile == certsDir() / "root-ca" / "cert.pem"
                   ? fmt::format(" --cert {} --key {}", (certsDir() / "student01" / "chain.pem").string(),
                                 (certsDir() / "student01" / "key.pem").string())
                   : std::string(" --cert YOUR-CLIENT-CHAIN.pem --key YOUR-CLIENT-KEY.pem");
  connect += conversation(config.service);
  std::vector<std::string> hints{connect};
  if (config.useTls)
    hints.push_back(fmt::format("openssl s_client -connect {}:{} -servername {} -CAfile {}{}", config.address, input.port,
                                host, input.ownCertificate ? "YOUR-ROOT-CA.pem" : root, sClientStarttls(config.service)));
  else
    hints.push_back(fmt::format("nc {} {}", config.address, input.port));
  return hints;
}

}  // namespace tlslab::cli
