#include "tlslab/endpoints/LabNetns.hpp"

#include <sys/stat.h>

#include <mutex>
#include <set>

namespace tlslab::endpoints {
namespace {

std::mutex& registryMutex() {
  static std::mutex m;
  return m;
}
std::set<std::uint64_t>& registry() {
  static std::set<std::uint64_t> inodes;
  return inodes;
}

}  // namespace

std::uint64_t currentNetns() {
  // thread-self, not self: /proc/self/ns/net is the main thread's namespace,
  // and setns() moves only the calling thread.
  struct stat st {};
  if (::stat("/proc/thread-self/ns/net", &st) != 0) return 0;
  return static_cast<std::uint64_t>(st.st_ino);
}

void registerLabNetns(std::uint64_t inode) {
  std::lock_guard lock(registryMutex());
  registry().insert(inode);
}

void unregisterLabNetns(std::uint64_t inode) {
  std::lock_guard lock(registryMutex());
  registry().erase(inode);
}

bool inLabNetns() {
  std::lock_guard lock(registryMutex());
  if (registry().empty()) return false;  // the usual case: no stat() per socket
  return registry().count(currentNetns()) != 0;
}

}  // namespace tlslab::endpoints
