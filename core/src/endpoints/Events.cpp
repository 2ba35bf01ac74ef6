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

std::size_t payloadBytes(const Event& event) {
  if (const auto* wire = std::get_if<WireEvent>(&event)) return wire->bytes.size();
  if (const auto* message = std::get_if<MessageEvent>(&event)) return message->bytes.size();
  if (const auto* data = std::get_if<AppDataEvent>(&event)) return data->bytes.size();
  return 0;
}

void Recorder::record(Event event) {
  const std::size_t size = payloadBytes(event);
  bool firstDrop = false;
  {
    std::lock_guard lock(mutex_);
    const bool overBytes = size > 0 && (droppingPayload_ || keptBytes_ + size > window_.maxPayloadBytes);
    if (events_.size() >= window_.maxEvents || overBytes) {
      droppingPayload_ = droppingPayload_ || size > 0;
      firstDrop = !dropped_.any();
      ++dropped_.events;
      dropped_.bytes += size;
    } else {
      events_.push_back(event);
      keptBytes_ += size;
    }
  }
  // Outside the lock: an observer may be slow (a GUI queue) or re-enter.
  if (!observer_) return;
  observer_(role_, event);
  if (firstDrop)
    observer_(role_, NoteEvent{nowUs(), "this connection filled its memory window (" + std::to_string(window_.maxEvents) +
                                            " events, " + std::to_string(window_.maxPayloadBytes / 1024) +
                                            " KiB): later events are shown, not kept"});
}

EventsDropped Recorder::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

std::vector<Event> Recorder::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

}  // namespace tlslab::endpoints
