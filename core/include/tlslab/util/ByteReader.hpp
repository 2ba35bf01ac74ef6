#pragma once
// The only way wire bytes are read (STYLE practice 1): a bounds-checked cursor
// over a std::span, used by every module (TLS records and messages, packet
// headers in capture, DER in pki, record headers in crypto). Errors are
// sticky: after the first failure every read returns zero/empty and error()
// says {alert, what, offset}. A child reader (sub/vector) covers exactly the
// bytes of one length-prefixed structure, so code inside it cannot read past
// its end (the picotls "shadowed end" idea).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "tlslab/util/Bytes.hpp"

namespace tlslab {

// TLS alert descriptions a parse error maps to (RFC 8446 §6.2).
enum class ParseAlert : std::uint8_t {
  UnexpectedMessage = 10,
  RecordOverflow = 22,
  IllegalParameter = 47,
  DecodeError = 50,
};

struct ParseError {
  ParseAlert alert = ParseAlert::DecodeError;
  std::string what;         // the structure, e.g. "ClientHello.cipher_suites: length 7 is odd"
  std::size_t offset = 0;   // byte offset in the unit where it went wrong
};

class ByteReader {
 public:
  ByteReader() = default;
  // `base` is the unit offset of data[0], so offsets in errors are unit offsets.
  explicit ByteReader(ByteView data, std::size_t base = 0) : data_(data), base_(base) {}

  std::size_t offset() const { return base_ + pos_; }  // unit offset of the next byte
  std::size_t remaining() const { return failed() ? 0 : data_.size() - pos_; }
  bool empty() const { return remaining() == 0; }
  bool ok() const { return !error_.has_value(); }
  bool failed() const { return error_.has_value(); }
  const std::optional<ParseError>& error() const { return error_; }

  // Inline: the record framer and packet decoder read a few of these per unit.
  std::uint8_t u8(std::string_view what) { return need(1, what) ? data_[pos_++] : 0; }
  std::uint16_t u16(std::string_view what) { return static_cast<std::uint16_t>(uN(2, what)); }
  std::uint32_t u24(std::string_view what) { return static_cast<std::uint32_t>(uN(3, what)); }
  std::uint32_t u32(std::string_view what) { return static_cast<std::uint32_t>(uN(4, what)); }
  std::uint64_t u64(std::string_view what) { return uN(8, what); }
  std::uint64_t uN(std::size_t n, std::string_view what) {  // n <= 8 bytes, big-endian
    if (n > 8 || !need(n, what)) return 0;
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | data_[pos_ + i];
    pos_ += n;
    return v;
  }
  ByteView bytes(std::size_t n, std::string_view what);
  bool skip(std::size_t n, std::string_view what) { return need(n, what) ? (pos_ += n, true) : false; }
  ByteView rest();  // everything left (never fails)
  std::optional<std::uint8_t> peekU8() const;

  // A child over the next n bytes; this reader moves past them.
  ByteReader sub(std::size_t n, std::string_view what);
  // A <min..max> vector with a lengthBytes-byte (1..3) length prefix, in one
  // call (STYLE practice 2): checks the length against the bounds and against
  // what is left in this reader, returns a child over the contents.
  ByteReader vector(int lengthBytes, std::size_t min, std::size_t max, std::string_view what);
  // A <min..max>-byte vector of T items (std::uint8_t, std::uint16_t or
  // std::uint32_t) as Botan's get_range: a length that is not a whole number
  // of items (an odd length for 16-bit items) is an error at the length field,
  // never a silently dropped last byte.
  template <typename T>
  std::vector<T> list(int lengthBytes, std::size_t min, std::size_t max, std::string_view what);
  // Leftover bytes are an error naming the structure.
  bool expectEnd(std::string_view what);

  void fail(ParseAlert alert, std::string what, std::size_t unitOffset);
  void fail(ParseAlert alert, std::string what) { fail(alert, std::move(what), offset()); }

 private:
  bool need(std::size_t n, std::string_view what) {
    if (!failed() && data_.size() - pos_ >= n) return true;
    failShort(n, what);
    return false;
  }
  void failShort(std::size_t n, std::string_view what);
  void failItemSize(std::size_t length, std::size_t itemSize, std::size_t lengthAt, std::string_view what);

  ByteView data_;
  std::size_t base_ = 0;
  std::size_t pos_ = 0;
  std::optional<ParseError> error_;
};

template <typename T>
std::vector<T> ByteReader::list(int lengthBytes, std::size_t min, std::size_t max, std::string_view what) {
  static_assert(std::is_same_v<T, std::uint8_t> || std::is_same_v<T, std::uint16_t> ||
                    std::is_same_v<T, std::uint32_t>,
                "list items are 1, 2 or 4-byte big-endian integers");
  const std::size_t lengthAt = offset();
  ByteReader items = vector(lengthBytes, min, max, what);
  std::vector<T> out;
  if (failed()) return out;
  if (items.remaining() % sizeof(T) != 0) {
    failItemSize(items.remaining(), sizeof(T), lengthAt, what);
    return out;
  }
  out.reserve(items.remaining() / sizeof(T));
  while (!items.empty()) out.push_back(static_cast<T>(items.uN(sizeof(T), what)));
  return out;
}

}  // namespace tlslab
