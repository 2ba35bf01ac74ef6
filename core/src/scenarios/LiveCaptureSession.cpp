#include "tlslab/scenarios/LiveCaptureSession.hpp"

namespace tlslab::scenarios {

capture::Result<std::unique_ptr<LiveCaptureSession>> LiveCaptureSession::open(const capture::LiveOptions& options,
                                                                              LiveCaptureHooks hooks,
                                                                              keys::KeyStore known) {
  auto live = capture::LiveCapture::open(options);
  if (!live) return live.error();
  return std::unique_ptr<LiveCaptureSession>(
      new LiveCaptureSession(std::move(live.value()), options.interface, std::move(hooks), std::move(known)));
}

LiveCaptureSession::LiveCaptureSession(std::unique_ptr<capture::LiveCapture> live, const std::string& interface,
                                       LiveCaptureHooks hooks, keys::KeyStore known)
    : live_(std::move(live)), hooks_(std::move(hooks)), keys_(std::move(known)) {
  dissect::DissectOptions options;
  options.keepPayloads = true;
  // Key log lines arrive after the records they open: hold those connections.
  options.retainForLateKeys = true;
  options.onRecord = hooks_.onRecord;
  dissector_ = std::make_unique<dissect::TlsDissector>(keys_, options);
  dissector_->setSource("live: " + interface);
  processor_ = std::make_unique<capture::CaptureProcessor>(*dissector_);
}

LiveCaptureSession::~LiveCaptureSession() = default;

void LiveCaptureSession::follow(const std::string& keyLog, bool alreadyLoaded) { follower_.follow(keyLog, alreadyLoaded); }

void LiveCaptureSession::retryLateKeys(bool force) {
  if (!follower_.poll(force) && !force) return;
  for (const dissect::LateKeys& late : dissector_->retryWithNewKeys())
    if (hooks_.onLateKeys) hooks_.onLateKeys(late, dissector_->trace().connections[late.connection]);
}

capture::Result<capture::LiveStats> LiveCaptureSession::run() {
  return live_->run([this](const capture::RawPacket& packet) {
    ++packets_;
    retryLateKeys(false);
    processor_->processPacket(packet);
    if (hooks_.onPacket) hooks_.onPacket(packet, *this);
  });
}

void LiveCaptureSession::stop() { live_->stop(); }

model::Trace LiveCaptureSession::finish() {
  // Lines logged after the last frame, then again for the records the
  // flush completes.
  retryLateKeys(true);
  processor_->finish();
  retryLateKeys(true);
  return dissector_->finish();
}

}  // namespace tlslab::scenarios
