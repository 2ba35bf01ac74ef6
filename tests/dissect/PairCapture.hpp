#pragma once
// A TLS session between an in-memory OpenSSL client and server
// (tests/crypto/OpensslPair.hpp) written as a pcapng with its key log, the
// flights in handshake order (tests/capture/PcapBuilder.hpp). For what
// LabServer cannot be asked to do: MAC-then-encrypt, a record lost from the
// capture.
#include <cstdint>
#include <vector>

#include "capture/PcapBuilder.hpp"
#include "crypto/OpensslPair.hpp"

namespace tlslab::test {

inline std::vector<Bytes> records(const Bytes& stream) {
  std::vector<Bytes> out;
  std::size_t at = 0;
  while (at + 5 <= stream.size()) {
    const std::size_t len = static_cast<std::size_t>(stream[at + 3] << 8 | stream[at + 4]);
    const std::size_t end = std::min(stream.size(), at + 5 + len);
    out.emplace_back(stream.begin() + static_cast<std::ptrdiff_t>(at), stream.begin() + static_cast<std::ptrdiff_t>(end));
    at = end;
  }
  return out;
}

// Client hello; server flight up to its ChangeCipherSpec; client flight up to
// and including its Finished; server CCS + Finished; then the rest.
inline Bytes pcapOf(const Capture& cap, std::size_t dropClientRecord = SIZE_MAX) {
  auto c = records(cap.clientToServer), s = records(cap.serverToClient);
  std::size_t ci = 0, si = 0;
  Conversation conv(endpoint("10.0.0.1", 50000), endpoint("10.0.0.2", 443));
  std::vector<TcpSpec> segs = conv.handshake();
  auto sendUntilAfterCcs = [&](int side, std::vector<Bytes>& list, std::size_t& i, bool includeCcsAndNext) {
    while (i < list.size()) {
      const bool ccs = list[i][0] == 20;
      if (ccs && !includeCcsAndNext) return;
      segs.push_back(conv.send(side, list[i++]));
      if (ccs) {
        if (i < list.size()) segs.push_back(conv.send(side, list[i++]));
        return;
      }
    }
  };
  segs.push_back(conv.send(0, c[ci++]));
  sendUntilAfterCcs(1, s, si, false);
  sendUntilAfterCcs(0, c, ci, true);
  sendUntilAfterCcs(1, s, si, true);
  while (ci < c.size()) {
    // A record lost from the capture: its bytes are skipped, and the peer's
    // acknowledgements cover them, so the capture layer reports a gap.
    if (ci == dropClientRecord) {
      conv.skip(0, static_cast<std::uint32_t>(c[ci++].size()));
      continue;
    }
    segs.push_back(conv.send(0, c[ci++]));
  }
  while (si < s.size()) segs.push_back(conv.send(1, s[si++]));
  return pcapngBytes(Link::Ethernet, frames(Link::Ethernet, segs), {cap.keylog});
}


}  // namespace tlslab::test
