#pragma once
// `tlslab lab run real-clients`: lab 3's man in the middle against real
// clients from Debian packages (lab_real_clients.cpp).
#include <string>

namespace tlslab::cli {

struct RealClientsArgs {
  std::string strategy = "attacker-own";
  bool json = false;
  std::string screenshot;  // Chromium's error page as PNG
  std::string user = "alice";
  std::string password = "hunter2";
};

// 0 when every installed client's words and the attacker's log agree, 1 when
// not (or the lab could not run), 2 for bad usage.
int runRealClientsLab(const RealClientsArgs& args);

}  // namespace tlslab::cli
