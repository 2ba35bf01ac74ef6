// TCP reassembly through the whole file pipeline, from scripted conversations.
#include <gtest/gtest.h>

#include "CaptureTestUtil.hpp"

namespace tlslab::test {
namespace {

using capture::CloseReason;

TEST(TcpReassembly, DeliversBothDirectionsInOrderAndClosesOnFin) {
  Conversation c(kClient, kServer);
  auto segs = c.handshake();
  segs.push_back(c.send(0, "hello "));
  segs.push_back(c.send(0, "server"));
  segs.push_back(c.send(1, "hi client"));
  segs.push_back(c.fin(0));
  segs.push_back(c.fin(1));
  segs.push_back(c.ack(0));
  auto sink = runSegments(segs);
  ASSERT_EQ(sink.opened.size(), 1u);
  EXPECT_EQ(sink.opened[0].client, kClient);
  EXPECT_EQ(sink.opened[0].server, kServer);
  EXPECT_EQ(sink.stream(0, C2S), "hello server");
  EXPECT_EQ(sink.stream(0, S2C), "hi client");
  ASSERT_EQ(sink.closed.size(), 1u);
  EXPECT_EQ(sink.closed[0].closed, CloseReason::Fin);
  EXPECT_TRUE(sink.closed[0].sawSyn);
  EXPECT_FALSE(sink.closed[0].midStream);
  EXPECT_EQ(sink.closed[0].bytes[0], 12u);
  ASSERT_GE(sink.chunks.size(), 2u);
  EXPECT_EQ(sink.chunks[0].frame, 4u);  // after SYN, SYN-ACK, ACK
  EXPECT_EQ(sink.chunks[0].offset, 0u);
  EXPECT_EQ(sink.chunks[1].offset, 6u);
  EXPECT_TRUE(sink.gaps.empty());
  EXPECT_EQ(sink.offsetErrors, 0);
}

TEST(TcpReassembly, ReorderedSegmentsAreDeliveredInSequenceOrderWithTheirOwnFrames) {
  Conversation c(kClient, kServer);
  auto segs = c.handshake();
  auto a = c.send(0, "AAAA"), b = c.send(0, "BBBB"), d = c.send(0, "CCCC");
  segs.insert(segs.end(), {d, a, b});  // frames 4 (C), 5 (A), 6 (B)
  auto sink = runSegments(segs);
  EXPECT_EQ(sink.stream(0, C2S), "AAAABBBBCCCC");
  ASSERT_EQ(sink.chunks.size(), 3u);
  EXPECT_EQ(sink.chunks[0].frame, 5u);
  EXPECT_EQ(sink.chunks[1].frame, 6u);
  EXPECT_EQ(sink.chunks[2].frame, 4u);
  EXPECT_EQ(sink.chunks[2].offset, 8u);
  EXPECT_TRUE(sink.gaps.empty());
}

TEST(TcpReassembly, DuplicateSegmentsAreDeliveredOnceWithoutConflict) {
  Conversation c(kClient, kServer);
  auto segs = c.handshake();
  auto a = c.send(0, "first"), b = c.send(0, "second");
  segs.insert(segs.end(), {a, a, b, a, b});
  auto sink = runSegments(segs);
  EXPECT_EQ(sink.stream(0, C2S), "firstsecond");
  EXPECT_FALSE(sink.hasDiagnostic("differ"));
}

TEST(TcpReassembly, RetransmissionWithDifferentBytesKeepsFirstCopyAndIsDiagnosed) {
  Conversation c(kClient, kServer);
  auto segs = c.handshake();
  segs.push_back(c.send(0, "hello world"));
  segs.push_back(c.at(0, -5, toBytes("WORLD!!")));  // overlaps "world", adds "!!"
  auto sink = runSegments(segs);
  EXPECT_EQ(sink.stream(0, C2S), "hello world!!");
  ASSERT_TRUE(sink.hasDiagnostic("differ from the first copy at stream offset 6"));
}

TEST(TcpReassembly, OverlappingOutOfOrderSegmentsKeepFirstCopyAndDiagnoseConflict) {
  Conversation c(kClient, kServer);
  auto segs = c.handshake();
  segs.push_back(c.at(0, 5, toBytes(" world")));
  segs.push_back(c.at(0, 3, toBytes("lo WORLD")));  // conflicts on "world", adds nothing new at the end
  segs.push_back(c.at(0, 0, toBytes("hel")));
  auto sink = runSegments(segs);
  EXPECT_EQ(sink.stream(0, C2S), "hello world");
  EXPECT_TRUE(sink.hasDiagnostic("different bytes at stream offset 6"));
}

TEST(TcpReassembly, MissingSegmentBecomesGapWhenAcknowledgedAndDeliveryContinuesFlagged) {
  Conversation c(kClient, kServer);
  auto segs = c.handshake();
  segs.push_back(c.send(0, "0123456789"));
  c.send(0, std::string(20, 'x'));  // lost from the capture
  segs.push_back(c.send(0, std::string(30, 'y')));
  segs.push_back(c.ack(1));  // the server acknowledges all 60 bytes
  segs.push_back(c.send(0, "tail"));
  auto sink = runSegments(segs);
  ASSERT_EQ(sink.gaps.size(), 1u);
  EXPECT_EQ(sink.gaps[0].offset, 10u);
  EXPECT_EQ(sink.gaps[0].size, 20u);
  EXPECT_EQ(sink.gaps[0].frame, 6u);  // the ACK made the loss certain
  EXPECT_NE(sink.gaps[0].reason.find("acknowledged"), std::string::npos);
  EXPECT_EQ(sink.stream(0, C2S), "0123456789" + std::string(30, 'y') + "tail");
  ASSERT_GE(sink.chunks.size(), 3u);
  EXPECT_FALSE(sink.chunks[0].afterGap);
  EXPECT_TRUE(sink.chunks[1].afterGap);
  EXPECT_EQ(sink.chunks[1].offset, 30u);
  EXPECT_FALSE(sink.chunks[2].afterGap);
  EXPECT_EQ(sink.closed.at(0).missing[0], 20u);
  EXPECT_EQ(sink.offsetErrors, 0);
}

TEST(TcpReassembly, UnacknowledgedHoleBecomesGapAtEndOfCapture) {
  Conversation c(kClient, kServer);
  auto segs = c.handshake();
  segs.push_back(c.send(0, "abc"));
  c.send(0, "lost");
  segs.push_back(c.send(0, "def"));
  auto sink = runSegments(segs);
  ASSERT_EQ(sink.gaps.size(), 1u);
  EXPECT_EQ(sink.gaps[0].offset, 3u);
  EXPECT_EQ(sink.gaps[0].size, 4u);
  EXPECT_EQ(sink.stream(0, C2S), "abcdef");
  EXPECT_EQ(sink.closed.at(0).closed, CloseReason::EndOfCapture);
}

TEST(TcpReassembly, RecordSplitAcrossHundredOneByteSegmentsIsOneTlsStream) {
  Conversation c(kClient, kServer);
  auto segs = c.handshake();
  Bytes record = tlsRecord(22, 95);  // 100 bytes with the header
  for (std::uint8_t byte : record) segs.push_back(c.send(0, Bytes{byte}));
  auto sink = runSegments(segs);
  EXPECT_EQ(sink.stream(0, C2S), text(record));
  EXPECT_EQ(sink.chunks.size(), 100u);
  for (const auto& chunk : sink.chunks) {
    EXPECT_EQ(chunk.content, Content::Tls);
  }
  ASSERT_NE(sink.tlsStart(0, C2S), nullptr);
  EXPECT_EQ(sink.tlsStart(0, C2S)->offset, 0u);
  EXPECT_EQ(sink.chunks.front().frame, 4u);
  EXPECT_EQ(sink.chunks.back().frame, 103u);
}

TEST(TcpReassembly, ConnectionPickedUpMidStreamCountsFromFirstCapturedByte) {
  Conversation c(endpoint("10.0.0.1", 51515), endpoint("10.0.0.2", 8443), 777777, 999999);
  Bytes record = tlsRecord(23, 40);
  // The server's bytes are captured first: the ports still tell who the server is.
  std::vector<TcpSpec> segs{c.send(1, record), c.send(0, record)};
  auto sink = runSegments(segs);
  ASSERT_EQ(sink.opened.size(), 1u);
  EXPECT_EQ(sink.opened[0].server.port, 8443);
  EXPECT_TRUE(sink.closed.at(0).midStream);
  EXPECT_FALSE(sink.closed.at(0).sawSyn);
  EXPECT_EQ(sink.stream(0, S2C), text(record));
  EXPECT_EQ(sink.stream(0, C2S), text(record));
  EXPECT_EQ(sink.chunks.at(0).offset, 0u);
  EXPECT_NE(sink.tlsStart(0, S2C), nullptr);
}

TEST(TcpReassembly, MidStreamBytesBeforeTheFirstCapturedOneAreIgnoredWithDiagnostic) {
  Conversation c(kClient, kServer);
  std::vector<TcpSpec> segs{c.at(0, 10, toBytes("later")), c.at(0, 0, toBytes("earlier..."))};
  auto sink = runSegments(segs);
  EXPECT_EQ(sink.stream(0, C2S), "later");
  EXPECT_TRUE(sink.hasDiagnostic("before the first captured byte"));
}

TEST(TcpReassembly, SequenceNumbersWrapAroundTwoToThe32) {
  Conversation c(kClient, kServer, 0xFFFFFFF0u, 0xFFFFFFFFu);
  auto segs = c.handshake();
  segs.push_back(c.send(0, std::string(16, 'a')));  // seq 0xFFFFFFF1..
  segs.push_back(c.send(0, std::string(16, 'b')));  // crosses 2^32
  auto third = c.send(0, std::string(16, 'c'));
  segs.push_back(c.send(1, "reply"));              // server seq starts at 0 after its SYN
  segs.push_back(third);
  auto sink = runSegments(segs);
  EXPECT_EQ(sink.stream(0, C2S), std::string(16, 'a') + std::string(16, 'b') + std::string(16, 'c'));
  EXPECT_EQ(sink.stream(0, S2C), "reply");
  EXPECT_TRUE(sink.gaps.empty());
  EXPECT_EQ(sink.chunks.back().offset, 32u);
}

TEST(TcpReassembly, RstClosesConnectionAndFlushesBufferedBytesAfterAGap) {
  Conversation c(kClient, kServer);
  auto segs = c.handshake();
  segs.push_back(c.send(0, "one"));
  c.send(0, "two");
  segs.push_back(c.send(0, "three"));
  segs.push_back(c.rst(1));
  auto sink = runSegments(segs);
  ASSERT_EQ(sink.closed.size(), 1u);
  EXPECT_EQ(sink.closed[0].closed, CloseReason::Rst);
  EXPECT_EQ(sink.stream(0, C2S), "onethree");
  ASSERT_EQ(sink.gaps.size(), 1u);
  EXPECT_EQ(sink.gaps[0].offset, 3u);
}

TEST(TcpReassembly, SameFourTupleAfterFinIsANewConnection) {
  Conversation first(kClient, kServer, 100, 200);
  auto segs = first.handshake();
  segs.push_back(first.send(0, "first"));
  segs.push_back(first.fin(0));
  segs.push_back(first.fin(1));
  segs.push_back(first.ack(0));
  segs.push_back(first.send(0, "late retransmission"));  // after close: must not open a phantom connection
  Conversation second(kClient, kServer, 90000, 80000);
  for (auto& s : second.handshake()) segs.push_back(s);
  segs.push_back(second.send(0, "second"));
  auto sink = runSegments(segs);
  ASSERT_EQ(sink.opened.size(), 2u);
  EXPECT_EQ(sink.stream(0, C2S), "first");
  EXPECT_EQ(sink.stream(1, C2S), "second");
  EXPECT_EQ(sink.closed.at(0).closed, CloseReason::Fin);
  EXPECT_TRUE(sink.hasDiagnostic("after its connection closed"));
}

TEST(TcpReassembly, NewSynOnOpenTupleClosesTheOldConnectionAsReused) {
  Conversation first(kClient, kServer, 100, 200);
  auto segs = first.handshake();
  segs.push_back(first.send(0, "abandoned"));
  Conversation second(kClient, kServer, 5555, 6666);
  for (auto& s : second.handshake()) segs.push_back(s);
  segs.push_back(second.send(0, "fresh"));
  auto sink = runSegments(segs);
  ASSERT_EQ(sink.opened.size(), 2u);
  EXPECT_EQ(sink.closed.at(0).closed, CloseReason::Reused);
  EXPECT_EQ(sink.stream(1, C2S), "fresh");
}

TEST(TcpReassembly, RetransmittedSynDoesNotOpenASecondConnection) {
  Conversation c(kClient, kServer);
  auto syn = c.syn();
  std::vector<TcpSpec> segs{syn, syn, c.synAck(), c.ack(0), c.send(0, "data")};
  auto sink = runSegments(segs);
  EXPECT_EQ(sink.opened.size(), 1u);
  EXPECT_EQ(sink.stream(0, C2S), "data");
}

TEST(TcpReassembly, OutOfOrderBufferIsCappedAndOverflowBecomesAGap) {
  Conversation c(kClient, kServer);
  auto segs = c.handshake();
  c.send(0, std::string(50, 'h'));  // the hole, never captured, never acknowledged
  for (int i = 0; i < 30; ++i) segs.push_back(c.send(0, std::string(100, static_cast<char>('a' + i % 26))));
  capture::ProcessorOptions options;
  options.maxBufferedPerDirection = 1000;
  auto sink = runSegments(segs, options);
  ASSERT_FALSE(sink.gaps.empty());
  EXPECT_EQ(sink.gaps[0].offset, 0u);
  EXPECT_EQ(sink.gaps[0].size, 50u);
  EXPECT_NE(sink.gaps[0].reason.find("buffer full"), std::string::npos);
  EXPECT_LT(sink.gaps[0].frame, 3u + 30u);  // declared while reading, not at the end
  EXPECT_EQ(sink.stream(0, C2S).size(), 3000u);
}

TEST(TcpReassembly, SynAckWithoutSynStillGivesExactOffsets) {
  Conversation c(kClient, kServer);
  c.syn();  // not captured
  std::vector<TcpSpec> segs{c.synAck(), c.ack(0), c.send(0, "GET"), c.send(1, "OK")};
  auto sink = runSegments(segs);
  ASSERT_EQ(sink.opened.size(), 1u);
  EXPECT_EQ(sink.opened[0].client, kClient);
  EXPECT_EQ(sink.stream(0, C2S), "GET");
  EXPECT_EQ(sink.stream(0, S2C), "OK");
  EXPECT_FALSE(sink.closed.at(0).midStream);
}

TEST(TcpReassembly, DataBeyondFinIsIgnoredWithDiagnostic) {
  Conversation c(kClient, kServer);
  auto segs = c.handshake();
  segs.push_back(c.send(0, "end"));
  segs.push_back(c.fin(0));
  segs.push_back(c.at(0, 0, toBytes("ghost")));
  auto sink = runSegments(segs);
  EXPECT_EQ(sink.stream(0, C2S), "end");
  EXPECT_TRUE(sink.hasDiagnostic("beyond the FIN"));
}

TEST(TcpReassembly, OpenConnectionLimitEvictsTheLeastRecentlyActive) {
  std::vector<TcpSpec> segs;
  std::vector<Conversation> conversations;
  for (int i = 0; i < 3; ++i)
    conversations.emplace_back(endpoint("10.0.0.1", static_cast<std::uint16_t>(50000 + i)), kServer);
  for (auto& c : conversations)
    for (auto& s : c.handshake()) segs.push_back(s);
  segs.push_back(conversations[0].send(0, "zero is active"));  // connection 1 is now the idlest
  Conversation fourth(endpoint("10.0.0.1", 50003), kServer);
  for (auto& s : fourth.handshake()) segs.push_back(s);
  capture::ProcessorOptions options;
  options.maxOpenConnections = 3;
  segs.push_back(conversations[1].send(0, "one resumes"));  // picked up again, mid-stream
  auto sink = runSegments(segs, options);
  ASSERT_EQ(sink.opened.size(), 5u);
  ASSERT_FALSE(sink.closed.empty());
  EXPECT_EQ(sink.closed[0].id, 1u);
  EXPECT_EQ(sink.stream(4, C2S), "one resumes");
  EXPECT_TRUE(sink.opened[4].midStream);
  EXPECT_EQ(sink.closed[0].closed, CloseReason::Evicted);
  EXPECT_TRUE(sink.hasDiagnostic("open connections"));
}

}  // namespace
}  // namespace tlslab::test
