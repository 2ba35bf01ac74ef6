// libFuzzer target for the capture path: pcap/pcapng bytes through libpcap (or
// the native pcapng reader), link/IP/TCP decode, IP defragmentation, TCP
// reassembly and TLS/STARTTLS detection; plus the pcapng block walker.
//
// Input: byte 0 selects the mode.
//   even: the rest is a capture file, read as a CLI would read it;
//   odd:  byte 1 picks a link type, the rest is frames, each prefixed by a
//         2-byte big-endian length, fed straight to the processor (reaches
//         decoding and reassembly without the fuzzer having to learn file headers).
#include <array>
#include <cstddef>
#include <cstdint>

#include "tlslab/capture/CaptureProcessor.hpp"
#include "tlslab/capture/Pcapng.hpp"
#include "tlslab/capture/Source.hpp"

namespace {

// Touches every delivered byte so ASan sees any out-of-bounds view.
class TouchingSink : public tlslab::capture::StreamSink {
 public:
  void onData(const tlslab::capture::StreamChunk& chunk) override {
    for (std::uint8_t b : chunk.data) sum_ += b;
  }
  void onKeyLog(std::string_view text, std::uint64_t) override {
    for (char c : text) sum_ += static_cast<unsigned char>(c);
  }
  std::uint64_t sum_ = 0;
};

constexpr std::array<int, 11> kLinkTypes{0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 147};

void framesMode(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return;
  TouchingSink sink;
  tlslab::capture::ProcessorOptions options;
  options.maxBufferedPerDirection = 64 * 1024;  // small caps exercise the overflow paths
  options.maxOpenConnections = 8;
  tlslab::capture::CaptureProcessor processor(sink, options);
  tlslab::capture::RawPacket packet;
  packet.linkType = kLinkTypes[data[0] % kLinkTypes.size()];
  std::size_t at = 1;
  std::uint64_t frame = 0;
  while (at + 2 <= size) {
    std::size_t length = static_cast<std::size_t>(data[at] << 8 | data[at + 1]);
    at += 2;
    length = std::min(length, size - at);
    packet.frame = ++frame;
    packet.time.nanos = static_cast<std::int64_t>(frame) * 1000;
    packet.data = tlslab::ByteView(data + at, length);
    packet.originalLength = static_cast<std::uint32_t>(length + (frame % 3 == 0 ? 7 : 0));  // some snaplen cuts
    processor.processPacket(packet);
    at += length;
  }
  processor.finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  if (data[0] % 2 == 1) {
    framesMode(data + 1, size - 1);
    return 0;
  }
  tlslab::ByteView file(data + 1, size - 1);
  TouchingSink sink;
  (void)tlslab::capture::readCapture(file, sink);
  (void)tlslab::capture::scanPcapng(file, [](const tlslab::capture::SecretsBlock&) {});
  return 0;
}
