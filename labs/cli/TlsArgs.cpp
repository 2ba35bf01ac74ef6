#include "cli/TlsArgs.hpp"

#include <iostream>
#include <sstream>

#include "tlslab/util/Bytes.hpp"

namespace tlslab::cli {

void addTlsOptions(CLI::App* command, TlsArgs& args) {
  command->add_option("--tls", args.tls, "Protocol version: 1.2 or 1.3 (default: both)")
      ->check(CLI::IsMember({"1.2", "1.3"}));
  command->add_option("--ciphers", args.ciphers, "TLS 1.2 cipher list, OpenSSL syntax (e.g. ECDHE-RSA-AES128-GCM-SHA256)");
  command->add_option("--ciphersuites", args.ciphersuites, "TLS 1.3 suites (e.g. TLS_CHACHA20_POLY1305_SHA256)");
  command->add_option("--groups", args.groups, "Key exchange groups (e.g. X25519:P-256)");
  command->add_option("--sigalgs", args.sigalgs, "Signature algorithms (e.g. ECDSA+SHA256:RSA-PSS+SHA256)");
  command->add_option("--alpn", args.alpn, "ALPN protocols, comma separated (e.g. h2,http/1.1)");
  command->add_option("--psk", args.psk,
                      "A pre-shared key in hex (PSK suites; TLS 1.2 offers OpenSSL's PSK suites unless --ciphers "
                      "says otherwise)");
  command->add_option("--psk-identity", args.pskIdentity,
                      "The PSK identity the client sends; the server accepts only this one (default: client sends "
                      "'tlslab', server accepts any)");
}

std::optional<endpoints::TlsOptions> toTlsOptions(const TlsArgs& args, const std::string& commandName) {
  endpoints::TlsOptions options;
  if (!args.psk.empty()) {
    auto key = fromHex(args.psk);
    if (!key || key->empty()) {
      std::cerr << "tlslab " << commandName << ": --psk '" << args.psk
                << "' is not a key in hex (e.g. ca19e028a8a372ad2d325f950fcaceed)\n";
      return std::nullopt;
    }
    options.psk.assign(key->begin(), key->end());
    options.pskIdentity = args.pskIdentity;
  } else if (!args.pskIdentity.empty()) {
    std::cerr << "tlslab " << commandName << ": --psk-identity needs --psk\n";
    return std::nullopt;
  }
  if (args.tls == "1.2") options.minVersion = options.maxVersion = endpoints::TlsVersion::Tls1_2;
  if (args.tls == "1.3") options.minVersion = options.maxVersion = endpoints::TlsVersion::Tls1_3;
  options.cipherList = args.ciphers;
  options.cipherSuites = args.ciphersuites;
  options.groups = args.groups;
  options.sigalgs = args.sigalgs;
  std::stringstream alpn(args.alpn);
  for (std::string protocol; std::getline(alpn, protocol, ',');)
    if (!protocol.empty()) options.alpn.push_back(protocol);
  return options;
}

std::optional<endpoints::Starttls> parseStarttls(const std::string& name) {
  if (name.empty() || name == "none") return endpoints::Starttls::None;
  if (name == "smtp") return endpoints::Starttls::Smtp;
  if (name == "pop3") return endpoints::Starttls::Pop3;
  if (name == "imap") return endpoints::Starttls::Imap;
  return std::nullopt;
}

}  // namespace tlslab::cli
