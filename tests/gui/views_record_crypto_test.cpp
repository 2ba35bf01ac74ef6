// The record-crypto view on real records: an RFC 8448 §3 record decrypted by
// crypto::RecordCipher (TLS 1.3 AES-128-GCM: nonce = server_write_iv XOR the
// padded sequence number), the same record with one byte flipped, and a
// TLS 1.2 CBC + HMAC record (MAC and padding rows).
#include <gtest/gtest.h>

#include <QClipboard>
#include <QTest>

#include "ViewsTestSupport.hpp"
#include "support/Rfc8448.hpp"
#include "tlslab/crypto/RecordCipher.hpp"
#include "views/RecordCryptoView.hpp"
#include "views/ViewStyle.hpp"

namespace tlslab::gui::views {
namespace {

namespace r = tlslab::test::rfc8448;
using test::app;

// RFC 8448 §3: the server's first protected record (EncryptedExtensions ..
// Finished under the server handshake traffic keys).
const r::Record& serverHandshakeRecord() {
  for (const r::Record& rec : r::simple1Rtt().records) {
    if (rec.sender == r::Sender::Server && rec.epoch == r::Epoch::Handshake) return rec;
  }
  throw std::logic_error("RFC 8448 §3 has a server handshake record");
}

model::RecordCrypto openRfc8448Record(Bytes wire) {
  const r::Trace& t = r::simple1Rtt();
  auto cipher = crypto::RecordCipher::create(*crypto::findSuite(0x1301),
                                             {t.serverHandshakeKey, t.serverHandshakeIv, {}}, crypto::kTls13);
  EXPECT_TRUE(cipher.ok());
  return cipher->decrypt(wire, serverHandshakeRecord().sequence);
}

TEST(RecordCryptoView, ShowsTheNonceAsIvXorSequenceAndThePlaintext) {
  app();
  const model::RecordCrypto crypto = openRfc8448Record(serverHandshakeRecord().record);
  ASSERT_EQ(crypto.verdict, model::RecordVerdict::Decrypted);
  RecordCryptoView view;
  view.setCrypto(crypto);
  EXPECT_TRUE(view.verdictText().contains("✓ decrypted")) << view.verdictText().toStdString();
  EXPECT_EQ(view.nonceOperator(), "⊕");
  ASSERT_NE(view.value("noncePart0"), nullptr);
  EXPECT_EQ(view.value("noncePart0")->copyText().toStdString(), toHex(r::simple1Rtt().serverHandshakeIv));
  ASSERT_NE(view.value("noncePart1"), nullptr);
  EXPECT_EQ(view.value("nonce")->copyText().toStdString(), toHex(crypto.nonce));
  // Sequence 0: the nonce is the IV itself.
  EXPECT_EQ(crypto.nonce, r::simple1Rtt().serverHandshakeIv);
  // RFC 8446 §5.2: the AAD is the record header.
  EXPECT_EQ(view.value("aad")->copyText(), view.value("header")->copyText());
  EXPECT_EQ(view.value("header")->copyText().toStdString(), toHex(ByteView(serverHandshakeRecord().record).first(5)));
  EXPECT_EQ(view.value("tag")->copyText().size(), 32);  // 16-byte GCM tag
  EXPECT_EQ(view.value("plaintext")->copyText().toStdString(), toHex(serverHandshakeRecord().payload));
  EXPECT_EQ(view.value("mac"), nullptr);  // AEAD: no MAC row
  view.resize(900, 760);
  test::maybeSavePng(view, "record_crypto");
}

TEST(RecordCryptoView, AFlippedByteFailsInRedAndShowsNoPlaintext) {
  app();
  Bytes wire = serverHandshakeRecord().record;
  wire[10] ^= 0x01;
  const model::RecordCrypto crypto = openRfc8448Record(wire);
  ASSERT_EQ(crypto.verdict, model::RecordVerdict::AuthenticationFailed);
  RecordCryptoView view;
  view.setCrypto(crypto);
  EXPECT_TRUE(view.verdictText().contains("authentication failed"));
  EXPECT_EQ(view.value("plaintext"), nullptr);
  EXPECT_NE(view.value("tag"), nullptr);
}

TEST(RecordCryptoView, CbcRecordShowsIvMacAndPadding) {
  app();
  const crypto::CipherSuite* suite = crypto::findSuite("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
  ASSERT_NE(suite, nullptr);
  const crypto::TrafficKeys keys{Bytes(16, 0x11), Bytes(16, 0x22), Bytes(20, 0x33)};
  auto sealer = crypto::RecordCipher::create(*suite, keys, crypto::kTls12);
  auto opener = crypto::RecordCipher::create(*suite, keys, crypto::kTls12);
  ASSERT_TRUE(sealer.ok());
  ASSERT_TRUE(opener.ok());
  const std::string request = "GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n";
  auto wire = sealer->encrypt(23, asBytes(request), 1);
  ASSERT_TRUE(wire.ok());
  const model::RecordCrypto crypto = opener->decrypt(*wire, 1);
  ASSERT_EQ(crypto.verdict, model::RecordVerdict::Decrypted) << crypto.note;
  RecordCryptoView view;
  view.setCrypto(crypto);
  EXPECT_EQ(view.nonceOperator(), "");  // the IV on the wire, one part
  ASSERT_NE(view.value("mac"), nullptr);
  ASSERT_NE(view.value("expectedMac"), nullptr);
  EXPECT_EQ(view.value("mac")->copyText(), view.value("expectedMac")->copyText());
  ASSERT_NE(view.value("padding"), nullptr);
  EXPECT_EQ(view.value("tag"), nullptr);
  // Printable plaintext is shown as text, copied as hex.
  EXPECT_TRUE(view.value("plaintext")->text().startsWith("GET / HTTP/1.1"));
  EXPECT_EQ(view.value("plaintext")->copyText().toStdString(), toHex(asBytes(request)));
  view.resize(900, 700);
  test::maybeSavePng(view, "record_crypto_cbc");
}

TEST(RecordCryptoView, ARecordWithoutCryptoSaysWhy) {
  app();
  model::TraceRecord record;
  record.index = 7;
  record.encrypted = true;
  record.keyPhase = model::KeyPhase::application();
  record.wire = {0x17, 0x03, 0x03, 0x00, 0x02, 0xaa, 0xbb};
  record.undecryptedReason = "no key log entry for this client random";
  RecordCryptoView view;
  view.setRecord(record);
  EXPECT_TRUE(view.verdictText().contains("not decrypted"));
  EXPECT_EQ(view.value("header")->copyText(), "1703030002");
  EXPECT_EQ(view.value("plaintext"), nullptr);
}

}  // namespace
}  // namespace tlslab::gui::views
