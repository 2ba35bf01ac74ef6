#include "app/Hpack.hpp"

#include <nghttp2/nghttp2.h>

namespace tlslab::app::detail {

namespace {
nghttp2_hd_inflater* newInflater() {
  nghttp2_hd_inflater* inflater = nullptr;
  return nghttp2_hd_inflate_new(&inflater) == 0 ? inflater : nullptr;
}
}  // namespace

HpackDecoder::HpackDecoder() : inflater_(newInflater(), nghttp2_hd_inflate_del) { broken_ = !inflater_; }

void HpackDecoder::allowTableSize(std::size_t size) {
  if (!broken_ && nghttp2_hd_inflate_change_table_size(inflater_.get(), size) != 0) broken_ = true;
}

std::optional<std::vector<Header>> HpackDecoder::decode(ByteView block, std::size_t maxDecoded, std::string& error) {
  if (broken_) {
    error = "the HPACK context was lost at an earlier error";
    return std::nullopt;
  }
  std::vector<Header> headers;
  std::size_t decoded = 0;
  const std::uint8_t* in = block.data();
  std::size_t left = block.size();
  // The loop of nghttp2's documentation (nghttp2_hd_inflate_hd2): one header
  // per call, the whole block given as final.
  for (;;) {
    nghttp2_nv nv{};
    int flags = 0;
    const ssize_t rv = nghttp2_hd_inflate_hd2(inflater_.get(), &nv, &flags, in, left, 1);
    if (rv < 0) {
      broken_ = true;
      error = std::string("HPACK: ") + nghttp2_strerror(static_cast<int>(rv));
      return std::nullopt;
    }
    in += rv;
    left -= static_cast<std::size_t>(rv);
    if (flags & NGHTTP2_HD_INFLATE_EMIT) {
      decoded += nv.namelen + nv.valuelen + 32;  // RFC 7541 §4.1's entry size
      if (decoded > maxDecoded) {
        broken_ = true;  // the rest of the block was not taken, so the table is not in step
        error = "a decoded header list over " + std::to_string(maxDecoded) + " bytes (tlslab's cap)";
        return std::nullopt;
      }
      headers.push_back({std::string(reinterpret_cast<const char*>(nv.name), nv.namelen),
                         std::string(reinterpret_cast<const char*>(nv.value), nv.valuelen)});
    }
    if (flags & NGHTTP2_HD_INFLATE_FINAL) {
      nghttp2_hd_inflate_end_headers(inflater_.get());
      return headers;
    }
    if ((flags & NGHTTP2_HD_INFLATE_EMIT) == 0 && left == 0) {
      broken_ = true;
      error = "HPACK: the header block ends inside a field";
      return std::nullopt;
    }
  }
}

}  // namespace tlslab::app::detail
