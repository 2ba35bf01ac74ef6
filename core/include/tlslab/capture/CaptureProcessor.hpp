#pragma once
// The capture pipeline without I/O: frames in (from a file, a live interface or
// a test), connection events and ordered stream chunks out, through
// link/IP decoding, IP defragmentation, TCP reassembly and TLS-start detection;
// UDP datagrams go, grouped into flows, to the same sink (capture/Udp.hpp).
// Memory is bounded by per-connection state: in-order bytes are handed to the
// sink at once; only out-of-order bytes are buffered, up to a cap.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "tlslab/capture/Decode.hpp"
#include "tlslab/capture/StreamSink.hpp"
#include "tlslab/capture/Udp.hpp"

namespace tlslab::capture {

struct ProcessorOptions {
  // Out-of-order bytes buffered per direction before the hole is declared a gap.
  std::size_t maxBufferedPerDirection = 4u << 20;
  // Delivered bytes kept per direction to check retransmissions for conflicting bytes.
  std::size_t retransmitCheckWindow = 4u << 10;
  // Closed 4-tuples remembered, so late retransmissions don't open phantom connections.
  std::size_t rememberClosed = 4096;
  // Open connections kept at once; beyond it the least recently active one is
  // closed (flushed, CloseReason::Evicted), so memory stays bounded on huge captures.
  std::size_t maxOpenConnections = 50000;
  // Plaintext scanned per direction for a STARTTLS upgrade before giving up.
  std::size_t maxPlaintextScan = 1u << 20;
  // UDP flows (capture/Udp.hpp): how many stay open, and when a silent one closes.
  UdpLimits udp;
};

struct ProcessorStats {
  std::uint64_t frames = 0;
  std::uint64_t ipPackets = 0;
  std::uint64_t tcpSegments = 0;
  std::uint64_t skippedFrames = 0;      // not IP, not TCP, or unsupported link type
  std::uint64_t malformedFrames = 0;
  std::uint64_t connections = 0;
  std::uint64_t deliveredBytes = 0;
  std::uint64_t gaps = 0;
  std::uint64_t missingBytes = 0;
  std::uint64_t retransmittedBytes = 0;
  std::uint64_t udpDatagrams = 0;
  std::uint64_t udpFlows = 0;
};

class CaptureProcessor {
 public:
  explicit CaptureProcessor(StreamSink& sink, ProcessorOptions options = {});
  ~CaptureProcessor();
  CaptureProcessor(const CaptureProcessor&) = delete;
  CaptureProcessor& operator=(const CaptureProcessor&) = delete;

  void processPacket(const RawPacket& packet);
  // A TCP segment that is already decoded (used by processPacket; public for tests).
  void processSegment(const TcpSegment& segment);
  // End of input: open connections are flushed (pending bytes, gaps) and closed.
  void finish();
  const ProcessorStats& stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tlslab::capture
