#include "tlslab/keys/KeyLogFollower.hpp"

#include <sys/stat.h>

namespace tlslab::keys {
namespace {
constexpr long long kMissing = -1, kUnread = -2;

long long sizeOf(const std::string& file) {
  struct stat st {};
  return ::stat(file.c_str(), &st) == 0 ? static_cast<long long>(st.st_size) : kMissing;
}
}  // namespace

void KeyLogFollower::follow(const std::string& file, bool alreadyLoaded) {
  sizes_[file] = alreadyLoaded ? sizeOf(file) : kUnread;
}

bool KeyLogFollower::poll(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_ < std::chrono::milliseconds(50)) return false;
  last_ = now;
  bool read = false;
  for (auto& [file, size] : sizes_) {
    const auto current = sizeOf(file);
    if (current == size) continue;
    size = current;
    // The whole file again: a line half-written last time is complete now,
    // and a secret read twice stays one secret.
    if (current != kMissing && keys_.addKeyLogFile(file).ok()) read = true;
  }
  return read;
}

}  // namespace tlslab::keys
