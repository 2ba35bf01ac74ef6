#include "Der.hpp"

#include <algorithm>

#include "tlslab/util/ByteReader.hpp"

namespace tlslab::pki::der {
namespace {

std::nullopt_t fail(Error& error, std::string what, std::size_t offset) {
  error = {std::move(what), offset};
  return std::nullopt;
}

}  // namespace

std::optional<Tlv> read(ByteView data, std::size_t offset, std::size_t limit, Error& error, const char* what) {
  limit = std::min(limit, data.size());
  if (offset >= limit || limit - offset < 2) return fail(error, std::string(what) + ": truncated TLV header", offset);
  ByteReader r(data.subspan(offset, limit - offset), offset);
  Tlv tlv;
  tlv.offset = offset;
  tlv.tag = r.u8("tag");
  // X.509 uses only single-byte tags; 0x1f would start a multi-byte tag.
  if ((tlv.tag & 0x1f) == 0x1f) return fail(error, std::string(what) + ": multi-byte tag not used in X.509", offset);
  const std::uint8_t first = r.u8("length");
  if (first < 0x80) {
    tlv.length = first;
  } else {
    const std::size_t count = first & 0x7f;
    // 0x80 is BER's indefinite length, forbidden in DER (X.690 §10.1).
    if (count == 0) return fail(error, std::string(what) + ": indefinite length is not DER", offset + 1);
    if (count > 4) return fail(error, std::string(what) + ": length of length " + std::to_string(count) + " is oversize", offset + 1);
    tlv.length = static_cast<std::size_t>(r.uN(count, "length"));
    if (r.failed()) return fail(error, std::string(what) + ": truncated length", offset + 1);
  }
  tlv.header = r.offset() - offset;
  if (tlv.length > r.remaining()) {
    return fail(error,
                std::string(what) + ": claims " + std::to_string(tlv.length) + " bytes but only " +
                    std::to_string(r.remaining()) + " remain",
                offset);
  }
  return tlv;
}

std::optional<std::vector<Tlv>> children(ByteView data, const Tlv& parent, Error& error, const char* what) {
  std::vector<Tlv> out;
  std::size_t pos = parent.contents();
  while (pos < parent.end()) {
    auto child = read(data, pos, parent.end(), error, what);
    if (!child) return std::nullopt;
    out.push_back(*child);
    pos = child->end();
  }
  return out;
}

}  // namespace tlslab::pki::der
