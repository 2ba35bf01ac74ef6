#pragma once
// Internal to Program.cpp: the private hosts file of a checked program and
// the choice of how to apply it (ProgramHosts.cpp).
#include <string>
#include <vector>

#include "tlslab/scenarios/course/Program.hpp"

namespace tlslab::course::detail {

// Validates the entries: a host name of [A-Za-z0-9.-] and a loopback address.
// "" when fine, else which entry is refused and why.
std::string checkHostsEntries(const std::vector<HostsEntry>& entries);
// The private hosts file's text: localhost lines, then the entries.
std::string privateHostsText(const std::vector<HostsEntry>& entries);
// Whether `hostsText` (an /etc/hosts) maps every name the way it is asked,
// as glibc's files backend answers (the first line naming it wins).
bool hostsFileMaps(const std::string& hostsText, const std::vector<HostsEntry>& entries);

// How one program run gets its host names. Owns the temporary hosts file.
struct HostsPlan {
  HostsMethod method = HostsMethod::NotNeeded;
  std::string file;     // the private hosts file to bind over /etc/hosts
  std::string problem;  // Unavailable: the exact lines to add to /etc/hosts
  std::string error;    // why the program must not start ("" = go ahead)
  HostsPlan() = default;
  HostsPlan(const HostsPlan&) = delete;
  HostsPlan& operator=(const HostsPlan&) = delete;
  ~HostsPlan();
  // Once the child has bound it, the file may go: the mount keeps it alive.
  void removeFile();
};
void planHosts(const std::vector<HostsEntry>& entries, HostsPlan& plan);

}  // namespace tlslab::course::detail
