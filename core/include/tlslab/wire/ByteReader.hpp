#pragma once
// The only way wire bytes are read (STYLE practice 1): a bounds-checked cursor
// over a std::span. Errors are sticky: after the first failure every read
// returns zero/empty and error() says {alert, what, offset}. A child reader
// (sub/vector) covers exactly the bytes of one length-prefixed structure, so
// code inside it cannot read past its end (the picotls "shadowed end" idea).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "tlslab/util/Bytes.hpp"

namespace tlslab::wire {

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

// Small result type (GCC 12 has no std::expected).
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}           // NOLINT: implicit by design
  Result(ParseError error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const { return std::get<0>(v_); }
  T& value() { return std::get<0>(v_); }
  const ParseError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, ParseError> v_;
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

  std::uint8_t u8(std::string_view what);
  std::uint16_t u16(std::string_view what);
  std::uint32_t u24(std::string_view what);
  std::uint32_t u32(std::string_view what);
  std::uint64_t uN(std::size_t n, std::string_view what);  // n <= 8 bytes, big-endian
  ByteView bytes(std::size_t n, std::string_view what);
  ByteView rest();  // everything left (never fails)
  std::optional<std::uint8_t> peekU8() const;

  // A child over the next n bytes; this reader moves past them.
  ByteReader sub(std::size_t n, std::string_view what);
  // A <min..max> vector with a lengthBytes-byte (1..3) length prefix, in one
  // call (STYLE practice 2): checks the length against the bounds and against
  // what is left in this reader, returns a child over the contents.
  ByteReader vector(int lengthBytes, std::size_t min, std::size_t max, std::string_view what);
  // Leftover bytes are an error naming the structure.
  bool expectEnd(std::string_view what);

  void fail(ParseAlert alert, std::string what, std::size_t unitOffset);
  void fail(ParseAlert alert, std::string what) { fail(alert, std::move(what), offset()); }

 private:
  bool need(std::size_t n, std::string_view what);

  ByteView data_;
  std::size_t base_ = 0;
  std::size_t pos_ = 0;
  std::optional<ParseError> error_;
};

}  // namespace tlslab::wire
