#pragma once
// Byte containers and hex conversion shared by every module.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tlslab {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// Lower-case hex, optionally with a separator between bytes ("16:03:01").
std::string toHex(ByteView bytes, std::string_view separator = "");

// Parses hex the way students paste it: spaces, tabs, newlines, colons and an
// optional "0x" prefix per token are ignored. nullopt on any other character
// or an odd number of digits.
std::optional<Bytes> fromHex(std::string_view text);

inline ByteView asBytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}
inline Bytes toBytes(std::string_view text) {
  auto view = asBytes(text);
  return {view.begin(), view.end()};
}

}  // namespace tlslab
