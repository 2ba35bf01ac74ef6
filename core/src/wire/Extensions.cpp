// Extension bodies (RFC 8446 §4.2 and the RFCs named per extension), each
// decoded into fields. Unknown and GREASE extensions are kept and shown in hex.
#include "Extensions.hpp"

#include <fmt/format.h>

#include "ExtensionText.hpp"
#include "tlslab/wire/Quic.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::wire::detail {
namespace {

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
  namespace t = text::serverName;
  if (where != ExtWhere::ClientHello) return emptyBody(c);  // server echoes it empty (RFC 6066 §3)
  Cursor list = c.vector(t::list, 2, 1, 0xFFFF);
  while (list.ok() && !list.empty()) {
    list.u8(t::nameType, nameTypeName);
    ByteView name = list.opaque(t::hostName, 2, 1, 0xFFFF, true);
    if (s.serverName.empty()) s.serverName.assign(name.begin(), name.end());
  }
  list.end();
  c.end();
}

void u16List(Cursor& c, const FieldText& listText, std::size_t min, const FieldText& itemText, U16Namer namer,
             std::vector<std::uint16_t>& out) {
  Cursor list = c.vector(listText, 2, min, 0xFFFE);
  if (list.reader().remaining() % 2 != 0)
    list.flag(model::Severity::Error, list.offset(), fmt::format("{}.{}: odd length, not a list of 16-bit values",
                                                                 c.where(), listText.name));
  while (list.ok() && list.reader().remaining() >= 2) out.push_back(list.u16(itemText, namer));
  list.end();
  if (!list.lean()) list.node().value = fmt::format("{} entr{}", out.size(), out.size() == 1 ? "y" : "ies");
}

void alpn(Cursor& c, ExtensionSummary& s) {
  Cursor list = c.vector(text::alpn::list, 2, 2, 0xFFFF);
  while (list.ok() && !list.empty()) {
    ByteView p = list.opaque(text::alpn::protocolName, 1, 1, 255, true);
    s.alpn.emplace_back(p.begin(), p.end());
  }
  list.end();
  c.end();
}

void statusRequest(Cursor& c, ExtWhere where) {
  namespace t = text::statusRequest;
  if (where == ExtWhere::Certificate) {  // CertificateStatus in a 1.3 CertificateEntry (RFC 8446 §4.4.2.1)
    c.u8(t::responseStatusType, certificateStatusTypeName);
    c.opaque(t::ocspResponse, 3, 1, 0xFFFFFF);
    return c.end();
  }
  if (where != ExtWhere::ClientHello && where != ExtWhere::CertificateRequest) return emptyBody(c);
  c.u8(t::statusType, certificateStatusTypeName);
  c.opaque(t::responderIdList, 2, 0, 0xFFFF);
  c.opaque(t::requestExtensions, 2, 0, 0xFFFF);
  c.end();
}

void sct(Cursor& c, ExtWhere where) {
  if (where == ExtWhere::ClientHello || where == ExtWhere::CertificateRequest) return emptyBody(c);
  Cursor list = c.vector(text::sct::list, 2, 1, 0xFFFF);
  while (list.ok() && !list.empty()) list.opaque(text::sct::serializedSct, 2, 1, 0xFFFF);
  list.end();
  c.end();
}

void padding(Cursor& c) {
  std::size_t at = c.offset();
  ByteView zeros = c.rest(text::padding::zeros);
  for (std::size_t i = 0; i < zeros.size(); ++i) {
    if (zeros[i] != 0) {
      c.flag(model::Severity::Error, at + i, c.where() + ": padding byte is not zero (RFC 7685 §3)");
      break;
    }
  }
}

void supportedVersions(Cursor& c, ExtWhere where, ExtensionSummary& s) {
  namespace t = text::supportedVersions;
  if (where == ExtWhere::ClientHello) {
    Cursor list = c.vector(t::versions, 1, 2, 254);
    while (list.ok() && list.reader().remaining() >= 2)
      s.supportedVersions.push_back(list.u16(t::version, versionName));
    list.end();
  } else {
    s.supportedVersions.push_back(c.u16(t::selectedVersion, versionName));
  }
  c.end();
}

void keyShareEntry(Cursor& c, ExtensionSummary& s, const FieldText& entryText) {
  namespace t = text::keyShare;
  Cursor e(c.reader(), c.leaf(entryText, c.offset(), 0, ""), c.diags(), c.where() + "." + entryText.name, c.lean());
  std::size_t start = e.offset();
  KeyShareEntry entry;
  entry.group = e.u16(t::group, groupName);
  ByteView key = e.opaque(t::keyExchange, 2, 1, 0xFFFF);
  entry.keyExchange.assign(key.begin(), key.end());
  e.check();
  c.reader() = e.reader();
  e.node().length = c.offset() - start;
  if (!e.lean()) e.node().value = describeCode(entry.group, groupName(entry.group));
  if (e.node().malformed) c.node().malformed = true;
  s.keyShares.push_back(std::move(entry));
}

void keyShare(Cursor& c, ExtWhere where, ExtensionSummary& s) {
  namespace t = text::keyShare;
  if (where == ExtWhere::HelloRetryRequest) {
    s.hrrSelectedGroup = c.u16(t::selectedGroup, groupName);
  } else if (where == ExtWhere::ClientHello) {
    Cursor list = c.vector(t::clientShares, 2, 0, 0xFFFF);
    while (list.ok() && !list.empty()) keyShareEntry(list, s, t::clientShare);
    list.end();
  } else {
    keyShareEntry(c, s, t::serverShare);
  }
  c.end();
}

void preSharedKey(Cursor& c, ExtWhere where, ExtensionSummary& s) {
  namespace t = text::preSharedKey;
  if (where != ExtWhere::ClientHello) {
    s.pskSelectedIdentity = c.u16(t::selectedIdentity);
    return c.end();
  }
  Cursor ids = c.vector(t::identities, 2, 7, 0xFFFF);
  while (ids.ok() && !ids.empty()) {
    PskIdentity id;
    ByteView label = ids.opaque(t::identity, 2, 1, 0xFFFF);
    id.identity.assign(label.begin(), label.end());
    id.obfuscatedTicketAge = ids.u32(t::obfuscatedTicketAge);
    s.pskIdentities.push_back(std::move(id));
  }
  ids.end();
  Cursor binders = c.vector(t::binders, 2, 33, 0xFFFF);
  while (binders.ok() && !binders.empty()) {
    ByteView b = binders.opaque(t::binder, 1, 32, 255);
    s.pskBinders.emplace_back(b.begin(), b.end());
  }
  binders.end();
  c.end();
}

void certificateAuthorities(Cursor& c) {
  namespace t = text::certificateAuthorities;
  Cursor list = c.vector(t::authorities, 2, 3, 0xFFFF);
  while (list.ok() && !list.empty()) list.opaque(t::distinguishedName, 2, 1, 0xFFFF);
  list.end();
  c.end();
}

// RFC 9001 §8.2 / RFC 9000 §18: QUIC's transport parameters ride in the TLS
// handshake; one field per parameter (id, length and value are varints).
void quicTransportParameters(Cursor& c) {
  const std::size_t base = c.offset();
  ByteView body = c.reader().rest();
  const auto tp = quic::parseTransportParameters(body);
  for (std::size_t i = 0; i < tp.parameters.size(); ++i) {
    const auto& p = tp.parameters[i];
    const std::size_t end = i + 1 < tp.parameters.size() ? tp.parameters[i + 1].offset
                            : tp.error                   ? tp.error->offset
                                                         : body.size();
    c.leaf(p.name, base + p.offset, end - p.offset, p.text, "a QUIC transport parameter (id, length, value)",
           "RFC 9000 §18.2");
  }
  if (tp.error)
    c.flag(model::Severity::Error, base + tp.error->offset, c.where() + ": " + tp.error->what);
}

void extensionBody(Cursor& c, std::uint16_t type, ExtWhere where, ExtensionSummary& s) {
  switch (type) {
    case 57:      // quic_transport_parameters (RFC 9001 §8.2)
    case 0xffa5:  // the same, as QUIC drafts 27-32 numbered it
      return quicTransportParameters(c);
    case ext::kServerName: return serverName(c, where, s);
    case 1:  // max_fragment_length
      c.u8(text::maxFragmentLength::length);
      return c.end();
    case ext::kStatusRequest: return statusRequest(c, where);
    case ext::kSupportedGroups:
      u16List(c, text::supportedGroups::list, 2, text::supportedGroups::group, groupName, s.supportedGroups);
      return c.end();
    case ext::kEcPointFormats: {
      Cursor list = c.vector(text::ecPointFormats::list, 1, 1, 255);
      while (list.ok() && !list.empty()) list.u8(text::ecPointFormats::format, ecPointFormatName);
      list.end();
      return c.end();
    }
    case ext::kSignatureAlgorithms:
      u16List(c, text::signatureAlgorithms::list, 2, text::signatureAlgorithms::scheme, signatureSchemeName,
              s.signatureAlgorithms);
      return c.end();
    case ext::kSignatureAlgorithmsCert:
      u16List(c, text::signatureAlgorithmsCert::list, 2, text::signatureAlgorithmsCert::scheme, signatureSchemeName,
              s.signatureAlgorithms);
      return c.end();
    case ext::kHeartbeat:
      c.u8(text::heartbeat::mode, heartbeatModeName);
      return c.end();
    case ext::kAlpn: return alpn(c, s);
    case ext::kSct: return sct(c, where);
    case ext::kPadding: return padding(c);
    case ext::kEncryptThenMac: s.encryptThenMac = true; return emptyBody(c);
    case ext::kExtendedMasterSecret: s.extendedMasterSecret = true; return emptyBody(c);
    case ext::kPostHandshakeAuth: return emptyBody(c);
    case ext::kCompressCertificate: {
      Cursor list = c.vector(text::compressCertificate::algorithms, 1, 2, 254);
      while (list.ok() && list.reader().remaining() >= 2)
        list.u16(text::compressCertificate::algorithm, certCompressionAlgorithmName);
      list.end();
      return c.end();
    }
    case ext::kRecordSizeLimit: {
      std::size_t at = c.offset();
      std::uint16_t limit = c.u16(text::recordSizeLimit::limit);
      if (c.ok() && limit < 64) c.flag(model::Severity::Error, at, c.where() + ": limit below 64 (RFC 8449 §4)");
      return c.end();
    }
    case ext::kSessionTicket:
      if (!c.empty()) c.rest(text::sessionTicket::ticket);
      return;
    case ext::kPreSharedKey: return preSharedKey(c, where, s);
    case ext::kEarlyData:
      s.earlyData = true;
      if (where == ExtWhere::NewSessionTicket) c.u32(text::earlyData::maxEarlyDataSize);
      return c.end();
    case ext::kSupportedVersions: return supportedVersions(c, where, s);
    case ext::kCookie: {
      ByteView cookie = c.opaque(text::cookie::cookie, 2, 1, 0xFFFF);
      s.cookie.assign(cookie.begin(), cookie.end());
      return c.end();
    }
    case ext::kPskKeyExchangeModes: {
      Cursor list = c.vector(text::pskKeyExchangeModes::modes, 1, 1, 255);
      while (list.ok() && !list.empty()) list.u8(text::pskKeyExchangeModes::mode, pskKeyExchangeModeName);
      list.end();
      return c.end();
    }
    case ext::kCertificateAuthorities: return certificateAuthorities(c);
    case ext::kKeyShare: return keyShare(c, where, s);
    case ext::kRenegotiationInfo:
      c.opaque(text::renegotiationInfo::renegotiatedConnection, 1, 0, 255);
      return c.end();
    default:
      if (!c.empty()) c.rest(isGrease(type) ? text::extensions::greaseData : text::extensions::undecodedData);
      return;
  }
}

}  // namespace

void dissectExtensions(Cursor& c, ExtWhere where, std::size_t min, std::vector<Extension>& out,
                       ExtensionSummary& summary) {
  namespace t = text::extensions;
  Cursor list = c.vector(t::list, 2, min, 0xFFFF);
  while (list.ok() && !list.empty()) {
    std::size_t start = list.offset();
    std::uint16_t type = list.reader().remaining() >= 2 ? list.reader().u16({})
                                                        : list.reader().u16(list.where() + ".extension_type");
    if (!list.ok()) { list.check(); break; }
    const char* name = extensionName(type);
    std::string label = name ? name : (isGrease(type) ? "GREASE" : "unknown_extension");
    const FieldText& nodeText = name ? t::known : t::unknown;
    model::Field& node = list.leaf(label, start, 0, list.lean() ? std::string() : describeCode(type, name),
                                   model::Text::literal(nodeText.meaning), model::Text::literal(nodeText.rfc));
    Cursor e(ByteReader(), node, list.diags(), list.where() + "." + label, list.lean());
    e.leaf(t::extensionType, start, 2, list.lean() ? std::string() : describeCode(type, name));
    e.reader() = list.reader();
    Cursor data = e.vector(t::extensionData, 2, 0, 0xFFFF);
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
