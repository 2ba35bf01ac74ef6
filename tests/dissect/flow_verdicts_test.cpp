// Flow verdicts and round trips in the Trace: the dissector judges each
// handshake message against the flow and extension tables (wire/FlowVerdict),
// and core counts the round trips every view prints.
#include <gtest/gtest.h>

#include "DissectTestUtil.hpp"
#include "capture/PcapBuilder.hpp"
#include "tlslab/model/RoundTrips.hpp"
#include "tlslab/model/TraceJson.hpp"

using namespace tlslab;

namespace {

Bytes hexBytes(std::string_view text) { return *fromHex(text); }

Bytes handshakeRecord(const Bytes& message) {
  Bytes out = {22, 3, 3, static_cast<std::uint8_t>(message.size() >> 8), static_cast<std::uint8_t>(message.size())};
  out.insert(out.end(), message.begin(), message.end());
  return out;
}

// A plaintext TLS 1.2 start: a ClientHello carrying an extension twice, a
// ServerHello, then the client's ClientKeyExchange before the server's
// Certificate and ServerHelloDone.
Bytes craftedCapture() {
  // extensions: extended_master_secret{} twice, encrypt_then_mac{}
  const Bytes hello = hexBytes(
      "01 00 00 37 03 03"
      "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f"
      "00 00 02 c0 2f 01 00"
      "00 0c 00 17 00 00 00 17 00 00 00 16 00 00");
  const Bytes serverHello = hexBytes(
      "02 00 00 26 03 03"
      "20 21 22 23 24 25 26 27 28 29 2a 2b 2c 2d 2e 2f 30 31 32 33 34 35 36 37 38 39 3a 3b 3c 3d 3e 3f"
      "00 c0 2f 00");
  const Bytes clientKeyExchange = hexBytes("10 00 00 03 02 aa bb");  // ECDHE: a 2-byte point
  test::Conversation conv(test::endpoint("10.0.0.1", 50000), test::endpoint("10.0.0.2", 443));
  std::vector<test::TcpSpec> segs = conv.handshake();
  segs.push_back(conv.send(0, handshakeRecord(hello)));
  segs.push_back(conv.send(1, handshakeRecord(serverHello)));
  segs.push_back(conv.send(0, handshakeRecord(clientKeyExchange)));
  return test::pcapngBytes(test::Link::Ethernet, test::frames(test::Link::Ethernet, segs));
}

const model::TraceMessage* messageNamed(const model::TraceConnection& c, const std::string& name) {
  for (const auto& m : c.messages)
    if (m.name == name) return &m;
  return nullptr;
}

model::Trace dissectSample(const std::string& name) {
  keys::KeyStore keys;
  auto trace = dissect::dissectFile(test::sourceDir() / "captures" / name, keys);
  EXPECT_TRUE(trace.ok()) << name;
  return trace.ok() ? std::move(trace.value()) : model::Trace{};
}

}  // namespace

TEST(FlowVerdicts, ARepeatedExtensionAndAMessageOutOfOrderAreInTheTrace) {
  keys::KeyStore keys;
  auto trace = dissect::dissectBytes(craftedCapture(), keys);
  ASSERT_TRUE(trace.ok());
  ASSERT_EQ(trace->connections.size(), 1u);
  const auto& c = trace->connections[0];
  const auto* hello = messageNamed(c, "ClientHello");
  const auto* serverHello = messageNamed(c, "ServerHello");
  const auto* done = messageNamed(c, "ClientKeyExchange");
  ASSERT_TRUE(hello && serverHello && done);
  ASSERT_EQ(hello->flowVerdicts.size(), 1u);
  EXPECT_NE(hello->flowVerdicts[0].find("extended_master_secret appears 2 times in ClientHello"), std::string::npos)
      << hello->flowVerdicts[0];
  EXPECT_TRUE(serverHello->flowVerdicts.empty());
  ASSERT_EQ(done->flowVerdicts.size(), 1u);
  EXPECT_NE(done->flowVerdicts[0].find("unexpected ClientKeyExchange from the client"), std::string::npos)
      << done->flowVerdicts[0];
  EXPECT_NE(done->flowVerdicts[0].find("Certificate from the server"), std::string::npos) << done->flowVerdicts[0];
  // JSON names the verdicts only where there are some.
  const auto json = model::toJson(c);
  EXPECT_EQ(json["messages"][0]["flowVerdicts"].size(), 1u);
  EXPECT_FALSE(json["messages"][1].contains("flowVerdicts"));
}

TEST(FlowVerdicts, WellFormedSamplesHaveNone) {
  for (const char* name : {"tls13-https-hello.pcapng", "tls13-hrr.pcapng", "tls13-client-cert.pcapng",
                           "tls13-psk-0rtt.pcapng", "tls13-keyupdate.pcapng", "tls12-ecdhe.pcapng", "tls12-rsa.pcapng",
                           "tls12-resume-id.pcapng", "tls12-resume-ticket.pcapng", "tls12-renegotiation.pcapng"}) {
    const model::Trace trace = dissectSample(name);
    for (const auto& c : trace.connections)
      for (const auto& m : c.messages)
        EXPECT_TRUE(m.flowVerdicts.empty()) << name << " #" << c.index << " " << m.name << ": " << m.flowVerdicts[0];
  }
}

TEST(RoundTrips, FullTls13IsOneRttAHelloRetryRequestMakesItTwo) {
  const model::Trace full = dissectSample("tls13-https-hello.pcapng");
  ASSERT_FALSE(full.connections.empty());
  EXPECT_EQ(model::handshakeRoundTrips(full.connections[0]).count, 1);
  const model::Trace hrr = dissectSample("tls13-hrr.pcapng");
  ASSERT_FALSE(hrr.connections.empty());
  const model::HandshakeRoundTrips trips = model::handshakeRoundTrips(hrr.connections[0]);
  EXPECT_EQ(trips.count, 2);
  ASSERT_EQ(trips.ofRecord.size(), hrr.connections[0].records.size());
  EXPECT_EQ(trips.ofRecord[0], 1);  // the first ClientHello
  const model::Trace tls12 = dissectSample("tls12-ecdhe.pcapng");
  ASSERT_FALSE(tls12.connections.empty());
  EXPECT_EQ(model::handshakeRoundTrips(tls12.connections[0]).count, 2);
}
