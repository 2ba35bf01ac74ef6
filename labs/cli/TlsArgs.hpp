#pragma once
// Command-line options shared by `tlslab connect` and `tlslab serve`.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "tlslab/endpoints/TlsOptions.hpp"

namespace tlslab::cli {

struct TlsArgs {
  std::string tls;  // "1.2", "1.3" or "" (both)
  std::string ciphers, ciphersuites, groups, sigalgs, alpn;
  std::string psk, pskIdentity;  // hex key; identity
};

void addTlsOptions(CLI::App* command, TlsArgs& args);
// nullopt (and a message on stderr) when a value is invalid.
std::optional<endpoints::TlsOptions> toTlsOptions(const TlsArgs& args, const std::string& commandName);
std::optional<endpoints::Starttls> parseStarttls(const std::string& name);

}  // namespace tlslab::cli
