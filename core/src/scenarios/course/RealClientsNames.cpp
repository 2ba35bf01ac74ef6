// The real clients' names, and reading one as a student writes it.
#include <algorithm>
#include <cctype>

#include "tlslab/scenarios/course/RealClients.hpp"

namespace tlslab::course {

std::vector<RealClient> allRealClients() {
  return {RealClient::Curl,      RealClient::CurlInsecure,   RealClient::Wget,          RealClient::Python,
          RealClient::GnutlsCli, RealClient::OpensslDefault, RealClient::OpensslStrict, RealClient::Chromium};
}

const char* realClientName(RealClient client) {
  switch (client) {
    case RealClient::Curl: return "curl";
    case RealClient::CurlInsecure: return "curl -k";
    case RealClient::Wget: return "wget";
    case RealClient::Python: return "python3";
    case RealClient::GnutlsCli: return "gnutls-cli";
    case RealClient::OpensslDefault: return "openssl s_client";
    case RealClient::OpensslStrict: return "openssl s_client -verify_hostname";
    case RealClient::Chromium: return "chromium";
    default: return "unknown";
  }
}

const char* realClientPackage(RealClient client) {
  switch (client) {
    case RealClient::Curl:
    case RealClient::CurlInsecure: return "curl";
    case RealClient::Wget: return "wget";
    case RealClient::Python: return "python3";
    case RealClient::GnutlsCli: return "gnutls-bin";
    case RealClient::OpensslDefault:
    case RealClient::OpensslStrict: return "openssl";
    case RealClient::Chromium: return "chromium libnss3-tools";
    default: return "";
  }
}

namespace {

// Lower case, split at anything that is not a letter, digit or '.' ("-k" is "k", "s_client" is "s" "client").
std::vector<std::string> tokens(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '.') {
      word += static_cast<char>(std::tolower(u));
    } else if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

bool has(const std::vector<std::string>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

bool hasPrefix(const std::vector<std::string>& words, std::string_view prefix) {
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) { return w.rfind(prefix, 0) == 0; });
}

}  // namespace

std::optional<RealClient> parseRealClient(std::string_view text) {
  const auto words = tokens(text);
  std::vector<RealClient> found;
  if (has(words, "curl")) found.push_back(has(words, "k") || has(words, "insecure") ? RealClient::CurlInsecure : RealClient::Curl);
  if (has(words, "wget")) found.push_back(RealClient::Wget);
  if (hasPrefix(words, "python") || has(words, "urllib") || has(words, "http.client")) found.push_back(RealClient::Python);
  if (hasPrefix(words, "gnutls")) found.push_back(RealClient::GnutlsCli);
  // "s_client" splits into "s" "client" ("python's" has an "s" too, but no "client").
  if (has(words, "openssl") || (has(words, "s") && has(words, "client")) || has(words, "sclient")) {
    bool strict = has(words, "verify") || has(words, "strict");
    found.push_back(strict ? RealClient::OpensslStrict : RealClient::OpensslDefault);
  }
  if (hasPrefix(words, "chrom")) found.push_back(RealClient::Chromium);
  if (found.size() != 1) return std::nullopt;  // nothing, or two clients in one name
  return found.front();
}

}  // namespace tlslab::course
