// libFuzzer target for the whole dissection pipeline: bytes -> Trace. Record
// framing, decryption with keys from the input, handshake reassembly and
// parsing, key derivation and Finished checks, resumption matching, JSON.
//
// Input: byte 0 selects the mode.
//   even: the rest is a capture file (pcap/pcapng, its own Decryption
//         Secrets Blocks included), dissected as `tlslab dissect` does;
//   odd:  bytes 1-2 are a big-endian length L, then L bytes of key log text,
//         then chunks [direction (low bit)][2-byte big-endian length][bytes]
//         fed straight to a TlsDissector as one TLS connection (reaches the
//         record and handshake logic without the fuzzer learning TCP).
// Seeds (fuzz/corpus/dissect/) are the sample captures and their streams, so
// decryption is reached from the start.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/model/TraceJson.hpp"

namespace {

using namespace tlslab;

std::uint64_t touch(const model::Trace& trace, bool json) {
  std::uint64_t sum = 0;
  for (const auto& c : trace.connections) {
    for (const auto& r : c.records) {
      for (std::uint8_t b : r.plaintext) sum += b;
      sum += r.messages.size();
    }
    for (const auto& chunk : c.appData)
      for (std::uint8_t b : chunk.data) sum += b;
    sum += c.derivation.size() + c.decryption.text.size();
  }
  // JSON rendering is slow under sanitizers; do it for one input in eight.
  if (json) sum += model::toJsonText(trace).size();
  return sum;
}

void streamMode(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return;
  std::size_t keyLength = static_cast<std::size_t>(data[1] << 8 | data[2]);
  keyLength = std::min(keyLength, size - 3);
  keys::KeyStore keys;
  keys.addKeyLogText(std::string_view(reinterpret_cast<const char*>(data + 3), keyLength), "fuzz");
  dissect::TlsDissector dissector(keys);
  capture::ConnectionInfo info;
  info.id = 7;
  info.client.port = 50000;
  info.server.port = 443;
  info.sawSyn = true;
  dissector.onConnectionOpened(info);
  std::size_t at = 3 + keyLength;
  std::uint64_t offsets[2] = {0, 0};
  std::uint64_t frame = 0;
  while (at + 3 <= size) {
    const auto direction = (data[at] & 1) ? capture::Direction::ServerToClient : capture::Direction::ClientToServer;
    std::size_t length = static_cast<std::size_t>(data[at + 1] << 8 | data[at + 2]);
    at += 3;
    length = std::min(length, size - at);
    capture::StreamChunk chunk;
    chunk.connection = info.id;
    chunk.direction = direction;
    chunk.frame = ++frame;
    chunk.time.nanos = static_cast<std::int64_t>(frame) * 1000;
    chunk.offset = offsets[capture::index(direction)];
    chunk.data = ByteView(data + at, length);
    chunk.content = capture::Content::Tls;
    dissector.onData(chunk);
    offsets[capture::index(direction)] += length;
    at += length;
  }
  info.closed = capture::CloseReason::Fin;
  dissector.onConnectionClosed(info);
  touch(dissector.finish(), size % 8 == 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  if (data[0] % 2 == 1) {
    streamMode(data, size);
    return 0;
  }
  keys::KeyStore keys;
  auto trace = dissect::dissectBytes(ByteView(data + 1, size - 1), keys);
  if (trace.ok()) touch(trace.value(), size % 8 == 0);
  return 0;
}
