#pragma once
// Wire bytes for the app tests, built with the real encoders: HPACK blocks by
// libnghttp2's deflater, gzip by zlib. Only the HTTP/2 frame header (9 bytes,
// RFC 9113 §4.1) is put together here.
#include <nghttp2/nghttp2.h>
#include <zlib.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tlslab/model/Trace.hpp"
#include "tlslab/util/ByteWriter.hpp"

namespace tlslab::apptest {

inline Bytes frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream, const Bytes& payload) {
  Bytes out;
  out.push_back(static_cast<std::uint8_t>(payload.size() >> 16));
  out.push_back(static_cast<std::uint8_t>(payload.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(payload.size()));
  out.push_back(type);
  out.push_back(flags);
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(stream >> shift));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

class Hpack {
 public:
  Hpack() {
    nghttp2_hd_deflater* d = nullptr;
    nghttp2_hd_deflate_new(&d, 4096);
    deflater_.reset(d);
  }
  Bytes block(const std::vector<std::pair<std::string, std::string>>& headers) {
    std::vector<nghttp2_nv> nv;
    for (const auto& [n, v] : headers)
      nv.push_back({reinterpret_cast<std::uint8_t*>(const_cast<char*>(n.data())),
                    reinterpret_cast<std::uint8_t*>(const_cast<char*>(v.data())), n.size(), v.size(),
                    NGHTTP2_NV_FLAG_NONE});
    Bytes out(nghttp2_hd_deflate_bound(deflater_.get(), nv.data(), nv.size()));
    const auto n = nghttp2_hd_deflate_hd(deflater_.get(), out.data(), out.size(), nv.data(), nv.size());
    out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
    return out;
  }

 private:
  struct Del {
    void operator()(nghttp2_hd_deflater* d) const { nghttp2_hd_deflate_del(d); }
  };
  std::unique_ptr<nghttp2_hd_deflater, Del> deflater_;
};

inline Bytes gzip(const std::string& text) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  Bytes out(deflateBound(&z, text.size()) + 32);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline const Bytes kPreface = toBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

// A conversation as chunks: (client?, bytes), each its own record.
inline std::vector<model::AppDataChunk> chunks(const std::vector<std::pair<bool, Bytes>>& turns) {
  std::vector<model::AppDataChunk> out;
  std::size_t record = 3;
  for (const auto& [client, data] : turns)
    out.push_back({client ? model::Direction::ClientToServer : model::Direction::ServerToClient, record++, data});
  return out;
}

}  // namespace tlslab::apptest
