#pragma once
// The wire parsers' reader is the one every module shares (tlslab/util/ByteReader.hpp);
// these names keep `wire::ByteReader` and `wire::ParseError` working. Result is
// the parsers' own: a parsed value or the ParseError that stopped it.
#include <utility>
#include <variant>

#include "tlslab/util/ByteReader.hpp"

namespace tlslab::wire {

using tlslab::ByteReader;
using tlslab::ParseAlert;
using tlslab::ParseError;

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

}  // namespace tlslab::wire
