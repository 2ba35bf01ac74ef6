// libFuzzer target for the STARTTLS line protocols, both sides:
//   the lab's SMTP, POP3 and IMAP services reading a client's command lines
//   (line framing, the 4 096-byte limit, DATA bodies, the injection bug's
//   bookkeeping), and the client's preamble reading a server's replies
//   (multi-line SMTP replies, the CAPA list, IMAP untagged lines).
// Input: byte 0 picks the side and protocol and the injection flags; the rest
// is what the peer sends. The TLS upgrade itself is not fuzzed here (the
// dissect target covers TLS bytes): startTls "succeeds" without TLS, so the
// service goes on reading lines and its after-STARTTLS paths stay reachable.
#include <cstddef>
#include <cstdint>
#include <string>

#include "PeerBytes.hpp"
#include "endpoints/Services.hpp"
#include "endpoints/StarttlsClient.hpp"

namespace {

using namespace tlslab::endpoints;

void serve(int protocol, bool inject, const std::uint8_t* data, std::size_t size) {
  tlslab::fuzz::PeerBytes peer(data, size);
  Recorder recorder(Role::Server, {});
  Channel channel(peer.serviceFd(), nullptr, recorder);
  ServiceContext context{channel, "mail.bank32.com", [] { return std::string(); }, inject, inject ? size / 2 : 0,
                         [](const std::string&) {}, "", false, 16384};
  switch (protocol) {
    case 0: (void)serveSmtp(context); break;
    case 1: (void)servePop3(context); break;
    default: (void)serveImap(context); break;
  }
}

void preamble(int protocol, bool inject, const std::uint8_t* data, std::size_t size) {
  tlslab::fuzz::PeerBytes peer(data, size);
  Recorder recorder(Role::Client, {});
  Channel channel(peer.serviceFd(), nullptr, recorder);
  static const Starttls protocols[] = {Starttls::Smtp, Starttls::Pop3, Starttls::Imap};
  bool offered = false;
  (void)starttlsPreamble(protocols[protocol], channel, inject ? "MAIL FROM:<x>\r\n" : "", offered);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const int mode = data[0] % 6;
  const bool inject = (data[0] & 0x80) != 0;
  if (mode < 3)
    serve(mode, inject, data + 1, size - 1);
  else
    preamble(mode - 3, inject, data + 1, size - 1);
  return 0;
}
