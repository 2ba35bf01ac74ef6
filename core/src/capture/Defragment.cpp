// IP fragment reassembly (RFC 791 §3.2 for IPv4, RFC 8200 §4.5 for IPv6).
// Fragments are keyed by (version, source, destination, id, protocol); the
// first copy of overlapping bytes wins, like the TCP reassembler.
#include <fmt/format.h>

#include <algorithm>

#include "Diagnostics.hpp"
#include "tlslab/capture/Decode.hpp"

namespace tlslab::capture {

using detail::makeDiagnostic;
using model::Severity;

namespace {
constexpr std::uint32_t kMaxDatagram = 65535;  // the largest IPv4 datagram / non-jumbo IPv6 payload
}

void IpDefragmenter::expire(Timestamp now, std::vector<CaptureDiagnostic>& diagnostics) {
  for (auto it = datagrams_.begin(); it != datagrams_.end();) {
    if (now.nanos - it->second.firstSeen.nanos > limits_.timeoutNanos) {
      diagnostics.push_back(makeDiagnostic(model::DiagnosticCode::IpFragment,
          Severity::Warning, "IP fragments",
          fmt::format("datagram {} first seen in frame {} never completed; its fragments are dropped",
                      std::get<3>(it->first), it->second.firstFrame)));
      it = datagrams_.erase(it);
    } else {
      ++it;
    }
  }
}

std::optional<IpPacket> IpDefragmenter::add(const IpPacket& fragment, Timestamp time, std::uint64_t frame,
                                            Bytes& storage, std::vector<CaptureDiagnostic>& diagnostics) {
  expire(time, diagnostics);
  Key key{fragment.ipv6, fragment.source, fragment.destination, fragment.fragmentId, fragment.protocol};
  std::uint64_t begin = fragment.fragmentOffset;
  std::uint64_t end = begin + fragment.payload.size();
  if (end > kMaxDatagram || (fragment.moreFragments && fragment.missing > 0)) {
    diagnostics.push_back(makeDiagnostic(model::DiagnosticCode::IpFragment,
        Severity::Warning, "IP fragment",
        end > kMaxDatagram ? fmt::format("fragment ends at byte {}, beyond the 65535-byte maximum datagram", end)
                           : std::string("fragment cut by the capture's snaplen; its datagram cannot be rebuilt"),
        frame));
    datagrams_.erase(key);
    return std::nullopt;
  }
  auto found = datagrams_.find(key);
  if (found == datagrams_.end()) {
    if (datagrams_.size() >= limits_.maxDatagrams) {
      auto oldest = datagrams_.begin();
      for (auto it = datagrams_.begin(); it != datagrams_.end(); ++it)
        if (it->second.firstSeen < oldest->second.firstSeen) oldest = it;
      diagnostics.push_back(makeDiagnostic(model::DiagnosticCode::IpFragment,
          Severity::Warning, "IP fragments",
          fmt::format("more than {} datagrams in reassembly; dropping the oldest (frame {})", limits_.maxDatagrams,
                      oldest->second.firstFrame),
          frame));
      datagrams_.erase(oldest);
    }
    found = datagrams_.emplace(key, Datagram{}).first;
    found->second.firstSeen = time;
    found->second.firstFrame = frame;
  }
  Datagram& d = found->second;
  if (!fragment.moreFragments) {
    std::uint32_t total = static_cast<std::uint32_t>(end + fragment.missing);
    if (d.totalLength && *d.totalLength != total) {
      diagnostics.push_back(makeDiagnostic(model::DiagnosticCode::IpFragment,
          Severity::Warning, "IP fragment",
          fmt::format("last fragment says the datagram is {} bytes, an earlier one said {}; keeping the first",
                      total, *d.totalLength),
          frame));
    } else {
      d.totalLength = total;
      d.truncated = fragment.missing > 0;
    }
  }
  // Insert only the bytes no earlier fragment covered (first copy wins).
  std::uint64_t cursor = begin;
  auto it = d.pieces.upper_bound(static_cast<std::uint32_t>(begin));
  if (it != d.pieces.begin()) --it;
  bool overlapped = false;
  for (; it != d.pieces.end() && it->first < end; ++it) {
    std::uint64_t pieceEnd = it->first + it->second.size();
    if (pieceEnd <= cursor) continue;
    if (it->first > cursor) {
      d.pieces.emplace(static_cast<std::uint32_t>(cursor),
                       Bytes(fragment.payload.begin() + static_cast<std::ptrdiff_t>(cursor - begin),
                             fragment.payload.begin() + static_cast<std::ptrdiff_t>(it->first - begin)));
    }
    overlapped = true;
    cursor = std::max(cursor, pieceEnd);
  }
  if (cursor < end) {
    d.pieces.emplace(static_cast<std::uint32_t>(cursor),
                     Bytes(fragment.payload.begin() + static_cast<std::ptrdiff_t>(cursor - begin),
                           fragment.payload.end()));
  }
  if (overlapped) {
    diagnostics.push_back(makeDiagnostic(model::DiagnosticCode::IpFragment, Severity::Info, "IP fragment",
                                         "fragment overlaps bytes already received; the first copy is kept", frame));
  }
  if (!d.totalLength) return std::nullopt;
  std::uint64_t contiguous = 0;
  for (const auto& [offset, bytes] : d.pieces) {
    if (offset > contiguous) return std::nullopt;  // still a hole
    contiguous = std::max<std::uint64_t>(contiguous, offset + bytes.size());
  }
  std::uint32_t total = *d.totalLength;
  std::uint32_t captured = static_cast<std::uint32_t>(std::min<std::uint64_t>(contiguous, total));
  if (captured < total && !d.truncated) return std::nullopt;
  storage.assign(captured, 0);
  for (const auto& [offset, bytes] : d.pieces) {
    if (offset >= captured) continue;
    std::size_t n = std::min<std::size_t>(bytes.size(), captured - offset);
    std::copy_n(bytes.begin(), n, storage.begin() + offset);
  }
  IpPacket whole = fragment;
  whole.fragment = false;
  whole.moreFragments = false;
  whole.fragmentOffset = 0;
  whole.payload = ByteView(storage);
  whole.missing = total - captured;
  datagrams_.erase(found);
  return whole;
}

}  // namespace tlslab::capture
