#pragma once
// Reassembly of one direction of a TCP connection into an ordered byte stream
// (RFC 9293 §3.4 sequence numbers, §3.10.7.4 segment text). Stream offsets are
// 64-bit, so sequence wrap around 2^32 is invisible to consumers.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "tlslab/capture/Types.hpp"

namespace tlslab::capture::detail {

// Where reassembled bytes, gaps and findings go (the connection's classifier).
class StreamOutput {
 public:
  virtual ~StreamOutput() = default;
  virtual void bytes(std::uint64_t offset, ByteView data, Timestamp time, std::uint64_t frame, bool afterGap) = 0;
  virtual void gap(std::uint64_t offset, std::uint64_t size, Timestamp time, std::uint64_t frame,
                   const std::string& reason) = 0;
  virtual void finding(model::Severity severity, std::string message, std::uint64_t offset,
                       std::uint64_t frame) = 0;
};

struct StreamLimits {
  std::size_t maxBuffered = 4u << 20;
  std::size_t recentWindow = 4u << 10;
};

class TcpStream {
 public:
  explicit TcpStream(StreamLimits limits = {}) : limits_(limits) {}

  bool started() const { return started_; }
  bool sawSyn() const { return sawSyn_; }
  std::uint32_t initialSeq() const { return base_; }
  bool finished() const { return finOffset_ && next_ >= *finOffset_; }
  std::uint64_t nextOffset() const { return next_; }
  std::uint64_t retransmitted() const { return retransmitted_; }

  // Offset 0 is the byte with sequence number `firstByteSeq` (ISN + 1 after a SYN).
  void start(std::uint32_t firstByteSeq, bool syn);
  // 64-bit stream offset for a sequence number near the current position;
  // nullopt for bytes before the start of the stream.
  std::optional<std::uint64_t> unwrap(std::uint32_t seq) const;

  void addSegment(std::uint64_t offset, ByteView data, std::uint64_t missing, Timestamp time,
                  std::uint64_t frame, StreamOutput& out);
  void setFin(std::uint64_t offset, std::uint64_t frame, StreamOutput& out);
  // The peer acknowledged everything before `offset`: holes below it were lost
  // from the capture (not from the network), so they become gaps now.
  void acknowledged(std::uint64_t offset, Timestamp time, std::uint64_t frame, StreamOutput& out);
  // End of the connection: buffered bytes are delivered, holes become gaps.
  void flush(Timestamp time, std::uint64_t frame, StreamOutput& out);

 private:
  struct Piece {
    Bytes data;
    std::uint64_t missing = 0;  // a range known to be absent (snaplen cut); no data
    Timestamp time;
    std::uint64_t frame = 0;
    std::uint64_t length() const { return missing != 0 ? missing : data.size(); }
  };

  void compareWithDelivered(std::uint64_t offset, ByteView data, std::uint64_t frame, StreamOutput& out);
  bool insert(std::uint64_t offset, ByteView data, std::uint64_t missing, Timestamp time, std::uint64_t frame,
              StreamOutput& out);
  void drain(StreamOutput& out);
  void gapToFirstPending(const std::string& reason, Timestamp time, std::uint64_t frame, StreamOutput& out);
  void remember(ByteView data);

  StreamLimits limits_;
  bool started_ = false;
  bool sawSyn_ = false;
  std::uint32_t base_ = 0;
  std::uint64_t next_ = 0;
  std::optional<std::uint64_t> finOffset_;
  std::uint64_t highestAck_ = 0;
  std::map<std::uint64_t, Piece> pending_;
  std::size_t pendingBytes_ = 0;
  bool afterGap_ = false;
  Bytes recent_;                // the last delivered bytes, ending at next_
  std::uint64_t retransmitted_ = 0;
};

}  // namespace tlslab::capture::detail
