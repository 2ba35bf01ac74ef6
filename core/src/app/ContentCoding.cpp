// Content codings (RFC 9110 §8.4.1): gzip and deflate through zlib, br through
// libbrotli. Output is capped (a few kilobytes can inflate to gigabytes), and
// a stream that ends early keeps what it gave.
#include <brotli/decode.h>
#include <zlib.h>

#include <memory>

#include "app/Internal.hpp"

namespace tlslab::app::detail {

namespace {

struct Output {
  Bytes bytes;
  bool capped = false;
  std::string error;
};

// windowBits: 15 + 32 lets zlib take gzip or zlib headers; -15 is raw deflate.
Output inflateWith(ByteView in, int windowBits, std::size_t cap) {
  Output out;
  z_stream z{};
  if (inflateInit2(&z, windowBits) != Z_OK) {
    out.error = "zlib could not start";
    return out;
  }
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&z, inflateEnd);
  z.next_in = const_cast<Bytef*>(in.data());  // zlib's API is not const; it does not write input
  z.avail_in = static_cast<uInt>(std::min<std::size_t>(in.size(), UINT32_MAX));
  std::uint8_t buffer[16384];
  for (;;) {
    z.next_out = buffer;
    z.avail_out = sizeof buffer;
    const int rc = inflate(&z, Z_NO_FLUSH);
    const std::size_t got = sizeof buffer - z.avail_out;
    const std::size_t room = cap - out.bytes.size();
    out.bytes.insert(out.bytes.end(), buffer, buffer + std::min(got, room));
    if (got > room) {
      out.capped = true;
      return out;
    }
    if (rc == Z_STREAM_END) {
      // gzip allows members back to back (RFC 1952 §2.2).
      if (z.avail_in > 0 && windowBits > 15 && inflateReset(&z) == Z_OK) continue;
      return out;
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0) {
      out.error = "the compressed data ends early";
      return out;
    }
    if (rc != Z_OK) {
      out.error = std::string("not valid compressed data: ") + (z.msg ? z.msg : "zlib error " + std::to_string(rc));
      return out;
    }
  }
}

Output brotli(ByteView in, std::size_t cap) {
  Output out;
  std::unique_ptr<BrotliDecoderState, void (*)(BrotliDecoderState*)> state(
      BrotliDecoderCreateInstance(nullptr, nullptr, nullptr), BrotliDecoderDestroyInstance);
  if (!state) {
    out.error = "brotli could not start";
    return out;
  }
  std::size_t availIn = in.size();
  const std::uint8_t* nextIn = in.data();
  std::uint8_t buffer[16384];
  for (;;) {
    std::size_t availOut = sizeof buffer;
    std::uint8_t* nextOut = buffer;
    const BrotliDecoderResult rc =
        BrotliDecoderDecompressStream(state.get(), &availIn, &nextIn, &availOut, &nextOut, nullptr);
    const std::size_t got = sizeof buffer - availOut;
    const std::size_t room = cap - out.bytes.size();
    out.bytes.insert(out.bytes.end(), buffer, buffer + std::min(got, room));
    if (got > room) {
      out.capped = true;
      return out;
    }
    switch (rc) {
      case BROTLI_DECODER_RESULT_SUCCESS: return out;
      case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: continue;
      case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT: out.error = "the compressed data ends early"; return out;
      case BROTLI_DECODER_RESULT_ERROR:
      default:
        out.error = std::string("not valid brotli data: ") +
                    BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state.get()));
        return out;
    }
  }
}

}  // namespace

void decodeContent(Body& body, const Limits& limits) {
  if (body.contentEncoding.empty() || body.data.empty()) return;
  // Codings are listed in the order applied, so they are undone from the last.
  std::vector<std::string> codings;
  std::string_view list = body.contentEncoding;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string coding = lower(trim(list.substr(0, comma)));
    if (!coding.empty()) codings.push_back(coding);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  Bytes current = body.data;
  bool changed = false;
  for (auto it = codings.rbegin(); it != codings.rend(); ++it) {
    Output out;
    if (*it == "identity") continue;
    if (*it == "gzip" || *it == "x-gzip") {
      out = inflateWith(current, 15 + 32, limits.maxBody);
    } else if (*it == "deflate") {
      // "deflate" means zlib format (RFC 9110 §8.4.1.2), but some servers send raw deflate.
      out = inflateWith(current, 15, limits.maxBody);
      if (!out.error.empty() && out.bytes.empty()) out = inflateWith(current, -15, limits.maxBody);
    } else if (*it == "br") {
      out = brotli(current, limits.maxBody);
    } else {
      body.decodeError = "content coding \"" + *it + "\" is not decoded by tlslab";
      break;
    }
    current = std::move(out.bytes);
    changed = true;
    if (out.capped) {
      body.decodedCapped = true;
      body.decodeError = "decoded body cut at " + std::to_string(limits.maxBody) + " bytes (tlslab's cap)";
      break;
    }
    if (!out.error.empty()) {
      body.decodeError = *it + ": " + out.error + (body.capped ? " (the body was cut at the cap)" : "");
      break;
    }
  }
  if (changed) body.decoded = std::move(current);
}

}  // namespace tlslab::app::detail
