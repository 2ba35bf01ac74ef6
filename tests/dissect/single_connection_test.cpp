// dissect::dissectConnection: one connection of a capture read again with its
// application data (what the GUI loads lazily for a huge file) equals that
// connection in a full reading, and a connection the file does not hold is a
// clear error.
#include <gtest/gtest.h>

#include "DissectTestUtil.hpp"

using namespace tlslab;
using endpoints::ScriptStep;
using endpoints::TlsVersion;

namespace {

endpoints::ClientConfig getPage(TlsVersion version, const std::string& path) {
  endpoints::ClientConfig config = test::labClient(0);
  config.tls.minVersion = config.tls.maxVersion = version;
  config.script = {ScriptStep::send("GET " + path + " HTTP/1.1\r\nHost: bank32.com\r\n\r\n"), ScriptStep::expect("</html>")};
  return config;
}

struct ThreeConnections {
  std::filesystem::path file;
  model::Trace full;
  ThreeConnections() {
    // Two TLS 1.2 connections (the second resumes the first) and a TLS 1.3 one.
    auto rec = test::recordRuns(test::labServer(), {getPage(TlsVersion::Tls1_2, "/one"), getPage(TlsVersion::Tls1_2, "/two")}, true);
    auto third = test::recordRuns(test::labServer(), {getPage(TlsVersion::Tls1_3, "/three")});
    rec.runs.push_back(third.runs.front());
    file = test::writeTemp(test::toPcapng(rec.runs, true), "three.pcapng");
    keys::KeyStore keys;
    auto trace = dissect::dissectFile(file, keys);
    EXPECT_TRUE(trace.ok());
    if (trace.ok()) full = std::move(trace.value());
  }
  ~ThreeConnections() { std::filesystem::remove(file); }
};

TEST(DissectConnection, EachConnectionAloneEqualsTheFullReading) {
  ThreeConnections capture;
  ASSERT_EQ(capture.full.connections.size(), 3u);
  for (const auto& expected : capture.full.connections) {
    keys::KeyStore keys;  // embedded key log only, as the GUI reads it again
    auto one = dissect::dissectConnection(capture.file, keys, expected);
    ASSERT_TRUE(one.ok()) << one.error().message();
    const model::TraceConnection& got = one.value();
    EXPECT_EQ(got.index, expected.index);
    EXPECT_EQ(got.client, expected.client);
    EXPECT_EQ(got.records.size(), expected.records.size());
    EXPECT_EQ(got.messages.size(), expected.messages.size());
    EXPECT_EQ(got.negotiated.suite, expected.negotiated.suite);
    EXPECT_EQ(got.negotiated.resumption, expected.negotiated.resumption);
    EXPECT_EQ(got.negotiated.resumedFrom, expected.negotiated.resumedFrom);  // taken over: only the full file knows
    EXPECT_EQ(got.decryption.kind, model::Decryption::Kind::Decrypted);
    for (auto d : {model::Direction::ClientToServer, model::Direction::ServerToClient})
      EXPECT_EQ(test::decrypted(got, d), test::decrypted(expected, d));
  }
  EXPECT_NE(test::decrypted(capture.full.connections[2], model::Direction::ClientToServer).find("GET /three"), std::string::npos);
}

TEST(DissectConnection, AConnectionTheFileDoesNotHoldIsAnError) {
  ThreeConnections capture;
  ASSERT_FALSE(capture.full.connections.empty());
  model::TraceConnection other = capture.full.connections[0];
  other.startTime += 1;  // same endpoints, another start
  keys::KeyStore keys;
  auto missing = dissect::dissectConnection(capture.file, keys, other);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("no connection from " + other.client), std::string::npos) << missing.error().message();
  auto unreadable = dissect::dissectConnection("/nonexistent/capture.pcapng", keys, capture.full.connections[0]);
  ASSERT_FALSE(unreadable.ok());
  EXPECT_NE(unreadable.error().message().find("/nonexistent/capture.pcapng"), std::string::npos);
}

}  // namespace
