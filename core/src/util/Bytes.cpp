#include "tlslab/util/Bytes.hpp"

namespace tlslab {

std::string toHex(ByteView bytes, std::string_view separator) {
  static constexpr char digits[] = "0123456789abcdef";
  if (separator.empty()) {  // the common case (JSON, key logs), on every byte of a capture: no appends
    std::string out(bytes.size() * 2, '\0');
    char* p = out.data();
    for (std::uint8_t b : bytes) {
      *p++ = digits[b >> 4];
      *p++ = digits[b & 0x0f];
    }
    return out;
  }
  std::string out;
  out.reserve(bytes.size() * (2 + separator.size()));
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i != 0) out += separator;
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 0x0f];
  }
  return out;
}

namespace {
int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
bool isSeparator(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':'; }
}  // namespace

std::optional<Bytes> fromHex(std::string_view text) {
  Bytes out;
  out.reserve(text.size() / 2);
  int pending = -1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (isSeparator(c)) continue;
    // "0x" prefix only at the start of a token, never between two digits.
    bool tokenStart = i == 0 || isSeparator(text[i - 1]);
    if (c == '0' && tokenStart && pending < 0 && i + 1 < text.size() && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
      ++i;
      continue;
    }
    int v = hexValue(c);
    if (v < 0) return std::nullopt;
    if (pending < 0) {
      pending = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(pending << 4 | v));
      pending = -1;
    }
  }
  if (pending >= 0) return std::nullopt;
  return out;
}

}  // namespace tlslab
