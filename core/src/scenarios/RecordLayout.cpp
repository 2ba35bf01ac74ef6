// The record lab's table: each record of a capture with what the dissector
// opened in it, and the TCP segments that carried its bytes.
#include <algorithm>
#include <map>

#include "tlslab/capture/Source.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/scenarios/RecordLab.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::scenarios {

namespace {

// Passes everything to the dissector and notes each chunk of payload: one
// per TCP segment, with its frame number and stream offset, per connection.
class SegmentTap : public capture::StreamSink {
 public:
  explicit SegmentTap(capture::StreamSink& inner) : inner_(inner) {}
  void onConnectionOpened(const capture::ConnectionInfo& info) override {
    clients[info.id] = capture::toString(info.client);
    inner_.onConnectionOpened(info);
  }
  void onData(const capture::StreamChunk& chunk) override {
    if (!chunk.data.empty()) {
      SegmentRow row;
      row.frame = chunk.frame;
      row.direction = static_cast<model::Direction>(chunk.direction);
      row.offset = chunk.offset;
      row.size = chunk.data.size();
      segments[chunk.connection].push_back(row);
    }
    inner_.onData(chunk);
  }
  void onGap(const capture::StreamGap& gap) override { inner_.onGap(gap); }
  void onTlsStart(const capture::TlsStart& start) override { inner_.onTlsStart(start); }
  void onConnectionClosed(const capture::ConnectionInfo& info) override { inner_.onConnectionClosed(info); }
  void onDiagnostic(const capture::CaptureDiagnostic& diagnostic) override { inner_.onDiagnostic(diagnostic); }
  void onKeyLog(std::string_view text, std::uint64_t fileOffset) override { inner_.onKeyLog(text, fileOffset); }
  std::map<capture::ConnectionId, std::string> clients;
  std::map<capture::ConnectionId, std::vector<SegmentRow>> segments;

 private:
  capture::StreamSink& inner_;
};

std::string whatIsIn(const model::TraceConnection& conn, const model::TraceRecord& record) {
  std::string names;
  for (std::size_t m : record.messages)
    if (m < conn.messages.size()) names += (names.empty() ? "" : ", ") + conn.messages[m].name;
  if (!names.empty()) return names;
  const std::uint8_t type = record.innerContentType != 0 ? record.innerContentType : record.contentType;
  if (record.encrypted && record.plaintext.empty() && !record.undecryptedReason.empty()) return "encrypted";
  return wire::contentTypeDisplay(type);
}

RecordRow rowOf(const model::TraceConnection& conn, const model::TraceRecord& record) {
  RecordRow row;
  row.index = record.index;
  row.direction = record.direction;
  row.outerType = record.contentType;
  row.length = record.wire.size() >= 5 ? record.wire.size() - 5 : 0;
  row.what = whatIsIn(conn, record);
  row.keyPhase = record.keyPhase.name();
  row.plaintext = record.plaintext.size();
  if (record.crypto && record.crypto->verdict == model::RecordVerdict::Decrypted) {
    const auto& c = *record.crypto;
    row.sequence = c.sequence;
    row.padding = c.padding.size();
    row.mac = c.mac.size();
    row.tag = c.tag.size();
    row.construction = c.construction;
    if (conn.negotiated.version == 0x0304) row.innerType = c.contentType;
    for (const auto& part : c.nonceParts)
      if (part.label.find("on the wire") != std::string::npos) row.explicitIv += part.bytes.size();
  }
  return row;
}

bool isClientData(const RecordRow& r, model::Direction direction) {
  return r.direction == direction && r.what == "Application Data";
}

// Lines up one connection's records with its segments.
RecordLayout layoutOf(model::TraceConnection conn, std::vector<SegmentRow> segments) {
  RecordLayout layout;
  layout.connection = std::move(conn);
  layout.segments = std::move(segments);
  for (const auto& record : layout.connection.records) {
    RecordRow row = rowOf(layout.connection, record);
    const std::uint64_t begin = record.streamOffset, end = begin + record.wire.size();
    for (auto& segment : layout.segments) {
      if (segment.direction != record.direction) continue;
      if (segment.offset < end && begin < segment.offset + segment.size) {
        row.frames.push_back(segment.frame);
        segment.records.push_back(record.index);
      }
    }
    layout.records.push_back(std::move(row));
  }
  return layout;
}

template <class Input>
CaptureLayouts layoutsOf(const Input& input, keys::KeyStore& keys) {
  CaptureLayouts result;
  dissect::TlsDissector dissector(keys);
  SegmentTap tap(dissector);
  auto read = capture::readCapture(input, tap);
  if (!read) {
    result.error = read.error().message();
    return result;
  }
  model::Trace trace = dissector.finish();
  for (auto& conn : trace.connections) {
    std::vector<SegmentRow> segments;
    for (const auto& [id, client] : tap.clients)
      if (client == conn.client) segments = tap.segments[id];
    result.connections.push_back(layoutOf(std::move(conn), std::move(segments)));
  }
  return result;
}

}  // namespace

CaptureLayouts recordLayouts(const std::filesystem::path& file, keys::KeyStore& keys) { return layoutsOf(file, keys); }
CaptureLayouts recordLayouts(ByteView capture, keys::KeyStore& keys) { return layoutsOf(capture, keys); }

RecordLayout recordLayout(ByteView pcapng) {
  keys::KeyStore keys;  // the run's key log travels inside the pcapng
  CaptureLayouts all = recordLayouts(pcapng, keys);
  if (!all.error.empty() || all.connections.empty()) {
    RecordLayout none;
    none.error = all.error.empty() ? "the capture holds no TLS connection" : all.error;
    return none;
  }
  return std::move(all.connections.front());
}

std::vector<const RecordRow*> clientDataRecords(const RecordLayout& layout) {
  std::vector<const RecordRow*> rows;
  for (const auto& r : layout.records)
    if (isClientData(r, model::Direction::ClientToServer)) rows.push_back(&r);
  return rows;
}

std::vector<const RecordRow*> serverDataRecords(const RecordLayout& layout) {
  std::vector<const RecordRow*> rows;
  for (const auto& r : layout.records)
    if (isClientData(r, model::Direction::ServerToClient)) rows.push_back(&r);
  return rows;
}

}  // namespace tlslab::scenarios
