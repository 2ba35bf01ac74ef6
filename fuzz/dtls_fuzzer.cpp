// libFuzzer target for the DTLS framing (wire/Dtls.hpp): datagrams split into
// records, handshake records into fragments, fragments reassembled per
// direction (in any order, with retransmissions, against the bounds), and the
// completed messages handed to the TLS message parsers, as the dissector does.
// Input: a series of datagrams, each as direction(1) || length(2) || bytes.
#include <cstddef>
#include <cstdint>

#include "tlslab/wire/Dtls.hpp"
#include "tlslab/wire/Messages.hpp"

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
  return 0;
}
