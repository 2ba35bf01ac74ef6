#pragma once
// Shared shortcuts for the capture tests: run scripted segments through the
// real pipeline (pcap bytes -> libpcap -> decode -> reassembly -> sink).
#include <gtest/gtest.h>

#include "PcapBuilder.hpp"
#include "RecordingSink.hpp"
#include "tlslab/capture/Source.hpp"

namespace tlslab::test {

inline RecordingSink runFrames(Link link, const std::vector<FrameSpec>& frameList,
                               capture::ProcessorOptions options = {}) {
  RecordingSink sink;
  auto result = capture::readCapture(pcapBytes(link, frameList), sink, options);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message());
  return sink;
}

inline RecordingSink runSegments(const std::vector<TcpSpec>& segments, capture::ProcessorOptions options = {},
                                 Link link = Link::Ethernet) {
  return runFrames(link, frames(link, segments), options);
}

// A TLS record: type, version 0x0303, length, then `length` bytes of a counting pattern.
inline Bytes tlsRecord(std::uint8_t type, std::size_t length) {
  Bytes r{type, 0x03, 0x03, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
  for (std::size_t i = 0; i < length; ++i) r.push_back(static_cast<std::uint8_t>(i));
  return r;
}

inline std::string text(const Bytes& b) { return std::string(b.begin(), b.end()); }

inline const Endpoint kClient = endpoint("10.0.0.1", 50000);
inline const Endpoint kServer = endpoint("10.0.0.2", 443);
constexpr auto C2S = capture::Direction::ClientToServer;
constexpr auto S2C = capture::Direction::ServerToClient;

}  // namespace tlslab::test
