#pragma once
// A minimal bounds-checked reader for packet headers (network byte order).
// Every getter fails (returns false) instead of reading past the end, and the
// reader then stays failed, so a chain of reads needs one check at the end.
#include <cstddef>
#include <cstdint>

#include "tlslab/util/Bytes.hpp"

namespace tlslab::capture::detail {

class PacketReader {
 public:
  explicit PacketReader(ByteView data) : data_(data) {}

  std::size_t offset() const { return pos_; }
  std::size_t remaining() const { return ok_ ? data_.size() - pos_ : 0; }
  bool ok() const { return ok_; }

  bool u8(std::uint8_t& out) { return read(1, [&](const std::uint8_t* p) { out = p[0]; }); }
  bool u16(std::uint16_t& out) {
    return read(2, [&](const std::uint8_t* p) { out = static_cast<std::uint16_t>(p[0] << 8 | p[1]); });
  }
  bool u32(std::uint32_t& out) {
    return read(4, [&](const std::uint8_t* p) {
      out = static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
            static_cast<std::uint32_t>(p[2]) << 8 | p[3];
    });
  }
  bool bytes(std::size_t n, ByteView& out) {
    return read(n, [&](const std::uint8_t* p) { out = ByteView(p, n); });
  }
  bool skip(std::size_t n) {
    return read(n, [](const std::uint8_t*) {});
  }
  // The rest of the input (empty when failed).
  ByteView rest() const { return ok_ ? data_.subspan(pos_) : ByteView{}; }

 private:
  template <typename F>
  bool read(std::size_t n, F&& f) {
    if (!ok_ || n > data_.size() - pos_) {
      ok_ = false;
      return false;
    }
    f(data_.data() + pos_);
    pos_ += n;
    return true;
  }

  ByteView data_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace tlslab::capture::detail
