// `tlslab keys aead-decrypt`: a record opened by hand, checked against the
// records RFC 8448 §3 publishes (key, iv, complete record, payload).
#include <gtest/gtest.h>

#include "support/Rfc8448.hpp"
#include "support/TestPaths.hpp"

namespace tlslab::test {
namespace {

CommandResult tlslab(const std::string& args) { return run(tlslabExe().string() + " " + args); }
bool has(const CommandResult& r, const std::string& text) { return r.out.find(text) != std::string::npos; }

const rfc8448::Record& firstRecord(rfc8448::Sender sender, rfc8448::Epoch epoch) {
  for (const auto& r : rfc8448::simple1Rtt().records)
    if (r.sender == sender && r.epoch == epoch) return r;
  throw std::runtime_error("RFC 8448 §3 has no such record");
}

// RFC 8446 §5.3: the 64-bit sequence number, left-padded, XORed into the iv.
Bytes nonceOf(Bytes iv, std::uint64_t sequence) {
  for (int i = 0; i < 8; ++i) iv[iv.size() - 1 - i] ^= static_cast<std::uint8_t>(sequence >> (8 * i));
  return iv;
}

std::string args(const Bytes& key, const Bytes& nonce, const Bytes& record) {
  return "keys aead-decrypt --cipher aes-128-gcm --key " + toHex(key) + " --nonce " + toHex(nonce) + " --aad " +
         toHex(ByteView(record).first(5)) + " --ciphertext " + toHex(ByteView(record).subspan(5));
}

TEST(KeysAeadCli, OpensTheServersFirstHandshakeRecordOfRfc8448) {
  const auto& t = rfc8448::simple1Rtt();
  const auto& record = firstRecord(rfc8448::Sender::Server, rfc8448::Epoch::Handshake);
  auto r = tlslab(args(t.serverHandshakeKey, nonceOf(t.serverHandshakeIv, record.sequence), record.record));
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, "[OK] the tag verifies")) << r.out;
  EXPECT_TRUE(has(r, toHex(record.payload))) << r.out;
  EXPECT_TRUE(has(r, "content type 22 (handshake)")) << r.out;
}

TEST(KeysAeadCli, ReadsTheClientsApplicationDataAsTextAfterItsContentType) {
  const auto& t = rfc8448::simple1Rtt();
  const auto& record = firstRecord(rfc8448::Sender::Client, rfc8448::Epoch::Application);
  auto r = tlslab(args(t.clientApplicationKey, nonceOf(t.clientApplicationIv, record.sequence), record.record));
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, "content type 23 (application_data)")) << r.out;
}

TEST(KeysAeadCli, AWrongNonceOrHeaderFailsTheTagAndDecryptsNothing) {
  const auto& t = rfc8448::simple1Rtt();
  const auto& record = firstRecord(rfc8448::Sender::Server, rfc8448::Epoch::Handshake);
  auto offByOne = tlslab(args(t.serverHandshakeKey, nonceOf(t.serverHandshakeIv, record.sequence + 1), record.record));
  EXPECT_EQ(offByOne.exitCode, 1) << offByOne.out;
  EXPECT_TRUE(has(offByOne, "the tag does not verify")) << offByOne.out;
  EXPECT_FALSE(has(offByOne, toHex(record.payload))) << offByOne.out;
  Bytes header = record.record;
  header[4] ^= 1;  // the length byte is authenticated too (RFC 8446 §5.2)
  auto badHeader = tlslab(args(t.serverHandshakeKey, t.serverHandshakeIv, header));
  EXPECT_EQ(badHeader.exitCode, 1) << badHeader.out;
}

TEST(KeysAeadCli, BadLengthsAreUsageErrorsThatSayWhich) {
  const auto& t = rfc8448::simple1Rtt();
  auto shortKey = tlslab("keys aead-decrypt --cipher aes-256-gcm --key " + toHex(t.serverHandshakeKey) + " --nonce " +
                         toHex(t.serverHandshakeIv) + " --ciphertext " + std::string(40, '0'));
  EXPECT_EQ(shortKey.exitCode, 2) << shortKey.out;
  EXPECT_TRUE(has(shortKey, "--key has 16 bytes; AES-256-GCM takes 32")) << shortKey.out;
  auto shortNonce = tlslab("keys aead-decrypt --cipher aes-128-gcm --key " + toHex(t.serverHandshakeKey) +
                           " --nonce 0011 --ciphertext " + std::string(40, '0'));
  EXPECT_EQ(shortNonce.exitCode, 2) << shortNonce.out;
  EXPECT_TRUE(has(shortNonce, "--nonce has 2 bytes")) << shortNonce.out;
  auto cipher = tlslab("keys aead-decrypt --cipher aes-128-cbc --key 00 --nonce 00 --ciphertext 00");
  EXPECT_EQ(cipher.exitCode, 2) << cipher.out;
  EXPECT_TRUE(has(cipher, "--cipher must be")) << cipher.out;
}

}  // namespace
}  // namespace tlslab::test
