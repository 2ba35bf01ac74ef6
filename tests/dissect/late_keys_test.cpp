// Late keys (DissectOptions::retainForLateKeys): in a live capture a record
// passes before its key log line is written. A connection dissected without
// keys is opened once the keys arrive, whether it has closed or is still
// going; without the option nothing changes, and past the byte limit the
// records stay encrypted with a reason that says so.
#include <gtest/gtest.h>

#include <sstream>

#include "DissectTestUtil.hpp"
#include "tlslab/capture/Source.hpp"

using namespace tlslab;
using endpoints::ScriptStep;
using endpoints::TlsVersion;

namespace {

endpoints::ClientConfig getPage(TlsVersion version) {
  endpoints::ClientConfig config = test::labClient(0);
  config.tls.minVersion = config.tls.maxVersion = version;
  config.script = {ScriptStep::send("GET /late HTTP/1.1\r\nHost: bank32.com\r\n\r\n"), ScriptStep::expect("</html>")};
  return config;
}

std::size_t undecrypted(const model::TraceConnection& conn) {
  std::size_t n = 0;
  for (const auto& rec : conn.records) n += rec.encrypted && !rec.undecryptedReason.empty();
  return n;
}

// Forwards to the dissector; once a record has passed unopened the key log is
// added and the dissector retried, as the live capture's follower does.
class KeysMidway : public capture::StreamSink {
 public:
  KeysMidway(dissect::TlsDissector& d, keys::KeyStore& k, std::string log) : d_(d), k_(k), log_(std::move(log)) {}
  std::vector<dissect::LateKeys> late;
  void onConnectionOpened(const capture::ConnectionInfo& i) override { d_.onConnectionOpened(i); }
  int chunksLeft = 0;  // data chunks after the keys arrived
  void onData(const capture::StreamChunk& c) override {
    d_.onData(c);
    ++chunksLeft;
    if (!done_ && !d_.trace().connections.empty() && undecrypted(d_.trace().connections[0]) > 0) {
      done_ = true;
      chunksLeft = -1;
      k_.addKeyLogText(log_, "late key log");
      late = d_.retryWithNewKeys();
    }
  }
  void onGap(const capture::StreamGap& g) override { d_.onGap(g); }
  void onTlsStart(const capture::TlsStart& s) override { d_.onTlsStart(s); }
  void onConnectionClosed(const capture::ConnectionInfo& i) override { d_.onConnectionClosed(i); }
  void onDiagnostic(const capture::CaptureDiagnostic& x) override { d_.onDiagnostic(x); }
  void onKeyLog(std::string_view t, std::uint64_t o) override { d_.onKeyLog(t, o); }

 private:
  dissect::TlsDissector& d_;
  keys::KeyStore& k_;
  std::string log_;
  bool done_ = false;
};

void expectAllOpened(const model::TraceConnection& conn, const endpoints::ClientRun& run) {
  EXPECT_EQ(undecrypted(conn), 0u) << conn.decryption.text;
  EXPECT_EQ(conn.decryption.kind, model::Decryption::Kind::Decrypted);
  EXPECT_EQ(test::decrypted(conn, model::Direction::ClientToServer), test::appDataOf(run.events, true));
  EXPECT_EQ(test::decrypted(conn, model::Direction::ServerToClient), test::appDataOf(run.events, false));
  EXPECT_TRUE(test::finishedVerified(conn, "client"));
  EXPECT_TRUE(test::finishedVerified(conn, "server"));
}

class LateKeysTest : public ::testing::TestWithParam<TlsVersion> {};

TEST_P(LateKeysTest, ClosedConnectionOpensWhenKeysArrive) {
  auto rec = test::recordRuns(test::labServer(), {getPage(GetParam())});
  ASSERT_EQ(rec.runs.size(), 1u);
  keys::KeyStore keys;
  dissect::DissectOptions options;
  options.retainForLateKeys = true;
  int updates = 0;
  options.onConnectionUpdated = [&](const model::TraceConnection&) { ++updates; };
  dissect::TlsDissector dissector(keys, options);
  ASSERT_TRUE(capture::readCapture(rec.pcapngNoKeys, dissector).ok());
  ASSERT_EQ(dissector.trace().connections.size(), 1u);
  const std::size_t before = undecrypted(dissector.trace().connections[0]);
  EXPECT_GT(before, 0u);
  EXPECT_TRUE(dissector.retryWithNewKeys().empty());  // no keys yet: nothing to do

  keys.addKeyLogText(rec.keyLog, "late key log");
  const int updatesBefore = updates;
  auto late = dissector.retryWithNewKeys();
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].connection, 0u);
  EXPECT_EQ(late[0].opened.size(), before);
  EXPECT_EQ(late[0].note, "");
  EXPECT_GT(updates, updatesBefore);
  EXPECT_TRUE(dissector.retryWithNewKeys().empty());  // nothing new since
  model::Trace trace = dissector.finish();
  expectAllOpened(trace.connections[0], rec.runs[0]);
}

TEST_P(LateKeysTest, OpenConnectionGoesOnDecryptingAfterTheKeysArrive) {
  auto rec = test::recordRuns(test::labServer(), {getPage(GetParam())});
  ASSERT_EQ(rec.runs.size(), 1u);
  keys::KeyStore keys;
  dissect::DissectOptions options;
  options.retainForLateKeys = true;
  dissect::TlsDissector dissector(keys, options);
  // Keys after the server's first flight: the handshake has passed unopened,
  // the application data is still to come.
  KeysMidway sink(dissector, keys, rec.keyLog);
  ASSERT_TRUE(capture::readCapture(rec.pcapngNoKeys, sink).ok());
  ASSERT_EQ(sink.late.size(), 1u);
  EXPECT_GE(sink.chunksLeft, 3);  // the rest of the connection went through the new state
  EXPECT_FALSE(sink.late[0].opened.empty());
  model::Trace trace = dissector.finish();
  ASSERT_EQ(trace.connections.size(), 1u);
  expectAllOpened(trace.connections[0], rec.runs[0]);
}

// OpenSSL logs the handshake secrets first and the application ones later:
// each batch opens what it can, and the second retry builds on the first.
TEST(LateKeys, Tls13SecretsInTwoBatches) {
  auto rec = test::recordRuns(test::labServer(), {getPage(TlsVersion::Tls1_3)});
  keys::KeyStore keys;
  dissect::DissectOptions options;
  options.retainForLateKeys = true;
  dissect::TlsDissector dissector(keys, options);
  ASSERT_TRUE(capture::readCapture(rec.pcapngNoKeys, dissector).ok());
  std::string handshake, application;
  std::istringstream lines(rec.keyLog);
  for (std::string line; std::getline(lines, line);)
    (line.find("HANDSHAKE") != std::string::npos ? handshake : application) += line + "\n";
  ASSERT_FALSE(handshake.empty());
  ASSERT_FALSE(application.empty());
  keys.addKeyLogText(handshake, "handshake lines");
  auto first = dissector.retryWithNewKeys();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_FALSE(first[0].opened.empty());
  EXPECT_GT(undecrypted(dissector.trace().connections[0]), 0u);  // application data still waits
  keys.addKeyLogText(application, "application lines");
  auto second = dissector.retryWithNewKeys();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_FALSE(second[0].opened.empty());
  model::Trace trace = dissector.finish();
  expectAllOpened(trace.connections[0], rec.runs[0]);
}

// The race a live lab preview hits: the application secrets arrive after
// both sides switched keys (so the switch found none) but before the first
// application record; no further key line will come to trigger a retry.
TEST(LateKeys, KeysBetweenTheSwitchAndTheFirstProtectedRecordStillCount) {
  auto rec = test::recordRuns(test::labServer(), {getPage(TlsVersion::Tls1_3)});
  std::string handshake, application;
  std::istringstream lines(rec.keyLog);
  for (std::string line; std::getline(lines, line);)
    (line.find("HANDSHAKE") != std::string::npos ? handshake : application) += line + "\n";
  keys::KeyStore keys;
  keys.addKeyLogText(handshake, "handshake lines");
  dissect::DissectOptions options;
  options.retainForLateKeys = true;
  dissect::TlsDissector dissector(keys, options);
  // Adds the application lines once the client's Finished has passed.
  struct AfterClientFinished : capture::StreamSink {
    dissect::TlsDissector& d;
    keys::KeyStore& k;
    std::string log;
    bool added = false;
    std::size_t failedBefore = 0;
    AfterClientFinished(dissect::TlsDissector& dd, keys::KeyStore& kk, std::string l) : d(dd), k(kk), log(std::move(l)) {}
    void onConnectionOpened(const capture::ConnectionInfo& i) override { d.onConnectionOpened(i); }
    void onConnectionClosed(const capture::ConnectionInfo& i) override { d.onConnectionClosed(i); }
    void onData(const capture::StreamChunk& c) override {
      d.onData(c);
      if (added || d.trace().connections.empty()) return;
      const auto& conn = d.trace().connections[0];
      for (const auto& m : conn.messages) {
        if (m.name != "Finished" || m.direction != model::Direction::ClientToServer) continue;
        added = true;
        failedBefore = undecrypted(conn);
        k.addKeyLogText(log, "application lines");
        d.retryWithNewKeys();
        return;
      }
    }
  } sink(dissector, keys, application);
  ASSERT_TRUE(capture::readCapture(rec.pcapngNoKeys, sink).ok());
  ASSERT_TRUE(sink.added);
  EXPECT_EQ(sink.failedBefore, 0u);  // the race: nothing had failed yet when the keys came
  model::Trace trace = dissector.finish();
  expectAllOpened(trace.connections.at(0), rec.runs[0]);
}

TEST_P(LateKeysTest, WithoutTheOptionNothingIsHeld) {
  auto rec = test::recordRuns(test::labServer(), {getPage(GetParam())});
  keys::KeyStore keys;
  dissect::TlsDissector dissector(keys);
  ASSERT_TRUE(capture::readCapture(rec.pcapngNoKeys, dissector).ok());
  const std::size_t before = undecrypted(dissector.trace().connections.at(0));
  EXPECT_GT(before, 0u);
  keys.addKeyLogText(rec.keyLog, "late key log");
  EXPECT_TRUE(dissector.retryWithNewKeys().empty());
  EXPECT_EQ(undecrypted(dissector.trace().connections[0]), before);
}

TEST_P(LateKeysTest, PastTheLimitRecordsStayClosedAndSayWhy) {
  auto rec = test::recordRuns(test::labServer(), {getPage(GetParam())});
  keys::KeyStore keys;
  dissect::DissectOptions options;
  options.retainForLateKeys = true;
  options.retainLimit = 1024;  // less than the server's first flight (certificate chain)
  dissect::TlsDissector dissector(keys, options);
  ASSERT_TRUE(capture::readCapture(rec.pcapngNoKeys, dissector).ok());
  const std::size_t before = undecrypted(dissector.trace().connections.at(0));
  keys.addKeyLogText(rec.keyLog, "late key log");
  auto late = dissector.retryWithNewKeys();
  ASSERT_EQ(late.size(), 1u);
  EXPECT_TRUE(late[0].opened.empty());
  EXPECT_NE(late[0].note.find("1 KiB limit"), std::string::npos) << late[0].note;
  model::Trace trace = dissector.finish();
  const auto& conn = trace.connections[0];
  EXPECT_EQ(undecrypted(conn), before);
  for (const auto& r : conn.records) {
    if (r.encrypted && !r.undecryptedReason.empty()) {
      EXPECT_EQ(r.undecryptedReason, late[0].note);
    }
  }
  EXPECT_NE(conn.decryption.text.find("limit"), std::string::npos) << conn.decryption.text;
  bool warned = false;
  for (const auto& d : conn.diagnostics) warned |= d.where == "late keys" && d.severity == model::Severity::Warning;
  EXPECT_TRUE(warned);
}

INSTANTIATE_TEST_SUITE_P(Versions, LateKeysTest, ::testing::Values(TlsVersion::Tls1_3, TlsVersion::Tls1_2),
                         [](const auto& param) { return param.param == TlsVersion::Tls1_3 ? "Tls13" : "Tls12"; });

}  // namespace
