// The project's own real OpenSSL handshakes (TLS 1.2 and 1.3, several key
// exchanges, client auth, resumption, HelloRetryRequest, KeyUpdate) parse
// without diagnostics, and follow a flow of the flow table.
#include <gtest/gtest.h>

#include <algorithm>

#include "OpensslPair.hpp"
#include "WireTestUtil.hpp"
#include "tlslab/wire/Explain.hpp"
#include "tlslab/wire/Messages.hpp"

namespace tlslab::wire {
namespace {

using testpair::Capture;
using testpair::Options;
using testpair::Pair;

struct Checked {
  std::vector<int> kinds;  // flow kinds in order
  std::vector<FlowId> candidates;
  std::vector<HandshakeMessage> parsed;
};

// Parses every handshake message the endpoints wrote and runs the flow
// tracker over them; asserts no diagnostics at all.
Checked checkMessages(const Capture& cap) {
  Checked out;
  ParseContext ctx;
  FlowTracker tracker;
  for (const auto& m : cap.messages) {
    int kind = kFlowChangeCipherSpec;
    if (m.contentType == 22) {
      HandshakeMessage parsed = parseHandshakeMessage(m.bytes, ctx);
      EXPECT_TRUE(parsed.diagnostics.empty())
          << handshakeTypeDisplay(parsed.type) << ":\n" << testutil::dump(parsed.diagnostics);
      EXPECT_FALSE(std::holds_alternative<UnknownMessage>(parsed.body)) << handshakeTypeDisplay(parsed.type);
      updateContext(ctx, parsed);
      const auto* sh = parsed.as<ServerHello>();
      kind = sh && sh->helloRetryRequest ? kFlowHelloRetryRequest : parsed.type;
      out.parsed.push_back(std::move(parsed));
    }
    auto verdict = tracker.observe(m.from, kind);
    EXPECT_TRUE(verdict.expected) << verdict.message;
    out.kinds.push_back(kind);
  }
  out.candidates = tracker.candidates();
  return out;
}

// The raw wire bytes of each direction frame and explain without errors.
void checkWire(const Capture& cap) {
  for (const Bytes* stream : {&cap.clientToServer, &cap.serverToClient}) {
    ASSERT_FALSE(stream->empty());
    ExplainResult r = explainRecords(*stream);
    EXPECT_FALSE(r.hasErrors()) << testutil::dump(r.diagnostics);
    std::size_t total = 0;
    for (const auto& rec : r.records) total += rec.header.tree.length;
    EXPECT_EQ(total, stream->size());  // every byte is inside exactly one record
  }
}

bool has(const std::vector<FlowId>& ids, FlowId id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); }
bool has(const std::vector<int>& kinds, int kind) { return std::find(kinds.begin(), kinds.end(), kind) != kinds.end(); }

TEST(OpensslHandshake, Tls13OneRttWithKeyUpdateParsesCleanly) {
  Options o;
  o.keyUpdate = true;
  Pair pair(o);
  Capture cap = pair.connect();
  ASSERT_TRUE(cap.handshakeDone);
  Checked c = checkMessages(cap);
  checkWire(cap);
  EXPECT_TRUE(has(c.candidates, FlowId::Tls13OneRtt));
  EXPECT_TRUE(has(c.kinds, 8));   // EncryptedExtensions
  EXPECT_TRUE(has(c.kinds, 4));   // NewSessionTicket
  EXPECT_TRUE(has(c.kinds, 24));  // KeyUpdate
  const auto* sh = c.parsed[1].as<ServerHello>();
  ASSERT_NE(sh, nullptr);
  EXPECT_EQ(sh->negotiatedVersion(), 0x0304);
}

TEST(OpensslHandshake, Tls13HelloRetryRequestParsesCleanly) {
  Options o;
  o.clientGroups = "P-256:X25519";  // key share for P-256 only
  o.serverGroups = "X25519";        // server insists on X25519: HelloRetryRequest
  Pair pair(o);
  Capture cap = pair.connect();
  ASSERT_TRUE(cap.handshakeDone);
  Checked c = checkMessages(cap);
  checkWire(cap);
  EXPECT_TRUE(has(c.kinds, kFlowHelloRetryRequest));
  EXPECT_TRUE(has(c.candidates, FlowId::Tls13HelloRetryRequest));
}

TEST(OpensslHandshake, Tls13ClientAuthParsesCleanly) {
  Options o;
  o.clientAuth = true;
  Pair pair(o);
  Capture cap = pair.connect();
  ASSERT_TRUE(cap.handshakeDone);
  Checked c = checkMessages(cap);
  checkWire(cap);
  EXPECT_TRUE(has(c.kinds, 13));
  EXPECT_TRUE(has(c.candidates, FlowId::Tls13ClientAuth));
}

TEST(OpensslHandshake, Tls13PskResumptionParsesCleanly) {
  Pair pair(Options{});
  Capture first = pair.connect();
  ASSERT_TRUE(first.handshakeDone);
  testpair::SessionPtr session(SSL_SESSION_dup(pair.lastSession()));
  Capture second = pair.connect(session.get());
  ASSERT_TRUE(second.handshakeDone);
  ASSERT_TRUE(pair.lastResumed());
  Checked c = checkMessages(second);
  checkWire(second);
  EXPECT_TRUE(has(c.candidates, FlowId::Tls13PskResumption));
  const auto* hello = c.parsed[0].as<ClientHello>();
  ASSERT_NE(hello, nullptr);
  ASSERT_EQ(hello->summary.pskIdentities.size(), 1u);
  EXPECT_EQ(hello->summary.pskBinders.size(), 1u);
}

struct Tls12Case {
  const char* cipher;
  FlowId flow;
  std::uint16_t suite;
};

class OpensslTls12 : public ::testing::TestWithParam<Tls12Case> {};

TEST_P(OpensslTls12, FullHandshakeParsesCleanly) {
  Options o;
  o.version = TLS1_2_VERSION;
  o.cipherList = GetParam().cipher;
  Pair pair(o);
  Capture cap = pair.connect();
  ASSERT_TRUE(cap.handshakeDone);
  Checked c = checkMessages(cap);
  checkWire(cap);
  EXPECT_TRUE(has(c.candidates, GetParam().flow));
  const auto* sh = c.parsed[1].as<ServerHello>();
  ASSERT_NE(sh, nullptr);
  EXPECT_EQ(sh->cipherSuite, GetParam().suite);
  EXPECT_EQ(sh->negotiatedVersion(), 0x0303);
}

INSTANTIATE_TEST_SUITE_P(KeyExchanges, OpensslTls12,
                         ::testing::Values(Tls12Case{"ECDHE-RSA-AES128-GCM-SHA256", FlowId::Tls12FullEcdhe, 0xC02F},
                                           Tls12Case{"DHE-RSA-AES128-GCM-SHA256", FlowId::Tls12FullDhe, 0x009E},
                                           Tls12Case{"AES128-GCM-SHA256", FlowId::Tls12FullRsa, 0x009C}));

TEST(OpensslHandshake, Tls12ClientAuthParsesCleanly) {
  Options o;
  o.version = TLS1_2_VERSION;
  o.cipherList = "ECDHE-RSA-AES256-GCM-SHA384";
  o.clientAuth = true;
  Pair pair(o);
  Capture cap = pair.connect();
  ASSERT_TRUE(cap.handshakeDone);
  Checked c = checkMessages(cap);
  checkWire(cap);
  EXPECT_TRUE(has(c.candidates, FlowId::Tls12ClientAuth));
}

TEST(OpensslHandshake, Tls12ResumptionByTicketAndBySessionIdParseCleanly) {
  for (bool noTickets : {false, true}) {
    SCOPED_TRACE(noTickets ? "session id" : "ticket");
    Options o;
    o.version = TLS1_2_VERSION;
    o.cipherList = "ECDHE-RSA-AES128-GCM-SHA256";
    o.noTickets = noTickets;
    Pair pair(o);
    ASSERT_TRUE(pair.connect().handshakeDone);
    testpair::SessionPtr session(SSL_SESSION_dup(pair.lastSession()));
    Capture second = pair.connect(session.get());
    ASSERT_TRUE(second.handshakeDone);
    ASSERT_TRUE(pair.lastResumed());
    Checked c = checkMessages(second);
    checkWire(second);
    EXPECT_TRUE(has(c.candidates, noTickets ? FlowId::Tls12ResumeSessionId : FlowId::Tls12ResumeTicket));
  }
}

}  // namespace
}  // namespace tlslab::wire
