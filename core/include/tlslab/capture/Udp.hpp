#pragma once
// UDP in the capture layer, protocol-neutral: the UDP header of a complete IP
// payload, and datagrams grouped into flows by their 4-tuple (both directions
// of one address/port pair are one flow). A consumer (QUIC, DTLS, ...) gets
// StreamSink::onUdpFlowOpened, then onDatagram for every datagram of the flow
// in capture order, then onUdpFlowClosed. Nothing is buffered: a datagram is
// handed over as soon as it is decoded, so memory is the flow table only,
// bounded by a count and an idle timeout (UDP has no FIN).
#include <array>
#include <cstdint>
#include <list>
#include <optional>
#include <unordered_map>
#include <vector>

#include "tlslab/capture/Decode.hpp"
#include "tlslab/capture/Types.hpp"

namespace tlslab::capture {

class StreamSink;

// UDP flows are numbered from 0 in order of appearance, separately from TCP
// connections (so TCP numbering does not change when a capture also has DNS).
using UdpFlowId = std::uint64_t;

struct UdpDatagram {
  Endpoint source;
  Endpoint destination;
  ByteView payload;           // captured payload (the UDP length, Ethernet padding dropped)
  std::uint32_t missing = 0;  // payload bytes announced by the UDP length but cut by snaplen
  Timestamp time;
  std::uint64_t frame = 0;
};

// UDP header (RFC 768) of a complete IP payload; nullopt when the IP payload
// is not UDP, or (with a diagnostic naming the offset) when the header is short
// or its length field is inconsistent.
std::optional<UdpDatagram> decodeUdp(const IpPacket& ip, Timestamp time, std::uint64_t frame,
                                     std::vector<CaptureDiagnostic>& diagnostics);

struct UdpFlowInfo {
  UdpFlowId id = 0;
  Endpoint client;  // the sender of the first datagram, unless its port looks like the server's
  Endpoint server;
  Timestamp firstSeen;
  Timestamp lastSeen;
  std::uint64_t firstFrame = 0;
  std::array<std::uint64_t, 2> datagrams{};  // per Direction
  std::array<std::uint64_t, 2> bytes{};
  std::optional<CloseReason> closed;  // Idle, Evicted or EndOfCapture
};

// One datagram of a flow, as the sink sees it. `data` is valid only during the call.
struct FlowDatagram {
  UdpFlowId flow = 0;
  Direction direction = Direction::ClientToServer;
  std::uint64_t index = 0;  // 0-based, per flow, both directions
  Timestamp time;
  std::uint64_t frame = 0;
  ByteView data;
  std::uint32_t missing = 0;
  Endpoint source, destination;
};

struct UdpLimits {
  std::size_t maxOpenFlows = 50000;                 // beyond it the least recently active closes (Evicted)
  std::int64_t idleTimeoutNanos = 300'000'000'000;  // a flow silent this long closes (Idle); 0: never
};

// The flow table. add() is O(1): flows are kept in least-recently-active order.
class UdpFlowTable {
 public:
  explicit UdpFlowTable(StreamSink& sink, UdpLimits limits = {});
  void add(const UdpDatagram& datagram);
  void finish();  // closes every open flow (EndOfCapture), in id order
  std::size_t open() const { return flows_.size(); }
  std::uint64_t flowsSeen() const { return nextId_; }

 private:
  struct Key {
    Endpoint a, b;
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept;
  };
  struct Flow {
    Key key;
    UdpFlowInfo info;
  };
  void close(std::list<Flow>::iterator it, CloseReason reason);
  void expire(Timestamp now);

  StreamSink& sink_;
  UdpLimits limits_;
  std::list<Flow> lru_;  // front: most recently active
  std::unordered_map<Key, std::list<Flow>::iterator, KeyHash> flows_;
  UdpFlowId nextId_ = 0;
};

}  // namespace tlslab::capture
