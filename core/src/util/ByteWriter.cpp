#include "tlslab/util/ByteWriter.hpp"

#include <fmt/format.h>

namespace tlslab {

namespace {
bool fits(std::uint64_t v, int n) { return n >= 8 || v >> (8 * n) == 0; }
}  // namespace

void ByteWriter::fail(std::string what) {
  if (!error_) error_ = std::move(what);  // keep the first error: later ones follow from it
}

ByteWriter& ByteWriter::uN(std::uint64_t v, int n, std::string_view what) {
  if (n < 1 || n > 8) {
    fail(fmt::format("{}: {}-byte integers are not written", what, n));
    return *this;
  }
  if (!fits(v, n)) fail(fmt::format("{}: {} does not fit in {} byte(s)", what, v, n));
  const std::size_t at = out_.size();
  out_.resize(at + static_cast<std::size_t>(n));
  put(at, v, n);
  return *this;
}

void ByteWriter::put(std::size_t at, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i) {
    const int shift = order_ == ByteOrder::Big ? 8 * (n - 1 - i) : 8 * i;
    out_[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> shift);
  }
}

ByteWriter::Scope ByteWriter::prefixed(int lengthBytes) {
  const std::size_t at = out_.size();
  if (lengthBytes < 1 || lengthBytes > 4) {
    fail(fmt::format("a length prefix of {} bytes is not a TLS vector", lengthBytes));
    lengthBytes = 0;
  }
  out_.resize(at + static_cast<std::size_t>(lengthBytes), 0);  // placeholder, filled when the scope closes
  return Scope(*this, at, lengthBytes);
}

void ByteWriter::closeScope(std::size_t at, int width) {
  if (width == 0) return;
  if (out_.size() < at + static_cast<std::size_t>(width)) {
    fail("a length prefix closed after bytes before it were removed");
    return;
  }
  const std::size_t length = out_.size() - at - static_cast<std::size_t>(width);
  if (!fits(length, width)) {
    fail(fmt::format("vector of {} bytes overflows its {}-byte length prefix (at most {})", length, width,
                     (std::uint64_t{1} << (8 * width)) - 1));
    return;
  }
  put(at, length, width);
}

void ByteWriter::Scope::close() {
  if (writer_ == nullptr) return;
  std::exchange(writer_, nullptr)->closeScope(at_, width_);
}

}  // namespace tlslab
