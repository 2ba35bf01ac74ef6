// Handshake message bodies (RFC 8446 §4, RFC 5246 §7.4), each parsed into a
// value type and a field tree in one pass over a ByteReader.
#include "tlslab/wire/Messages.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include <fmt/format.h>

#include "Cursor.hpp"
#include "Extensions.hpp"
#include "MessageText.hpp"
#include "tlslab/wire/Dtls.hpp"

namespace tlslab::wire {

// SHA-256("HelloRetryRequest"), RFC 8446 §4.1.3.
const std::uint8_t kHelloRetryRequestRandom[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

using detail::Cursor;
using detail::ExtWhere;
using detail::FieldText;
namespace text = detail::text;

namespace {

Bytes copy(ByteView v) { return Bytes(v.begin(), v.end()); }

// DTLS versions count down (0xfeff is 1.0, 0xfefd 1.2): the layout rules below
// compare the TLS version a DTLS version follows (RFC 6347 §4.1).
std::optional<std::uint16_t> tlsVersion(const ParseContext& ctx) {
  if (ctx.version && dtls::isDtlsVersion(*ctx.version)) return dtls::tlsEquivalent(*ctx.version);
  return ctx.version;
}
bool isTls13(const ParseContext& ctx) {
  const auto v = tlsVersion(ctx);
  return v && *v >= 0x0304 && *v < 0x7f00;
}
bool isTls12OrEarlier(const ParseContext& ctx) {
  const auto v = tlsVersion(ctx);
  return v && *v <= 0x0303;
}

void guessNote(Cursor& c, const std::string& what) {
  c.flag(model::Severity::Info, c.offset(), what, model::DiagnosticCode::ParseGuess);
}

void clientHello(Cursor& c, ClientHello& m) {
  namespace t = text::clientHello;
  m.legacyVersion = c.u16(t::legacyVersion, versionName);
  m.random = copy(c.bytes(32, t::random));
  m.sessionId = copy(c.opaque(t::legacySessionId, 1, 0, 32));
  // DTLS versions (1.0, 1.2, 1.3 and OpenSSL's pre-RFC 0x0100) put a cookie here.
  const std::uint16_t v = m.legacyVersion;
  if (v == 0xFEFF || v == 0xFEFD || v == 0xFEFC || v == 0x0100) m.dtlsCookie = copy(c.opaque(t::dtlsCookie, 1, 0, 255));
  Cursor suites = c.vector(t::cipherSuites, 2, 2, 0xFFFE);
  if (suites.reader().remaining() % 2 != 0)
    suites.flag(model::Severity::Error, suites.offset(), suites.where() + ": odd length, cipher suites are 2 bytes");
  while (suites.ok() && suites.reader().remaining() >= 2)
    m.cipherSuites.push_back(suites.u16(t::cipherSuite, cipherSuiteName));
  suites.end();
  if (!c.lean()) suites.node().value = fmt::format("{} suite(s)", m.cipherSuites.size());
  Cursor comp = c.vector(t::compressionMethods, 1, 1, 255);
  while (comp.ok() && !comp.empty())
    m.compressionMethods.push_back(comp.u8(t::compressionMethod, compressionMethodName));
  comp.end();
  // Extensions may be absent in TLS 1.2 and earlier (RFC 5246 §7.4.1.2).
  if (c.ok() && !c.empty())
    detail::dissectExtensions(c, ExtWhere::ClientHello, 0, m.extensions, m.summary);
  c.end();
}

void serverHello(Cursor& c, ServerHello& m) {
  namespace t = text::serverHello;
  m.legacyVersion = c.u16(t::legacyVersion, versionName);
  std::size_t randomAt = c.offset();
  m.random = copy(c.bytes(32, t::random));
  if (m.random.size() == 32 && std::memcmp(m.random.data(), kHelloRetryRequestRandom, 32) == 0) {
    m.helloRetryRequest = true;
    for (auto& f : c.node().children)
      if (f.name == t::random.name && f.offset == randomAt) f.meaning = model::Text::literal(t::kHelloRetryRequestRandom);
  }
  m.sessionId = copy(c.opaque(t::legacySessionIdEcho, 1, 0, 32));
  m.cipherSuite = c.u16(t::cipherSuite, cipherSuiteName);
  m.compressionMethod = c.u8(t::compressionMethod, compressionMethodName);
  if (c.ok() && !c.empty())
    detail::dissectExtensions(c, m.helloRetryRequest ? ExtWhere::HelloRetryRequest : ExtWhere::ServerHello, 0,
                              m.extensions, m.summary);
  c.end();
  if (m.helloRetryRequest) c.node().name = "HelloRetryRequest";
}

void helloVerifyRequest(Cursor& c, HelloVerifyRequest& m) {
  m.serverVersion = c.u16(text::helloVerifyRequest::serverVersion, versionName);
  m.cookie = copy(c.opaque(text::helloVerifyRequest::cookie, 1, 0, 255));
  c.end();
}

bool looksLikeTls12Ticket(ByteView body) {
  if (body.size() < 6) return false;
  std::size_t len = (std::size_t{body[4]} << 8) | body[5];
  return 6 + len == body.size();
}

void newSessionTicket(Cursor& c, NewSessionTicket& m, const ParseContext& ctx, ByteView body) {
  m.tls13 = isTls13(ctx) || (!ctx.version && !looksLikeTls12Ticket(body));
  if (!m.tls13) {
    m.lifetime = c.u32(text::newSessionTicket12::lifetimeHint);
    m.ticket = copy(c.opaque(text::newSessionTicket12::ticket, 2, 0, 0xFFFF));
    return c.end();
  }
  namespace t = text::newSessionTicket;
  m.lifetime = c.u32(t::lifetime);
  m.ageAdd = c.u32(t::ageAdd);
  m.nonce = copy(c.opaque(t::nonce, 1, 0, 255));
  m.ticket = copy(c.opaque(t::ticket, 2, 1, 0xFFFF));
  ExtensionSummary unused;
  detail::dissectExtensions(c, ExtWhere::NewSessionTicket, 0, m.extensions, unused);
  c.end();
}

void certificate(Cursor& c, Certificate& m, const ParseContext& ctx, ByteView body) {
  namespace t = text::certificate;
  bool tls12Shape = body.size() >= 3 && ((std::size_t{body[0]} << 16) | (std::size_t{body[1]} << 8) | body[2]) + 3 ==
                                            body.size();
  m.tls13 = isTls13(ctx) || (!ctx.version && !tls12Shape);
  // TLS 1.2's fields read as TLS 1.3's, defined in RFC 5246's section.
  auto inVersion = [&](const FieldText& f) { return m.tls13 ? f : detail::inRfc(f, t::kTls12Rfc); };
  if (m.tls13) m.requestContext = copy(c.opaque(t::requestContext, 1, 0, 255));
  Cursor list = c.vector(inVersion(t::list), 3, 0, 0xFFFFFF);
  std::size_t index = 0;
  while (list.ok() && !list.empty()) {
    const FieldText entryText = inVersion(index == 0 ? t::endEntity : t::chainCertificate);
    std::string name = fmt::format("{}[{}]", entryText.name, index++);
    std::size_t start = list.offset();
    model::Field& node = list.leaf(name, start, 0, "", model::Text::literal(entryText.meaning),
                                   model::Text::literal(entryText.rfc));
    Cursor e(list.reader(), node, list.diags(), list.where() + "." + name, list.lean());
    CertificateEntry entry;
    Cursor der = e.vector(inVersion(t::certData), 3, 1, 0xFFFFFF);
    entry.derOffset = der.offset();
    ByteView derBytes = der.reader().rest();
    entry.der = copy(derBytes);
    if (!derBytes.empty())
      der.leaf(t::der, entry.derOffset, derBytes.size(), der.lean() ? std::string() : detail::hexPreview(derBytes, 16));
    if (!der.lean()) der.node().value = detail::hexPreview(derBytes, 16);
    if (m.tls13 && e.ok()) {
      ExtensionSummary unused;
      detail::dissectExtensions(e, ExtWhere::Certificate, 0, entry.extensions, unused);
    }
    e.check();
    list.reader() = e.reader();
    node.length = list.offset() - start;
    if (!list.lean()) node.value = fmt::format("{} byte(s) of DER", entry.der.size());
    bool bad = node.malformed;
    m.entries.push_back(std::move(entry));
    if (bad || !list.ok()) { list.markReported(); break; }
  }
  list.end();
  if (!list.lean()) list.node().value = fmt::format("{} certificate(s)", m.entries.size());
  c.end();
}

void signedParams(Cursor& c, ServerKeyExchange& m, const ParseContext& ctx) {
  namespace t = text::serverKeyExchange;
  // TLS 1.2 puts the algorithm before the signature (RFC 5246 §7.4.3); 1.0/1.1 do not.
  if (!ctx.version || *tlsVersion(ctx) >= 0x0303) m.signatureScheme = c.u16(t::signatureAlgorithm, signatureSchemeName);
  m.signature = copy(c.opaque(t::signature, 2, 0, 0xFFFF));
}

void serverKeyExchange(Cursor& c, ServerKeyExchange& m, const ParseContext& ctx, ByteView body) {
  namespace t = text::serverKeyExchange;
  m.kind = ctx.cipherSuite ? keyExchangeOf(*ctx.cipherSuite) : KeyExchange::Unknown;
  if (isPskExchange(m.kind)) {
    // RFC 4279 §2-4, RFC 5489 §2: the hint first, then (EC)DH parameters for
    // (EC)DHE_PSK, and no signature.
    m.pskIdentityHint = copy(c.opaque(t::pskIdentityHint, 2, 0, 0xFFFF, true));
  } else if (m.kind != KeyExchange::Ecdhe && m.kind != KeyExchange::Dhe) {
    bool ecdheShape = body.size() >= 4 && body[0] == 3 && 4 + std::size_t{body[3]} <= body.size();
    m.kind = ecdheShape ? KeyExchange::Ecdhe : KeyExchange::Dhe;
    if (!ctx.cipherSuite)
      guessNote(c, fmt::format("cipher suite unknown: ServerKeyExchange read as {} from its shape",
                               keyExchangeName(m.kind)));
  }
  if (m.kind == KeyExchange::Ecdhe || m.kind == KeyExchange::EcdhePsk) {
    std::size_t at = c.offset();
    std::uint8_t curveType = c.u8(t::curveType);
    if (c.ok() && curveType != 3)
      c.flag(model::Severity::Error, at, c.where() + ": curve_type must be 3 (named_curve)");
    m.namedGroup = c.u16(t::namedCurve, groupName);
    m.publicKey = copy(c.opaque(t::ecdhPublic, 1, 1, 255));
  } else if (m.kind == KeyExchange::Dhe || m.kind == KeyExchange::DhePsk) {
    m.dhP = copy(c.opaque(t::dhP, 2, 1, 0xFFFF));
    m.dhG = copy(c.opaque(t::dhG, 2, 1, 0xFFFF));
    m.publicKey = copy(c.opaque(t::dhYs, 2, 1, 0xFFFF));
  }
  if (!isPskExchange(m.kind)) signedParams(c, m, ctx);
  c.end();
}

void certificateRequest(Cursor& c, CertificateRequest& m, const ParseContext& ctx, ByteView body) {
  m.tls13 = isTls13(ctx) || (!ctx.version && !body.empty() && body[0] == 0);
  if (m.tls13) {
    m.requestContext = copy(c.opaque(text::certificateRequest::requestContext, 1, 0, 255));
    ExtensionSummary summary;
    detail::dissectExtensions(c, ExtWhere::CertificateRequest, 2, m.extensions, summary);
    m.signatureAlgorithms = summary.signatureAlgorithms;
    return c.end();
  }
  namespace t = text::certificateRequest12;
  Cursor types = c.vector(t::certificateTypes, 1, 1, 255);
  while (types.ok() && !types.empty())
    m.certificateTypes.push_back(types.u8(t::certificateType, clientCertificateTypeName));
  types.end();
  if (isTls12OrEarlier(ctx) && *tlsVersion(ctx) < 0x0303) {
    // TLS 1.0/1.1 have no signature algorithm list here.
  } else {
    Cursor algs = c.vector(t::signatureAlgorithms, 2, 2, 0xFFFE);
    while (algs.ok() && algs.reader().remaining() >= 2)
      m.signatureAlgorithms.push_back(algs.u16(t::signatureAlgorithm, signatureSchemeName));
    algs.end();
  }
  Cursor cas = c.vector(t::certificateAuthorities, 2, 0, 0xFFFF);
  while (cas.ok() && !cas.empty())
    m.certificateAuthorities.push_back(copy(cas.opaque(t::distinguishedName, 2, 1, 0xFFFF)));
  cas.end();
  c.end();
}

void clientKeyExchange(Cursor& c, ClientKeyExchange& m, const ParseContext& ctx, ByteView body) {
  namespace t = text::clientKeyExchange;
  m.kind = ctx.cipherSuite ? keyExchangeOf(*ctx.cipherSuite) : KeyExchange::Unknown;
  if (isPskExchange(m.kind)) {
    m.pskIdentity = copy(c.opaque(t::pskIdentity, 2, 0, 0xFFFF, true));
  } else if (m.kind != KeyExchange::Ecdhe && m.kind != KeyExchange::Dhe && m.kind != KeyExchange::Rsa) {
    bool ecShape = !body.empty() && std::size_t{body[0]} + 1 == body.size();
    m.kind = ecShape ? KeyExchange::Ecdhe : KeyExchange::Rsa;
    guessNote(c, fmt::format("cipher suite unknown: ClientKeyExchange read as {} from its shape",
                             ecShape ? "ECDHE" : "RSA or DHE (2-byte length)"));
  }
  switch (m.kind) {
    case KeyExchange::Psk: break;  // the identity is all (RFC 4279 §2)
    case KeyExchange::Ecdhe: m.exchange = copy(c.opaque(t::ecdhYc, 1, 1, 255)); break;
    case KeyExchange::EcdhePsk: m.exchange = copy(c.opaque(t::ecdhePskYc, 1, 1, 255)); break;
    case KeyExchange::Dhe: m.exchange = copy(c.opaque(t::dhYc, 2, 1, 0xFFFF)); break;
    case KeyExchange::DhePsk: m.exchange = copy(c.opaque(t::dhePskYc, 2, 1, 0xFFFF)); break;
    case KeyExchange::RsaPsk: m.exchange = copy(c.opaque(t::rsaPskEncryptedPreMasterSecret, 2, 0, 0xFFFF)); break;
    case KeyExchange::Rsa:
    default:
      // SSL 3.0 sends the RSA block without a length, unless the first two
      // bytes happen to be exactly its length (a TLS-style SSL 3.0 client).
      // OpenSSL's pre-RFC DTLS (0x0100) did the same.
      if (ctx.version && (*ctx.version == 0x0300 || *ctx.version == 0x0100) && m.kind == KeyExchange::Rsa &&
          !(body.size() >= 2 && std::size_t{body[0]} * 256 + body[1] + 2 == body.size()))
        m.exchange = copy(c.rest(t::ssl3EncryptedPreMasterSecret));
      else
        m.exchange = copy(c.opaque(t::encryptedPreMasterSecret, 2, 0, 0xFFFF));
      break;
  }
  c.end();
}

void certificateVerify(Cursor& c, CertificateVerify& m, const ParseContext& ctx) {
  namespace t = text::certificateVerify;
  // TLS 1.2's fields read as TLS 1.3's, defined in RFC 5246's section.
  auto inVersion = [&](const FieldText& f) { return isTls13(ctx) ? f : detail::inRfc(f, t::kTls12Rfc); };
  if (!ctx.version || *tlsVersion(ctx) >= 0x0303) m.scheme = c.u16(inVersion(t::algorithm), signatureSchemeName);
  m.signature = copy(c.opaque(inVersion(t::signature), 2, 0, 0xFFFF));
  c.end();
}

void finished(Cursor& c, Finished& m) {
  std::size_t at = c.offset();
  m.verifyData = copy(c.rest(text::finished::verifyData));
  if (m.verifyData.empty()) c.flag(model::Severity::Error, at, c.where() + ": verify_data is empty");
}

void certificateStatus(Cursor& c, CertificateStatus& m) {
  m.statusType = c.u8(text::certificateStatus::statusType, certificateStatusTypeName);
  m.response = copy(c.opaque(text::certificateStatus::ocspResponse, 3, 1, 0xFFFFFF));
  c.end();
}

const char* keyUpdateName(std::uint8_t v) {
  switch (v) {
    case 0: return "update_not_requested";
    case 1: return "update_requested";
    default: return nullptr;
  }
}

void keyUpdate(Cursor& c, KeyUpdate& m) {
  std::size_t at = c.offset();
  m.requestUpdate = c.u8(text::keyUpdate::requestUpdate, keyUpdateName);
  if (c.ok() && m.requestUpdate > 1)
    c.flag(model::Severity::Error, at, c.where() + ": request_update must be 0 or 1 (illegal_parameter)");
  c.end();
}

void compressedCertificate(Cursor& c) {
  namespace t = text::compressedCertificate;
  c.u16(t::algorithm, certCompressionAlgorithmName);
  c.u24(t::uncompressedLength);
  c.opaque(t::message, 3, 1, 0xFFFFFF);
  c.end();
}

void emptyBody(Cursor& c) { c.end(); }
MessageBody parseBody(Cursor& c, std::uint8_t type, ByteView body, const ParseContext& ctx) {
  switch (type) {
    case 0: emptyBody(c); return HelloRequest{};
    case 1: { ClientHello m; clientHello(c, m); return m; }
    case 2: { ServerHello m; serverHello(c, m); return m; }
    case 3: { HelloVerifyRequest m; helloVerifyRequest(c, m); return m; }
    case 4: { NewSessionTicket m; newSessionTicket(c, m, ctx, body); return m; }
    case 5: emptyBody(c); return EndOfEarlyData{};
    case 8: {
      EncryptedExtensions m;
      detail::dissectExtensions(c, ExtWhere::EncryptedExtensions, 0, m.extensions, m.summary);
      c.end();
      return m;
    }
    case 11: { Certificate m; certificate(c, m, ctx, body); return m; }
    case 12: { ServerKeyExchange m; serverKeyExchange(c, m, ctx, body); return m; }
    case 13: { CertificateRequest m; certificateRequest(c, m, ctx, body); return m; }
    case 14: emptyBody(c); return ServerHelloDone{};
    case 15: { CertificateVerify m; certificateVerify(c, m, ctx); return m; }
    case 16: { ClientKeyExchange m; clientKeyExchange(c, m, ctx, body); return m; }
    case 20: { Finished m; finished(c, m); return m; }
    case 22: { CertificateStatus m; certificateStatus(c, m); return m; }
    case 24: { KeyUpdate m; keyUpdate(c, m); return m; }
    case 25: { compressedCertificate(c); return UnknownMessage{copy(body)}; }
    case 254: {
      MessageHash m;
      m.hash = copy(c.rest(text::messageHash::hash));
      return m;
    }
    default: {
      c.flag(model::Severity::Warning, 0, fmt::format("unknown handshake message type {}; body kept as bytes", type),
             model::DiagnosticCode::UnknownMessage);
      if (!c.empty()) c.rest(text::handshake::unknownBody);
      return UnknownMessage{copy(body)};
    }
  }
}

}  // namespace

std::uint16_t ServerHello::negotiatedVersion() const {
  return summary.supportedVersions.empty() ? legacyVersion : summary.supportedVersions.front();
}

bool HandshakeMessage::ok() const {
  return std::none_of(diagnostics.begin(), diagnostics.end(),
                      [](const model::Diagnostic& d) { return d.severity == model::Severity::Error; });
}

const char* handshakeTypeDisplay(std::uint8_t type) {
  if (const char* n = handshakeTypeName(type)) return n;
  // An unassigned value reads as everywhere else: "handshake type 7".
  static const std::array<std::string, 256> unassigned = [] {
    std::array<std::string, 256> labels;
    for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = handshakeTypeLabel(static_cast<std::uint8_t>(i));
    return labels;
  }();
  return unassigned[type].c_str();
}

HandshakeMessage parseHandshakeMessage(ByteView bytes, const ParseContext& context, FieldDetail detail) {
  const bool lean = detail == FieldDetail::Lean;
  HandshakeMessage msg;
  msg.tree.offset = 0;
  msg.tree.length = bytes.size();
  ByteReader header(bytes);
  msg.type = header.u8("Handshake.msg_type");
  msg.length = header.u24("Handshake.length");
  std::string name = handshakeTypeLabel(msg.type);
  if (!lean) {
    msg.tree.name = name;
    msg.tree.meaning = model::Text::literal(handshakeTypeMeaning(msg.type));
    msg.tree.rfc = model::Text::literal(handshakeTypeRfc(msg.type));
    msg.tree.value = describeCode(msg.type, handshakeTypeName(msg.type), 2);
  }
  Cursor top(ByteReader(bytes), msg.tree, msg.diagnostics, name, lean);
  top.u8(text::handshake::msgType, handshakeTypeName);
  std::size_t lengthAt = top.offset();
  top.u24(text::handshake::length);
  if (!top.ok()) {
    top.check();
    msg.body = UnknownMessage{};
    return msg;
  }
  std::size_t available = top.reader().remaining();
  std::size_t bodyLength = msg.length;
  if (bodyLength > available) {
    top.flag(model::Severity::Error, lengthAt,
             fmt::format("{}.length: says {} byte(s) but only {} present (truncated message)", name, msg.length,
                         available),
             model::DiagnosticCode::Truncated);
    bodyLength = available;  // parse what is there: each field then reports its own truncation
  }
  ByteReader bodyReader = top.reader().sub(bodyLength, name + ".body");
  ByteView body = bytes.subspan(4, bodyLength);
  Cursor c(bodyReader, msg.tree, msg.diagnostics, name, lean);
  msg.body = parseBody(c, msg.type, body, context);
  c.check();
  top.end();  // bytes after the declared length
  if (lean) return msg;
  if (std::holds_alternative<ServerHello>(msg.body) && std::get<ServerHello>(msg.body).helloRetryRequest)
    msg.tree.meaning = model::Text::literal(text::handshake::kHelloRetryRequest);
  if (msg.tree.malformed) msg.tree.value += " (malformed)";
  return msg;
}

void updateContext(ParseContext& context, const HandshakeMessage& message) {
  if (const auto* sh = message.as<ServerHello>()) {
    context.version = sh->negotiatedVersion();
    context.cipherSuite = sh->cipherSuite;
  } else if (const auto* ske = message.as<ServerKeyExchange>()) {
    if (ske->kind == KeyExchange::Ecdhe || ske->kind == KeyExchange::EcdhePsk) context.ecdheGroup = ske->namedGroup;
  }
}

}  // namespace tlslab::wire
