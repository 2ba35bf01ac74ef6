// Field trees for record headers and the small record-level protocols:
// ChangeCipherSpec, Alert, Heartbeat, and the SSLv2-compatible ClientHello.
#include <fmt/format.h>

#include "Cursor.hpp"
#include "tlslab/wire/Record.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::wire {

using detail::Cursor;

namespace {

const char* contentMeaning(std::uint8_t type) {
  switch (type) {
    case 20: return "ChangeCipherSpec: from here on this side's records are encrypted (TLS 1.2); a no-op kept for "
                    "middleboxes in TLS 1.3.";
    case 21: return "Alert: a warning or fatal error notice (encrypted once keys are in use).";
    case 22: return "Handshake: carries handshake messages (ClientHello, Certificate, Finished, ...).";
    case 23: return "Application data: encrypted payload; in TLS 1.3 also every encrypted handshake message.";
    case 24: return "Heartbeat: keep-alive request/response (RFC 6520; the Heartbleed bug lived here).";
    default: return "A record content type this dissector does not decode.";
  }
}

}  // namespace

model::Field describeRecordHeader(const RecordView& record) {
  model::Field root;
  root.name = record.sslv2ClientHello ? "SSLv2 record" : "TLSPlaintext";
  root.offset = 0;
  root.length = record.headerLength + record.fragment.size();
  root.streamOffset = record.streamOffset;
  root.rfc = model::Text::literal(record.sslv2ClientHello ? "RFC 5246 §E.2" : "RFC 8446 §5.1");
  const char* ct = contentTypeName(record.contentType);
  root.value = record.sslv2ClientHello ? "SSLv2-compatible ClientHello"
                                       : fmt::format("{} ({} bytes)", ct ? ct : "unknown", record.fragment.size());
  root.meaning = model::Text::literal(
      record.sslv2ClientHello
          ? "An old SSL 2.0-format ClientHello some clients sent for compatibility; it is not a TLS record."
          : contentMeaning(record.contentType));
  root.malformed = !record.diagnostics.empty() &&
                   record.diagnostics.front().severity == model::Severity::Error;
  // meaning and rfc: literals, pointed at (model::Text) — a header tree per record.
  auto add = [&](const char* name, std::size_t off, std::size_t len, std::string value, const char* meaning,
                 const char* rfc) {
    model::Field f{name, off, len, std::move(value), model::Text::literal(meaning), model::Text::literal(rfc), false, {},
                   record.streamOffset + off};
    root.children.push_back(std::move(f));
  };
  if (record.sslv2ClientHello) {
    add("msg_length", 0, 2, std::to_string(record.fragment.size()),
        "Top bit set marks the 2-byte SSLv2 header; the other 15 bits are the length.", "RFC 5246 §E.2");
    return root;
  }
  if (record.headerLength >= 1)
    add("content_type", 0, 1, describeCode(record.contentType, ct, 2),
        "What the record carries: handshake, alert, change_cipher_spec or application data.", "RFC 8446 §5.1");
  if (record.headerLength >= 3)
    add("legacy_record_version", 1, 2, describeCode(record.version, versionName(record.version)),
        "Record-layer version; TLS 1.3 writes 0x0303 (or 0x0301 in the first ClientHello) for middleboxes.",
        "RFC 8446 §5.1");
  if (record.headerLength >= 5)
    add("length", 3, 2, std::to_string(record.fragment.size()),
        "Bytes of fragment that follow; at most 2^14 (+256 when encrypted in TLS 1.3).", "RFC 8446 §5.1");
  if (!record.fragment.empty())
    add("fragment", record.headerLength, record.fragment.size(), detail::hexPreview(record.fragment, 16),
        record.contentType == 23 ? "Encrypted bytes: readable only with the traffic keys."
                                 : "The record's payload, decoded below.",
        "RFC 8446 §5.1");
  return root;
}

model::Field describeRecordHeader(const Record& record) {
  RecordView v;
  v.contentType = record.contentType;
  v.version = record.version;
  v.headerLength = record.headerLength;
  v.fragment = record.fragment;
  v.streamOffset = record.streamOffset;
  v.sslv2ClientHello = record.sslv2ClientHello;
  v.truncated = record.truncated;
  v.diagnostics = record.diagnostics;
  return describeRecordHeader(v);
}

model::Field describeChangeCipherSpec(ByteView fragment, std::size_t base, std::vector<model::Diagnostic>& diags) {
  model::Field root{"ChangeCipherSpec", base, fragment.size(), "", "", "RFC 5246 §7.1", false, {}, {}};
  root.meaning = "The sender switches to the newly negotiated keys for everything it sends next (TLS 1.2); TLS 1.3 "
                 "sends it only for middlebox compatibility and ignores it.";
  Cursor c(ByteReader(fragment, base), root, diags, "ChangeCipherSpec");
  std::size_t at = c.offset();
  std::uint8_t v = c.u8("type", "Always 1 (change_cipher_spec).", "RFC 5246 §7.1");
  if (c.ok() && v != 1) c.flag(model::Severity::Error, at, "ChangeCipherSpec.type must be 1");
  c.end();
  root.value = root.malformed ? "malformed" : "change_cipher_spec";
  return root;
}

model::Field describeAlert(ByteView fragment, std::size_t base, std::vector<model::Diagnostic>& diags) {
  model::Field root{"Alert", base, fragment.size(), "", "", "RFC 8446 §6", false, {}, {}};
  Cursor c(ByteReader(fragment, base), root, diags, "Alert");
  std::uint8_t level = c.u8("level", "1 = warning, 2 = fatal (the connection ends).", "RFC 8446 §6", alertLevelName);
  std::uint8_t desc = c.u8("description", "Why the alert was sent.", "RFC 8446 §6", alertDescriptionName);
  c.end();
  const char* ln = alertLevelName(level);
  const char* dn = alertDescriptionName(desc);
  root.value = fmt::format("{} {}", ln ? ln : "unknown-level", dn ? dn : fmt::format("unknown({})", desc));
  root.meaning = desc == 0 ? "close_notify: the sender will send no more data; a clean shutdown."
                           : "An error or warning notice from the peer; fatal alerts end the connection.";
  return root;
}

model::Field describeHeartbeat(ByteView fragment, std::size_t base, std::vector<model::Diagnostic>& diags) {
  const char* rfc = "RFC 6520 §4";
  model::Field root{"HeartbeatMessage", base, fragment.size(), "", "A keep-alive request or its echo.", rfc, false, {},
                    {}};
  Cursor c(ByteReader(fragment, base), root, diags, "HeartbeatMessage");
  std::uint8_t type = c.u8("type", "1 = request, 2 = response.", rfc, heartbeatMessageTypeName);
  std::size_t at = c.offset();
  std::uint16_t payloadLength = c.u16("payload_length", "Length of the payload to echo back.", rfc);
  if (c.ok() && std::size_t{payloadLength} + 16 > c.reader().remaining()) {
    // The Heartbleed pattern: the claimed payload is longer than what was sent.
    c.flag(model::Severity::Error, at,
           fmt::format("HeartbeatMessage.payload_length {} exceeds the {} byte(s) present minus 16 bytes of padding "
                       "(the Heartbleed over-read, CVE-2014-0160)",
                       payloadLength, c.reader().remaining()));
  }
  if (c.ok()) {
    std::size_t n = std::min<std::size_t>(payloadLength, c.reader().remaining());
    c.bytes(n, "payload", "Arbitrary bytes the peer must echo back.", rfc);
    c.rest("padding", "At least 16 random bytes, ignored.", rfc);
  }
  c.check();
  const char* tn = heartbeatMessageTypeName(type);
  root.value = tn ? tn : "unknown";
  return root;
}

model::Field describeSslv2ClientHello(const RecordView& record, std::vector<model::Diagnostic>& diags) {
  const char* rfc = "RFC 5246 §E.2";
  model::Field root{"SSLv2ClientHello", 2, record.fragment.size(), "CLIENT-HELLO (SSLv2 format)",
                    "A ClientHello in the SSL 2.0 layout, sent by old clients to reach SSLv2 and TLS servers alike.",
                    rfc, false, {}, {}};
  Cursor c(ByteReader(record.fragment, 2), root, diags, "SSLv2ClientHello");
  c.u8("msg_type", "1 = CLIENT-HELLO.", rfc);
  c.u16("version", "Highest version the client supports.", rfc, versionName);
  std::uint16_t specs = c.u16("cipher_spec_length", "Bytes of cipher specs (3 bytes each).", rfc);
  std::uint16_t sid = c.u16("session_id_length", "0 or 16.", rfc);
  std::uint16_t challenge = c.u16("challenge_length", "16..32 bytes of challenge (the client random).", rfc);
  if (c.ok() && specs % 3 != 0)
    c.flag(model::Severity::Error, c.offset(), "SSLv2ClientHello.cipher_spec_length is not a multiple of 3");
  ByteReader list = c.reader().sub(specs, "SSLv2ClientHello.cipher_specs");
  model::Field& node = c.leaf("cipher_specs", list.offset(), specs, fmt::format("{} spec(s)", specs / 3),
                              "Cipher kinds; TLS suites appear as 0x00 followed by the 2-byte suite.", rfc);
  Cursor lc(list, node, diags, "SSLv2ClientHello.cipher_specs");
  while (lc.ok() && lc.reader().remaining() >= 3) {
    std::size_t at = lc.offset();
    std::uint32_t spec = static_cast<std::uint32_t>(lc.reader().uN(3, "cipher_spec"));
    std::string value = (spec >> 16) == 0 ? describeCode(static_cast<std::uint16_t>(spec),
                                                         cipherSuiteName(static_cast<std::uint16_t>(spec)))
                                          : fmt::format("0x{:06x} SSLv2 cipher kind", spec);
    lc.leaf("cipher_spec", at, 3, value, "One cipher the client offers.", rfc);
  }
  lc.check();
  c.check();
  c.bytes(sid, "session_id", "Session to resume, if any.", rfc);
  c.bytes(challenge, "challenge", "Random bytes; become the right-aligned client random.", rfc);
  c.end();
  return root;
}

}  // namespace tlslab::wire
