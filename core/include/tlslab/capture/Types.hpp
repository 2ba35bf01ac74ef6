#pragma once
// Value types shared by the capture layer: timestamps, endpoints, the chunks of
// reassembled stream bytes handed to the dissector, gaps and diagnostics.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "tlslab/model/Diagnostic.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::capture {

// Nanoseconds since the Unix epoch (pcap timestamps are read at nanosecond precision).
struct Timestamp {
  std::int64_t nanos = 0;
  double seconds() const { return static_cast<double>(nanos) / 1e9; }
  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
  // seconds * 10^9 + fraction, saturated at the ends of int64: a corrupt or
  // hostile capture may claim a time billions of years away (a pcapng with
  // if_tsresol 10^0 and a 64-bit count), and the arithmetic must not overflow.
  static Timestamp fromParts(std::int64_t seconds, std::int64_t fractionNanos);
};

struct Endpoint {
  std::array<std::uint8_t, 16> address{};  // IPv4 uses the first 4 bytes
  bool ipv6 = false;
  std::uint16_t port = 0;
  friend auto operator<=>(const Endpoint&, const Endpoint&) = default;
};
// "127.0.0.1:443" or "[::1]:443".
std::string toString(const Endpoint& endpoint);
// FNV-1a over both endpoints in the order given: the TCP and UDP flow tables'
// hash of their (ordered) endpoint pair.
std::size_t hashEndpointPair(const Endpoint& a, const Endpoint& b) noexcept;

enum class Direction : std::uint8_t { ClientToServer = 0, ServerToClient = 1 };
inline int index(Direction d) { return static_cast<int>(d); }
inline Direction opposite(Direction d) {
  return d == Direction::ClientToServer ? Direction::ServerToClient : Direction::ClientToServer;
}
const char* directionName(Direction d);  // "client->server" / "server->client"

// Connections are numbered from 0 in order of appearance (what `tlslab follow N` counts).
using ConnectionId = std::uint64_t;

// What the bytes of a chunk are, as far as the capture layer can tell.
enum class Content : std::uint8_t {
  Tls,        // TLS records start at the first byte after the detected start
  Plaintext,  // a STARTTLS protocol's plaintext preamble (protocol named in the chunk)
  Unknown,    // not recognised as TLS (other protocol, or picked up mid-stream)
};
const char* contentName(Content c);

// Evicted: the open-connection limit was reached and this was the least recently active.
// Idle: a UDP flow silent past the idle timeout (UDP has no FIN).
enum class CloseReason : std::uint8_t { Fin, Rst, Reused, EndOfCapture, Evicted, Idle };
const char* closeReasonName(CloseReason r);

struct ConnectionInfo {
  ConnectionId id = 0;
  Endpoint client;
  Endpoint server;
  Timestamp firstSeen;
  Timestamp lastSeen;
  std::uint64_t firstFrame = 0;
  bool sawSyn = false;     // the client's SYN is in the capture
  bool midStream = false;  // picked up without a SYN: offsets count from the first byte seen
  std::string protocol;    // STARTTLS protocol ("SMTP", "POP3", "IMAP", "FTP") or empty
  std::array<std::uint64_t, 2> bytes{};  // delivered payload per Direction
  std::array<std::uint64_t, 2> missing{};  // bytes lost to gaps per Direction
  std::optional<CloseReason> closed;
};

// One run of in-order stream bytes. `data` is only valid during the callback.
struct StreamChunk {
  ConnectionId connection = 0;
  Direction direction = Direction::ClientToServer;
  Timestamp time;           // of the packet that carried these bytes
  std::uint64_t frame = 0;  // 1-based frame number in the capture
  std::uint64_t offset = 0; // stream offset of data[0] in this direction
  ByteView data;
  Content content = Content::Unknown;
  std::string_view protocol;  // STARTTLS protocol for Plaintext (and the Tls after it)
  bool afterGap = false;      // first bytes after a gap: a parser should resync here
};

// Bytes of a direction that are not in the capture.
struct StreamGap {
  ConnectionId connection = 0;
  Direction direction = Direction::ClientToServer;
  std::uint64_t offset = 0;  // stream offset of the first missing byte
  std::uint64_t size = 0;
  Timestamp time;
  std::uint64_t frame = 0;   // frame at which the loss became certain (0: end of capture)
  std::string reason;        // e.g. "acknowledged but not captured", "cut by snaplen"
};

// Where TLS starts in a direction (offset 0 for direct TLS; after the upgrade for STARTTLS).
struct TlsStart {
  ConnectionId connection = 0;
  Direction direction = Direction::ClientToServer;
  std::uint64_t offset = 0;
  std::uint64_t frame = 0;
  std::string protocol;  // empty for direct TLS
};

// A finding about the capture. `diagnostic.offset` is a file byte offset for
// file-level findings and a stream offset when `connection` is set.
struct CaptureDiagnostic {
  model::Diagnostic diagnostic;
  std::optional<std::uint64_t> frame;
  std::optional<ConnectionId> connection;
  std::optional<Direction> direction;
};

// An error that stops a source from being read at all (the CLI exits non-zero).
struct CaptureError {
  std::string what;  // e.g. "cannot read capture 'x.pcap'"
  std::string why;   // e.g. "empty file (0 bytes)"
  std::string message() const { return what + ": " + why; }
};

// Value or CaptureError (GCC 12 has no std::expected).
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(CaptureError error) : state_(std::move(error)) {}  // NOLINT
  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(state_); }
  const T& value() const { return std::get<0>(state_); }
  T* operator->() { return &value(); }
  const CaptureError& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, CaptureError> state_;
};

}  // namespace tlslab::capture
