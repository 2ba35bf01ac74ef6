#include "tlslab/endpoints/Resolver.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace tlslab::endpoints {

namespace {
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}
bool isIpLiteral(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}
}  // namespace

Resolver::Resolver() {
  set("localhost", "127.0.0.1");
  set("bank32.com", "127.0.0.1");
  set("www.bank32.com", "127.0.0.1");
  set("mail.bank32.com", "127.0.0.1");
  set("attacker32.com", "127.0.0.66");
}

void Resolver::set(const std::string& name, const std::string& address) { entries_[lower(name)] = address; }

std::optional<std::string> Resolver::resolve(const std::string& name) const {
  if (auto it = entries_.find(lower(name)); it != entries_.end()) return it->second;
  if (isIpLiteral(name)) return name;
  return std::nullopt;
}

}  // namespace tlslab::endpoints
