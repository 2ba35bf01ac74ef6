// Handshake message bodies (RFC 8446 §4, RFC 5246 §7.4), each parsed into a
// value type and a field tree in one pass over a ByteReader.
#include "tlslab/wire/Messages.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include <fmt/format.h>

#include "Cursor.hpp"
#include "Extensions.hpp"

namespace tlslab::wire {

// SHA-256("HelloRetryRequest"), RFC 8446 §4.1.3.
const std::uint8_t kHelloRetryRequestRandom[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

using detail::Cursor;
using detail::ExtWhere;

namespace {

Bytes copy(ByteView v) { return Bytes(v.begin(), v.end()); }

bool isTls13(const ParseContext& ctx) { return ctx.version && *ctx.version >= 0x0304 && *ctx.version < 0x7f00; }
bool isTls12OrEarlier(const ParseContext& ctx) { return ctx.version && *ctx.version <= 0x0303; }

void guessNote(Cursor& c, const std::string& what) {
  c.flag(model::Severity::Info, c.offset(), what, model::DiagnosticCode::ParseGuess);
}

void clientHello(Cursor& c, ClientHello& m) {
  const char* rfc = "RFC 8446 §4.1.2";
  m.legacyVersion = c.u16("legacy_version",
                          "Highest version for TLS 1.2 peers; TLS 1.3 clients put 0x0303 here and list real versions "
                          "in supported_versions.",
                          rfc, versionName);
  m.random = copy(c.bytes(32, "random",
                          "32 bytes the client chose at random; they go into every key derivation, so each "
                          "connection gets fresh keys.",
                          rfc));
  m.sessionId = copy(c.opaque("legacy_session_id", 1, 0, 32,
                              "A session to resume (TLS 1.2), or 32 random bytes in TLS 1.3 middlebox "
                              "compatibility mode.",
                              rfc));
  Cursor suites = c.vector("cipher_suites", 2, 2, 0xFFFE,
                           "Cipher suites the client supports, most preferred first; the server picks one.", rfc);
  if (suites.reader().remaining() % 2 != 0)
    suites.flag(model::Severity::Error, suites.offset(), suites.where() + ": odd length, cipher suites are 2 bytes");
  while (suites.ok() && suites.reader().remaining() >= 2)
    m.cipherSuites.push_back(suites.u16("cipher_suite", "One cipher suite the client offers.", rfc, cipherSuiteName));
  suites.end();
  if (!c.lean()) suites.node().value = fmt::format("{} suite(s)", m.cipherSuites.size());
  Cursor comp = c.vector("legacy_compression_methods", 1, 1, 255,
                         "Compression methods; must be exactly [0] (null) in TLS 1.3.", rfc);
  while (comp.ok() && !comp.empty())
    m.compressionMethods.push_back(comp.u8("compression_method", "0 = no compression.", rfc, compressionMethodName));
  comp.end();
  // Extensions may be absent in TLS 1.2 and earlier (RFC 5246 §7.4.1.2).
  if (c.ok() && !c.empty())
    detail::dissectExtensions(c, ExtWhere::ClientHello, 0, m.extensions, m.summary);
  c.end();
}

void serverHello(Cursor& c, ServerHello& m) {
  const char* rfc = "RFC 8446 §4.1.3";
  m.legacyVersion = c.u16("legacy_version",
                          "Version for TLS 1.2 peers; a TLS 1.3 server puts 0x0303 here and the real one in "
                          "supported_versions.",
                          rfc, versionName);
  std::size_t randomAt = c.offset();
  m.random = copy(c.bytes(32, "random",
                          "32 random bytes from the server; with the client random they make every key unique "
                          "to this connection.",
                          rfc));
  if (m.random.size() == 32 && std::memcmp(m.random.data(), kHelloRetryRequestRandom, 32) == 0) {
    m.helloRetryRequest = true;
    for (auto& f : c.node().children)
      if (f.name == "random" && f.offset == randomAt)
        f.meaning = "The fixed value SHA-256(\"HelloRetryRequest\"): this is a HelloRetryRequest, asking the client "
                    "to try again.";
  }
  m.sessionId = copy(c.opaque("legacy_session_id_echo", 1, 0, 32,
                              "The client's session id echoed back (TLS 1.3), or the session id for resumption "
                              "(TLS 1.2).",
                              rfc));
  m.cipherSuite = c.u16("cipher_suite", "The one cipher suite the server chose from the client's list.", rfc,
                        cipherSuiteName);
  m.compressionMethod = c.u8("legacy_compression_method", "Always 0 (no compression).", rfc, compressionMethodName);
  if (c.ok() && !c.empty())
    detail::dissectExtensions(c, m.helloRetryRequest ? ExtWhere::HelloRetryRequest : ExtWhere::ServerHello, 0,
                              m.extensions, m.summary);
  c.end();
  if (m.helloRetryRequest) c.node().name = "HelloRetryRequest";
}

void helloVerifyRequest(Cursor& c, HelloVerifyRequest& m) {
  m.serverVersion = c.u16("server_version", "DTLS version of the server.", "RFC 6347 §4.2.1", versionName);
  m.cookie = copy(c.opaque("cookie", 1, 0, 255, "Stateless cookie the client must return to prove its address.",
                           "RFC 6347 §4.2.1"));
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
    const char* rfc = "RFC 5077 §3.3";
    m.lifetime = c.u32("ticket_lifetime_hint", "Seconds the client may keep the ticket (0 = unspecified).", rfc);
    m.ticket = copy(c.opaque("ticket", 2, 0, 0xFFFF,
                             "The session state, encrypted under a key only the server knows; the client presents it "
                             "to resume.",
                             rfc));
    return c.end();
  }
  const char* rfc = "RFC 8446 §4.6.1";
  m.lifetime = c.u32("ticket_lifetime", "Seconds this ticket may be used (at most 7 days).", rfc);
  m.ageAdd = c.u32("ticket_age_add", "Random value the client adds to the ticket age to hide it from observers.", rfc);
  m.nonce = copy(c.opaque("ticket_nonce", 1, 0, 255,
                          "Per-ticket value; the resumption PSK is HKDF-Expand-Label(resumption_master_secret, "
                          "\"resumption\", nonce).",
                          rfc));
  m.ticket = copy(c.opaque("ticket", 2, 1, 0xFFFF, "Opaque label the client sends back as a PSK identity.", rfc));
  ExtensionSummary unused;
  detail::dissectExtensions(c, ExtWhere::NewSessionTicket, 0, m.extensions, unused);
  c.end();
}

void certificate(Cursor& c, Certificate& m, const ParseContext& ctx, ByteView body) {
  bool tls12Shape = body.size() >= 3 && ((std::size_t{body[0]} << 16) | (std::size_t{body[1]} << 8) | body[2]) + 3 ==
                                            body.size();
  m.tls13 = isTls13(ctx) || (!ctx.version && !tls12Shape);
  const char* rfc = m.tls13 ? "RFC 8446 §4.4.2" : "RFC 5246 §7.4.2";
  if (m.tls13)
    m.requestContext = copy(c.opaque("certificate_request_context", 1, 0, 255,
                                     "Empty in the handshake; echoes the CertificateRequest context for post-handshake "
                                     "authentication.",
                                     rfc));
  Cursor list = c.vector("certificate_list", 3, 0, 0xFFFFFF,
                         "The sender's certificate first, then the chain towards a root CA.", rfc);
  std::size_t index = 0;
  while (list.ok() && !list.empty()) {
    std::string name = fmt::format("certificate[{}]", index++);
    std::size_t start = list.offset();
    model::Field& node =
        list.leaf(name, start, 0, "", index == 1 ? "The end-entity (leaf) certificate." : "An intermediate or root CA "
                                                                                          "certificate in the chain.",
                  rfc);
    Cursor e(list.reader(), node, list.diags(), list.where() + "." + name, list.lean());
    CertificateEntry entry;
    Cursor der = e.vector("cert_data", 3, 1, 0xFFFFFF, "The X.509 certificate in DER encoding.", rfc);
    entry.derOffset = der.offset();
    ByteView derBytes = der.reader().rest();
    entry.der = copy(derBytes);
    if (!derBytes.empty())
      der.leaf("der", entry.derOffset, derBytes.size(), der.lean() ? std::string() : detail::hexPreview(derBytes, 16),
               "The certificate itself: subject, issuer, validity, public key, extensions and the CA's signature.",
               "RFC 5280 §4.1");
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
  // TLS 1.2 puts the algorithm before the signature (RFC 5246 §7.4.3); 1.0/1.1 do not.
  if (!ctx.version || *ctx.version >= 0x0303)
    m.signatureScheme = c.u16("signature_algorithm", "The algorithm of the signature that follows.",
                              "RFC 5246 §7.4.1.4.1", signatureSchemeName);
  m.signature = copy(c.opaque("signature",
                              2, 0, 0xFFFF,
                              "The server's signature over both randoms and these parameters, made with its "
                              "certificate key: proves the key share is the server's.",
                              "RFC 5246 §7.4.3"));
}

void serverKeyExchange(Cursor& c, ServerKeyExchange& m, const ParseContext& ctx, ByteView body) {
  m.kind = ctx.cipherSuite ? keyExchangeOf(*ctx.cipherSuite) : KeyExchange::Unknown;
  if (m.kind != KeyExchange::Ecdhe && m.kind != KeyExchange::Dhe) {
    bool ecdheShape = body.size() >= 4 && body[0] == 3 && 4 + std::size_t{body[3]} <= body.size();
    m.kind = ecdheShape ? KeyExchange::Ecdhe : KeyExchange::Dhe;
    if (!ctx.cipherSuite)
      guessNote(c, fmt::format("cipher suite unknown: ServerKeyExchange read as {} from its shape",
                               keyExchangeName(m.kind)));
  }
  if (m.kind == KeyExchange::Ecdhe) {
    const char* rfc = "RFC 8422 §5.4";
    std::size_t at = c.offset();
    std::uint8_t curveType = c.u8("curve_type", "3 = named_curve: the group is named by the next field.", rfc);
    if (c.ok() && curveType != 3)
      c.flag(model::Severity::Error, at, c.where() + ": curve_type must be 3 (named_curve)");
    m.namedGroup = c.u16("named_curve", "The elliptic curve (group) for this ECDHE exchange.", rfc, groupName);
    m.publicKey = copy(c.opaque("public", 1, 1, 255, "The server's ephemeral ECDH public key.", rfc));
  } else {
    const char* rfc = "RFC 5246 §7.4.3";
    m.dhP = copy(c.opaque("dh_p", 2, 1, 0xFFFF, "The prime modulus of the Diffie-Hellman group.", rfc));
    m.dhG = copy(c.opaque("dh_g", 2, 1, 0xFFFF, "The generator of the Diffie-Hellman group.", rfc));
    m.publicKey = copy(c.opaque("dh_Ys", 2, 1, 0xFFFF, "The server's ephemeral DH public value g^x mod p.", rfc));
  }
  signedParams(c, m, ctx);
  c.end();
}

void certificateRequest(Cursor& c, CertificateRequest& m, const ParseContext& ctx, ByteView body) {
  m.tls13 = isTls13(ctx) || (!ctx.version && !body.empty() && body[0] == 0);
  if (m.tls13) {
    const char* rfc = "RFC 8446 §4.3.2";
    m.requestContext = copy(c.opaque("certificate_request_context", 1, 0, 255,
                                     "Identifies this request; empty in the handshake, the client echoes it.", rfc));
    ExtensionSummary summary;
    detail::dissectExtensions(c, ExtWhere::CertificateRequest, 2, m.extensions, summary);
    m.signatureAlgorithms = summary.signatureAlgorithms;
    return c.end();
  }
  const char* rfc = "RFC 5246 §7.4.4";
  Cursor types = c.vector("certificate_types", 1, 1, 255, "Kinds of client certificate key the server accepts.", rfc);
  while (types.ok() && !types.empty())
    m.certificateTypes.push_back(
        types.u8("certificate_type", "A client certificate key type.", rfc, clientCertificateTypeName));
  types.end();
  if (isTls12OrEarlier(ctx) && *ctx.version < 0x0303) {
    // TLS 1.0/1.1 have no signature algorithm list here.
  } else {
    Cursor algs = c.vector("supported_signature_algorithms", 2, 2, 0xFFFE,
                           "Signature algorithms the server accepts in the client's CertificateVerify.", rfc);
    while (algs.ok() && algs.reader().remaining() >= 2)
      m.signatureAlgorithms.push_back(
          algs.u16("signature_algorithm", "An acceptable signature algorithm.", rfc, signatureSchemeName));
    algs.end();
  }
  Cursor cas = c.vector("certificate_authorities", 2, 0, 0xFFFF,
                        "Names of CAs whose certificates the server accepts (empty = any).", rfc);
  while (cas.ok() && !cas.empty())
    m.certificateAuthorities.push_back(
        copy(cas.opaque("distinguished_name", 2, 1, 0xFFFF, "DER X.501 name of an acceptable CA.", rfc)));
  cas.end();
  c.end();
}

void clientKeyExchange(Cursor& c, ClientKeyExchange& m, const ParseContext& ctx, ByteView body) {
  m.kind = ctx.cipherSuite ? keyExchangeOf(*ctx.cipherSuite) : KeyExchange::Unknown;
  if (m.kind != KeyExchange::Ecdhe && m.kind != KeyExchange::Dhe && m.kind != KeyExchange::Rsa) {
    bool ecShape = !body.empty() && std::size_t{body[0]} + 1 == body.size();
    m.kind = ecShape ? KeyExchange::Ecdhe : KeyExchange::Rsa;
    guessNote(c, fmt::format("cipher suite unknown: ClientKeyExchange read as {} from its shape",
                             ecShape ? "ECDHE" : "RSA or DHE (2-byte length)"));
  }
  switch (m.kind) {
    case KeyExchange::Ecdhe:
      m.exchange = copy(c.opaque("ecdh_Yc", 1, 1, 255,
                                 "The client's ephemeral ECDH public key; with the server's it gives the pre-master "
                                 "secret.",
                                 "RFC 8422 §5.7"));
      break;
    case KeyExchange::Dhe:
      m.exchange = copy(c.opaque("dh_Yc", 2, 1, 0xFFFF, "The client's ephemeral DH public value.", "RFC 5246 §7.4.7.2"));
      break;
    case KeyExchange::Rsa:
    default:
      m.exchange = copy(c.opaque("encrypted_pre_master_secret", 2, 0, 0xFFFF,
                                 "48-byte pre-master secret encrypted to the server's RSA key; whoever has that "
                                 "private key can decrypt the whole session (no forward secrecy).",
                                 "RFC 5246 §7.4.7.1"));
      break;
  }
  c.end();
}

void certificateVerify(Cursor& c, CertificateVerify& m, const ParseContext& ctx) {
  const char* rfc = isTls13(ctx) ? "RFC 8446 §4.4.3" : "RFC 5246 §7.4.8";
  if (!ctx.version || *ctx.version >= 0x0303)
    m.scheme = c.u16("algorithm", "The signature algorithm used.", rfc, signatureSchemeName);
  m.signature = copy(c.opaque("signature", 2, 0, 0xFFFF,
                              "Signature over the handshake transcript with the certificate's private key: proves "
                              "the sender owns the certificate.",
                              rfc));
  c.end();
}

void finished(Cursor& c, Finished& m) {
  std::size_t at = c.offset();
  m.verifyData = copy(c.rest("verify_data",
                             "HMAC (1.3) or PRF (1.2) over the whole handshake transcript: proves both sides saw "
                             "the same messages and hold the same keys.",
                             "RFC 8446 §4.4.4"));
  if (m.verifyData.empty()) c.flag(model::Severity::Error, at, c.where() + ": verify_data is empty");
}

void certificateStatus(Cursor& c, CertificateStatus& m) {
  m.statusType = c.u8("status_type", "1 = OCSP.", "RFC 6066 §8", certificateStatusTypeName);
  m.response = copy(c.opaque("ocsp_response", 3, 1, 0xFFFFFF, "A stapled OCSP response for the server certificate.",
                             "RFC 6066 §8"));
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
  m.requestUpdate = c.u8("request_update",
                         "Whether the peer should update its sending keys too; the sender switches keys right after "
                         "this message.",
                         "RFC 8446 §4.6.3", keyUpdateName);
  if (c.ok() && m.requestUpdate > 1)
    c.flag(model::Severity::Error, at, c.where() + ": request_update must be 0 or 1 (illegal_parameter)");
  c.end();
}

void compressedCertificate(Cursor& c) {
  const char* rfc = "RFC 8879 §4";
  c.u16("algorithm", "The compression algorithm.", rfc, certCompressionAlgorithmName);
  c.u24("uncompressed_length", "Size of the Certificate message after decompression.", rfc);
  c.opaque("compressed_certificate_message", 3, 1, 0xFFFFFF, "The compressed Certificate message.", rfc);
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
      m.hash = copy(c.rest("hash", "Hash of ClientHello1, replacing it in the transcript after a HelloRetryRequest.",
                           "RFC 8446 §4.4.1"));
      return m;
    }
    default: {
      c.flag(model::Severity::Warning, 0, fmt::format("unknown handshake message type {}; body kept as bytes", type),
             model::DiagnosticCode::UnknownMessage);
      if (!c.empty()) c.rest("body", "Contents of an unknown handshake message.", "RFC 8446 §4");
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
    msg.tree.meaning = handshakeTypeMeaning(msg.type);
    msg.tree.rfc = handshakeTypeRfc(msg.type);
    msg.tree.value = describeCode(msg.type, handshakeTypeName(msg.type), 2);
  }
  Cursor top(ByteReader(bytes), msg.tree, msg.diagnostics, name, lean);
  top.u8("msg_type", "Which handshake message this is.", "RFC 8446 §4", handshakeTypeName);
  std::size_t lengthAt = top.offset();
  top.u24("length", "Length of the message body that follows (excluding this 4-byte header).", "RFC 8446 §4");
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
    msg.tree.meaning = "HelloRetryRequest: a ServerHello with a special random; the server needs a different key "
                       "share (or a cookie) and asks the client to send a new ClientHello.";
  if (msg.tree.malformed) msg.tree.value += " (malformed)";
  return msg;
}

void updateContext(ParseContext& context, const HandshakeMessage& message) {
  if (const auto* sh = message.as<ServerHello>()) {
    context.version = sh->negotiatedVersion();
    context.cipherSuite = sh->cipherSuite;
  } else if (const auto* ske = message.as<ServerKeyExchange>()) {
    if (ske->kind == KeyExchange::Ecdhe) context.ecdheGroup = ske->namedGroup;
  }
}

}  // namespace tlslab::wire
