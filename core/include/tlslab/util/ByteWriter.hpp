#pragma once
// The one way tlslab builds wire bytes: big-endian integers (little-endian for
// file formats that use it, e.g. pcap written on x86), raw bytes and
// length-prefixed vectors whose prefix is filled in when the vector's scope
// closes (rustls' LengthPrefixedBuffer, BoringSSL's CBB), so no caller counts
// a length by hand. A value or a length that does not fit its field is an
// error, never a silent wrap: the writer keeps the first one, and take()
// then returns nothing rather than wrong bytes.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "tlslab/util/Bytes.hpp"

namespace tlslab {

// Network order is the default; pcap and pcapng files are written in the
// writing host's order, little-endian in practice.
enum class ByteOrder : std::uint8_t { Big, Little };

class ByteWriter {
 public:
  // Closes its vector (writes the length prefix) when it goes out of scope or
  // on close(); scopes nest, and must close inner first (C++ scoping does it).
  class Scope {
   public:
    Scope(Scope&& other) noexcept : writer_(std::exchange(other.writer_, nullptr)), at_(other.at_), width_(other.width_) {}
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    Scope& operator=(Scope&&) = delete;
    ~Scope() { close(); }
    void close();

   private:
    friend class ByteWriter;
    Scope(ByteWriter& writer, std::size_t at, int width) : writer_(&writer), at_(at), width_(width) {}
    ByteWriter* writer_;
    std::size_t at_;  // where the prefix's placeholder starts
    int width_;       // prefix bytes (1..3, or 4)
  };

  ByteWriter() = default;
  explicit ByteWriter(std::size_t reserve) { out_.reserve(reserve); }
  // Integers and length prefixes in `order`.
  explicit ByteWriter(ByteOrder order) : order_(order) {}

  ByteWriter& u8(std::uint64_t v) { return uN(v, 1, "u8"); }
  ByteWriter& u16(std::uint64_t v) { return uN(v, 2, "u16"); }
  ByteWriter& u24(std::uint64_t v) { return uN(v, 3, "u24"); }
  ByteWriter& u32(std::uint64_t v) { return uN(v, 4, "u32"); }
  ByteWriter& u64(std::uint64_t v) { return uN(v, 8, "u64"); }
  // n <= 8 bytes in the writer's order; a value wider than n bytes is an error.
  ByteWriter& uN(std::uint64_t v, int n, std::string_view what = "value");
  ByteWriter& bytes(ByteView data) {
    out_.insert(out_.end(), data.begin(), data.end());
    return *this;
  }
  ByteWriter& text(std::string_view s) { return bytes(asBytes(s)); }
  ByteWriter& zeros(std::size_t n) {
    out_.resize(out_.size() + n, 0);
    return *this;
  }
  // Zero bytes up to the next multiple of `alignment` (pcapng's 32-bit padding).
  ByteWriter& padTo(std::size_t alignment) { return zeros((alignment - out_.size() % alignment) % alignment); }

  // A vector with a lengthBytes-byte prefix that the returned Scope fills in.
  [[nodiscard]] Scope prefixed(int lengthBytes);
  // The same around a block: w.prefixed(2, [&] { w.u16(a); w.u16(b); });
  template <typename F>
  ByteWriter& prefixed(int lengthBytes, F&& body) {
    Scope scope = prefixed(lengthBytes);
    body();
    return *this;
  }
  // A whole <0..2^(8n)-1> opaque vector: prefix then data.
  ByteWriter& vector(int lengthBytes, ByteView data) {
    uN(data.size(), lengthBytes, "vector length");
    return bytes(data);
  }

  bool ok() const { return !error_.has_value(); }
  const std::optional<std::string>& error() const { return error_; }
  std::size_t size() const { return out_.size(); }
  ByteView view() const { return out_; }
  // The bytes written, or empty after an error (wrong bytes are never handed out).
  Bytes take() && { return ok() ? std::move(out_) : Bytes{}; }

 private:
  void fail(std::string what);
  void closeScope(std::size_t at, int width);
  void put(std::size_t at, std::uint64_t v, int n);

  Bytes out_;
  ByteOrder order_ = ByteOrder::Big;
  std::optional<std::string> error_;
};

}  // namespace tlslab
