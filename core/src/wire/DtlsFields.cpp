// The field tree of a DTLS record header (RFC 6347 §4.1): TLS's three fields
// plus the explicit epoch and 48-bit sequence number that let a record be
// opened on its own, whatever datagrams were lost or reordered before it.
#include <fmt/format.h>

#include "Cursor.hpp"
#include "tlslab/wire/Dtls.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::wire::dtls {

model::Field describeRecordHeader(const Record& record, std::size_t streamOffset) {
  const RecordHeader& h = record.header;
  model::Field root;
  root.name = "DTLSPlaintext";
  root.offset = 0;
  root.length = kRecordHeaderLength + record.fragment.size();
  root.streamOffset = streamOffset;
  root.rfc = model::Text::literal("RFC 6347 §4.1");
  const char* ct = contentTypeName(h.type);
  root.value = fmt::format("{} (epoch {}, sequence {}, {} bytes)", ct ? ct : "unknown", h.epoch, h.sequence,
                           record.fragment.size());
  root.meaning = model::Text::literal("A DTLS record: a TLS record with an explicit epoch and sequence number, so "
                                      "each datagram can be read on its own.");
  auto add = [&](const char* name, std::size_t off, std::size_t len, std::string value, const char* meaning) {
    model::Field f{name, off, len, std::move(value), model::Text::literal(meaning),
                   model::Text::literal("RFC 6347 §4.1"), false, {}, streamOffset + off};
    root.children.push_back(std::move(f));
  };
  add("type", 0, 1, describeCode(h.type, ct, 2), "What the record carries, as in TLS.");
  add("version", 1, 2, describeCode(h.version, versionName(h.version)),
      "DTLS versions count down from 0xfeff (DTLS 1.0); 0xfefd is DTLS 1.2.");
  add("epoch", 3, 2, std::to_string(h.epoch),
      "Counts cipher state changes: 0 in the clear, +1 at each ChangeCipherSpec; picks the keys for this record.");
  add("sequence_number", 5, 6, std::to_string(h.sequence),
      "Per-epoch 48-bit record number, explicit because datagrams may be lost or reordered; MAC and AEAD nonce "
      "use epoch || sequence_number.");
  add("length", 11, 2, std::to_string(record.fragment.size()), "Bytes of fragment that follow.");
  if (!record.fragment.empty())
    add("fragment", kRecordHeaderLength, record.fragment.size(), detail::hexPreview(record.fragment, 16),
        h.epoch > 0 ? "Protected bytes: readable only with this epoch's keys." : "Plaintext content of the record.");
  return root;
}

}  // namespace tlslab::wire::dtls
