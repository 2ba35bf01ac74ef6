// The dissector with an endpoint's ephemeral key and no key log: the client's
// own key share found in its ClientHello gives the shared secret, the traffic
// secrets and the records; with neither, it says why nothing opens.
#include <gtest/gtest.h>

#include "DissectTestUtil.hpp"
#include "tlslab/keys/KeyStore.hpp"

using namespace tlslab;

namespace {

keys::KeyStore clientKeysOf(const endpoints::ClientRun& run) {
  keys::KeyStore store;
  for (const auto& e : run.events)
    if (const auto* k = std::get_if<endpoints::EphemeralKeyEvent>(&e))
      store.addEphemeralKey({k->group, k->privateKey, k->publicKey, k->dhP, k->dhG}, "the test's client");
  return store;
}

}  // namespace

TEST(EphemeralDissect, TheClientsKeyAloneOpensATls13CaptureWithoutKeyLog) {
  auto client = test::labClient(0);
  client.script = {endpoints::ScriptStep::send("GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n"),
                   endpoints::ScriptStep::expect("Hello from bank32.com")};
  auto recorded = test::recordRuns(test::labServer(), {client});
  ASSERT_EQ(recorded.runs.size(), 1u);
  keys::KeyStore store = clientKeysOf(recorded.runs[0]);
  ASSERT_EQ(store.ephemeralKeys().size(), 1u);
  auto trace = dissect::dissectBytes(recorded.pcapngNoKeys, store);
  ASSERT_TRUE(trace.ok());
  ASSERT_EQ(trace->connections.size(), 1u);
  const auto& conn = trace->connections[0];
  EXPECT_EQ(conn.decryption.kind, model::Decryption::Kind::Decrypted);
  ASSERT_FALSE(conn.derivation.empty());
  EXPECT_EQ(conn.derivation[0].name, "(EC)DHE shared secret");
  EXPECT_NE(conn.derivation[0].function.find("client ephemeral private key"), std::string::npos);
  for (const auto& step : conn.derivation) {
    EXPECT_NE(step.status, model::StepStatus::Failed) << step.name << ": " << step.note;
    EXPECT_NE(step.status, model::StepStatus::FromKeyLog) << step.name;
  }
  // The same capture with no key at all: the reason names what is missing.
  keys::KeyStore none;
  auto bare = dissect::dissectBytes(recorded.pcapngNoKeys, none);
  ASSERT_TRUE(bare.ok());
  EXPECT_NE(bare->connections.at(0).decryption.text.find("no key log was given"), std::string::npos)
      << bare->connections.at(0).decryption.text;
}

TEST(EphemeralDissect, AKeyForAnotherShareIsNotUsed) {
  auto recorded = test::recordRuns(test::labServer(), {test::labClient(0), test::labClient(0)});
  ASSERT_EQ(recorded.runs.size(), 2u);
  keys::KeyStore second = clientKeysOf(recorded.runs[1]);  // the other connection's key
  auto trace = dissect::dissectBytes(recorded.pcapngNoKeys, second);
  ASSERT_TRUE(trace.ok());
  ASSERT_EQ(trace->connections.size(), 2u);
  EXPECT_NE(trace->connections[0].decryption.kind, model::Decryption::Kind::Decrypted);
  EXPECT_EQ(trace->connections[1].decryption.kind, model::Decryption::Kind::Decrypted);
}
