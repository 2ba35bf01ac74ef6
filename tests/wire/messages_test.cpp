// Field trees and typed values for hand-built messages, GREASE included.
#include <gtest/gtest.h>

#include "WireTestUtil.hpp"
#include "tlslab/wire/Messages.hpp"

namespace tlslab::wire {
namespace {

using testutil::hex;

TEST(Messages, GreaseValuesAreKeptAndShownAsGrease) {
  // ClientHello offering a GREASE suite, a GREASE extension and a GREASE group.
  Bytes ch = hex(
      "01 00 00 00 03 03" + std::string(64, '5') +
      "00 00 04 1a 1a 13 01 01 00"
      "00 16"
      "2a 2a 00 01 00"                    // GREASE extension with one byte
      "00 0a 00 06 00 04 3a 3a 00 1d"     // supported_groups [GREASE, x25519]
      "00 2b 00 03 02 03 04");
  ch[3] = static_cast<std::uint8_t>(ch.size() - 4);
  HandshakeMessage m = parseHandshakeMessage(ch);
  ASSERT_TRUE(m.ok()) << testutil::dump(m.diagnostics);
  const auto* hello = m.as<ClientHello>();
  ASSERT_NE(hello, nullptr);
  EXPECT_EQ(hello->cipherSuites, (std::vector<std::uint16_t>{0x1a1a, 0x1301}));
  EXPECT_EQ(hello->extensions[0].type, 0x2a2a);
  EXPECT_EQ(hello->summary.supportedGroups, (std::vector<std::uint16_t>{0x3a3a, 0x001d}));
  const model::Field* suites = model::findField(m.tree, "cipher_suites");
  ASSERT_NE(suites, nullptr);
  EXPECT_NE(suites->children[1].value.find("GREASE"), std::string::npos);  // [0] is the length
  const model::Field* greaseExt = model::findField(m.tree, "GREASE");
  ASSERT_NE(greaseExt, nullptr);
  EXPECT_NE(greaseExt->value.find("0x2a2a GREASE"), std::string::npos);
  const model::Field* groups = model::findField(m.tree, "named_group_list");
  ASSERT_NE(groups, nullptr);
  EXPECT_NE(groups->children[1].value.find("GREASE"), std::string::npos);
  EXPECT_EQ(groups->children[2].value, "0x001d x25519");
}

TEST(Messages, UnknownExtensionIsKeptAsBytes) {
  Bytes ch = hex("01 00 00 00 03 03" + std::string(64, '5') + "00 00 02 13 01 01 00 00 06 12 34 00 02 be ef");
  ch[3] = static_cast<std::uint8_t>(ch.size() - 4);
  HandshakeMessage m = parseHandshakeMessage(ch);
  ASSERT_TRUE(m.ok()) << testutil::dump(m.diagnostics);
  const model::Field* unknown = model::findField(m.tree, "unknown_extension");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->value, "0x1234 unknown");
  const model::Field* data = model::findField(*unknown, "extension_data/extension_data");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->value, "beef");
}

TEST(Messages, FieldsCarryOffsetsLengthsMeaningsAndRfc) {
  HandshakeMessage m = parseHandshakeMessage(testutil::smallClientHello());
  ASSERT_TRUE(m.ok()) << testutil::dump(m.diagnostics);
  const model::Field* random = model::findField(m.tree, "random");
  ASSERT_NE(random, nullptr);
  EXPECT_EQ(random->offset, 6u);
  EXPECT_EQ(random->length, 32u);
  EXPECT_NE(random->meaning.find("key derivation"), std::string::npos);
  EXPECT_EQ(random->rfc, "RFC 8446 §4.1.2");
  const model::Field* version = model::findField(m.tree, "supported_versions/version");
  ASSERT_NE(version, nullptr);
  EXPECT_EQ(version->value, "0x0304 TLS 1.3");
}

TEST(Messages, Tls12MessagesParseWithContext) {
  ParseContext ctx;
  ctx.version = 0x0303;
  ctx.cipherSuite = 0xC02F;  // ECDHE_RSA
  HandshakeMessage ske = parseHandshakeMessage(
      hex("0c 00 00 0f 03 00 1d 04 aa bb cc dd 08 04 00 03 01 02 03"), ctx);
  ASSERT_TRUE(ske.ok()) << testutil::dump(ske.diagnostics);
  ASSERT_NE(ske.as<ServerKeyExchange>(), nullptr);
  EXPECT_EQ(ske.as<ServerKeyExchange>()->namedGroup, 0x001d);
  EXPECT_EQ(ske.as<ServerKeyExchange>()->signatureScheme, 0x0804);
  HandshakeMessage cke = parseHandshakeMessage(hex("10 00 00 05 04 01 02 03 04"), ctx);
  ASSERT_TRUE(cke.ok()) << testutil::dump(cke.diagnostics);
  EXPECT_EQ(cke.as<ClientKeyExchange>()->kind, KeyExchange::Ecdhe);
  ctx.cipherSuite = 0x002F;  // RSA key transport
  HandshakeMessage rsa = parseHandshakeMessage(hex("10 00 00 06 00 04 01 02 03 04"), ctx);
  ASSERT_TRUE(rsa.ok()) << testutil::dump(rsa.diagnostics);
  EXPECT_NE(model::findField(rsa.tree, "encrypted_pre_master_secret"), nullptr);
  HandshakeMessage nst = parseHandshakeMessage(hex("04 00 00 08 00 00 1c 20 00 02 ab cd"), ctx);
  ASSERT_TRUE(nst.ok()) << testutil::dump(nst.diagnostics);
  EXPECT_FALSE(nst.as<NewSessionTicket>()->tls13);
  EXPECT_EQ(nst.as<NewSessionTicket>()->lifetime, 7200u);
  HandshakeMessage cr = parseHandshakeMessage(hex("0d 00 00 09 02 01 40 00 02 04 01 00 00"), ctx);
  ASSERT_TRUE(cr.ok()) << testutil::dump(cr.diagnostics);
  EXPECT_FALSE(cr.as<CertificateRequest>()->tls13);
  EXPECT_EQ(cr.as<CertificateRequest>()->signatureAlgorithms, (std::vector<std::uint16_t>{0x0401}));
  HandshakeMessage done = parseHandshakeMessage(hex("0e 00 00 00"), ctx);
  EXPECT_TRUE(done.ok());
  EXPECT_NE(done.as<ServerHelloDone>(), nullptr);
}

TEST(Messages, Tls12CertificateListIsRecognisedWithoutContext) {
  Bytes cert = hex("0b 00 00 0b 00 00 08 00 00 05 30 03 02 01 07");
  HandshakeMessage m = parseHandshakeMessage(cert);
  ASSERT_TRUE(m.ok()) << testutil::dump(m.diagnostics);
  const auto* c = m.as<Certificate>();
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->tls13);
  ASSERT_EQ(c->entries.size(), 1u);
  EXPECT_EQ(c->entries[0].der, hex("30 03 02 01 07"));
  EXPECT_EQ(c->entries[0].derOffset, 10u);
}

TEST(Messages, UpdateContextTakesVersionAndSuiteFromServerHello) {
  Bytes sh = hex("02 00 00 2e 03 03" + std::string(64, '2') + "00 13 02 00 00 06 00 2b 00 02 03 04");
  HandshakeMessage m = parseHandshakeMessage(sh);
  ASSERT_TRUE(m.ok()) << testutil::dump(m.diagnostics);
  ParseContext ctx;
  updateContext(ctx, m);
  EXPECT_EQ(ctx.version, 0x0304);
  EXPECT_EQ(ctx.cipherSuite, 0x1302);
}

}  // namespace
}  // namespace tlslab::wire
