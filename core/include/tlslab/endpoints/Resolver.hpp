#pragma once
// The lab's own name resolution: a name -> address map that a scenario sets,
// the way a forged hosts entry or a poisoned DNS cache would, but inside this
// process only. System DNS and /etc/hosts are never read or touched.
#include <map>
#include <optional>
#include <string>

namespace tlslab::endpoints {

class Resolver {
 public:
  Resolver();  // knows "localhost" and the lab names bank32.com, mail.bank32.com, attacker32.com
  void set(const std::string& name, const std::string& address);  // later entries win
  // The address for `name`: a mapped name, or `name` itself when it is an IP
  // literal. nullopt for unknown names.
  std::optional<std::string> resolve(const std::string& name) const;
  const std::map<std::string, std::string>& entries() const { return entries_; }

 private:
  std::map<std::string, std::string> entries_;
};

}  // namespace tlslab::endpoints
