// libFuzzer target for the QUIC parsers (issue 19): a datagram split into
// coalesced packets under every short-header DCID length, each packet's
// Initial protection removed with keys from its own DCID (the path a capture
// takes), and the bytes read as a frame payload and as transport parameters.
// The input is also cut into datagrams (a 2-byte length each, the top bit
// giving the direction) of one UDP flow on port 443 through the dissector.
// Any crash, sanitizer report or broken invariant (trap) is a bug: malformed
// input must only ever give a ParseError with an offset inside the input.
#include <cstddef>
#include <cstdint>

#include "tlslab/crypto/Quic.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
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

// The whole QUIC dissection path: datagrams of one flow into the TlsDissector.
void dissectFlow(ByteView data) {
  tlslab::keys::KeyStore keys;
  tlslab::dissect::TlsDissector dissector(keys);
  tlslab::capture::UdpFlowInfo info;
  info.client.port = 50000;
  info.server.port = 443;
  dissector.onUdpFlowOpened(info);
  std::size_t at = 0;
  std::uint64_t n = 0;
  while (at + 2 <= data.size()) {
    const std::size_t length = std::min<std::size_t>(((data[at] & 0x7f) << 8) | data[at + 1], data.size() - at - 2);
    tlslab::capture::FlowDatagram d;
    d.direction = (data[at] & 0x80) ? tlslab::capture::Direction::ServerToClient
                                    : tlslab::capture::Direction::ClientToServer;
    d.index = n;
    d.frame = ++n;
    d.data = data.subspan(at + 2, length);
    dissector.onDatagram(d);
    at += 2 + length;
  }
  dissector.onUdpFlowClosed(info);
  const tlslab::model::Trace trace = dissector.finish();
  for (const auto& c : trace.connections) check(c.quic.has_value());
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
  dissectFlow(data);
  return 0;
}
