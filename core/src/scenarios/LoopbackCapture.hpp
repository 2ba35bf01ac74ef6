#pragma once
// Internal to the scenarios: libpcap on lo with a BPF filter, collecting the
// frames of one lab run on a thread of its own until stopped (the records lab
// for its TCP segments, the QUIC lab for its UDP datagrams). Bounded: frames
// past `maxBytes` are counted, not kept.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tlslab/capture/Source.hpp"

namespace tlslab::scenarios {

class LoopbackCapture {
 public:
  // Opens lo with `filter` ("tcp port 4433") and starts the pump thread; null
  // and `error` (libpcap's words, naming root or CAP_NET_RAW) when it cannot.
  static std::unique_ptr<LoopbackCapture> open(const std::string& filter, std::string& error,
                                               std::size_t maxBytes = std::size_t{64} << 20);
  ~LoopbackCapture();
  LoopbackCapture(const LoopbackCapture&) = delete;
  LoopbackCapture& operator=(const LoopbackCapture&) = delete;

  // Waits `linger` for the last frames to pass the tap, then stops the pump.
  void stop(int lingerMs = 150);
  // The frames as pcapng, with `keyLog` as a Decryption Secrets Block when
  // not empty. Call after stop().
  std::string pcapng(const std::string& keyLog = {}) const;
  std::size_t frames() const { return packets_.size(); }
  std::size_t droppedOverBound() const { return dropped_; }

 private:
  struct Packet {
    capture::Timestamp time;
    Bytes data;
    std::uint32_t originalLength = 0;
  };
  explicit LoopbackCapture(std::unique_ptr<capture::LiveCapture> live, std::size_t maxBytes);
  std::unique_ptr<capture::LiveCapture> live_;
  std::vector<Packet> packets_;  // written by the pump thread only, read after stop()
  std::size_t bytes_ = 0, maxBytes_ = 0, dropped_ = 0;
  std::thread pump_;
};

}  // namespace tlslab::scenarios
