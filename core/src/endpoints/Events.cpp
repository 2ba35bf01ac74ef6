#include "tlslab/endpoints/Events.hpp"

#include <chrono>

namespace tlslab::endpoints {

TimeUs nowUs() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

const char* roleName(Role role) {
  switch (role) {
    case Role::Client: return "client";
    case Role::Server: return "server";
    case Role::ProxyFront: return "proxy→victim";
    case Role::ProxyBack: return "proxy→server";
    default: return "unknown";
  }
}

void Recorder::record(Event event) {
  {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
  }
  // Outside the lock: an observer may be slow (a GUI queue) or re-enter.
  if (observer_) observer_(role_, event);
}

std::vector<Event> Recorder::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

}  // namespace tlslab::endpoints
