// QUIC packet headers, coalesced packets, frames and transport parameters
// (wire/Quic.hpp), on RFC 9001 Appendix A's packets and on broken input:
// every truncation gives an error with an offset inside the input.
#include <gtest/gtest.h>

#include "tlslab/wire/Quic.hpp"

namespace tlslab::wire::quic {
namespace {

Bytes hex(std::string_view text) { return fromHex(text).value_or(Bytes{}); }

// RFC 9001 A.2's unprotected ClientHello payload starts with this CRYPTO frame header.
const char* kA2Header = "c300000001088394c8f03e5157080000449e00000002";
// RFC 9001 A.3, the server Initial's plaintext: ACK then CRYPTO (ServerHello).
const char* kA3Payload =
    "02000000000600405a020000560303eefce7f7b37ba1d1632e96677825ddf739"
    "88cfc79825df566dc5430b9a045a1200130100002e00330024001d00209d3c94"
    "0d89690b84d08a60993c144eca684d1081287c834d5311bcf32bb9da1a002b00"
    "020304";
// RFC 9001 A.4 Retry.
const char* kA4Retry = "ff000000010008f067a5502a4262b5746f6b656e04a265ba2eff4d829058fb3f0f2496ba";
// The quic_transport_parameters body of RFC 9001 A.2's ClientHello.
const char* kA2TransportParameters =
    "0408ffffffffffffffff05048000ffff07048000ffff0801100104800075300901100f088394c8f03e51570806048000ffff";

TEST(QuicVarint, ReadsAllFourLengthsAsRfc9000A1) {
  // RFC 9000 §A.1: 0xc2197c5eff14e88c -> 151288809941952652; 0x9d7f3e7d -> 494878333;
  // 0x7bbd -> 15293; 0x25 -> 37; 0x4025 -> 37.
  const Bytes b = hex("c2197c5eff14e88c9d7f3e7d7bbd254025");
  ByteReader r(b);
  EXPECT_EQ(readVarint(r, "a"), 151288809941952652u);
  EXPECT_EQ(readVarint(r, "b"), 494878333u);
  EXPECT_EQ(readVarint(r, "c"), 15293u);
  EXPECT_EQ(readVarint(r, "d"), 37u);
  EXPECT_EQ(readVarint(r, "e"), 37u);
  EXPECT_TRUE(r.ok() && r.empty());
  ByteReader cut(ByteView(b).first(3));
  readVarint(cut, "cut");
  EXPECT_TRUE(cut.failed());
}

TEST(QuicHeader, InitialLongHeaderGivesCidsTokenLengthAndPacketNumberOffset) {
  Bytes packet = hex(kA2Header);
  packet.resize(22 + 1182 - 4, 0);  // Length 0x49e = 1182 covers the packet number and payload
  auto h = parsePacketHeader(packet, 0, 0);
  ASSERT_TRUE(h.header) << h.error->what;
  EXPECT_EQ(h.header->type, PacketType::Initial);
  EXPECT_EQ(h.header->version, 1u);
  EXPECT_EQ(toHex(h.header->dcid), "8394c8f03e515708");
  EXPECT_TRUE(h.header->scid.empty());
  EXPECT_TRUE(h.header->token.empty());
  EXPECT_EQ(h.header->length, 1182u);
  EXPECT_EQ(h.header->pnOffset, 18u);
  EXPECT_EQ(h.header->end, 1200u);
}

TEST(QuicHeader, CoalescedPacketsAreSplitByTheirLengths) {
  // A Handshake packet (Length 20) then a short-header packet with an 8-byte DCID.
  Bytes d = hex("e00000000108aabbccddeeff001108112233445566778814");
  d.resize(d.size() + 20, 0x5a);
  const Bytes shortPacket = hex("41aabbccddeeff00110102030405060708090a0b0c0d0e0f1011121314");
  d.insert(d.end(), shortPacket.begin(), shortPacket.end());
  auto split = splitDatagram(d, 8);
  ASSERT_EQ(split.packets.size(), 2u) << (split.error ? split.error->what : "");
  EXPECT_EQ(split.packets[0].type, PacketType::Handshake);
  EXPECT_EQ(toHex(split.packets[0].scid), "1122334455667788");
  EXPECT_EQ(split.packets[1].type, PacketType::OneRtt);
  EXPECT_EQ(split.packets[1].offset, split.packets[0].end);
  EXPECT_EQ(toHex(split.packets[1].dcid), "aabbccddeeff0011");
  EXPECT_EQ(split.packets[1].pnOffset, split.packets[1].offset + 9);
  EXPECT_FALSE(split.error);
}

TEST(QuicHeader, RetryAndVersionNegotiation) {
  auto retry = parsePacketHeader(hex(kA4Retry), 0, 0);
  ASSERT_TRUE(retry.header);
  EXPECT_EQ(retry.header->type, PacketType::Retry);
  EXPECT_EQ(toHex(retry.header->scid), "f067a5502a4262b5");
  EXPECT_EQ(std::string(retry.header->token.begin(), retry.header->token.end()), "token");
  EXPECT_EQ(toHex(retry.header->retryIntegrityTag), "04a265ba2eff4d829058fb3f0f2496ba");
  auto vn = parsePacketHeader(hex("80000000000401020304040506070" "8ff00001d00000001"), 0, 0);
  ASSERT_TRUE(vn.header) << vn.error->what;
  EXPECT_EQ(vn.header->type, PacketType::VersionNegotiation);
  EXPECT_EQ(vn.header->supportedVersions, (std::vector<std::uint32_t>{0xff00001d, 1}));
  auto badVn = parsePacketHeader(hex("8000000000040102030404050607080001"), 0, 0);
  ASSERT_TRUE(badVn.error);
  EXPECT_EQ(badVn.error->offset, 15u);
}

TEST(QuicHeader, EveryTruncationIsAnErrorWithAnOffsetNeverACrash) {
  Bytes packet = hex(kA2Header);
  packet.resize(1200, 0);
  for (std::size_t n = 0; n < 22; ++n) {
    auto h = parsePacketHeader(ByteView(packet).first(n), 0, 0);
    ASSERT_FALSE(h.header) << n;
    ASSERT_TRUE(h.error) << n;
    EXPECT_LE(h.error->offset, n) << n;
  }
  // A Length past the datagram names the Length field.
  auto h = parsePacketHeader(ByteView(packet).first(600), 0, 0);
  ASSERT_TRUE(h.error);
  EXPECT_EQ(h.error->offset, 16u);
  EXPECT_NE(h.error->what.find("Length 1182 exceeds"), std::string::npos) << h.error->what;
  // A 21-byte connection ID is not QUIC v1.
  auto big = parsePacketHeader(hex("c00000000115000102030405060708090a0b0c0d0e0f1011121314"), 0, 0);
  ASSERT_TRUE(big.error);
  EXPECT_EQ(big.error->offset, 5u);
}

TEST(QuicFrames, ServerInitialHasAnAckAndACryptoFrame) {
  auto f = parseFrames(hex(kA3Payload));
  ASSERT_FALSE(f.error) << f.error->what;
  ASSERT_EQ(f.frames.size(), 2u);
  EXPECT_EQ(f.frames[0].type, frame::Ack);
  ASSERT_EQ(f.frames[0].ackRanges.size(), 1u);
  EXPECT_EQ(f.frames[0].ackRanges[0].largest, 0u);
  EXPECT_EQ(f.frames[1].type, frame::Crypto);
  EXPECT_EQ(f.frames[1].dataOffset, 0u);
  EXPECT_EQ(f.frames[1].data.size(), 90u);
  EXPECT_EQ(f.frames[1].data[0], 2);  // ServerHello
  EXPECT_EQ(f.frames[1].summary, "CRYPTO offset 0, 90 bytes");
}

TEST(QuicFrames, StreamPaddingCloseAndNewConnectionId) {
  // STREAM(off,len,fin) id 4 offset 2 "hi"; PING; NEW_CONNECTION_ID; CONNECTION_CLOSE "bye"; HANDSHAKE_DONE; 3 PADDING
  const Bytes p = hex("0f040202" "6869" "01" "180100" "04a1a2a3a4" "00112233445566778899aabbccddeeff"
                      "1c0a0603" "627965" "1e" "000000");
  auto f = parseFrames(p);
  ASSERT_FALSE(f.error) << f.error->what << " at " << f.error->offset;
  ASSERT_EQ(f.frames.size(), 6u);
  EXPECT_EQ(f.frames[0].streamId, 4u);
  EXPECT_EQ(f.frames[0].dataOffset, 2u);
  EXPECT_TRUE(f.frames[0].fin);
  EXPECT_EQ(std::string(f.frames[0].data.begin(), f.frames[0].data.end()), "hi");
  EXPECT_EQ(f.frames[1].summary, "PING");
  EXPECT_EQ(toHex(f.frames[2].connectionId), "a1a2a3a4");
  EXPECT_EQ(f.frames[3].errorCode, 0x0au);
  EXPECT_EQ(f.frames[3].frameType, 6u);
  EXPECT_EQ(f.frames[3].reason, "bye");
  EXPECT_EQ(f.frames[4].summary, "HANDSHAKE_DONE");
  EXPECT_EQ(f.frames[5].count, 3u);
}

TEST(QuicFrames, UnknownTypeAndBadLengthsStopWithTheirOffsets) {
  auto unknown = parseFrames(hex("0100" "4021" "00"));
  ASSERT_TRUE(unknown.error);
  EXPECT_EQ(unknown.error->offset, 2u);
  EXPECT_NE(unknown.error->what.find("unknown frame type 0x21"), std::string::npos);
  EXPECT_EQ(unknown.frames.size(), 2u);  // PING and PADDING before it are kept
  auto longCrypto = parseFrames(hex("06004064aabb"));  // CRYPTO length 100, 2 bytes there
  ASSERT_TRUE(longCrypto.error);
  EXPECT_EQ(longCrypto.error->offset, 2u);
  auto badAck = parseFrames(hex("0205000006"));  // first range 6 > largest 5
  ASSERT_TRUE(badAck.error);
  const Bytes a3 = hex(kA3Payload);
  for (std::size_t n = 1; n < a3.size(); ++n) {
    auto f = parseFrames(ByteView(a3).first(n));
    if (f.error) {
      EXPECT_LE(f.error->offset, n);
    }
  }
}

TEST(QuicTransportParameters, TheRfc9001ClientHelloParametersAreDecoded) {
  auto tp = parseTransportParameters(hex(kA2TransportParameters));
  ASSERT_FALSE(tp.error) << tp.error->what;
  ASSERT_EQ(tp.parameters.size(), 8u);
  EXPECT_EQ(tp.parameters[0].name, "initial_max_data");
  EXPECT_EQ(tp.parameters[0].text, "4611686018427387903");
  EXPECT_EQ(tp.parameters[4].name, "max_idle_timeout");
  EXPECT_EQ(tp.parameters[4].text, "30000");
  EXPECT_EQ(tp.parameters[6].name, "initial_source_connection_id");
  EXPECT_EQ(tp.parameters[6].text, "8394c8f03e515708");
  auto cut = parseTransportParameters(ByteView(hex(kA2TransportParameters)).first(12));
  ASSERT_TRUE(cut.error);
  EXPECT_EQ(cut.error->offset, 11u);  // the length of initial_max_stream_data_bidi_local
}

}  // namespace
}  // namespace tlslab::wire::quic
