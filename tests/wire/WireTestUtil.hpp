#pragma once
// Small helpers shared by the wire tests.
#include <algorithm>
#include <string>
#include <vector>

#include "tlslab/model/Diagnostic.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::wire::testutil {

inline Bytes hex(std::string_view text) {
  auto b = fromHex(text);
  return b ? *b : Bytes{};
}

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Bytes record(std::uint8_t type, const Bytes& payload, std::uint16_t version = 0x0303) {
  Bytes out = {type, static_cast<std::uint8_t>(version >> 8), static_cast<std::uint8_t>(version),
               static_cast<std::uint8_t>(payload.size() >> 8), static_cast<std::uint8_t>(payload.size())};
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

// Sets a handshake message's 3-byte length to match its body.
inline Bytes fixLength(Bytes m) {
  std::size_t n = m.size() - 4;
  m[1] = static_cast<std::uint8_t>(n >> 16);
  m[2] = static_cast<std::uint8_t>(n >> 8);
  m[3] = static_cast<std::uint8_t>(n);
  return m;
}

inline std::size_t errorCount(const std::vector<model::Diagnostic>& diags) {
  return static_cast<std::size_t>(std::count_if(diags.begin(), diags.end(), [](const model::Diagnostic& d) {
    return d.severity == model::Severity::Error;
  }));
}

inline std::string dump(const std::vector<model::Diagnostic>& diags) {
  std::string out;
  for (const auto& d : diags)
    out += std::string(model::severityName(d.severity)) + " " + d.where + " @" +
           (d.offset ? std::to_string(*d.offset) : "-") + ": " + d.message + "\n";
  return out;
}

// A minimal but complete TLS 1.3-style ClientHello (body built by hand):
// one suite, one extension (supported_versions).
inline Bytes smallClientHello() {
  return hex(
      "01 00 00 32"                                      // client_hello, length 50
      "03 03"                                            // legacy_version
      "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f"  // random
      "10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f"
      "00"                                               // legacy_session_id <0>
      "00 02 13 01"                                      // cipher_suites
      "01 00"                                            // compression [null]
      "00 07 00 2b 00 03 02 03 04");                     // extensions: supported_versions [1.3]
}

}  // namespace tlslab::wire::testutil
