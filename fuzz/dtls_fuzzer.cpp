// libFuzzer target for the DTLS framing (wire/Dtls.hpp): datagrams split into
// records, handshake records into fragments, fragments reassembled per
// direction (in any order, with retransmissions, against the bounds), and the
// completed messages handed to the TLS message parsers; then the same
// datagrams through the whole dissector as one UDP flow (dissect/Dtls.hpp).
// Input: a series of datagrams, each as direction(1) || length(2) || bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/wire/Dtls.hpp"
#include "tlslab/wire/Messages.hpp"

namespace {

void dissectFlow(const std::uint8_t* data, std::size_t size) {
  using namespace tlslab;
  keys::KeyStore keys;
  keys.addPsk(Bytes(16, 0x42), std::nullopt, "fuzz");  // so PSK suites get as far as their records
  dissect::TlsDissector dissector(keys);
  capture::UdpFlowInfo info;
  info.client.port = 50000;
  info.server.port = 4433;
  dissector.onUdpFlowOpened(info);
  std::size_t at = 0;
  std::uint64_t n = 0;
  while (at + 3 <= size) {
    const std::size_t len = (std::size_t{data[at + 1]} << 8) | data[at + 2];
    capture::FlowDatagram d;
    d.direction = (data[at] & 1) ? capture::Direction::ServerToClient : capture::Direction::ClientToServer;
    at += 3;
    const std::size_t take = len < size - at ? len : size - at;
    d.index = n;
    d.frame = ++n;
    d.data = ByteView(data + at, take);
    dissector.onDatagram(d);
    at += take;
  }
  dissector.onUdpFlowClosed(info);
  const model::Trace trace = dissector.finish();
  for (const auto& c : trace.connections)
    if (!c.dtls && !c.quic) std::abort();  // a UDP flow is one or the other
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tlslab;
  wire::dtls::HandshakeReassembler reassembler[2];
  wire::ParseContext context;
  std::size_t at = 0;
  while (at + 3 <= size) {
    const int dir = data[at] & 1;
    const std::size_t len = (std::size_t{data[at + 1]} << 8) | data[at + 2];
    at += 3;
    const std::size_t take = len < size - at ? len : size - at;
    const ByteView datagram(data + at, take);
    at += take;
    auto records = wire::dtls::splitDatagram(datagram, at);
    for (const auto& rec : records.records) {
      (void)rec.header.macSequence();
      if (rec.header.type != 22 || rec.header.epoch != 0) continue;
      auto fragments = wire::dtls::splitHandshakeRecord(rec.fragment);
      for (const auto& f : fragments.fragments) {
        (void)reassembler[dir].add(f);
        for (const auto& m : reassembler[dir].takeInOrder()) {
          auto parsed = wire::parseHandshakeMessage(m.tlsBytes, context, wire::FieldDetail::Lean);
          wire::updateContext(context, parsed);
        }
      }
    }
  }
  dissectFlow(data, size);
  return 0;
}
