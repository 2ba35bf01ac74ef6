// libFuzzer target for the QUIC parsers (issue 19): a datagram split into
// coalesced packets under every short-header DCID length, each packet's
// Initial protection removed with keys from its own DCID (the path a capture
// takes), and the bytes read as a frame payload and as transport parameters.
// Any crash, sanitizer report or broken invariant (trap) is a bug: malformed
// input must only ever give a ParseError with an offset inside the input.
#include <cstddef>
#include <cstdint>

#include "tlslab/crypto/Quic.hpp"
#include "tlslab/wire/Quic.hpp"

namespace {

using tlslab::ByteView;
namespace wq = tlslab::wire::quic;
namespace cq = tlslab::crypto::quic;

void check(bool invariant) {
  if (!invariant) __builtin_trap();
}

void packets(ByteView data, std::size_t dcidLength) {
  const wq::DatagramPackets split = wq::splitDatagram(data, dcidLength);
  std::size_t previousEnd = 0;
  for (const auto& h : split.packets) {
    check(h.offset == previousEnd && h.end <= data.size() && h.pnOffset <= h.end && h.offset < h.end);
    previousEnd = h.end;
    if (h.type != wq::PacketType::Initial) continue;
    auto keys = cq::deriveInitialKeys(cq::knownVersion(h.version) ? h.version : cq::kVersion1, h.dcid);
    if (!keys.ok()) continue;
    const ByteView packet = data.subspan(h.offset, h.end - h.offset);
    auto u = cq::removeHeaderProtection(keys->client.aead, keys->client.hp, packet, h.pnOffset - h.offset);
    if (!u.ok()) continue;
    check(u->header.size() == h.pnOffset - h.offset + u->pnLength && u->pnLength >= 1 && u->pnLength <= 4);
    if (u->header.size() <= packet.size())
      (void)cq::openPayload(keys->client, u->truncatedPn, u->header, packet.subspan(u->header.size()));
  }
  if (split.error) check(split.error->offset <= data.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const ByteView data(bytes, size);
  for (std::size_t dcid : {0, 8, 20}) packets(data, dcid);
  const wq::FrameList frames = wq::parseFrames(data, 4096);
  std::size_t covered = 0;
  for (const auto& f : frames.frames) {
    check(f.offset == covered && f.length > 0);
    covered += f.length;
  }
  check(covered <= size);
  if (frames.error) check(frames.error->offset <= size);
  const wq::TransportParameters params = wq::parseTransportParameters(data);
  if (params.error) check(params.error->offset <= size);
  return 0;
}
