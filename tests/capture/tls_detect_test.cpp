// TLS found by content on any port, and the STARTTLS upgrades of SMTP, POP3, IMAP and FTP.
#include <gtest/gtest.h>

#include "CaptureTestUtil.hpp"
#include "tlslab/capture/TlsDetect.hpp"

namespace tlslab::test {
namespace {

using capture::looksLikeTlsRecordHeader;

TEST(TlsRecordHeader, AcceptsEveryContentTypeAndVersionInRange) {
  for (std::uint8_t type = 20; type <= 24; ++type)
    for (std::uint8_t minor = 0; minor <= 4; ++minor)
      EXPECT_TRUE(looksLikeTlsRecordHeader(Bytes{type, 3, minor, 0x00, 0x30})) << int(type) << " " << int(minor);
}

TEST(TlsRecordHeader, RejectsWrongTypeVersionOrOversizeLength) {
  EXPECT_FALSE(looksLikeTlsRecordHeader(Bytes{19, 3, 3, 0, 5}));
  EXPECT_FALSE(looksLikeTlsRecordHeader(Bytes{25, 3, 3, 0, 5}));
  EXPECT_FALSE(looksLikeTlsRecordHeader(Bytes{22, 3, 5, 0, 5}));
  EXPECT_FALSE(looksLikeTlsRecordHeader(Bytes{22, 2, 0, 0, 5}));
  EXPECT_TRUE(looksLikeTlsRecordHeader(Bytes{23, 3, 3, 0x48, 0x00}));   // 2^14 + 2048
  EXPECT_FALSE(looksLikeTlsRecordHeader(Bytes{23, 3, 3, 0x48, 0x01}));  // one more
  EXPECT_FALSE(looksLikeTlsRecordHeader(Bytes{22, 3, 3, 0}));           // truncated header
  EXPECT_FALSE(looksLikeTlsRecordHeader(toBytes("GET / HTTP/1.1")));
}

TEST(TlsRecordHeader, AcceptsSslv2CompatibleClientHello) {
  EXPECT_TRUE(looksLikeTlsRecordHeader(Bytes{0x80, 0x2E, 0x01, 0x03, 0x01}));
}

TEST(TlsDetection, TlsOnAnUnusualPortIsFoundByContent) {
  Conversation c(endpoint("10.1.1.1", 41000), endpoint("10.1.1.2", 12345));
  auto segs = c.handshake();
  segs.push_back(c.send(0, tlsRecord(22, 60)));
  segs.push_back(c.send(1, tlsRecord(22, 80)));
  auto sink = runSegments(segs);
  ASSERT_NE(sink.tlsStart(0, C2S), nullptr);
  ASSERT_NE(sink.tlsStart(0, S2C), nullptr);
  EXPECT_EQ(sink.tlsStart(0, C2S)->offset, 0u);
  EXPECT_TRUE(sink.tlsStart(0, C2S)->protocol.empty());
  for (const auto& chunk : sink.chunks) {
    EXPECT_EQ(chunk.content, Content::Tls);
  }
}

TEST(TlsDetection, TlsOnPort443ThatIsNotTlsIsNotCalledTls) {
  Conversation c(kClient, kServer);
  auto segs = c.handshake();
  segs.push_back(c.send(0, Bytes{0x00, 0x01, 0x02, 0x03, 0x04, 0x05}));
  segs.push_back(c.send(1, "HTTP/1.1 400 Bad Request\r\n"));
  auto sink = runSegments(segs);
  EXPECT_TRUE(sink.tlsStarts.empty());
  EXPECT_EQ(sink.streamOf(0, C2S, Content::Unknown).size(), 6u);
  EXPECT_EQ(sink.streamOf(0, S2C, Content::Plaintext), "HTTP/1.1 400 Bad Request\r\n");
}

TEST(TlsDetection, StreamShorterThanARecordHeaderIsStillDelivered) {
  Conversation c(kClient, kServer);
  auto segs = c.handshake();
  segs.push_back(c.send(0, Bytes{22, 3}));
  segs.push_back(c.fin(0));
  segs.push_back(c.fin(1));
  auto sink = runSegments(segs);
  EXPECT_EQ(sink.stream(0, C2S).size(), 2u);
  EXPECT_TRUE(sink.tlsStarts.empty());
}

TEST(TlsDetection, MidStreamPickupResyncsAtTheFirstSegmentStartingARecord) {
  Conversation c(endpoint("10.1.1.1", 41001), endpoint("10.1.1.2", 443), 5000, 9000);
  Bytes tail{0x9a, 0x01, 0xff, 0x42, 0x00, 0x13, 0x37};  // the end of a record whose start was missed
  Bytes record = tlsRecord(23, 30);
  std::vector<TcpSpec> segs{c.send(1, tail), c.send(1, record)};
  auto sink = runSegments(segs);
  EXPECT_EQ(sink.streamOf(0, S2C, Content::Unknown), text(tail));
  EXPECT_EQ(sink.streamOf(0, S2C, Content::Tls), text(record));
  ASSERT_NE(sink.tlsStart(0, S2C), nullptr);
  EXPECT_EQ(sink.tlsStart(0, S2C)->offset, tail.size());
}

TEST(TlsDetection, ConnectionSeenFromItsSynIsNotResyncedInsideUnknownData) {
  Conversation c(kClient, endpoint("10.0.0.2", 7000));
  auto segs = c.handshake();
  segs.push_back(c.send(0, Bytes{0x00, 0x00, 0x00, 0x10, 0x01}));
  segs.push_back(c.send(0, tlsRecord(23, 5)));  // looks like a record, but the stream is not TLS
  auto sink = runSegments(segs);
  EXPECT_TRUE(sink.tlsStarts.empty());
}

struct Exchange {
  std::vector<std::pair<int, std::string>> lines;  // (side, bytes) in capture order
};

RecordingSink runExchange(const Exchange& e, std::uint16_t port, bool withTls = true) {
  Conversation c(endpoint("10.2.0.1", 45000), endpoint("10.2.0.2", port));
  auto segs = c.handshake();
  for (const auto& [side, bytes] : e.lines) segs.push_back(c.send(side, bytes));
  if (withTls) {
    segs.push_back(c.send(0, tlsRecord(22, 50)));
    segs.push_back(c.send(1, tlsRecord(22, 70)));
  }
  return runSegments(segs);
}

std::string plainOf(const Exchange& e, int side) {
  std::string out;
  for (const auto& [s, bytes] : e.lines)
    if (s == side) out += bytes;
  return out;
}

void expectUpgrade(const RecordingSink& sink, const Exchange& e, const std::string& protocol) {
  ASSERT_EQ(sink.closed.size(), 1u);
  EXPECT_EQ(sink.closed[0].protocol, protocol);
  std::string clientPlain = plainOf(e, 0), serverPlain = plainOf(e, 1);
  EXPECT_EQ(sink.streamOf(0, C2S, Content::Plaintext), clientPlain);
  EXPECT_EQ(sink.streamOf(0, S2C, Content::Plaintext), serverPlain);
  EXPECT_EQ(sink.streamOf(0, C2S, Content::Tls), text(tlsRecord(22, 50)));
  EXPECT_EQ(sink.streamOf(0, S2C, Content::Tls), text(tlsRecord(22, 70)));
  const auto* client = sink.tlsStart(0, C2S);
  const auto* server = sink.tlsStart(0, S2C);
  ASSERT_NE(client, nullptr);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(client->offset, clientPlain.size());
  EXPECT_EQ(server->offset, serverPlain.size());
  EXPECT_EQ(client->protocol, protocol);
  for (const auto& chunk : sink.chunks)
    if (chunk.content != Content::Unknown) {
      EXPECT_EQ(chunk.protocol, protocol);
    }
}

TEST(StartTls, SmtpUpgradeStartsTlsAfterTheServers220) {
  Exchange e{{{1, "220 mail.example.org ESMTP ready\r\n"},
              {0, "EHLO client.example.org\r\n"},
              {1, "250-mail.example.org\r\n250-STARTTLS\r\n250 SIZE 1000000\r\n"},
              {0, "STARTTLS\r\n"},
              {1, "220 2.0.0 Ready to start TLS\r\n"}}};
  expectUpgrade(runExchange(e, 25), e, "SMTP");
}

TEST(StartTls, SmtpMultiLineReplyStartsTlsAfterItsLastLine) {
  Exchange e{{{1, "220 mx ESMTP\r\n"},
              {0, "STARTTLS\r\n"},
              {1, "220-please wait\r\n"},
              {1, "220 go ahead\r\n"}}};
  expectUpgrade(runExchange(e, 587), e, "SMTP");
}

TEST(StartTls, SmtpReplySplitAcrossSegmentsIsUnderstood) {
  Exchange e{{{1, "220 mx ESMTP\r\n"}, {0, "STARTTLS\r\n"}, {1, "22"}, {1, "0 Ready\r"}, {1, "\n"}}};
  expectUpgrade(runExchange(e, 25), e, "SMTP");
}

TEST(StartTls, SmtpRefusedUpgradeStaysPlaintext) {
  Exchange e{{{1, "220 mx ESMTP\r\n"},
              {0, "STARTTLS\r\n"},
              {1, "454 4.7.0 TLS not available\r\n"},
              {0, "QUIT\r\n"},
              {1, "221 bye\r\n"}}};
  auto sink = runExchange(e, 25, false);
  EXPECT_TRUE(sink.tlsStarts.empty());
  EXPECT_EQ(sink.streamOf(0, C2S, Content::Plaintext), "STARTTLS\r\nQUIT\r\n");
  EXPECT_EQ(sink.closed.at(0).protocol, "SMTP");
}

TEST(StartTls, ClientHelloCapturedBeforeTheServerReplyIsStillTls) {
  Conversation c(endpoint("10.2.0.1", 45001), endpoint("10.2.0.2", 25));
  auto segs = c.handshake();
  segs.push_back(c.send(1, "220 mx ESMTP\r\n"));
  segs.push_back(c.send(0, "STARTTLS\r\n"));
  auto reply = c.send(1, "220 Ready\r\n");
  segs.push_back(c.send(0, tlsRecord(22, 50)));  // captured first (capture-point reordering)
  segs.push_back(reply);
  auto sink = runSegments(segs);
  EXPECT_EQ(sink.streamOf(0, C2S, Content::Tls), text(tlsRecord(22, 50)));
  ASSERT_NE(sink.tlsStart(0, C2S), nullptr);
  EXPECT_EQ(sink.tlsStart(0, C2S)->offset, 10u);
}

TEST(StartTls, Pop3UpgradeStartsTlsAfterOk) {
  Exchange e{{{1, "+OK POP3 server ready\r\n"},
              {0, "CAPA\r\n"},
              {1, "+OK Capability list follows\r\nSTLS\r\nUSER\r\n.\r\n"},
              {0, "STLS\r\n"},
              {1, "+OK Begin TLS negotiation\r\n"}}};
  expectUpgrade(runExchange(e, 110), e, "POP3");
}

TEST(StartTls, ImapUpgradeWaitsForTheTaggedOk) {
  Exchange e{{{1, "* OK IMAP4rev1 Service Ready\r\n"},
              {0, "a001 CAPABILITY\r\n"},
              {1, "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\na001 OK CAPABILITY completed\r\n"},
              {0, "a002 STARTTLS\r\n"},
              {1, "* OK still plaintext\r\n"},
              {1, "a002 OK Begin TLS negotiation now\r\n"}}};
  expectUpgrade(runExchange(e, 143), e, "IMAP");
}

TEST(StartTls, FtpAuthTlsStartsTlsAfter234) {
  Exchange e{{{1, "220 ProFTPD Server ready\r\n"}, {0, "AUTH TLS\r\n"}, {1, "234 AUTH TLS successful\r\n"}}};
  expectUpgrade(runExchange(e, 21), e, "FTP");
}

TEST(StartTls, CommandAndClientHelloInOneSegmentAreSplitAtTheLineEnd) {
  Conversation c(endpoint("10.2.0.1", 45002), endpoint("10.2.0.2", 110));
  auto segs = c.handshake();
  segs.push_back(c.send(1, "+OK ready\r\n"));
  Bytes both = toBytes("STLS\r\n");
  Bytes record = tlsRecord(22, 40);
  both.insert(both.end(), record.begin(), record.end());
  segs.push_back(c.send(0, both));
  segs.push_back(c.send(1, "+OK go\r\n"));
  auto sink = runSegments(segs);
  EXPECT_EQ(sink.streamOf(0, C2S, Content::Plaintext), "STLS\r\n");
  EXPECT_EQ(sink.streamOf(0, C2S, Content::Tls), text(record));
  EXPECT_EQ(sink.tlsStart(0, C2S)->offset, 6u);
}

}  // namespace
}  // namespace tlslab::test
