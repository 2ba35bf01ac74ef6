#pragma once
// A lab run's preview while it is still running: the client side's wire
// bytes (victim, proxy's upstream leg) fed to the capture dissector as
// streams, so the ladder grows record by record, with the key log lines of
// every endpoint. OpenSSL logs some secrets only after the records they
// protect crossed the socket (a TLS 1.3 server flushes its Finished before it
// logs its application secret); the dissector's late-key retention (as in
// live capture) opens those records when the lines arrive. The run's final
// Trace (read back from its own pcapng, with the verify traces) replaces the
// preview.
#include <map>
#include <memory>
#include <mutex>

#include "LabRunner.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/endpoints/Events.hpp"

namespace tlslab::gui {

class LiveRunFeed {
 public:
  explicit LiveRunFeed(LabKind kind);
  ~LiveRunFeed();
  LiveRunFeed(const LiveRunFeed&) = delete;
  LiveRunFeed& operator=(const LiveRunFeed&) = delete;

  // From any endpoint thread. True when the preview changed (a record may
  // have appeared, or records opened with a new key).
  bool onEvent(endpoints::Role role, const endpoints::Event& event);
  // The preview so far, with the lab's names for each end.
  model::Trace snapshot();

 private:
  struct Stream {
    capture::ConnectionId id = 0;
    std::uint64_t offset[2] = {0, 0};
    bool tls = true;  // false while a STARTTLS preamble is in clear
    capture::ConnectionInfo info;
  };
  Stream& open(endpoints::Role role, endpoints::TimeUs time);
  void close(endpoints::Role role);

  LabKind kind_;
  std::mutex mutex_;
  keys::KeyStore keys_;
  std::unique_ptr<dissect::TlsDissector> dissector_;
  std::map<endpoints::Role, Stream> streams_;
  std::map<capture::ConnectionId, endpoints::Role> roles_;
  capture::ConnectionId next_ = 0;
};

}  // namespace tlslab::gui
