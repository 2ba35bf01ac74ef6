#pragma once
// The streaming interface between the capture layer and its consumer (the TLS
// dissector, a CLI printer, a test). Every callback has an empty default, so a
// consumer overrides only what it needs. Callbacks run on the thread that feeds
// packets; ByteViews are valid only during the call.
#include <string_view>

#include "tlslab/capture/Types.hpp"
#include "tlslab/capture/Udp.hpp"

namespace tlslab::capture {

class StreamSink {
 public:
  virtual ~StreamSink() = default;
  virtual void onConnectionOpened(const ConnectionInfo& /*info*/) {}
  virtual void onData(const StreamChunk& /*chunk*/) {}
  virtual void onGap(const StreamGap& /*gap*/) {}
  virtual void onTlsStart(const TlsStart& /*start*/) {}
  virtual void onConnectionClosed(const ConnectionInfo& /*info*/) {}
  virtual void onDiagnostic(const CaptureDiagnostic& /*diagnostic*/) {}
  // Key-log text from a pcapng Decryption Secrets Block (RFC draft-ietf-opsawg-pcapng
  // §4.7, secrets type "TLSK"), delivered before any packet of the file.
  virtual void onKeyLog(std::string_view /*text*/, std::uint64_t /*fileOffset*/) {}
  // UDP (capture/Udp.hpp): a flow opens, then each of its datagrams in capture
  // order, then it closes (idle timeout, flow limit or end of capture).
  virtual void onUdpFlowOpened(const UdpFlowInfo& /*info*/) {}
  virtual void onDatagram(const FlowDatagram& /*datagram*/) {}
  virtual void onUdpFlowClosed(const UdpFlowInfo& /*info*/) {}
};

}  // namespace tlslab::capture
