// One direction of TCP reassembly. Policy, stated once:
//  - first copy wins: bytes already delivered or buffered are never replaced;
//    a later copy with different bytes is diagnosed (a retransmission that
//    disagrees is either a capture artefact or an injection attempt);
//  - a hole is declared a gap when the peer acknowledges past it, when the
//    out-of-order buffer is full, or at the end of the connection; delivery
//    then continues and the next chunk is flagged `afterGap`.
#include "TcpStream.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace tlslab::capture::detail {

using model::Severity;

namespace {
constexpr std::size_t kPieceOverhead = 64;  // map node + Piece bookkeeping, for the buffer cap
}

void TcpStream::start(std::uint32_t firstByteSeq, bool syn) {
  started_ = true;
  sawSyn_ = syn;
  base_ = firstByteSeq;
  next_ = 0;
}

std::optional<std::uint64_t> TcpStream::unwrap(std::uint32_t seq) const {
  // Interpret the 32-bit distance from the current position as signed
  // (RFC 9293 §3.4 comparisons are modulo 2^32), then extend to 64 bits.
  std::uint32_t relative = seq - base_;
  auto delta = static_cast<std::int32_t>(relative - static_cast<std::uint32_t>(next_));
  std::int64_t offset = static_cast<std::int64_t>(next_) + delta;
  if (offset < 0) return std::nullopt;
  return static_cast<std::uint64_t>(offset);
}

void TcpStream::remember(ByteView data) {
  if (limits_.recentWindow == 0) return;
  if (data.size() >= limits_.recentWindow) {
    recent_.assign(data.end() - static_cast<std::ptrdiff_t>(limits_.recentWindow), data.end());
    return;
  }
  recent_.insert(recent_.end(), data.begin(), data.end());
  // Trim lazily (at twice the window) so appends stay amortised O(1).
  if (recent_.size() > 2 * limits_.recentWindow) {
    recent_.erase(recent_.begin(), recent_.end() - static_cast<std::ptrdiff_t>(limits_.recentWindow));
  }
}

void TcpStream::compareWithDelivered(std::uint64_t offset, ByteView data, std::uint64_t frame,
                                     StreamOutput& out) {
  retransmitted_ += data.size();
  std::uint64_t recentStart = next_ - recent_.size();
  std::uint64_t from = std::max(offset, recentStart);
  std::uint64_t to = std::min<std::uint64_t>(offset + data.size(), next_);
  for (std::uint64_t i = from; i < to; ++i) {
    if (recent_[i - recentStart] != data[i - offset]) {
      out.finding(Severity::Warning,
                  fmt::format("retransmitted bytes differ from the first copy at stream offset {} "
                              "(first copy kept)",
                              i),
                  i, frame);
      return;
    }
  }
}

bool TcpStream::insert(std::uint64_t offset, ByteView data, std::uint64_t missing, Timestamp time,
                       std::uint64_t frame, StreamOutput& out) {
  const bool isMissing = missing != 0;
  const std::uint64_t end = offset + (isMissing ? missing : data.size());
  auto addPiece = [&](std::uint64_t from, std::uint64_t to) {
    Piece piece{{}, 0, time, frame};
    if (isMissing) {
      piece.missing = to - from;
    } else {
      piece.data.assign(data.begin() + static_cast<std::ptrdiff_t>(from - offset),
                        data.begin() + static_cast<std::ptrdiff_t>(to - offset));
    }
    pendingBytes_ += (isMissing ? 0 : piece.data.size()) + kPieceOverhead;
    pending_.emplace(from, std::move(piece));
  };
  bool conflict = false;
  std::uint64_t cursor = offset;
  auto it = pending_.upper_bound(offset);
  if (it != pending_.begin()) --it;
  for (; it != pending_.end() && it->first < end; ++it) {
    std::uint64_t pieceEnd = it->first + it->second.length();
    if (pieceEnd <= cursor) continue;
    if (it->first > cursor) addPiece(cursor, it->first);
    std::uint64_t from = std::max(cursor, it->first);
    std::uint64_t to = std::min(end, pieceEnd);
    retransmitted_ += to - from;
    if (!isMissing && it->second.missing == 0 && !conflict) {
      for (std::uint64_t i = from; i < to; ++i) {
        if (it->second.data[i - it->first] != data[i - offset]) {
          out.finding(Severity::Warning,
                      fmt::format("overlapping segment has different bytes at stream offset {} than the copy "
                                  "from frame {} (first copy kept)",
                                  i, it->second.frame),
                      i, frame);
          conflict = true;
          break;
        }
      }
    }
    cursor = std::max(cursor, pieceEnd);
  }
  if (cursor < end) addPiece(cursor, end);
  return conflict;
}

void TcpStream::addSegment(std::uint64_t offset, ByteView data, std::uint64_t missing, Timestamp time,
                           std::uint64_t frame, StreamOutput& out) {
  if (finOffset_ && offset + data.size() + missing > *finOffset_) {
    out.finding(Severity::Warning,
                fmt::format("data beyond the FIN at stream offset {} is ignored", *finOffset_), *finOffset_, frame);
    std::uint64_t allowed = *finOffset_ > offset ? *finOffset_ - offset : 0;
    if (allowed < data.size()) {
      data = data.first(allowed);
      missing = 0;
    } else {
      missing = std::min(missing, allowed - data.size());
    }
  }
  // The part before next_ was delivered already: check it, then drop it.
  if (offset < next_) {
    std::uint64_t already = next_ - offset;
    ByteView old = data.first(std::min<std::uint64_t>(already, data.size()));
    compareWithDelivered(offset, old, frame, out);
    if (already >= data.size() + missing) return;
    if (already <= data.size()) {
      data = data.subspan(already);
    } else {
      missing -= already - data.size();
      data = {};
    }
    offset = next_;
  }
  if (offset == next_ && pending_.empty() && !data.empty()) {
    // The common case: the next bytes in order, nothing buffered. Deliver
    // straight from the packet, no copy.
    out.bytes(next_, data, time, frame, afterGap_);
    afterGap_ = false;
    remember(data);
    next_ += data.size();
    offset = next_;
    data = {};
  }
  if (!data.empty()) insert(offset, data, 0, time, frame, out);
  if (missing != 0) insert(offset + data.size(), {}, missing, time, frame, out);
  drain(out);
  while (pendingBytes_ > limits_.maxBuffered && !pending_.empty()) {
    gapToFirstPending(fmt::format("out-of-order buffer full ({} bytes buffered, limit {})", pendingBytes_,
                                  limits_.maxBuffered),
                      time, frame, out);
  }
}

void TcpStream::drain(StreamOutput& out) {
  while (!pending_.empty() && pending_.begin()->first == next_) {
    auto node = pending_.extract(pending_.begin());
    Piece& piece = node.mapped();
    pendingBytes_ -= (piece.missing != 0 ? 0 : piece.data.size()) + kPieceOverhead;
    if (piece.missing != 0) {
      out.gap(next_, piece.missing, piece.time, piece.frame, "cut by the capture's snaplen");
      next_ += piece.missing;
      recent_.clear();
      afterGap_ = true;
      continue;
    }
    out.bytes(next_, piece.data, piece.time, piece.frame, afterGap_);
    afterGap_ = false;
    remember(piece.data);
    next_ += piece.data.size();
  }
}

void TcpStream::gapToFirstPending(const std::string& reason, Timestamp time, std::uint64_t frame,
                                  StreamOutput& out) {
  if (pending_.empty() || pending_.begin()->first <= next_) {
    drain(out);
    return;
  }
  std::uint64_t size = pending_.begin()->first - next_;
  out.gap(next_, size, time, frame, reason);
  next_ += size;
  recent_.clear();
  afterGap_ = true;
  drain(out);
}

void TcpStream::setFin(std::uint64_t offset, std::uint64_t frame, StreamOutput& out) {
  if (finOffset_ && *finOffset_ != offset) {
    out.finding(Severity::Warning,
                fmt::format("second FIN at stream offset {} disagrees with the first at {}; keeping the first",
                            offset, *finOffset_),
                offset, frame);
    return;
  }
  finOffset_ = offset;
}

void TcpStream::acknowledged(std::uint64_t offset, Timestamp time, std::uint64_t frame, StreamOutput& out) {
  highestAck_ = std::max(highestAck_, offset);
  if (offset <= next_ || pending_.empty() || pending_.begin()->first <= next_) return;
  if (offset >= pending_.begin()->first) {
    gapToFirstPending("acknowledged by the peer but not in the capture", time, frame, out);
    return;
  }
  // Only part of the hole is acknowledged: that part is certainly lost.
  std::uint64_t size = offset - next_;
  out.gap(next_, size, time, frame, "acknowledged by the peer but not in the capture");
  next_ = offset;
  recent_.clear();
  afterGap_ = true;
}

void TcpStream::flush(Timestamp time, std::uint64_t frame, StreamOutput& out) {
  while (!pending_.empty()) gapToFirstPending("never captured (connection ended)", time, frame, out);
  std::uint64_t end = std::max<std::uint64_t>(finOffset_.value_or(0), highestAck_);
  // A FIN consumes one sequence number: a FIN-less ack of FIN+1 is not missing data.
  if (finOffset_ && highestAck_ == *finOffset_ + 1) end = *finOffset_;
  if (end > next_) {
    out.gap(next_, end - next_, time, frame, finOffset_ && next_ < *finOffset_
                                                 ? "bytes before the FIN were never captured"
                                                 : "acknowledged by the peer but not in the capture");
    next_ = end;
    afterGap_ = true;
  }
}

}  // namespace tlslab::capture::detail
