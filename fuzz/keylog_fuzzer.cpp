// libFuzzer target for the NSS key log parser and the KeyStore that loads it:
// any bytes must give entries and per-line diagnostics, never a crash, hang
// or out-of-bounds read. Every parsed value is touched so ASan sees it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tlslab/keys/KeyLog.hpp"
#include "tlslab/keys/KeyStore.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = tlslab::keys::parseKeyLog(text, "fuzz");
  std::uint64_t sum = 0;
  for (const auto& e : parsed.entries) {
    for (auto b : e.id) sum += b;
    for (auto b : e.secret) sum += b;
    sum += e.line + e.label.size();
  }
  for (const auto& d : parsed.diagnostics) sum += d.message.size() + d.where.size() + d.offset.value_or(0);

  tlslab::keys::KeyStore store;
  store.addKeyLogText(text, "fuzz");
  for (const auto* session : store.sessions()) {
    sum += session->clientRandom.size() + session->tls13.size();
    if (session->masterSecret) sum += session->masterSecret->size();
  }
  if (size >= 8) {
    const tlslab::ByteView prefix(data, 8);
    if (auto pms = store.findPreMasterByEncryptedPms(prefix)) sum += pms->size();
  }
  return sum == 0xFFFFFFFFFFFFFFFFull ? 1 : 0;
}
