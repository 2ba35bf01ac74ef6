// Lookups over the one handshake type table (HandshakeTypes.hpp).
#include "tlslab/wire/HandshakeTypes.hpp"

#include <array>

#include <fmt/format.h>

namespace tlslab::wire {
namespace {

constexpr HandshakeTypeInfo kTypes[] = {
#define TLSLAB_HANDSHAKE_INFO(id, code, iana, sender, rfc, meaning) {code, #id, iana, Sender::sender, rfc, meaning},
    TLSLAB_HANDSHAKE_TYPES(TLSLAB_HANDSHAKE_INFO)
#undef TLSLAB_HANDSHAKE_INFO
};

// Indexed by code, so a lookup is one load (the dissector names every message).
const std::array<const HandshakeTypeInfo*, 256>& byCode() {
  static const std::array<const HandshakeTypeInfo*, 256> table = [] {
    std::array<const HandshakeTypeInfo*, 256> t{};
    for (const HandshakeTypeInfo& info : kTypes) t[info.code] = &info;
    return t;
  }();
  return table;
}

}  // namespace

const char* senderName(Sender s) {
  switch (s) {
    case Sender::Client: return "client";
    case Sender::Server: return "server";
    case Sender::Either: return "either side";
    default: return "?";
  }
}

const HandshakeTypeInfo* handshakeTypeInfo(std::uint8_t code) { return byCode()[code]; }

std::string handshakeTypeLabel(std::uint8_t code) {
  const HandshakeTypeInfo* info = handshakeTypeInfo(code);
  return info ? std::string(info->name) : fmt::format("handshake type {}", code);
}

const char* handshakeTypeMeaning(std::uint8_t code) {
  const HandshakeTypeInfo* info = handshakeTypeInfo(code);
  return info ? info->meaning : "A handshake message type this dissector does not decode; its body is kept as bytes.";
}

const char* handshakeTypeRfc(std::uint8_t code) {
  const HandshakeTypeInfo* info = handshakeTypeInfo(code);
  return info ? info->rfc : "RFC 8446 §4";
}

}  // namespace tlslab::wire
