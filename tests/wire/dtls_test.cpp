// DTLS framing (RFC 6347 §4.1, §4.2.2, §4.2.3): record headers with epoch and
// 48-bit sequence, handshake headers with message_seq / fragment_offset /
// fragment_length, reassembly of fragments in any order, retransmitted
// flights, bounds; and a real capture's datagrams (Wireshark's snakeoil-dtls,
// pulled out with tshark) split the way tshark splits them.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <sstream>

#include "support/TestPaths.hpp"
#include "tlslab/util/ByteWriter.hpp"
#include "tlslab/wire/Dtls.hpp"
#include "tlslab/wire/Messages.hpp"

namespace tlslab::wire::dtls {
namespace {

Bytes record(std::uint8_t type, std::uint16_t version, std::uint16_t epoch, std::uint64_t seq, ByteView fragment) {
  ByteWriter w(13 + fragment.size());
  w.u8(type).u16(version).u16(epoch).uN(seq, 6, "seq").u16(static_cast<std::uint16_t>(fragment.size())).bytes(fragment);
  return std::move(w).take();
}

Bytes handshake(std::uint8_t type, std::uint32_t length, std::uint16_t seq, std::uint32_t offset, ByteView body) {
  ByteWriter w(12 + body.size());
  w.u8(type).u24(length).u16(seq).u24(offset).u24(body.size()).bytes(body);
  return std::move(w).take();
}

HandshakeFragment one(const Bytes& bytes) {
  auto parsed = splitHandshakeRecord(bytes);
  EXPECT_FALSE(parsed.error);
  EXPECT_EQ(parsed.fragments.size(), 1u);
  return parsed.fragments.at(0);
}

TEST(Dtls, RecordHeaderCarriesEpochAnd48BitSequence) {
  Bytes datagram = record(23, kDtls12, 1, 0x0000A1B2C3D4E5ull, toBytes("abc"));
  const Bytes second = record(21, kDtls12, 1, kMaxSequence, toBytes("xy"));
  datagram.insert(datagram.end(), second.begin(), second.end());
  auto out = splitDatagram(datagram);
  ASSERT_FALSE(out.error) << out.error->what;
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[0].header.epoch, 1);
  EXPECT_EQ(out.records[0].header.sequence, 0xA1B2C3D4E5ull);
  EXPECT_EQ(out.records[0].header.macSequence(), 0x0001'00A1'B2C3'D4E5ull);
  EXPECT_EQ(out.records[0].wire.size(), 16u);
  EXPECT_EQ(out.records[1].offset, 16u);
  EXPECT_EQ(out.records[1].header.sequence, kMaxSequence);
  EXPECT_EQ(std::string(out.records[1].fragment.begin(), out.records[1].fragment.end()), "xy");
}

TEST(Dtls, TruncatedOrForeignRecordsNameTheOffset) {
  Bytes datagram = record(22, kDtls10, 0, 5, toBytes("hello"));
  Bytes cut = datagram;
  cut.resize(cut.size() - 2);
  auto shortOne = splitDatagram(cut, 100);
  EXPECT_TRUE(shortOne.records.empty());
  ASSERT_TRUE(shortOne.error);
  EXPECT_NE(shortOne.error->what.find("fragment"), std::string::npos) << shortOne.error->what;
  EXPECT_EQ(shortOne.error->offset, 113u);
  Bytes foreign = datagram;
  foreign.push_back(0x17);
  foreign.push_back(0x03);  // TLS version: not DTLS
  foreign.push_back(0x03);
  for (int i = 0; i < 10; ++i) foreign.push_back(0);
  auto mixed = splitDatagram(foreign);
  EXPECT_EQ(mixed.records.size(), 1u);
  ASSERT_TRUE(mixed.error);
  EXPECT_EQ(mixed.error->offset, 18u);
  EXPECT_NE(mixed.error->what.find("not a DTLS record"), std::string::npos);
}

TEST(Dtls, FragmentsReassembleInAnyOrderAndRetransmissionsAreCounted) {
  const Bytes body = toBytes("0123456789abcdefghij");  // 20 bytes in three fragments
  HandshakeReassembler r;
  EXPECT_EQ(r.add(one(handshake(11, 20, 0, 12, ByteView(body).subspan(12)))).outcome, FragmentOutcome::Partial);
  EXPECT_EQ(r.add(one(handshake(11, 20, 0, 0, ByteView(body).first(8)))).outcome, FragmentOutcome::Partial);
  // The same fragment again: a retransmission, nothing new.
  EXPECT_EQ(r.add(one(handshake(11, 20, 0, 0, ByteView(body).first(8)))).outcome, FragmentOutcome::Retransmission);
  // Overlapping the ones held, filling the gap.
  EXPECT_EQ(r.add(one(handshake(11, 20, 0, 4, ByteView(body).subspan(4, 10)))).outcome, FragmentOutcome::Completed);
  auto done = r.takeInOrder();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].fragments, 4u);
  EXPECT_EQ(toHex(done[0].tlsBytes), "0b000014" + toHex(body));
  EXPECT_EQ(toHex(done[0].dtlsBytes), "0b0000140000000000000014" + toHex(body));
  // The whole message resent later (the peer's timer fired): a retransmission.
  EXPECT_EQ(r.add(one(handshake(11, 20, 0, 0, body))).outcome, FragmentOutcome::Retransmission);
  EXPECT_EQ(r.retransmissions(), 2u);
  EXPECT_EQ(r.nextSeq(), 1);
}

TEST(Dtls, MessagesCompletedAheadWaitForTheEarlierOnes) {
  HandshakeReassembler r;
  EXPECT_EQ(r.add(one(handshake(14, 0, 2, 0, {}))).outcome, FragmentOutcome::Completed);  // ServerHelloDone first
  EXPECT_TRUE(r.takeInOrder().empty());
  EXPECT_EQ(r.add(one(handshake(2, 3, 0, 0, toBytes("abc")))).outcome, FragmentOutcome::Completed);
  auto first = r.takeInOrder();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].messageSeq, 0);
  EXPECT_EQ(r.add(one(handshake(11, 1, 1, 0, toBytes("c")))).outcome, FragmentOutcome::Completed);
  auto rest = r.takeInOrder();
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].msgType, 11);
  EXPECT_EQ(rest[1].msgType, 14);
  EXPECT_EQ(r.heldAhead(), 0u);
}

TEST(Dtls, InconsistentAndOversizedFragmentsAreRejectedWithAReason) {
  HandshakeReassembler r;
  EXPECT_EQ(r.add(one(handshake(11, 10, 0, 0, toBytes("abcd")))).outcome, FragmentOutcome::Partial);
  auto changed = r.add(one(handshake(11, 12, 0, 4, toBytes("efgh"))));
  EXPECT_EQ(changed.outcome, FragmentOutcome::Rejected);
  EXPECT_NE(changed.problem.find("earlier ones type 11 length 10"), std::string::npos) << changed.problem;
  HandshakeFragment huge;
  huge.msgType = 11;
  huge.length = HandshakeReassembler::kMaxMessage + 1;
  huge.messageSeq = 1;
  EXPECT_EQ(r.add(huge).outcome, FragmentOutcome::Rejected);
  for (std::uint16_t seq = 1; seq <= HandshakeReassembler::kMaxPending; ++seq) {
    const auto got = r.add(one(handshake(11, 10, seq, 0, toBytes("a")))).outcome;
    EXPECT_EQ(got, seq < HandshakeReassembler::kMaxPending ? FragmentOutcome::Partial : FragmentOutcome::Rejected);
  }
  // A fragment that runs past its message: a parse error at fragment_offset.
  auto bad = splitHandshakeRecord(handshake(1, 4, 0, 2, toBytes("abc")), 40);
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(bad.error->offset, 46u);
}

TEST(Dtls, HelloVerifyRequestCookieParses) {
  // server_version 0xfeff, cookie <0..255> (RFC 6347 §4.2.1).
  const Bytes bytes = *fromHex("03" "00000b" "feff" "08" "0102030405060708");
  auto msg = parseHandshakeMessage(bytes);
  const auto* hvr = msg.as<HelloVerifyRequest>();
  ASSERT_NE(hvr, nullptr);
  EXPECT_EQ(toHex(hvr->cookie), "0102030405060708");
}

// The datagrams of a real DTLS capture, as tshark sees them: each splits into
// the records tshark lists, and the handshake flights reassemble.
TEST(Dtls, SnakeoilDtlsDatagramsSplitAsTsharkSplitsThem) {
  const auto file = test::conformanceDir() / "wireshark/captures/snakeoil-dtls.pcap";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << "no conformance corpus";
  if (std::system("command -v tshark >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark not installed";
  auto result = test::run("tshark -r " + file.string() +
                          " -T fields -e udp.srcport -e udp.payload -e dtls.record.content_type 2>/dev/null");
  std::istringstream in(result.out);
  std::string line;
  std::size_t datagrams = 0, hvr = 0, handshakeMessages = 0;
  std::map<std::string, HandshakeReassembler> byPort;
  while (std::getline(in, line)) {
    if (line.find('\t') == std::string::npos) continue;  // tshark's own notices
    std::istringstream cols(line);
    std::string port, hex, types;
    if (!(cols >> port >> hex >> types)) continue;
    auto payload = fromHex(hex);
    ASSERT_TRUE(payload) << line;
    auto split = splitDatagram(*payload);
    ASSERT_FALSE(split.error) << split.error->what << " in " << line;
    std::string ours;
    for (const auto& rec : split.records) {
      ours += (ours.empty() ? "" : ",") + std::to_string(rec.header.type);
      EXPECT_EQ(rec.header.version, kDtls1BadVer);
      if (rec.header.type != 22 || rec.header.epoch != 0) continue;
      auto fragments = splitHandshakeRecord(rec.fragment);
      ASSERT_FALSE(fragments.error) << fragments.error->what;
      for (const auto& f : fragments.fragments) {
        if (f.msgType == 3) ++hvr;
        EXPECT_NE(byPort[port].add(f).outcome, FragmentOutcome::Rejected);
        handshakeMessages += byPort[port].takeInOrder().size();
      }
    }
    EXPECT_EQ(ours, types) << "datagram " << datagrams;
    ++datagrams;
  }
  EXPECT_EQ(datagrams, 9u);
  EXPECT_EQ(hvr, 1u);
  // ClientHello, HelloVerifyRequest, ClientHello (with cookie), ServerHello,
  // Certificate, ServerHelloDone, ClientKeyExchange (the Finished are epoch 1).
  EXPECT_EQ(handshakeMessages, 7u);
}

}  // namespace
}  // namespace tlslab::wire::dtls
