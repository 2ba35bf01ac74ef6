// Wire-layer throughput. Framing must never be the bottleneck: it should run
// far above decryption speed (goal > 2 GB/s on a large application-data
// stream). Handshake parsing is reported as messages per second.
#include <benchmark/benchmark.h>

#include <string_view>

#include "tlslab/util/Bytes.hpp"
#include "tlslab/wire/Explain.hpp"
#include "tlslab/wire/Messages.hpp"
#include "tlslab/wire/Record.hpp"

namespace {

using namespace tlslab;
using namespace tlslab::wire;

// 64 MiB of full-size TLS 1.3 application-data records (2^14 + 256 bytes each).
const Bytes& appDataStream() {
  static const Bytes stream = [] {
    Bytes s;
    const std::size_t fragment = (1u << 14) + 256;
    const std::size_t total = std::size_t{64} << 20;
    s.reserve(total + fragment);
    while (s.size() < total) {
      s.insert(s.end(), {23, 0x03, 0x03, static_cast<std::uint8_t>(fragment >> 8),
                         static_cast<std::uint8_t>(fragment & 0xff)});
      s.insert(s.end(), fragment, 0x5a);
    }
    return s;
  }();
  return stream;
}

void BM_FrameAppDataWholeBuffer(benchmark::State& state) {
  const Bytes& s = appDataStream();
  for (auto _ : state) {
    RecordFramer framer;
    std::size_t records = 0;
    framer.feed(s, [&](const RecordView& r) { records += r.fragment.size() != 0; });
    benchmark::DoNotOptimize(records);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * s.size()));
}
BENCHMARK(BM_FrameAppDataWholeBuffer)->Unit(benchmark::kMillisecond);

// As bytes arrive from TCP: 1460-byte segments (records straddle segments).
void BM_FrameAppDataTcpSegments(benchmark::State& state) {
  const Bytes& s = appDataStream();
  const std::size_t segment = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    RecordFramer framer;
    std::size_t records = 0;
    auto sink = [&](const RecordView& r) { records += r.fragment.size() != 0; };
    for (std::size_t i = 0; i < s.size(); i += segment)
      framer.feed(ByteView(s).subspan(i, std::min(segment, s.size() - i)), sink);
    benchmark::DoNotOptimize(records);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * s.size()));
}
BENCHMARK(BM_FrameAppDataTcpSegments)->Arg(1460)->Arg(65536)->Unit(benchmark::kMillisecond);

// RFC 8448 §3 {client} construct a ClientHello handshake message.
const Bytes& clientHello() {
  static const Bytes ch = *fromHex(
      "010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7000006130113031302010000910000000b"
      "0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400230000003300260024001d002099"
      "381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c002b0003020304000d0020001e0403050306030203080408"
      "05080604010501060102010402050206020202002d00020101001c00024001");
  return ch;
}

void BM_ParseClientHello(benchmark::State& state) {
  const Bytes& ch = clientHello();
  for (auto _ : state) {
    HandshakeMessage m = parseHandshakeMessage(ch);
    benchmark::DoNotOptimize(m.tree.children.size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * ch.size()));
}
BENCHMARK(BM_ParseClientHello);

void BM_ExplainClientHelloRecord(benchmark::State& state) {
  Bytes rec = {22, 3, 1, 0, static_cast<std::uint8_t>(clientHello().size())};
  rec.insert(rec.end(), clientHello().begin(), clientHello().end());
  for (auto _ : state) {
    ExplainResult r = explainRecords(rec);
    benchmark::DoNotOptimize(r.records.size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ExplainClientHelloRecord);

}  // namespace
