// One connection of a capture, dissected again in full: a viewer that
// dropped application data to open a huge file loads it back for the one
// connection the user looks at (the GUI's lazy payloads).
#include "Connection.hpp"
#include "tlslab/capture/Udp.hpp"

namespace tlslab::dissect {

namespace {

// Forwards only the capture connection with the wanted endpoints and start
// (key log blocks always: they may hold its keys).
class OneConnectionSink : public capture::StreamSink {
 public:
  OneConnectionSink(capture::StreamSink& inner, const model::TraceConnection& which) : inner_(inner), which_(which) {}
  bool found() const { return id_.has_value() || flow_.has_value(); }

  void onConnectionOpened(const capture::ConnectionInfo& info) override {
    if (id_ || flow_ || capture::toString(info.client) != which_.client || capture::toString(info.server) != which_.server ||
        info.firstSeen.seconds() != which_.startTime)
      return;
    id_ = info.id;
    inner_.onConnectionOpened(info);
  }
  void onData(const capture::StreamChunk& chunk) override {
    if (chunk.connection == id_) inner_.onData(chunk);
  }
  void onGap(const capture::StreamGap& gap) override {
    if (gap.connection == id_) inner_.onGap(gap);
  }
  void onTlsStart(const capture::TlsStart& start) override {
    if (start.connection == id_) inner_.onTlsStart(start);
  }
  void onConnectionClosed(const capture::ConnectionInfo& info) override {
    if (info.id == id_) inner_.onConnectionClosed(info);
  }
  void onDiagnostic(const capture::CaptureDiagnostic& diagnostic) override {
    if (diagnostic.connection && diagnostic.connection == id_) inner_.onDiagnostic(diagnostic);
  }
  void onKeyLog(std::string_view text, std::uint64_t fileOffset) override { inner_.onKeyLog(text, fileOffset); }
  // A DTLS association or QUIC connection is a UDP flow, matched the same way.
  void onUdpFlowOpened(const capture::UdpFlowInfo& info) override {
    if (id_ || flow_ || capture::toString(info.client) != which_.client ||
        capture::toString(info.server) != which_.server || info.firstSeen.seconds() != which_.startTime)
      return;
    flow_ = info.id;
    inner_.onUdpFlowOpened(info);
  }
  void onDatagram(const capture::FlowDatagram& datagram) override {
    if (datagram.flow == flow_) inner_.onDatagram(datagram);
  }
  void onUdpFlowClosed(const capture::UdpFlowInfo& info) override {
    if (info.id == flow_) inner_.onUdpFlowClosed(info);
  }

 private:
  capture::StreamSink& inner_;
  const model::TraceConnection& which_;
  std::optional<capture::ConnectionId> id_;
  std::optional<capture::UdpFlowId> flow_;
};

}  // namespace

capture::Result<model::TraceConnection> dissectConnection(const std::filesystem::path& path, keys::KeyStore& keys,
                                                          const model::TraceConnection& which) {
  TlsDissector dissector(keys);
  OneConnectionSink sink(dissector, which);
  auto read = capture::readCapture(path, sink);
  if (!read.ok()) return read.error();
  model::Trace trace = dissector.finish();
  if (!sink.found() || trace.connections.empty())
    return capture::CaptureError{"cannot load connection " + std::to_string(which.index) + " again from '" + path.string() + "'",
                                 "no connection from " + which.client + " to " + which.server + " starts at that time in the file"};
  model::TraceConnection conn = std::move(trace.connections.front());
  keepWholeCaptureFacts(conn, which);
  return conn;
}

void keepWholeCaptureFacts(model::TraceConnection& again, const model::TraceConnection& first) {
  again.index = first.index;
  again.clientLabel = first.clientLabel;
  again.serverLabel = first.serverLabel;
  again.negotiated.resumedFrom = first.negotiated.resumedFrom;
  if (again.negotiated.resumption == model::Resumption::None) again.negotiated.resumption = first.negotiated.resumption;
}

}  // namespace tlslab::dissect
