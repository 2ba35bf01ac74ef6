// libFuzzer target for the HTTP/1.1 request reader of the lab's HTTPS
// service (serveHttp): request heads up to their 64 KiB limit, Content-Length
// bodies, keep-alive loops of several requests, the login form.
// Input: byte 0's low bit picks closeAfterResponse; the rest is what the
// client sends, over a real socket, as the lab server would receive it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "PeerBytes.hpp"
#include "endpoints/Services.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tlslab::endpoints;
  if (size < 1) return 0;
  tlslab::fuzz::PeerBytes peer(data + 1, size - 1);
  Recorder recorder(Role::Server, {});
  Channel channel(peer.serviceFd(), nullptr, recorder);
  // Every member given (channel, site, startTls, injection flag and count,
  // note, page note, closeAfterResponse, read buffer), as LabServer does.
  ServiceContext context{channel, "www.bank32.com", [] { return std::string("no TLS in this harness"); }, false, 0,
                         [](const std::string&) {}, "served by the http fuzz target", (data[0] & 1) != 0, 16384};
  (void)serveHttp(context);
  return 0;
}
