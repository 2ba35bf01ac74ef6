// Extension bodies (RFC 8446 §4.2 and the RFCs named per extension), each
// decoded into fields. Unknown and GREASE extensions are kept and shown in hex.
#include "Extensions.hpp"

#include <fmt/format.h>

#include "tlslab/wire/Registry.hpp"

namespace tlslab::wire::detail {
namespace {

constexpr const char* kRfcExt = "RFC 8446 §4.2";

const char* heartbeatModeName(std::uint8_t m) {
  switch (m) {
    case 1: return "peer_allowed_to_send";
    case 2: return "peer_not_allowed_to_send";
    default: return nullptr;
  }
}

const char* nameTypeName(std::uint8_t t) {
  switch (t) {
    case 0: return "host_name";
    default: return nullptr;
  }
}

void emptyBody(Cursor& c) { c.end(); }

void serverName(Cursor& c, ExtWhere where, ExtensionSummary& s) {
  if (where != ExtWhere::ClientHello) return emptyBody(c);  // server echoes it empty (RFC 6066 §3)
  Cursor list = c.vector("server_name_list", 2, 1, 0xFFFF, "The names the client wants to reach.", "RFC 6066 §3");
  while (list.ok() && !list.empty()) {
    list.u8("name_type", "Kind of name; 0 is a DNS host name.", "RFC 6066 §3", nameTypeName);
    ByteView name = list.opaque("host_name", 2, 1, 0xFFFF,
                                "The DNS name of the server the client wants (SNI), sent in clear text before "
                                "encryption starts.",
                                "RFC 6066 §3", true);
    if (s.serverName.empty()) s.serverName.assign(name.begin(), name.end());
  }
  list.end();
  c.end();
}

void u16List(Cursor& c, const char* name, std::size_t min, const char* item, U16Namer namer, std::string_view meaning,
             std::string_view itemMeaning, std::string_view rfc, std::vector<std::uint16_t>& out) {
  Cursor list = c.vector(name, 2, min, 0xFFFE, meaning, rfc);
  if (list.reader().remaining() % 2 != 0)
    list.flag(model::Severity::Error, list.offset(), fmt::format("{}.{}: odd length, not a list of 16-bit values",
                                                                 c.where(), name));
  while (list.ok() && list.reader().remaining() >= 2) out.push_back(list.u16(item, itemMeaning, rfc, namer));
  list.end();
  if (!list.lean()) list.node().value = fmt::format("{} entr{}", out.size(), out.size() == 1 ? "y" : "ies");
}

void alpn(Cursor& c, ExtensionSummary& s) {
  Cursor list = c.vector("protocol_name_list", 2, 2, 0xFFFF, "Application protocols, most preferred first.",
                         "RFC 7301 §3.1");
  while (list.ok() && !list.empty()) {
    ByteView p = list.opaque("protocol_name", 1, 1, 255, "An application protocol name such as h2 or http/1.1.",
                             "RFC 7301 §3.1", true);
    s.alpn.emplace_back(p.begin(), p.end());
  }
  list.end();
  c.end();
}

void statusRequest(Cursor& c, ExtWhere where) {
  if (where == ExtWhere::Certificate) {  // CertificateStatus in a 1.3 CertificateEntry (RFC 8446 §4.4.2.1)
    c.u8("status_type", "1 = OCSP: an OCSP response follows.", "RFC 6066 §8", certificateStatusTypeName);
    c.opaque("ocsp_response", 3, 1, 0xFFFFFF, "The CA's signed statement that this certificate is not revoked.",
             "RFC 6066 §8");
    return c.end();
  }
  if (where != ExtWhere::ClientHello && where != ExtWhere::CertificateRequest) return emptyBody(c);
  c.u8("status_type", "1 = OCSP: the client asks the server to staple an OCSP response.", "RFC 6066 §8",
       certificateStatusTypeName);
  c.opaque("responder_id_list", 2, 0, 0xFFFF, "OCSP responders the client trusts (usually empty).", "RFC 6066 §8");
  c.opaque("request_extensions", 2, 0, 0xFFFF, "OCSP request extensions (usually empty).", "RFC 6066 §8");
  c.end();
}

void sct(Cursor& c, ExtWhere where) {
  if (where == ExtWhere::ClientHello || where == ExtWhere::CertificateRequest) return emptyBody(c);
  Cursor list = c.vector("signed_certificate_timestamp_list", 2, 1, 0xFFFF,
                         "Certificate Transparency log promises that this certificate was logged.", "RFC 6962 §3.3");
  while (list.ok() && !list.empty())
    list.opaque("serialized_sct", 2, 1, 0xFFFF, "One signed certificate timestamp from a CT log.", "RFC 6962 §3.3");
  list.end();
  c.end();
}

void padding(Cursor& c) {
  std::size_t at = c.offset();
  ByteView zeros = c.rest("zeros", "Filler that makes the ClientHello a size middleboxes handle; must be zero.",
                          "RFC 7685 §3");
  for (std::size_t i = 0; i < zeros.size(); ++i) {
    if (zeros[i] != 0) {
      c.flag(model::Severity::Error, at + i, c.where() + ": padding byte is not zero (RFC 7685 §3)");
      break;
    }
  }
}

void supportedVersions(Cursor& c, ExtWhere where, ExtensionSummary& s) {
  const char* rfc = "RFC 8446 §4.2.1";
  if (where == ExtWhere::ClientHello) {
    Cursor list = c.vector("versions", 1, 2, 254, "The TLS versions the client supports, most preferred first.", rfc);
    while (list.ok() && list.reader().remaining() >= 2)
      s.supportedVersions.push_back(list.u16("version", "A protocol version the client can speak.", rfc, versionName));
    list.end();
  } else {
    s.supportedVersions.push_back(c.u16("selected_version",
                                        "The version the server picked; 0x0304 means this is TLS 1.3.", rfc,
                                        versionName));
  }
  c.end();
}

void keyShareEntry(Cursor& c, ExtensionSummary& s, const char* name) {
  const char* rfc = "RFC 8446 §4.2.8";
  Cursor e(c.reader(), c.leaf(name, c.offset(), 0, "", "One (EC)DHE public key for one group.", rfc), c.diags(),
           c.where() + "." + name, c.lean());
  std::size_t start = e.offset();
  KeyShareEntry entry;
  entry.group = e.u16("group", "The group this key belongs to.", rfc, groupName);
  ByteView key = e.opaque("key_exchange", 2, 1, 0xFFFF,
                          "The sender's ephemeral public key; combined with the peer's private key it yields the "
                          "shared secret.",
                          rfc);
  entry.keyExchange.assign(key.begin(), key.end());
  e.check();
  c.reader() = e.reader();
  e.node().length = c.offset() - start;
  if (!e.lean()) e.node().value = describeCode(entry.group, groupName(entry.group));
  if (e.node().malformed) c.node().malformed = true;
  s.keyShares.push_back(std::move(entry));
}

void keyShare(Cursor& c, ExtWhere where, ExtensionSummary& s) {
  const char* rfc = "RFC 8446 §4.2.8";
  if (where == ExtWhere::HelloRetryRequest) {
    s.hrrSelectedGroup = c.u16("selected_group", "The group the server wants the client to retry with.", rfc,
                               groupName);
  } else if (where == ExtWhere::ClientHello) {
    Cursor list = c.vector("client_shares", 2, 0, 0xFFFF, "Key shares the client offers, one per group.", rfc);
    while (list.ok() && !list.empty()) keyShareEntry(list, s, "key_share_entry");
    list.end();
  } else {
    keyShareEntry(c, s, "server_share");
  }
  c.end();
}

void preSharedKey(Cursor& c, ExtWhere where, ExtensionSummary& s) {
  const char* rfc = "RFC 8446 §4.2.11";
  if (where != ExtWhere::ClientHello) {
    s.pskSelectedIdentity = c.u16("selected_identity", "Which of the client's offered PSKs the server accepted.", rfc);
    return c.end();
  }
  Cursor ids = c.vector("identities", 2, 7, 0xFFFF, "Pre-shared keys (usually session tickets) the client offers.",
                        rfc);
  while (ids.ok() && !ids.empty()) {
    PskIdentity id;
    ByteView label = ids.opaque("identity", 2, 1, 0xFFFF, "A ticket or external PSK label identifying the key.", rfc);
    id.identity.assign(label.begin(), label.end());
    id.obfuscatedTicketAge = ids.u32("obfuscated_ticket_age",
                                     "Ticket age in ms plus the server's ticket_age_add, so observers cannot link "
                                     "connections.",
                                     rfc);
    s.pskIdentities.push_back(std::move(id));
  }
  ids.end();
  Cursor binders = c.vector("binders", 2, 33, 0xFFFF,
                            "One HMAC per identity over the ClientHello so far, proving the client knows the PSK.",
                            rfc);
  while (binders.ok() && !binders.empty()) {
    ByteView b = binders.opaque("binder", 1, 32, 255, "HMAC binding this PSK to this ClientHello transcript.", rfc);
    s.pskBinders.emplace_back(b.begin(), b.end());
  }
  binders.end();
  c.end();
}

void certificateAuthorities(Cursor& c) {
  Cursor list = c.vector("authorities", 2, 3, 0xFFFF, "Distinguished names of CAs the sender trusts.",
                         "RFC 8446 §4.2.4");
  while (list.ok() && !list.empty())
    list.opaque("distinguished_name", 2, 1, 0xFFFF, "A DER-encoded X.501 name of a trusted CA.", "RFC 8446 §4.2.4");
  list.end();
  c.end();
}

void extensionBody(Cursor& c, std::uint16_t type, ExtWhere where, ExtensionSummary& s) {
  switch (type) {
    case ext::kServerName: return serverName(c, where, s);
    case 1:  // max_fragment_length
      c.u8("max_fragment_length", "Asks for records of at most 2^(8+n) bytes (1=512 .. 4=4096).", "RFC 6066 §4");
      return c.end();
    case ext::kStatusRequest: return statusRequest(c, where);
    case ext::kSupportedGroups:
      u16List(c, "named_group_list", 2, "named_group", groupName,
              "Key-exchange groups the sender supports, most preferred first.", "A group for (EC)DHE key exchange.",
              "RFC 8446 §4.2.7", s.supportedGroups);
      return c.end();
    case ext::kEcPointFormats: {
      Cursor list = c.vector("ec_point_format_list", 1, 1, 255, "EC point encodings the sender can parse.",
                             "RFC 8422 §5.1.2");
      while (list.ok() && !list.empty())
        list.u8("ec_point_format", "0 = uncompressed points (the only one in use).", "RFC 8422 §5.1.2",
                ecPointFormatName);
      list.end();
      return c.end();
    }
    case ext::kSignatureAlgorithms:
    case ext::kSignatureAlgorithmsCert:
      u16List(c, "supported_signature_algorithms", 2, "signature_scheme", signatureSchemeName,
              type == ext::kSignatureAlgorithms ? "Signature algorithms the sender accepts in CertificateVerify and "
                                                  "key exchange signatures."
                                                : "Signature algorithms the sender accepts inside certificates.",
              "A signature algorithm + hash the sender can verify.", "RFC 8446 §4.2.3", s.signatureAlgorithms);
      return c.end();
    case ext::kHeartbeat:
      c.u8("mode", "Whether the peer may send heartbeat requests.", "RFC 6520 §2", heartbeatModeName);
      return c.end();
    case ext::kAlpn: return alpn(c, s);
    case ext::kSct: return sct(c, where);
    case ext::kPadding: return padding(c);
    case ext::kEncryptThenMac: s.encryptThenMac = true; return emptyBody(c);
    case ext::kExtendedMasterSecret: s.extendedMasterSecret = true; return emptyBody(c);
    case ext::kPostHandshakeAuth: return emptyBody(c);
    case ext::kCompressCertificate: {
      std::vector<std::uint16_t> algs;
      Cursor list = c.vector("algorithms", 1, 2, 254, "Certificate compression algorithms the sender supports.",
                             "RFC 8879 §3");
      while (list.ok() && list.reader().remaining() >= 2)
        list.u16("algorithm", "A compression algorithm.", "RFC 8879 §3", certCompressionAlgorithmName);
      list.end();
      return c.end();
    }
    case ext::kRecordSizeLimit: {
      std::size_t at = c.offset();
      std::uint16_t limit = c.u16("record_size_limit", "The largest record plaintext the sender wants to receive.",
                                  "RFC 8449 §4");
      if (c.ok() && limit < 64) c.flag(model::Severity::Error, at, c.where() + ": limit below 64 (RFC 8449 §4)");
      return c.end();
    }
    case ext::kSessionTicket:
      if (!c.empty())
        c.rest("ticket", "A session ticket from an earlier connection, to resume it without a full handshake.",
               "RFC 5077 §3.2");
      return;
    case ext::kPreSharedKey: return preSharedKey(c, where, s);
    case ext::kEarlyData:
      s.earlyData = true;
      if (where == ExtWhere::NewSessionTicket)
        c.u32("max_early_data_size", "How many bytes of 0-RTT data the server will accept with this ticket.",
              "RFC 8446 §4.2.10");
      return c.end();
    case ext::kSupportedVersions: return supportedVersions(c, where, s);
    case ext::kCookie: {
      ByteView cookie = c.opaque("cookie", 2, 1, 0xFFFF,
                                 "Opaque server state the client must echo in its second ClientHello.",
                                 "RFC 8446 §4.2.2");
      s.cookie.assign(cookie.begin(), cookie.end());
      return c.end();
    }
    case ext::kPskKeyExchangeModes: {
      Cursor list = c.vector("ke_modes", 1, 1, 255, "How PSKs may be used: alone, or with (EC)DHE for forward secrecy.",
                             "RFC 8446 §4.2.9");
      while (list.ok() && !list.empty())
        list.u8("ke_mode", "psk_ke = PSK only; psk_dhe_ke = PSK plus a fresh (EC)DHE exchange.", "RFC 8446 §4.2.9",
                pskKeyExchangeModeName);
      list.end();
      return c.end();
    }
    case ext::kCertificateAuthorities: return certificateAuthorities(c);
    case ext::kKeyShare: return keyShare(c, where, s);
    case ext::kRenegotiationInfo:
      c.opaque("renegotiated_connection", 1, 0, 255,
               "Empty on a first handshake; on renegotiation, the previous Finished data (prevents splicing attacks).",
               "RFC 5746 §3.2");
      return c.end();
    default:
      if (!c.empty())
        c.rest("extension_data", isGrease(type) ? "GREASE: random content the receiver must ignore (RFC 8701)."
                                                : "Contents of an extension this dissector does not decode.",
               isGrease(type) ? "RFC 8701 §3" : kRfcExt);
      return;
  }
}

}  // namespace

void dissectExtensions(Cursor& c, ExtWhere where, std::size_t min, std::vector<Extension>& out,
                       ExtensionSummary& summary) {
  Cursor list = c.vector("extensions", 2, min, 0xFFFF, "Optional features, each a type plus its own data.", kRfcExt);
  while (list.ok() && !list.empty()) {
    std::size_t start = list.offset();
    std::uint16_t type = list.reader().remaining() >= 2 ? list.reader().u16({})
                                                        : list.reader().u16(list.where() + ".extension_type");
    if (!list.ok()) { list.check(); break; }
    const char* name = extensionName(type);
    std::string label = name ? name : (isGrease(type) ? "GREASE" : "unknown_extension");
    model::Field& node = list.leaf(label, start, 0, list.lean() ? std::string() : describeCode(type, name),
                                   name ? "An extension; its fields follow." : "An extension this code does not know; "
                                                                               "kept and shown as bytes.",
                                   kRfcExt);
    Cursor e(ByteReader(), node, list.diags(), list.where() + "." + label, list.lean());
    e.leaf("extension_type", start, 2, list.lean() ? std::string() : describeCode(type, name),
           "Which extension this is (IANA registry).", kRfcExt);
    e.reader() = list.reader();
    Cursor data = e.vector("extension_data", 2, 0, 0xFFFF, "The extension's contents.", kRfcExt);
    list.reader() = e.reader();
    Extension x{type, {}};
    bool lengthOk = list.ok();
    if (lengthOk) {
      ByteReader copy = data.reader();
      ByteView raw = copy.rest();
      x.data.assign(raw.begin(), raw.end());
      extensionBody(data, type, where, summary);
    }
    node.length = lengthOk ? list.offset() - start : 2;
    if (data.node().malformed) node.malformed = true;
    out.push_back(std::move(x));
    if (!lengthOk) list.markReported();  // the extension node already reported it
  }
  list.end();
  if (!list.lean()) list.node().value = fmt::format("{} extension(s)", out.size());
}

}  // namespace tlslab::wire::detail
