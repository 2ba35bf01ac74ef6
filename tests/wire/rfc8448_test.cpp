// Byte-exact parsing of every plaintext handshake message in RFC 8448
// ("Example Handshake Traces for TLS 1.3"), using the transcription in
// tests/support/Rfc8448.cpp, with field values asserted against the RFC.
#include <gtest/gtest.h>

#include "WireTestUtil.hpp"
#include "support/Rfc8448.hpp"
#include "tlslab/wire/Explain.hpp"
#include "tlslab/wire/Handshake.hpp"
#include "tlslab/wire/Messages.hpp"
#include "tlslab/wire/Record.hpp"

namespace tlslab::wire {
namespace {

namespace r8448 = test::rfc8448;

// Parses `bytes`, expecting exactly one message of `type` with no error.
HandshakeMessage parseOk(const Bytes& bytes, std::uint8_t type, ParseContext& ctx) {
  HandshakeMessage m = parseHandshakeMessage(bytes, ctx);
  EXPECT_EQ(m.type, type);
  EXPECT_EQ(testutil::errorCount(m.diagnostics), 0u) << testutil::dump(m.diagnostics);
  EXPECT_FALSE(std::holds_alternative<UnknownMessage>(m.body));
  EXPECT_EQ(m.tree.length, bytes.size());
  updateContext(ctx, m);
  return m;
}

TEST(Rfc8448, EveryHandshakeMessageOfAllFiveTracesParsesWithoutDiagnostics) {
  for (const r8448::Trace* t : r8448::allTraces()) {
    SCOPED_TRACE("RFC 8448 §" + t->section + " " + t->title);
    ParseContext ctx;
    struct Item { const Bytes* bytes; std::uint8_t type; };
    std::vector<Item> items = {{&t->clientHello1, 1},        {&t->helloRetryRequest, 2},
                               {&t->clientHello, 1},         {&t->serverHello, 2},
                               {&t->encryptedExtensions, 8}, {&t->certificateRequest, 13},
                               {&t->certificate, 11},        {&t->certificateVerify, 15},
                               {&t->serverFinished, 20},     {&t->endOfEarlyData, 5},
                               {&t->clientCertificate, 11},  {&t->clientCertificateVerify, 15},
                               {&t->clientFinished, 20},     {&t->newSessionTicket, 4}};
    std::size_t parsed = 0;
    for (const Item& item : items) {
      if (item.bytes->empty()) continue;
      parseOk(*item.bytes, item.type, ctx);
      ++parsed;
    }
    EXPECT_GE(parsed, 6u);
  }
}

TEST(Rfc8448, Simple1RttFieldValues) {
  const auto& t = r8448::simple1Rtt();
  ParseContext ctx;
  HandshakeMessage ch = parseOk(t.clientHello, 1, ctx);
  const auto* hello = ch.as<ClientHello>();
  ASSERT_NE(hello, nullptr);
  // §3: cipher suites 13 01 13 03 13 02; key_share x25519; SNI "server".
  EXPECT_EQ(hello->cipherSuites, (std::vector<std::uint16_t>{0x1301, 0x1303, 0x1302}));
  ASSERT_EQ(hello->summary.keyShares.size(), 1u);
  EXPECT_EQ(hello->summary.keyShares[0].group, 0x001d);
  EXPECT_EQ(hello->summary.keyShares[0].keyExchange, t.clientPublicKey);
  EXPECT_EQ(hello->summary.serverName, "server");
  EXPECT_EQ(hello->summary.supportedVersions, (std::vector<std::uint16_t>{0x0304}));
  EXPECT_EQ(hello->extensions.size(), 9u);
  const model::Field* kx = model::findField(ch.tree, "key_share/key_exchange/data");
  ASSERT_NE(kx, nullptr);
  EXPECT_EQ(kx->length, 32u);
  EXPECT_EQ(kx->value, toHex(t.clientPublicKey));

  HandshakeMessage sh = parseOk(t.serverHello, 2, ctx);
  const auto* server = sh.as<ServerHello>();
  ASSERT_NE(server, nullptr);
  EXPECT_FALSE(server->helloRetryRequest);
  EXPECT_EQ(server->cipherSuite, 0x1301);
  EXPECT_EQ(server->negotiatedVersion(), 0x0304);
  ASSERT_EQ(server->summary.keyShares.size(), 1u);
  EXPECT_EQ(server->summary.keyShares[0].keyExchange, t.serverPublicKey);
  EXPECT_EQ(ctx.version, 0x0304);

  HandshakeMessage ee = parseOk(t.encryptedExtensions, 8, ctx);
  EXPECT_EQ(ee.as<EncryptedExtensions>()->summary.supportedGroups.size(), 9u);

  HandshakeMessage cert = parseOk(t.certificate, 11, ctx);
  const auto* c = cert.as<Certificate>();
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->tls13);
  EXPECT_TRUE(c->requestContext.empty());
  ASSERT_EQ(c->entries.size(), 1u);
  EXPECT_EQ(c->entries[0].der.size(), 0x1b0u);  // "00 01 b0 30 82 01 ac"
  EXPECT_EQ(c->entries[0].der[0], 0x30);         // a DER SEQUENCE
  EXPECT_EQ(c->entries[0].derOffset, 4u + 1 + 3 + 3);

  HandshakeMessage cv = parseOk(t.certificateVerify, 15, ctx);
  EXPECT_EQ(cv.as<CertificateVerify>()->scheme, 0x0804);  // rsa_pss_rsae_sha256
  EXPECT_EQ(cv.as<CertificateVerify>()->signature.size(), 128u);

  HandshakeMessage sf = parseOk(t.serverFinished, 20, ctx);
  EXPECT_EQ(sf.as<Finished>()->verifyData, t.serverVerifyData);
  HandshakeMessage cf = parseOk(t.clientFinished, 20, ctx);
  EXPECT_EQ(cf.as<Finished>()->verifyData, t.clientVerifyData);

  HandshakeMessage nst = parseOk(t.newSessionTicket, 4, ctx);
  const auto* ticket = nst.as<NewSessionTicket>();
  ASSERT_NE(ticket, nullptr);
  EXPECT_TRUE(ticket->tls13);
  EXPECT_EQ(ticket->lifetime, 30u);
  EXPECT_EQ(ticket->ageAdd, 0xfad6aac5u);
  EXPECT_EQ(ticket->nonce, t.ticketNonce);
  EXPECT_EQ(ticket->ticket.size(), 0xb2u);
  const model::Field* early = model::findField(nst.tree, "max_early_data_size");
  ASSERT_NE(early, nullptr);
  EXPECT_EQ(early->value, "1024");
}

TEST(Rfc8448, Resumed0RttPskIdentityAndBinder) {
  const auto& t = r8448::resumed0Rtt();
  ParseContext ctx;
  HandshakeMessage ch = parseOk(t.clientHello, 1, ctx);
  const auto* hello = ch.as<ClientHello>();
  ASSERT_NE(hello, nullptr);
  ASSERT_EQ(hello->summary.pskIdentities.size(), 1u);
  EXPECT_EQ(hello->summary.pskIdentities[0].identity.size(), 0xb2u);  // the §3 ticket
  // The identity is the ticket the §3 server issued.
  HandshakeMessage nst = parseHandshakeMessage(r8448::simple1Rtt().newSessionTicket);
  ASSERT_NE(nst.as<NewSessionTicket>(), nullptr);
  EXPECT_EQ(hello->summary.pskIdentities[0].identity, nst.as<NewSessionTicket>()->ticket);
  // "fa d6 aa cb" in §4: the §3 ticket_age_add (fad6aac5) plus a 6 ms ticket age.
  EXPECT_EQ(hello->summary.pskIdentities[0].obfuscatedTicketAge, 0xfad6aacbu);
  EXPECT_EQ(hello->summary.pskIdentities[0].obfuscatedTicketAge - nst.as<NewSessionTicket>()->ageAdd, 6u);
  ASSERT_EQ(hello->summary.pskBinders.size(), 1u);
  EXPECT_EQ(hello->summary.pskBinders[0].size(), 32u);
  EXPECT_EQ(hello->summary.pskBinders[0], t.binder);
  EXPECT_TRUE(hello->summary.earlyData);
  // pre_shared_key is the last extension (RFC 8446 §4.2.11).
  EXPECT_EQ(hello->extensions.back().type, ext::kPreSharedKey);
  const model::Field* binders = model::findField(ch.tree, "pre_shared_key/binders");
  ASSERT_NE(binders, nullptr);
  EXPECT_EQ(binders->length, 2u + 1 + 32);

  HandshakeMessage sh = parseOk(t.serverHello, 2, ctx);
  EXPECT_EQ(sh.as<ServerHello>()->summary.pskSelectedIdentity, 0);
  parseOk(t.encryptedExtensions, 8, ctx);
  HandshakeMessage eoed = parseOk(t.endOfEarlyData, 5, ctx);
  EXPECT_NE(eoed.as<EndOfEarlyData>(), nullptr);
}

TEST(Rfc8448, HelloRetryRequestIsRecognisedAndTheCookieEchoed) {
  const auto& t = r8448::helloRetryRequest();
  ParseContext ctx;
  HandshakeMessage ch1 = parseOk(t.clientHello1, 1, ctx);
  ASSERT_EQ(ch1.as<ClientHello>()->summary.keyShares.size(), 1u);
  EXPECT_EQ(ch1.as<ClientHello>()->summary.keyShares[0].group, 0x001d);
  EXPECT_EQ(ch1.as<ClientHello>()->summary.keyShares[0].keyExchange, t.firstClientPublicKey);

  HandshakeMessage hrr = parseHandshakeMessage(t.helloRetryRequest, ctx);
  ASSERT_TRUE(hrr.ok()) << testutil::dump(hrr.diagnostics);
  const auto* retry = hrr.as<ServerHello>();
  ASSERT_NE(retry, nullptr);
  EXPECT_TRUE(retry->helloRetryRequest);
  EXPECT_EQ(hrr.tree.name, "HelloRetryRequest");
  EXPECT_EQ(retry->summary.hrrSelectedGroup, 0x0017);  // secp256r1
  EXPECT_FALSE(retry->summary.cookie.empty());
  EXPECT_NE(model::findField(hrr.tree, "selected_group"), nullptr);

  HandshakeMessage ch2 = parseOk(t.clientHello, 1, ctx);
  const auto* hello2 = ch2.as<ClientHello>();
  ASSERT_EQ(hello2->summary.keyShares.size(), 1u);
  EXPECT_EQ(hello2->summary.keyShares[0].group, 0x0017);
  EXPECT_EQ(hello2->summary.keyShares[0].keyExchange, t.clientPublicKey);
  EXPECT_EQ(hello2->summary.cookie, retry->summary.cookie);
  HandshakeMessage sh = parseOk(t.serverHello, 2, ctx);
  EXPECT_EQ(sh.as<ServerHello>()->summary.keyShares[0].keyExchange, t.serverPublicKey);
}

TEST(Rfc8448, ClientAuthCertificateRequestAndClientCertificate) {
  const auto& t = r8448::clientAuth();
  ParseContext ctx;
  parseOk(t.clientHello, 1, ctx);
  parseOk(t.serverHello, 2, ctx);
  parseOk(t.encryptedExtensions, 8, ctx);
  HandshakeMessage cr = parseOk(t.certificateRequest, 13, ctx);
  const auto* req = cr.as<CertificateRequest>();
  ASSERT_NE(req, nullptr);
  EXPECT_TRUE(req->tls13);
  EXPECT_TRUE(req->requestContext.empty());
  EXPECT_FALSE(req->signatureAlgorithms.empty());
  HandshakeMessage cc = parseOk(t.clientCertificate, 11, ctx);
  ASSERT_EQ(cc.as<Certificate>()->entries.size(), 1u);
  HandshakeMessage ccv = parseOk(t.clientCertificateVerify, 15, ctx);
  EXPECT_EQ(ccv.as<CertificateVerify>()->signature.size(), 128u);
}

TEST(Rfc8448, CompatibilityModeSessionIdIsEchoed) {
  const auto& t = r8448::compatibilityMode();
  ParseContext ctx;
  HandshakeMessage ch = parseOk(t.clientHello, 1, ctx);
  HandshakeMessage sh = parseOk(t.serverHello, 2, ctx);
  EXPECT_EQ(ch.as<ClientHello>()->sessionId.size(), 32u);
  EXPECT_EQ(sh.as<ServerHello>()->sessionId, ch.as<ClientHello>()->sessionId);
}

TEST(Rfc8448, EveryRecordFramesExactlyAndPlaintextHandshakeReassembles) {
  for (const r8448::Trace* t : r8448::allTraces()) {
    SCOPED_TRACE("RFC 8448 §" + t->section);
    for (const auto& rec : t->records) {
      if (rec.record.empty()) continue;
      RecordFramer f;
      auto recs = f.feed(rec.record);
      ASSERT_EQ(recs.size(), 1u);
      EXPECT_TRUE(f.finish().empty());
      EXPECT_TRUE(recs[0].diagnostics.empty()) << testutil::dump(recs[0].diagnostics);
      if (rec.epoch != r8448::Epoch::Plaintext) {
        EXPECT_EQ(recs[0].contentType, 23);  // TLS 1.3 hides the real type (RFC 8446 §5.2)
        continue;
      }
      EXPECT_EQ(recs[0].contentType, rec.innerType);
      EXPECT_EQ(recs[0].fragment, rec.payload);
      if (rec.innerType != 22) continue;
      HandshakeReassembler r;
      std::vector<ReassembledMessage> out;
      r.addRecord(recs[0].fragment, 0, 5, 0, out);
      ASSERT_FALSE(out.empty());
      for (const auto& m : out) EXPECT_TRUE(parseHandshakeMessage(m.bytes).ok());
    }
  }
}

TEST(Rfc8448, EachSidesRecordStreamExplainsWithoutErrors) {
  for (const r8448::Trace* t : r8448::allTraces()) {
    for (auto side : {r8448::Sender::Client, r8448::Sender::Server}) {
      SCOPED_TRACE("RFC 8448 §" + t->section + (side == r8448::Sender::Client ? " client" : " server"));
      Bytes stream;
      for (const auto& rec : t->records)
        if (rec.sender == side) stream.insert(stream.end(), rec.record.begin(), rec.record.end());
      ExplainResult r = explainRecords(stream);
      EXPECT_FALSE(r.hasErrors()) << testutil::dump(r.diagnostics);
      EXPECT_FALSE(r.records.empty());
    }
  }
}

TEST(Rfc8448, PlaintextMessagesRoundTripThroughTheStreamOneByteAtATime) {
  // Re-frame the §5 client stream one byte at a time, reassemble, and get the
  // RFC's messages back byte for byte.
  const auto& t = r8448::helloRetryRequest();
  Bytes stream;
  for (const auto& rec : t.records)
    if (rec.sender == r8448::Sender::Client && rec.epoch == r8448::Epoch::Plaintext)
      stream.insert(stream.end(), rec.record.begin(), rec.record.end());
  RecordFramer f;
  HandshakeReassembler r;
  std::vector<ReassembledMessage> out;
  for (auto b : stream)
    f.feed(ByteView(&b, 1), [&](const RecordView& v) {
      if (v.contentType == 22) r.addRecord(v.fragment, v.streamOffset, v.headerLength, 0, out);
    });
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].bytes, t.clientHello1);
  EXPECT_EQ(out[1].bytes, t.clientHello);
}

}  // namespace
}  // namespace tlslab::wire

namespace tlslab::wire {
namespace {

TEST(Rfc8448, HellosRoundTripThroughSerialize) {
  for (const test::rfc8448::Trace* t : test::rfc8448::allTraces()) {
    SCOPED_TRACE("RFC 8448 §" + t->section);
    for (const Bytes* bytes : {&t->clientHello1, &t->clientHello, &t->helloRetryRequest, &t->serverHello}) {
      if (bytes->empty()) continue;
      HandshakeMessage m = parseHandshakeMessage(*bytes);
      const auto* ch = m.as<ClientHello>();
      const auto* sh = m.as<ServerHello>();
      ASSERT_TRUE(ch != nullptr || sh != nullptr);
      EXPECT_EQ(ch ? serialize(*ch) : serialize(*sh), *bytes);
    }
  }
}

TEST(Messages, TamperedHelloReparsesWithTheChange) {
  HandshakeMessage m = parseHandshakeMessage(test::rfc8448::simple1Rtt().clientHello);
  ClientHello hello = *m.as<ClientHello>();
  hello.cipherSuites = {0x1302};  // what a downgrade-minded attacker would try
  HandshakeMessage again = parseHandshakeMessage(serialize(hello));
  ASSERT_TRUE(again.ok()) << testutil::dump(again.diagnostics);
  EXPECT_EQ(again.as<ClientHello>()->cipherSuites, std::vector<std::uint16_t>{0x1302});
  EXPECT_EQ(again.as<ClientHello>()->summary.keyShares[0].keyExchange,
            test::rfc8448::simple1Rtt().clientPublicKey);
}

}  // namespace
}  // namespace tlslab::wire
