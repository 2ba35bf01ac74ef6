#pragma once
// Test helper: a StreamSink that records everything, with lookups for assertions.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tlslab/capture/StreamSink.hpp"

namespace tlslab::test {

using capture::ConnectionId;
using capture::Content;
using capture::Direction;

struct RecordedChunk {
  ConnectionId connection;
  Direction direction;
  std::uint64_t offset;
  std::string data;
  Content content;
  std::string protocol;
  std::uint64_t frame;
  bool afterGap;
  std::int64_t nanos;
};

class RecordingSink : public capture::StreamSink {
 public:
  void onConnectionOpened(const capture::ConnectionInfo& info) override { opened.push_back(info); }
  void onData(const capture::StreamChunk& c) override {
    std::string text(reinterpret_cast<const char*>(c.data.data()), c.data.size());
    auto& expected = nextOffset[{c.connection, c.direction}];
    if (c.offset != expected) offsetErrors++;  // chunks must be contiguous apart from gaps
    expected = c.offset + c.data.size();
    chunks.push_back({c.connection, c.direction, c.offset, text, c.content, std::string(c.protocol), c.frame,
                      c.afterGap, c.time.nanos});
  }
  void onGap(const capture::StreamGap& g) override {
    gaps.push_back(g);
    auto& expected = nextOffset[{g.connection, g.direction}];
    if (g.offset != expected) offsetErrors++;
    expected = g.offset + g.size;
  }
  void onTlsStart(const capture::TlsStart& s) override { tlsStarts.push_back(s); }
  void onConnectionClosed(const capture::ConnectionInfo& info) override { closed.push_back(info); }
  void onDiagnostic(const capture::CaptureDiagnostic& d) override { diagnostics.push_back(d); }
  void onKeyLog(std::string_view text, std::uint64_t offset) override {
    keyLogs.emplace_back(text);
    keyLogOffsets.push_back(offset);
  }

  // All delivered bytes of one direction, concatenated.
  std::string stream(ConnectionId id, Direction dir) const {
    std::string out;
    for (const auto& c : chunks)
      if (c.connection == id && c.direction == dir) out += c.data;
    return out;
  }
  std::string streamOf(ConnectionId id, Direction dir, Content content) const {
    std::string out;
    for (const auto& c : chunks)
      if (c.connection == id && c.direction == dir && c.content == content) out += c.data;
    return out;
  }
  bool hasDiagnostic(const std::string& needle) const {
    for (const auto& d : diagnostics)
      if (d.diagnostic.message.find(needle) != std::string::npos || d.diagnostic.where.find(needle) != std::string::npos)
        return true;
    return false;
  }
  const capture::TlsStart* tlsStart(ConnectionId id, Direction dir) const {
    for (const auto& s : tlsStarts)
      if (s.connection == id && s.direction == dir) return &s;
    return nullptr;
  }

  std::vector<capture::ConnectionInfo> opened;
  std::vector<capture::ConnectionInfo> closed;
  std::vector<RecordedChunk> chunks;
  std::vector<capture::StreamGap> gaps;
  std::vector<capture::TlsStart> tlsStarts;
  std::vector<capture::CaptureDiagnostic> diagnostics;
  std::vector<std::string> keyLogs;
  std::vector<std::uint64_t> keyLogOffsets;
  std::map<std::pair<ConnectionId, Direction>, std::uint64_t> nextOffset;
  int offsetErrors = 0;
};

}  // namespace tlslab::test
