#include <gtest/gtest.h>

#include "tlslab/wire/Flow.hpp"

namespace tlslab::wire {
namespace {

constexpr auto C = Sender::Client;
constexpr auto S = Sender::Server;

TEST(FlowTracker, Tls13OneRttIsAcceptedInOrder) {
  FlowTracker t;
  for (auto [from, kind] : std::vector<std::pair<Sender, int>>{
           {C, 1}, {S, 2}, {S, 8}, {S, 11}, {S, 15}, {S, 20}, {C, 20}, {S, 4}, {S, 4}, {C, 24}}) {
    auto v = t.observe(from, kind);
    EXPECT_TRUE(v.expected) << flowKindName(kind) << ": " << v.message;
  }
}

TEST(FlowTracker, Tls12EcdheFullHandshakeIsAcceptedAndNarrowsTheCandidates) {
  FlowTracker t;
  for (auto [from, kind] : std::vector<std::pair<Sender, int>>{{C, 1}, {S, 2}, {S, 11}, {S, 12}, {S, 14}, {C, 16},
                                                               {C, kFlowChangeCipherSpec}, {C, 20},
                                                               {S, kFlowChangeCipherSpec}, {S, 20}}) {
    auto v = t.observe(from, kind);
    EXPECT_TRUE(v.expected) << flowKindName(kind) << ": " << v.message;
  }
  auto c = t.candidates();
  EXPECT_EQ(std::count(c.begin(), c.end(), FlowId::Tls12FullEcdhe), 1);
  EXPECT_EQ(std::count(c.begin(), c.end(), FlowId::Tls12FullRsa), 0);
  EXPECT_NE(t.describeNext().find("complete"), std::string::npos);
}

TEST(FlowTracker, SaysWhatTheServerShouldSendNext) {
  FlowTracker t;
  t.observe(C, 1);
  std::string next = t.describeNext();
  EXPECT_NE(next.find("ServerHello from the server"), std::string::npos) << next;
  EXPECT_NE(next.find("HelloRetryRequest from the server"), std::string::npos) << next;
}

TEST(FlowTracker, FlagsAnOutOfOrderMessageAndKeepsState) {
  FlowTracker t;
  t.observe(C, 1);
  auto v = t.observe(S, 20);  // Finished before ServerHello
  EXPECT_FALSE(v.expected);
  EXPECT_NE(v.message.find("unexpected Finished from the server"), std::string::npos) << v.message;
  EXPECT_NE(v.message.find("ServerHello"), std::string::npos) << v.message;
  EXPECT_TRUE(t.observe(S, 2).expected);  // state unchanged: ServerHello still fits
}

TEST(FlowTracker, HelloRetryRequestAndPskAndClientAuthFlows) {
  FlowTracker hrr;
  for (auto [from, kind] : std::vector<std::pair<Sender, int>>{{C, 1}, {S, kFlowHelloRetryRequest},
                                                               {C, kFlowChangeCipherSpec}, {C, 1}, {S, 2}, {S, 8},
                                                               {S, 11}, {S, 15}, {S, 20}, {C, 20}})
    EXPECT_TRUE(hrr.observe(from, kind).expected) << flowKindName(kind);
  FlowTracker psk;
  for (auto [from, kind] : std::vector<std::pair<Sender, int>>{{C, 1}, {S, 2}, {S, 8}, {S, 20}, {C, 5}, {C, 20}})
    EXPECT_TRUE(psk.observe(from, kind).expected) << flowKindName(kind);
  EXPECT_EQ(psk.candidates(), std::vector<FlowId>{FlowId::Tls13PskResumption});
  FlowTracker auth;
  for (auto [from, kind] : std::vector<std::pair<Sender, int>>{{C, 1}, {S, 2}, {S, 8}, {S, 13}, {S, 11}, {S, 15},
                                                               {S, 20}, {C, 11}, {C, 15}, {C, 20}})
    EXPECT_TRUE(auth.observe(from, kind).expected) << flowKindName(kind);
  FlowTracker resume12;
  for (auto [from, kind] : std::vector<std::pair<Sender, int>>{{C, 1}, {S, 2}, {S, kFlowChangeCipherSpec}, {S, 20},
                                                               {C, kFlowChangeCipherSpec}, {C, 20}})
    EXPECT_TRUE(resume12.observe(from, kind).expected) << flowKindName(kind);
}

TEST(FlowTracker, InfersTheSenderWhenUnknown) {
  FlowTracker t;
  t.observe(std::nullopt, 1);
  auto v = t.observe(std::nullopt, 2);
  EXPECT_TRUE(v.expected);
  EXPECT_EQ(v.sender, Sender::Server);
}

TEST(Flows, TableCoversEveryRequiredFlow) {
  for (FlowId id : {FlowId::Tls12FullRsa, FlowId::Tls12FullEcdhe, FlowId::Tls12FullDhe, FlowId::Tls12ClientAuth,
                    FlowId::Tls12ResumeSessionId, FlowId::Tls12ResumeTicket, FlowId::Tls13OneRtt,
                    FlowId::Tls13HelloRetryRequest, FlowId::Tls13PskResumption, FlowId::Tls13ClientAuth,
                    FlowId::Tls13PostHandshakeAuth}) {
    EXPECT_EQ(flow(id).id, id);
    EXPECT_FALSE(flow(id).steps.empty());
  }
}

}  // namespace
}  // namespace tlslab::wire

namespace tlslab::wire {
namespace {

TEST(FlowTracker, JoinsMidHandshakeWhenTheInputStartsLate) {
  FlowTracker t;
  EXPECT_TRUE(t.observe(Sender::Server, 11).expected);  // a Certificate first: a capture started late
  EXPECT_TRUE(t.observe(Sender::Server, 14).expected);  // ServerHelloDone fits a TLS 1.2 flow
  EXPECT_FALSE(t.observe(Sender::Server, 8).expected);  // EncryptedExtensions cannot follow that
}

}  // namespace
}  // namespace tlslab::wire
