#pragma once
// One live capture, composed once: libpcap frames through the capture
// pipeline into the dissector, the key logs followed while it runs, and the
// records that passed before their keys opened again when the logs grow
// (DESIGN.md, "Live capture: keys that arrive after their records").
// `tlslab capture` and the GUI's live capture both drive it and only present
// what it reports. Here rather than in capture/: it needs the dissector,
// which sits above capture.
#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "tlslab/capture/CaptureProcessor.hpp"
#include "tlslab/capture/Source.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/keys/KeyLogFollower.hpp"
#include "tlslab/keys/KeyStore.hpp"

namespace tlslab::scenarios {

class LiveCaptureSession;

// What the session tells its presenter, all on the thread that calls run()
// and finish().
struct LiveCaptureHooks {
  // A record completed (decrypted when its keys were known in time).
  std::function<void(const model::TraceConnection&, const model::TraceRecord&)> onRecord;
  // A key log grew and a held connection was dissected again: `late.opened`
  // are the records decrypted now, or `late.note` says why the keys came too late.
  std::function<void(const dissect::LateKeys& late, const model::TraceConnection&)> onLateKeys;
  // After each frame went through the pipeline (session.trace() includes it).
  std::function<void(const capture::RawPacket&, const LiveCaptureSession& session)> onPacket;
};

class LiveCaptureSession {
 public:
  // Opens the interface (root or CAP_NET_RAW); the error says why not.
  // `known`: the keys at hand before the capture starts (an RSA key, key
  // logs already read).
  static capture::Result<std::unique_ptr<LiveCaptureSession>> open(const capture::LiveOptions& options,
                                                                   LiveCaptureHooks hooks = {},
                                                                   keys::KeyStore known = {});
  ~LiveCaptureSession();
  LiveCaptureSession(const LiveCaptureSession&) = delete;
  LiveCaptureSession& operator=(const LiveCaptureSession&) = delete;

  // Every key known so far (the ones given, and what the followed logs added).
  const keys::KeyStore& keys() const { return keys_; }
  // A key log to read again whenever it grows; it may not exist yet (the
  // run being captured writes it). `alreadyLoaded`: its content is in keys().
  void follow(const std::string& keyLog, bool alreadyLoaded);

  // Blocks until stop(), or the packet or time limit of the options.
  capture::Result<capture::LiveStats> run();
  // Safe from any thread and from a signal handler: run() returns soon after.
  void stop();
  // After run(): the key logs read a last time, open connections flushed,
  // and the trace handed over (the session is spent).
  model::Trace finish();

  // The trace so far; only from the hooks or between run() and finish().
  const model::Trace& trace() const { return dissector_->trace(); }
  std::uint64_t packets() const { return packets_; }

 private:
  LiveCaptureSession(std::unique_ptr<capture::LiveCapture> live, const std::string& interface, LiveCaptureHooks hooks,
                     keys::KeyStore known);
  // Reads the key logs that grew (all of them when forced) and opens what
  // the new keys open.
  void retryLateKeys(bool force);

  std::unique_ptr<capture::LiveCapture> live_;
  LiveCaptureHooks hooks_;
  keys::KeyStore keys_;
  keys::KeyLogFollower follower_{keys_};
  std::unique_ptr<dissect::TlsDissector> dissector_;
  std::unique_ptr<capture::CaptureProcessor> processor_;
  std::uint64_t packets_ = 0;
};

}  // namespace tlslab::scenarios
