// DTLS through the whole pipeline (issue 18): Wireshark's four DTLS captures
// read by dissect::dissectFile as any capture is, UDP flows to associations,
// keys from an RSA key, a PSK and a pcapng DSB; and hostile datagrams that
// must give diagnostics with offsets, never a crash.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "capture/PcapBuilder.hpp"
#include "support/TestPaths.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/util/ByteWriter.hpp"

using namespace tlslab;

namespace {

std::filesystem::path wireshark() { return test::conformanceDir() / "wireshark"; }

#define REQUIRE_CAPTURE(name) \
  if (!std::filesystem::exists(wireshark() / "captures" / name)) GTEST_SKIP() << "no conformance capture " << name

model::Trace dissect(const std::string& name, keys::KeyStore& keys) {
  auto trace = dissect::dissectFile(wireshark() / "captures" / name, keys);
  EXPECT_TRUE(trace.ok()) << trace.error().message();
  return trace.ok() ? std::move(trace.value()) : model::Trace{};
}

struct Counts {
  std::size_t protectedRecords = 0, opened = 0, appRecords = 0;
  std::string app;
};

Counts count(const model::TraceConnection& c) {
  Counts n;
  for (const auto& r : c.records) {
    if (!r.encrypted) continue;
    ++n.protectedRecords;
    if (!r.undecryptedReason.empty()) continue;
    ++n.opened;
    if (r.innerContentType == 23) ++n.appRecords;
  }
  for (const auto& chunk : c.appData) n.app.append(chunk.data.begin(), chunk.data.end());
  return n;
}

model::StepStatus finishedCheck(const model::TraceConnection& c, model::ScheduleNode node) {
  for (const auto& step : c.derivation)
    if (step.node == node) return step.status;
  return model::StepStatus::Derived;  // no such step
}

bool hasMessage(const model::TraceConnection& c, const std::string& name) {
  for (const auto& m : c.messages)
    if (m.name == name) return true;
  return false;
}

TEST(DtlsDissect, SnakeoilPreRfcOpenSslDecryptsWithTheRsaKeyAndSaysFinishedIsNotChecked) {
  REQUIRE_CAPTURE("snakeoil-dtls.pcap");
  keys::KeyStore keys;
  ASSERT_TRUE(keys.addPrivateKeyFile(wireshark() / "keys/snakeoil-rsa.key"));
  const model::Trace t = dissect("snakeoil-dtls.pcap", keys);
  ASSERT_EQ(t.connections.size(), 1u);
  const auto& c = t.connections[0];
  ASSERT_TRUE(c.dtls);
  EXPECT_FALSE(c.quic);  // port 4433 is QUIC's too: DTLS decides first
  EXPECT_EQ(c.dtls->version, 0x0100);
  EXPECT_EQ(c.dtls->datagrams, 9u);
  EXPECT_TRUE(c.dtls->cookieExchange);
  EXPECT_TRUE(c.dtls->cookie.empty());  // this old server's HelloVerifyRequest is 3 bytes: no cookie (tshark agrees)
  EXPECT_TRUE(hasMessage(c, "HelloVerifyRequest"));
  // Its ChangeCipherSpec took a message_seq, so the Finished are read only when that is known.
  std::size_t finished = 0;
  for (const auto& m : c.messages) finished += m.name == "Finished" ? 1 : 0;
  EXPECT_EQ(finished, 2u);
  EXPECT_EQ(c.negotiated.suite, 0x0035);
  EXPECT_EQ(c.decryption.kind, model::Decryption::Kind::Decrypted) << c.decryption.text;
  const Counts n = count(c);
  EXPECT_EQ(n.opened, n.protectedRecords);
  EXPECT_EQ(n.appRecords, 3u);  // MANIFEST
  EXPECT_NE(n.app.find("it work !"), std::string::npos) << n.app;
  for (const auto& r : c.records) {
    ASSERT_TRUE(r.dtls);
    if (r.encrypted) {
      EXPECT_EQ(r.dtls->epoch, 1);
      ASSERT_TRUE(r.crypto);
      EXPECT_NE(r.crypto->note.find("pre-RFC OpenSSL"), std::string::npos) << r.crypto->note;
    }
  }
  // Not a FAIL: the Finished input of 0x0100 is not known, and the notes say so.
  EXPECT_NE(finishedCheck(c, model::ScheduleNode::ClientFinishedCheck), model::StepStatus::Failed);
  bool said = false;
  for (const auto& d : c.diagnostics) said = said || d.message.find("pre-RFC OpenSSL DTLS (0x0100)") != std::string::npos;
  EXPECT_TRUE(said);
  EXPECT_NE(c.state.kind, model::ConnectionState::Kind::Incomplete) << c.state.text;
}

void expectCcm8Session(const model::TraceConnection& c) {
  ASSERT_TRUE(c.dtls);
  EXPECT_EQ(c.dtls->version, 0xFEFD);
  EXPECT_EQ(c.dtls->versionName, "DTLS 1.2");
  EXPECT_EQ(c.negotiated.version, 0xFEFD);
  EXPECT_EQ(c.negotiated.suite, 0xC0A8);
  EXPECT_TRUE(c.dtls->cookieExchange);
  EXPECT_FALSE(c.dtls->cookie.empty());
  for (const auto& m : c.messages) EXPECT_TRUE(m.flowVerdicts.empty()) << m.name << ": " << m.flowVerdicts.front();
  EXPECT_EQ(c.decryption.kind, model::Decryption::Kind::Decrypted) << c.decryption.text;
  const Counts n = count(c);
  EXPECT_EQ(n.opened, 7u);  // MANIFEST: 7 decrypted records, 4 of them application data
  EXPECT_EQ(n.appRecords, 4u);
  EXPECT_NE(n.app.find("Works for me!"), std::string::npos) << n.app;
  // RFC 6347 §4.2.6: over the DTLS-framed messages from the second ClientHello on.
  EXPECT_EQ(finishedCheck(c, model::ScheduleNode::ClientFinishedCheck), model::StepStatus::Verified);
  EXPECT_EQ(finishedCheck(c, model::ScheduleNode::ServerFinishedCheck), model::StepStatus::Verified);
  EXPECT_TRUE(hasMessage(c, "Finished"));
  for (const auto& r : c.records) {
    if (r.encrypted && r.crypto) {
      EXPECT_EQ(r.crypto->tag.size(), 8u);  // CCM_8
    }
  }
}

TEST(DtlsDissect, PskCcm8DecryptsAndBothFinishedVerify) {
  REQUIRE_CAPTURE("dtls12-aes128ccm8.pcap");
  keys::KeyStore keys;
  keys.addPsk(*fromHex("ca19e028a8a372ad2d325f950fcaceed"), std::nullopt, "MANIFEST");
  const model::Trace t = dissect("dtls12-aes128ccm8.pcap", keys);
  ASSERT_EQ(t.connections.size(), 1u);
  expectCcm8Session(t.connections[0]);
}

TEST(DtlsDissect, WithoutThePskTheRefusalNamesIt) {
  REQUIRE_CAPTURE("dtls12-aes128ccm8.pcap");
  keys::KeyStore keys;
  const model::Trace t = dissect("dtls12-aes128ccm8.pcap", keys);
  ASSERT_EQ(t.connections.size(), 1u);
  EXPECT_EQ(t.connections[0].decryption.kind, model::Decryption::Kind::NotDecrypted);
  EXPECT_NE(t.connections[0].decryption.text.find("no pre-shared key was given"), std::string::npos)
      << t.connections[0].decryption.text;
}

TEST(DtlsDissect, KeysFromTheEmbeddedDecryptionSecretsBlock) {
  REQUIRE_CAPTURE("dtls12-aes128ccm8-dsb.pcapng");
  keys::KeyStore keys;  // nothing given: the capture carries its CLIENT_RANDOM
  const model::Trace t = dissect("dtls12-aes128ccm8-dsb.pcapng", keys);
  ASSERT_EQ(t.connections.size(), 1u);
  expectCcm8Session(t.connections[0]);
  EXPECT_NE(t.connections[0].keyLog.find("CLIENT_RANDOM "), std::string::npos);
}

TEST(DtlsDissect, UdtOverDtls10CountsTheResentClientHelloAndDecrypts27Records) {
  REQUIRE_CAPTURE("udt-dtls.pcapng.gz");
  keys::KeyStore keys;
  ASSERT_TRUE(keys.addPrivateKeyFile(wireshark() / "keys/udt-dtls.key"));
  const model::Trace t = dissect("udt-dtls.pcapng.gz", keys);
  ASSERT_EQ(t.connections.size(), 1u);
  const auto& c = t.connections[0];
  ASSERT_TRUE(c.dtls);
  EXPECT_EQ(c.dtls->version, 0xFEFF);
  EXPECT_GE(c.dtls->resentFragments[0], 1u);  // MANIFEST: the ClientHello went twice before the HelloVerifyRequest
  EXPECT_GE(c.dtls->resentRecords, 1u);
  EXPECT_EQ(c.decryption.kind, model::Decryption::Kind::Decrypted) << c.decryption.text;
  const Counts n = count(c);
  EXPECT_EQ(n.appRecords, 27u);
  EXPECT_EQ(n.opened, n.protectedRecords);
  ASSERT_FALSE(c.appData.empty());
  EXPECT_EQ(toHex(c.appData.front().data).rfind("8000000000000000000000000000000000000004000000011fdc3fb8000005dc", 0), 0u)
      << toHex(c.appData.front().data);
  EXPECT_EQ(finishedCheck(c, model::ScheduleNode::ClientFinishedCheck), model::StepStatus::Verified);
  EXPECT_EQ(finishedCheck(c, model::ScheduleNode::ServerFinishedCheck), model::StepStatus::Verified);
  bool resentMarked = false;
  for (const auto& r : c.records) resentMarked = resentMarked || (r.dtls && r.dtls->resent && r.dtls->flight == 1);
  EXPECT_TRUE(resentMarked);
}

// Every record's epoch and 48-bit sequence number as tshark reads them.
TEST(DtlsDissect, EpochsAndSequenceNumbersAgreeWithTshark) {
  REQUIRE_CAPTURE("udt-dtls.pcapng.gz");
  if (std::system("command -v tshark >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark not installed";
  const auto path = wireshark() / "captures/udt-dtls.pcapng.gz";
  auto out = test::run("tshark -r " + path.string() + " -d udp.port==9000,dtls -T fields -E separator='|' " +
                       "-e frame.number -e dtls.record.epoch -e dtls.record.sequence_number 2>/dev/null");
  std::ostringstream theirs;
  std::istringstream in(out.out);
  for (std::string line; std::getline(in, line);)
    if (line.find('|') != std::string::npos && line.substr(line.find('|') + 1) != "|") theirs << line << "\n";
  keys::KeyStore keys;
  const model::Trace t = dissect("udt-dtls.pcapng.gz", keys);
  ASSERT_EQ(t.connections.size(), 1u);
  std::map<std::uint64_t, std::pair<std::string, std::string>> byFrame;
  for (const auto& r : t.connections[0].records) {
    auto& [epochs, seqs] = byFrame[r.frame];
    epochs += (epochs.empty() ? "" : ",") + std::to_string(r.dtls->epoch);
    seqs += (seqs.empty() ? "" : ",") + std::to_string(r.dtls->sequence);
  }
  std::ostringstream mine;
  for (const auto& [frame, v] : byFrame) mine << frame << "|" << v.first << "|" << v.second << "\n";
  EXPECT_FALSE(theirs.str().empty());
  EXPECT_EQ(mine.str(), theirs.str());
}

// ---- hostile input: a hand-made IPv4/UDP capture -------------------------------------------

Bytes udp(const Bytes& payload, bool fromClient) {
  ByteWriter w(28 + payload.size());
  const std::uint32_t a = 0x7f000001, b = 0x7f000002;
  w.u8(0x45).u8(0).u16(static_cast<std::uint16_t>(28 + payload.size())).u16(1).u16(0).u8(64).u8(17).u16(0);
  w.u32(fromClient ? a : b).u32(fromClient ? b : a);
  w.u16(fromClient ? 40000 : 5684).u16(fromClient ? 5684 : 40000).u16(static_cast<std::uint16_t>(8 + payload.size())).u16(0);
  w.bytes(payload);
  Bytes ip = std::move(w).take();
  test::set16(ip, 10, test::checksum(ByteView(ip).first(20)));
  return ip;
}

Bytes record(std::uint8_t type, std::uint16_t epoch, std::uint64_t seq, const Bytes& fragment, int lengthDelta = 0) {
  ByteWriter w(13 + fragment.size());
  w.u8(type).u16(0xFEFD).u16(epoch).uN(seq, 6, "seq").u16(static_cast<std::uint16_t>(fragment.size() + lengthDelta));
  w.bytes(fragment);
  return std::move(w).take();
}

model::Trace dissectDatagrams(const std::vector<std::pair<bool, Bytes>>& datagrams) {
  std::vector<test::FrameSpec> frames;
  for (const auto& [client, payload] : datagrams) frames.push_back({udp(payload, client), 0});
  keys::KeyStore keys;
  auto trace = dissect::dissectBytes(test::pcapBytes(test::Link::Ipv4, frames), keys);
  EXPECT_TRUE(trace.ok()) << trace.error().message();
  return trace.ok() ? std::move(trace.value()) : model::Trace{};
}

const model::Diagnostic* find(const model::TraceConnection& c, const std::string& text) {
  for (const auto& d : c.diagnostics)
    if (d.message.find(text) != std::string::npos) return &d;
  return nullptr;
}

TEST(DtlsDissect, TruncatedAndGarbageDatagramsGiveDiagnosticsWithOffsets) {
  // A ClientHello fragment header that claims 100 body bytes and brings 4.
  const Bytes cutFragment = {1, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 100, 3, 3, 0, 0};
  Bytes second = record(22, 0, 1, {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0});  // an empty ClientHello, message_seq 1
  const Bytes garbage = {0x17, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o'};  // TLS's version
  second.insert(second.end(), garbage.begin(), garbage.end());
  const Bytes shortHeader = {22, 0xFE, 0xFD, 0, 0, 0, 0};
  const Bytes protectedJunk = record(23, 1, 7, Bytes(40, 0xAB));
  const model::Trace t = dissectDatagrams({{true, record(22, 0, 0, cutFragment)},
                                           {true, second},
                                           {true, shortHeader},
                                           {false, protectedJunk}});
  ASSERT_EQ(t.connections.size(), 1u);
  const auto& c = t.connections[0];
  ASSERT_TRUE(c.dtls);
  EXPECT_EQ(c.dtls->datagrams, 4u);
  const model::Diagnostic* fragment = find(c, "handshake fragment bytes");
  ASSERT_NE(fragment, nullptr);
  ASSERT_TRUE(fragment->offset);
  EXPECT_EQ(*fragment->offset, 25u);  // its body: after the 13-byte record and 12-byte fragment headers
  const model::Diagnostic* foreign = find(c, "not a DTLS record");
  ASSERT_NE(foreign, nullptr);
  EXPECT_NE(foreign->message.find("at byte 25 of the 43-byte datagram"), std::string::npos) << foreign->message;
  ASSERT_TRUE(foreign->offset);
  EXPECT_EQ(*foreign->offset, 29u + 25u);  // after the first datagram's 29 bytes
  bool shortNamed = false;
  for (const auto& d : c.diagnostics) shortNamed = shortNamed || d.message.find("7-byte datagram") != std::string::npos;
  EXPECT_TRUE(shortNamed);
  // The protected record is kept, and says why it stays closed.
  ASSERT_FALSE(c.records.empty());
  EXPECT_TRUE(c.records.back().encrypted);
  EXPECT_FALSE(c.records.back().undecryptedReason.empty());
  EXPECT_EQ(c.records.back().dtls->sequence, 7u);
}

TEST(DtlsDissect, AFirstDatagramThatIsNotADtlsRecordIsNotClaimed) {
  const model::Trace t = dissectDatagrams({{true, record(22, 0, 0, Bytes(10, 0), 50)},  // length past the datagram
                                           {true, Bytes{0x16, 0xFE}}});
  for (const auto& c : t.connections) EXPECT_FALSE(c.dtls);
}

}  // namespace
