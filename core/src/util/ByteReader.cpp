#include "tlslab/util/ByteReader.hpp"

#include <fmt/format.h>

namespace tlslab {

void ByteReader::fail(ParseAlert alert, std::string what, std::size_t unitOffset) {
  if (error_) return;  // keep the first error: later ones are consequences
  error_ = ParseError{alert, std::move(what), unitOffset};
}

void ByteReader::failShort(std::size_t n, std::string_view what) {
  if (failed()) return;
  fail(ParseAlert::DecodeError,
       fmt::format("{}: truncated, need {} byte(s) but only {} left", what, n, data_.size() - pos_));
}

void ByteReader::failItemSize(std::size_t length, std::size_t itemSize, std::size_t lengthAt,
                              std::string_view what) {
  fail(ParseAlert::DecodeError,
       itemSize == 2 ? fmt::format("{}: length {} is odd, not a list of 2-byte values", what, length)
                     : fmt::format("{}: length {} is not a multiple of the {}-byte item", what, length, itemSize),
       lengthAt);
}

ByteView ByteReader::bytes(std::size_t n, std::string_view what) {
  if (!need(n, what)) return {};
  ByteView out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

ByteView ByteReader::rest() {
  if (failed()) return {};
  ByteView out = data_.subspan(pos_);
  pos_ = data_.size();
  return out;
}

std::optional<std::uint8_t> ByteReader::peekU8() const {
  if (failed() || pos_ >= data_.size()) return std::nullopt;
  return data_[pos_];
}

ByteReader ByteReader::sub(std::size_t n, std::string_view what) {
  std::size_t start = offset();
  ByteView view = bytes(n, what);
  if (failed()) {
    ByteReader child({}, start);
    child.error_ = error_;
    return child;
  }
  return ByteReader(view, start);
}

ByteReader ByteReader::vector(int lengthBytes, std::size_t min, std::size_t max, std::string_view what) {
  std::size_t lengthAt = offset();
  std::size_t length = static_cast<std::size_t>(uN(static_cast<std::size_t>(lengthBytes), what));
  if (ok() && (length < min || length > max)) {
    fail(ParseAlert::DecodeError,
         fmt::format("{}: length {} outside the allowed <{}..{}>", what, length, min, max), lengthAt);
  }
  if (ok() && length > data_.size() - pos_) {
    fail(ParseAlert::DecodeError,
         fmt::format("{}: length field says {} byte(s) but only {} remain in the enclosing structure",
                     what, length, data_.size() - pos_),
         lengthAt);
  }
  return sub(length, what);
}

bool ByteReader::expectEnd(std::string_view what) {
  if (failed()) return false;
  if (pos_ == data_.size()) return true;
  fail(ParseAlert::DecodeError, fmt::format("{}: {} trailing byte(s) after the end of the structure", what,
                                            data_.size() - pos_));
  return false;
}

}  // namespace tlslab
