#include "LiveRun.hpp"

namespace tlslab::gui {

using endpoints::Role;

namespace {
capture::Timestamp stamp(endpoints::TimeUs us) { return capture::Timestamp{us * 1000}; }

dissect::DissectOptions previewOptions() {
  dissect::DissectOptions options;
  options.retainForLateKeys = true;  // see LiveRun.hpp: keys that arrive after their records
  return options;
}
}  // namespace

LiveRunFeed::LiveRunFeed(LabKind kind)
    : kind_(kind), dissector_(std::make_unique<dissect::TlsDissector>(keys_, previewOptions())) {}

LiveRunFeed::~LiveRunFeed() = default;

LiveRunFeed::Stream& LiveRunFeed::open(Role role, endpoints::TimeUs time) {
  close(role);
  Stream& s = streams_[role];
  s = Stream{};
  s.id = next_++;
  s.tls = kind_ != LabKind::Starttls;
  s.info.id = s.id;
  s.info.firstSeen = s.info.lastSeen = stamp(time);
  s.info.sawSyn = true;
  roles_[s.id] = role;
  dissector_->onConnectionOpened(s.info);
  return s;
}

void LiveRunFeed::close(Role role) {
  auto it = streams_.find(role);
  if (it == streams_.end()) return;
  it->second.info.closed = capture::CloseReason::Fin;
  dissector_->onConnectionClosed(it->second.info);
  streams_.erase(it);
}

bool LiveRunFeed::onEvent(Role role, const endpoints::Event& event) {
  std::lock_guard lock(mutex_);
  // Keys from every endpoint (both ends log the same secrets: a line the
  // store already knows opens nothing new).
  if (const auto* key = std::get_if<endpoints::KeyLogEvent>(&event)) {
    keys_.addKeyLogText(key->line + "\n", "the lab run's key log");
    return !dissector_->retryWithNewKeys().empty();
  }
  // The client side of each TCP connection sees all of its bytes; the
  // server side would only repeat them.
  if (role != Role::Client && role != Role::ProxyBack) return false;
  if (const auto* note = std::get_if<endpoints::NoteEvent>(&event)) {
    switch (note->kind) {
      case endpoints::NoteKind::Resolved: open(role, note->time); break;
      case endpoints::NoteKind::StarttlsAgreed:
        if (streams_.count(role)) streams_[role].tls = true;
        break;
      default: break;
    }
    return false;
  }
  const auto* wire = std::get_if<endpoints::WireEvent>(&event);
  if (wire == nullptr || wire->bytes.empty()) return false;
  Stream& s = streams_.count(role) ? streams_[role] : open(role, wire->time);
  capture::StreamChunk chunk;
  chunk.connection = s.id;
  chunk.direction = wire->sent ? capture::Direction::ClientToServer : capture::Direction::ServerToClient;
  chunk.time = stamp(wire->time);
  const int d = capture::index(chunk.direction);
  chunk.offset = s.offset[d];
  chunk.data = wire->bytes;
  chunk.content = s.tls ? capture::Content::Tls : capture::Content::Plaintext;
  s.offset[d] += wire->bytes.size();
  dissector_->onData(chunk);
  return true;
}

model::Trace LiveRunFeed::snapshot() {
  std::lock_guard lock(mutex_);
  model::Trace trace = dissector_->trace();
  trace.source = "lab run in progress";
  const bool mitm = kind_ == LabKind::Mitm;
  for (std::size_t i = 0; i < trace.connections.size(); ++i) {
    auto& c = trace.connections[i];
    c.client = c.server = "…";  // addresses are known when the run ends
    const auto role = roles_.count(i) ? roles_[i] : Role::Client;
    // The names of MitmOutcome::legs(), which the final trace has too.
    if (role == Role::ProxyBack) {
      c.clientLabel = scenarios::kMitmProxyLabel;
      c.serverLabel = scenarios::kMitmServerLabel;
    } else if (mitm) {
      c.clientLabel = scenarios::kMitmVictimLabel;
      c.serverLabel = scenarios::kMitmProxyLabel;
    }
  }
  return trace;
}

}  // namespace tlslab::gui
