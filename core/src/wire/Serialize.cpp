// Hello messages back to bytes (RFC 8446 §4.1.2, §4.1.3), for labs that
// build or tamper with them. Lengths are always recomputed here.
#include "tlslab/wire/Messages.hpp"

namespace tlslab::wire {
namespace {

void putN(Bytes& out, std::size_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

void putVector(Bytes& out, const Bytes& data, int lengthBytes) {
  putN(out, data.size(), lengthBytes);
  out.insert(out.end(), data.begin(), data.end());
}

void putExtensions(Bytes& out, const std::vector<Extension>& extensions) {
  Bytes block;
  for (const Extension& e : extensions) {
    putN(block, e.type, 2);
    putVector(block, e.data, 2);
  }
  putVector(out, block, 2);
}

Bytes withHeader(std::uint8_t type, const Bytes& body) {
  Bytes out;
  out.reserve(4 + body.size());  // also keeps GCC 12's -O2 -Wstringop-overread false positive quiet
  out.push_back(type);
  putVector(out, body, 3);
  return out;
}

}  // namespace

Bytes serialize(const ClientHello& hello) {
  Bytes body;
  putN(body, hello.legacyVersion, 2);
  body.insert(body.end(), hello.random.begin(), hello.random.end());
  putVector(body, hello.sessionId, 1);
  Bytes suites;
  for (std::uint16_t s : hello.cipherSuites) putN(suites, s, 2);
  putVector(body, suites, 2);
  putVector(body, hello.compressionMethods, 1);
  if (!hello.extensions.empty()) putExtensions(body, hello.extensions);
  return withHeader(static_cast<std::uint8_t>(HandshakeType::ClientHello), body);
}

Bytes serialize(const ServerHello& hello) {
  Bytes body;
  putN(body, hello.legacyVersion, 2);
  body.insert(body.end(), hello.random.begin(), hello.random.end());
  putVector(body, hello.sessionId, 1);
  putN(body, hello.cipherSuite, 2);
  body.push_back(hello.compressionMethod);
  if (!hello.extensions.empty()) putExtensions(body, hello.extensions);
  return withHeader(static_cast<std::uint8_t>(HandshakeType::ServerHello), body);
}

}  // namespace tlslab::wire
