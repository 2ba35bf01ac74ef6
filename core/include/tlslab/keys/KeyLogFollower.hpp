#pragma once
// Key logs written while a live capture runs (an instrumented run or a browser
// with SSLKEYLOGFILE on the same host) are read again whenever they grow, so
// the live dissector can open records once their secrets are logged. Shared
// by `tlslab capture` and the GUI's live capture.
#include <chrono>
#include <map>
#include <string>

#include "tlslab/keys/KeyStore.hpp"

namespace tlslab::keys {

class KeyLogFollower {
 public:
  explicit KeyLogFollower(KeyStore& keys) : keys_(keys) {}
  // `alreadyLoaded`: the file's current content is in the store (only growth
  // is read); otherwise the next poll reads it. A missing file is fine: it is
  // read once it appears.
  void follow(const std::string& file, bool alreadyLoaded);
  // Reads every followed file whose size changed (at most every 50 ms unless
  // forced); true when one was read, i.e. the store may know more.
  bool poll(bool force = false);

 private:
  KeyStore& keys_;
  std::map<std::string, long long> sizes_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace tlslab::keys
