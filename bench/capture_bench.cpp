// Throughput of the capture pipeline (libpcap read + decode + reassembly +
// TLS detection) on a synthetic capture: many TLS-looking connections with
// bulk data in MSS-sized segments, a few percent of them reordered or
// duplicated. Reports packets/s and bytes/s (of capture file).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

#include "tlslab/capture/Pcapng.hpp"
#include "tlslab/capture/Source.hpp"

namespace {

using tlslab::Bytes;
using namespace tlslab::capture;

void put16(Bytes& b, std::uint32_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void put32(Bytes& b, std::uint32_t v) {
  put16(b, v >> 16);
  put16(b, v & 0xFFFF);
}

// Ethernet + IPv4 + TCP (checksums left zero: the capture layer does not verify them).
Bytes segment(std::uint32_t clientIp, std::uint16_t clientPort, bool fromClient, std::uint32_t seq,
              std::uint32_t ack, std::uint8_t flags, const std::uint8_t* payload, std::size_t length) {
  Bytes f{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00};
  f.insert(f.end(), {0x45, 0});
  put16(f, static_cast<std::uint32_t>(40 + length));
  f.insert(f.end(), {0, 1, 0x40, 0, 64, 6, 0, 0});
  std::uint32_t serverIp = 0x0A000001;
  put32(f, fromClient ? clientIp : serverIp);
  put32(f, fromClient ? serverIp : clientIp);
  put16(f, fromClient ? clientPort : 443);
  put16(f, fromClient ? 443 : clientPort);
  put32(f, seq);
  put32(f, ack);
  f.push_back(0x50);
  f.push_back(flags);
  f.insert(f.end(), {0xFF, 0xFF, 0, 0, 0, 0});
  f.insert(f.end(), payload, payload + length);
  return f;
}

std::filesystem::path buildCapture(int connections, std::size_t bytesPerConnection) {
  auto path = std::filesystem::temp_directory_path() / ("tlslab-capture-bench-" + std::to_string(::getpid()) + ".pcapng");
  std::ofstream out(path, std::ios::binary);
  PcapngWriter writer(out);
  auto iface = writer.addInterface(linktype::Ethernet);
  std::mt19937 random(42);
  Bytes data(bytesPerConnection);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(random());
  data[0] = 23;  // a TLS application_data record header, so detection says TLS
  data[1] = 3;
  data[2] = 3;
  std::int64_t t = 1'700'000'000'000'000'000;
  constexpr std::size_t kMss = 1448;
  for (int c = 0; c < connections; ++c) {
    std::uint32_t clientIp = 0x0A010000 + static_cast<std::uint32_t>(c);
    std::uint16_t port = static_cast<std::uint16_t>(40000 + c % 20000);
    std::uint32_t cseq = random(), sseq = random();
    auto write = [&](const Bytes& f) { writer.writePacket(iface, Timestamp{t += 1000}, f); };
    write(segment(clientIp, port, true, cseq, 0, 0x02, nullptr, 0));
    write(segment(clientIp, port, false, sseq, cseq + 1, 0x12, nullptr, 0));
    write(segment(clientIp, port, true, cseq + 1, sseq + 1, 0x10, nullptr, 0));
    Bytes held;
    for (std::size_t off = 0; off < data.size(); off += kMss) {
      std::size_t n = std::min(kMss, data.size() - off);
      Bytes f = segment(clientIp, port, false, sseq + 1 + static_cast<std::uint32_t>(off), cseq + 1, 0x18,
                        data.data() + off, n);
      if (random() % 50 == 0 && held.empty()) {  // 2%: swap with the next segment
        held = f;
        continue;
      }
      write(f);
      if (!held.empty()) {
        write(held);
        held.clear();
      }
      if (random() % 100 == 0) write(f);  // 1%: duplicate
    }
    if (!held.empty()) write(held);
    std::uint32_t end = sseq + 1 + static_cast<std::uint32_t>(data.size());
    write(segment(clientIp, port, false, end, cseq + 1, 0x11, nullptr, 0));
    write(segment(clientIp, port, true, cseq + 1, end + 1, 0x11, nullptr, 0));
  }
  return path;
}

class CountingSink : public StreamSink {
 public:
  void onData(const StreamChunk& chunk) override { bytes += chunk.data.size(); }
  std::uint64_t bytes = 0;
};

void BM_ReadCapture(benchmark::State& state) {
  auto path = buildCapture(static_cast<int>(state.range(0)), static_cast<std::size_t>(state.range(1)));
  auto fileSize = std::filesystem::file_size(path);
  std::uint64_t frames = 0;
  for (auto _ : state) {
    CountingSink sink;
    auto summary = readCapture(path, sink);
    if (!summary.ok()) {
      state.SkipWithError(summary.error().message().c_str());
      break;
    }
    frames = summary.value().stats.frames;
    benchmark::DoNotOptimize(sink.bytes);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(fileSize) * state.iterations());
  state.SetItemsProcessed(static_cast<std::int64_t>(frames) * state.iterations());
  state.counters["capture_MB"] = static_cast<double>(fileSize) / 1e6;
  std::filesystem::remove(path);
}

// Bulk transfers, then many short connections.
BENCHMARK(BM_ReadCapture)->Args({200, 256 * 1024})->Args({20000, 2000})->Unit(benchmark::kMillisecond);

}  // namespace
