#pragma once
// Minimal DER TLV walker (X.690 §8.1) over the shared ByteReader, used only to find the
// byte ranges of certificate fields; values are decoded by OpenSSL.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tlslab/util/Bytes.hpp"

namespace tlslab::pki::der {

struct Tlv {
  std::uint8_t tag = 0;
  std::size_t offset = 0;     // of the tag byte
  std::size_t header = 0;     // tag + length bytes
  std::size_t length = 0;     // of the contents
  std::size_t contents() const { return offset + header; }
  std::size_t end() const { return offset + header + length; }
  std::size_t total() const { return header + length; }
};

struct Error {
  std::string what;
  std::size_t offset = 0;
};

// Reads one TLV at `offset` that must end by `limit`; sets `error` otherwise.
std::optional<Tlv> read(ByteView data, std::size_t offset, std::size_t limit, Error& error, const char* what);

// Reads the TLVs directly inside `parent`'s contents.
std::optional<std::vector<Tlv>> children(ByteView data, const Tlv& parent, Error& error, const char* what);

}  // namespace tlslab::pki::der
