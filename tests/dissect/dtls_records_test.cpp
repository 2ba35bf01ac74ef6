// DTLS record decryption on a real capture, before DTLS is wired to the UDP
// layer: Wireshark's snakeoil-dtls (old OpenSSL, version 0x0100 =
// DTLS1_BAD_VER, RSA key exchange, HelloVerifyRequest) is read datagram by
// datagram through tshark's udp.payload, reassembled with wire/Dtls.hpp,
// keyed from the server's RSA key with the TLS 1.1 PRF (RFC 4347 §4.1: DTLS
// 1.0 is TLS 1.1) and every epoch-1 record opened with RecordCipher's DTLS
// path: the pre-RFC MAC must verify on every record (both Finished
// included), and the application data must be the MANIFEST's.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "support/TestPaths.hpp"
#include "tlslab/crypto/RecordCipher.hpp"
#include "tlslab/crypto/Tls12KeySchedule.hpp"
#include "tlslab/keys/KeyStore.hpp"
#include "tlslab/wire/Dtls.hpp"
#include "tlslab/wire/Messages.hpp"

using namespace tlslab;

namespace {

struct Datagram {
  bool fromClient = false;
  Bytes payload;
};

std::vector<Datagram> datagrams(const std::filesystem::path& file) {
  auto result = test::run("tshark -r " + file.string() + " -T fields -e udp.srcport -e udp.payload 2>/dev/null");
  std::vector<Datagram> out;
  std::istringstream in(result.out);
  std::string line, clientPort;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    const std::string port = line.substr(0, tab);
    if (clientPort.empty()) clientPort = port;
    auto bytes = fromHex(line.substr(tab + 1));
    if (bytes) out.push_back({port == clientPort, *bytes});
  }
  return out;
}

// The handshake (reassembled, parsed) and the protected records of one
// single-association capture.
struct Association {
  Bytes clientRandom, serverRandom, encryptedPms, transcript;  // transcript: RFC 6347 §4.2.6
  std::uint16_t suiteId = 0;
  std::vector<std::pair<bool, wire::dtls::Record>> protectedRecords;
  std::vector<Datagram> all;
};

void collect(Association& a, const std::filesystem::path& file) {
  wire::dtls::HandshakeReassembler reassembler[2];
  wire::ParseContext context;
  a.all = datagrams(file);
  for (const auto& d : a.all) {
    auto split = wire::dtls::splitDatagram(d.payload);
    ASSERT_FALSE(split.error) << split.error->what;
    for (const auto& rec : split.records) {
      if (rec.header.epoch > 0) {
        a.protectedRecords.push_back({d.fromClient, rec});
        continue;
      }
      if (rec.header.type != 22) continue;
      for (const auto& f : wire::dtls::splitHandshakeRecord(rec.fragment).fragments) {
        reassembler[d.fromClient ? 0 : 1].add(f);
        for (const auto& m : reassembler[d.fromClient ? 0 : 1].takeInOrder()) {
          auto parsed = wire::parseHandshakeMessage(m.tlsBytes, context);
          wire::updateContext(context, parsed);
          // The first ClientHello and the HelloVerifyRequest stay out of the transcript.
          const bool cookieExchange = m.msgType == 3 || (m.msgType == 1 && m.messageSeq == 0);
          if (!cookieExchange) a.transcript.insert(a.transcript.end(), m.dtlsBytes.begin(), m.dtlsBytes.end());
          if (const auto* ch = parsed.as<wire::ClientHello>()) a.clientRandom = ch->random;
          if (const auto* sh = parsed.as<wire::ServerHello>()) a.serverRandom = sh->random, a.suiteId = sh->cipherSuite;
          if (const auto* cke = parsed.as<wire::ClientKeyExchange>()) a.encryptedPms = cke->exchange;
        }
      }
    }
  }
}

TEST(DtlsRecords, SnakeoilDtlsBadVerDecryptsWithThePreRfcMac) {
  const auto dir = test::conformanceDir() / "wireshark";
  if (!std::filesystem::exists(dir / "captures/snakeoil-dtls.pcap")) GTEST_SKIP() << "no conformance corpus";
  if (std::system("command -v tshark >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark not installed";
  keys::KeyStore keys;
  ASSERT_TRUE(keys.addPrivateKeyFile(dir / "keys/snakeoil-rsa.key"));

  Association a;
  collect(a, dir / "captures/snakeoil-dtls.pcap");
  ASSERT_EQ(a.all.size(), 9u);
  const Bytes& clientRandom = a.clientRandom;
  const Bytes& serverRandom = a.serverRandom;
  const Bytes& encryptedPms = a.encryptedPms;
  const std::uint16_t suiteId = a.suiteId;
  const auto& protectedRecords = a.protectedRecords;
  ASSERT_EQ(suiteId, 0x0035);
  ASSERT_FALSE(encryptedPms.empty());
  auto pms = keys.recoverPreMasterSecret(encryptedPms);
  ASSERT_EQ(pms.output.size(), 48u) << pms.note;
  const std::uint16_t tlsVersion = wire::dtls::tlsEquivalent(wire::dtls::kDtls1BadVer);
  const auto* suite = crypto::findSuite(suiteId);
  const Bytes master = crypto::tls12MasterSecret(crypto::HashAlg::Md5Sha1, pms.output, clientRandom, serverRandom).output;
  auto block = crypto::tls12KeyBlock(*suite, tlsVersion, master, clientRandom, serverRandom);
  ASSERT_TRUE(block) << block.error();
  auto client = crypto::RecordCipher::create(*suite, block->client, crypto::kDtls1BadVer);
  auto server = crypto::RecordCipher::create(*suite, block->server, crypto::kDtls1BadVer);
  ASSERT_TRUE(client && server);

  std::string app;
  std::size_t appRecords = 0, finished = 0;
  for (const auto& [fromClient, rec] : protectedRecords) {
    model::RecordCrypto out;
    (fromClient ? *client : *server).decryptDtlsInto(rec.wire, out);
    ASSERT_EQ(out.verdict, model::RecordVerdict::Decrypted) << out.note;
    EXPECT_NE(out.note.find("pre-RFC OpenSSL"), std::string::npos) << out.note;
    EXPECT_EQ(out.sequence >> 48, 1u);  // epoch 1
    if (rec.header.type == 23) {
      ++appRecords;
      app.append(out.plaintext.begin(), out.plaintext.end());
    }
    if (rec.header.type == 22) {
      // Finished: 12-byte DTLS header and 12 bytes of verify_data. (Which
      // transcript pre-RFC OpenSSL hashed is not matched yet: neither RFC
      // 6347 §4.2.6's nor the TLS-framed variants give its verify_data, so
      // the check is left out here; the records' MACs prove the keys.)
      ASSERT_EQ(out.plaintext.size(), 24u);
      EXPECT_EQ(out.plaintext[0], 20);
      ++finished;
    }
  }
  EXPECT_EQ(finished, 2u);
  EXPECT_EQ(appRecords, 3u);  // the MANIFEST's count
  EXPECT_NE(app.find("it work !"), std::string::npos) << app;
}

// DTLS 1.2 with AES-128-CCM_8 and a PSK (GnuTLS 3.5.8): the AEAD nonce is
// the 4-byte salt and the explicit epoch||seq on the wire, the additional data
// carries epoch||seq (RFC 6347 §4.1.2.1, RFC 6655 §3). Every record's 8-byte
// tag must verify, and both Finished over the RFC 6347 §4.2.6 transcript.
TEST(DtlsRecords, Dtls12PskCcm8DecryptsAndBothFinishedVerify) {
  const auto dir = test::conformanceDir() / "wireshark";
  if (!std::filesystem::exists(dir / "captures/dtls12-aes128ccm8.pcap")) GTEST_SKIP() << "no conformance corpus";
  if (std::system("command -v tshark >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark not installed";
  Association a;
  collect(a, dir / "captures/dtls12-aes128ccm8.pcap");
  ASSERT_EQ(a.suiteId, 0xC0A8);
  const auto* suite = crypto::findSuite(a.suiteId);
  ASSERT_NE(suite, nullptr);
  const Bytes psk = *fromHex("ca19e028a8a372ad2d325f950fcaceed");
  const Bytes pms = crypto::tls12PskPreMasterSecret(crypto::KeyExchange::Psk, {}, psk, "zeros", "cases.tsv").output;
  const crypto::HashAlg prf = crypto::tls12PrfHash(*suite, crypto::kTls12);
  const Bytes master = crypto::tls12MasterSecret(prf, pms, a.clientRandom, a.serverRandom).output;
  auto block = crypto::tls12KeyBlock(*suite, crypto::kTls12, master, a.clientRandom, a.serverRandom);
  ASSERT_TRUE(block) << block.error();
  auto client = crypto::RecordCipher::create(*suite, block->client, crypto::kDtls12);
  auto server = crypto::RecordCipher::create(*suite, block->server, crypto::kDtls12);
  ASSERT_TRUE(client && server);
  std::string app;
  std::size_t decrypted = 0, appRecords = 0, finished = 0;
  Bytes transcript = a.transcript;
  for (const auto& [fromClient, rec] : a.protectedRecords) {
    model::RecordCrypto out;
    (fromClient ? *client : *server).decryptDtlsInto(rec.wire, out);
    ASSERT_EQ(out.verdict, model::RecordVerdict::Decrypted) << out.note;
    EXPECT_EQ(out.tag.size(), 8u);
    EXPECT_EQ(toHex(Bytes(out.aad.begin(), out.aad.begin() + 8)), toHex(Bytes(rec.wire.begin() + 3, rec.wire.begin() + 11)));
    ++decrypted;
    if (rec.header.type == 23) {
      ++appRecords;
      app.append(out.plaintext.begin(), out.plaintext.end());
    }
    if (rec.header.type == 22) {
      ASSERT_EQ(out.plaintext.size(), 24u);
      const Bytes verify(out.plaintext.begin() + 12, out.plaintext.end());
      EXPECT_EQ(toHex(crypto::tls12VerifyData(prf, master, fromClient, crypto::digest(prf, transcript)).output),
                toHex(verify))
          << (fromClient ? "client" : "server") << " Finished";
      transcript.insert(transcript.end(), out.plaintext.begin(), out.plaintext.end());
      ++finished;
    }
  }
  EXPECT_EQ(finished, 2u);
  EXPECT_EQ(appRecords, 4u);  // the MANIFEST: 4 application data, 7 decrypted records in all
  EXPECT_EQ(decrypted, 7u);
  EXPECT_NE(app.find("Works for me!"), std::string::npos) << app;
  EXPECT_NE(app.find("DTLS1.2 test using GnuTLS 3.5.8"), std::string::npos) << app;
}

}  // namespace
