// DissectOptions::payloadPreview (issue 17): the printout's pass keeps only
// the first bytes of each conversation turn, so its memory is bounded per
// connection; every record is still opened and checked, and the sizes it
// shows are the real ones.
#include <gtest/gtest.h>

#include <algorithm>

#include "PairCapture.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/model/Trace.hpp"

using namespace tlslab;

namespace {

model::Trace dissectPair(const test::Capture& cap, std::size_t preview) {
  keys::KeyStore keys;
  dissect::DissectOptions options;
  options.payloadPreview = preview;
  auto trace = dissect::dissectBytes(test::pcapOf(cap), keys, options);
  EXPECT_TRUE(trace.ok());
  return trace.ok() ? std::move(trace.value()) : model::Trace{};
}

TEST(PayloadPreview, EachTurnKeepsItsFirstBytesAndCountsTheRest) {
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    test::PairConfig config;
    config.minVersion = config.maxVersion = version;
    auto cap = test::runPair(config);
    ASSERT_TRUE(cap.ok) << cap.error;
    const std::size_t preview = 4096;
    const model::Trace whole = dissectPair(cap, 0), bounded = dissectPair(cap, preview);
    ASSERT_EQ(whole.connections.size(), 1u);
    ASSERT_EQ(bounded.connections.size(), 1u);
    const auto& w = whole.connections[0];
    const auto& b = bounded.connections[0];

    const auto wholeTurns = model::conversationTurns(w), boundedTurns = model::conversationTurns(b);
    ASSERT_EQ(wholeTurns.size(), boundedTurns.size());
    ASSERT_GE(wholeTurns.size(), 2u);
    for (std::size_t i = 0; i < wholeTurns.size(); ++i) {
      const Bytes& all = wholeTurns[i].data;
      const Bytes& kept = boundedTurns[i].data;
      EXPECT_EQ(kept.size(), std::min(all.size(), preview)) << "turn " << i;
      EXPECT_EQ(kept.size() + boundedTurns[i].omitted, all.size()) << "turn " << i;
      EXPECT_TRUE(std::equal(kept.begin(), kept.end(), all.begin())) << "turn " << i;
    }
    // The client's turn: three requests, then 20003 bytes over two records.
    const auto client = std::find_if(boundedTurns.begin(), boundedTurns.end(), [](const model::AppDataChunk& t) {
      return t.direction == model::Direction::ClientToServer;
    });
    ASSERT_NE(client, boundedTurns.end());
    EXPECT_EQ(client->data.size(), preview);
    EXPECT_GT(client->omitted, 20003u - preview);

    // Every record still opened, with the sizes the ladder shows.
    ASSERT_EQ(w.records.size(), b.records.size());
    for (std::size_t i = 0; i < w.records.size(); ++i) {
      EXPECT_EQ(b.records[i].wireSize, w.records[i].wire.size()) << "record " << i;
      EXPECT_EQ(b.records[i].plaintextSize, w.records[i].plaintext.size()) << "record " << i;
      EXPECT_EQ(b.records[i].undecryptedReason, w.records[i].undecryptedReason) << "record " << i;
      if (w.records[i].contentType == 23 && w.records[i].innerContentType == 23 && w.records[i].plaintextSize > 0) {
        EXPECT_TRUE(b.records[i].plaintext.empty()) << "application data bytes are not kept, record " << i;
      }
    }
  }
}

}  // namespace
