// Hello messages back to bytes (RFC 8446 §4.1.2, §4.1.3), for labs that
// build or tamper with them. Lengths are always recomputed here: each vector
// is a ByteWriter scope whose prefix is filled in when it closes.
#include "tlslab/util/ByteWriter.hpp"
#include "tlslab/wire/Messages.hpp"

namespace tlslab::wire {
namespace {

void putExtensions(ByteWriter& w, const std::vector<Extension>& extensions) {
  w.prefixed(2, [&] {
    for (const Extension& e : extensions) w.u16(e.type).vector(2, e.data);
  });
}

// msg_type || uint24 length || body (RFC 8446 §4).
template <typename Body>
Bytes handshakeMessage(HandshakeType type, Body&& body) {
  ByteWriter w(512);
  w.u8(static_cast<std::uint8_t>(type));
  w.prefixed(3, [&] { body(w); });
  return std::move(w).take();
}

}  // namespace

Bytes serialize(const ClientHello& hello) {
  return handshakeMessage(HandshakeType::ClientHello, [&](ByteWriter& w) {
    w.u16(hello.legacyVersion).bytes(hello.random).vector(1, hello.sessionId);
    w.prefixed(2, [&] {
      for (std::uint16_t s : hello.cipherSuites) w.u16(s);
    });
    w.vector(1, hello.compressionMethods);
    if (!hello.extensions.empty()) putExtensions(w, hello.extensions);
  });
}

Bytes serialize(const ServerHello& hello) {
  return handshakeMessage(HandshakeType::ServerHello, [&](ByteWriter& w) {
    w.u16(hello.legacyVersion).bytes(hello.random).vector(1, hello.sessionId);
    w.u16(hello.cipherSuite).u8(hello.compressionMethod);
    if (!hello.extensions.empty()) putExtensions(w, hello.extensions);
  });
}

}  // namespace tlslab::wire
