// Streaming (DissectOptions::onConnectionFinished, model::TraceJsonWriter):
// each connection handed out when it finishes must be the one the whole
// Trace holds at the end (derivation, Finished checks, decryption, state and
// resumption links included), and the JSON written piece by piece must be
// byte for byte the JSON of the whole Trace. On every sample capture and
// every Wireshark conformance case.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "support/TestPaths.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/model/TraceJson.hpp"

using namespace tlslab;

namespace {

struct Input {
  std::filesystem::path capture, keylog, rsaKey;
  std::string password;
};

std::vector<Input> inputs() {
  std::vector<Input> out;
  for (const auto& entry : std::filesystem::directory_iterator(test::sourceDir() / "captures"))
    if (entry.path().extension() == ".pcapng") out.push_back({entry.path(), {}, {}, {}});
  const auto dir = test::conformanceDir() / "wireshark";
  std::ifstream in(dir / "cases.tsv");
  std::string line;
  std::getline(in, line);  // header: capture keylog rsa_key ... rsa_key_password (10th)
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, '\t');) cells.push_back(cell);
    if (cells.size() < 10) continue;
    auto path = [&](const std::string& cell) { return cell == "-" ? std::filesystem::path() : dir / cell; };
    out.push_back({dir / cells[0], path(cells[1]), path(cells[2]), cells[9] == "-" ? "" : cells[9]});
  }
  return out;
}

template <typename T>
nlohmann::json all(const std::vector<T>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& item : items) out.push_back(model::toJson(item));
  return out;
}

// A key that cannot be loaded (dmgr's RC2-encrypted PKCS#12 needs OpenSSL's
// legacy provider) is left out of both runs alike.
void load(const Input& input, keys::KeyStore& keys) {
  if (!input.keylog.empty()) (void)keys.addKeyLogFile(input.keylog);
  if (!input.rsaKey.empty()) (void)keys.addPrivateKeyFile(input.rsaKey, input.password);
}

}  // namespace

TEST(Streaming, EachFinishedConnectionIsTheOneTheWholeTraceHolds) {
  std::size_t captures = 0, connections = 0, resumed = 0;
  for (const Input& input : inputs()) {
    SCOPED_TRACE(input.capture.string());
    keys::KeyStore wholeKeys, streamKeys;
    load(input, wholeKeys);
    load(input, streamKeys);
    auto whole = dissect::dissectFile(input.capture, wholeKeys);
    ASSERT_TRUE(whole.ok());

    std::map<std::size_t, std::string> finished;  // index -> JSON when handed out
    dissect::DissectOptions options;
    options.onConnectionFinished = [&](model::TraceConnection& c) {
      EXPECT_FALSE(finished.count(c.index)) << "connection " << c.index << " handed out twice";
      finished[c.index] = model::toJsonText(model::toJson(c));
    };
    auto streamed = dissect::dissectFile(input.capture, streamKeys, options);
    ASSERT_TRUE(streamed.ok());

    ASSERT_EQ(whole->connections.size(), finished.size());
    ASSERT_EQ(whole->connections.size(), streamed->connections.size());
    EXPECT_EQ(all(whole->diagnostics), all(streamed->diagnostics));
    for (const auto& c : whole->connections) {
      EXPECT_EQ(model::toJsonText(model::toJson(c)), finished[c.index]) << "connection " << c.index;
      if (c.negotiated.resumedFrom) ++resumed;
      // What stays in the Trace: the summary, without what was handed out.
      const auto& kept = streamed->connections[c.index];
      EXPECT_TRUE(kept.records.empty() && kept.messages.empty() && kept.appData.empty());
      EXPECT_EQ(kept.decryption.text, c.decryption.text);
      EXPECT_EQ(all(kept.derivation), all(c.derivation));
      ++connections;
    }
    ++captures;
  }
  EXPECT_GT(captures, 0u);
  EXPECT_GT(connections, 0u);
  EXPECT_GT(resumed, 0u) << "no capture resumes an earlier connection: the cross-connection case is untested";
}

TEST(Streaming, TheJsonWrittenPieceByPieceIsTheWholeTracesJson) {
  std::size_t captures = 0;
  for (const Input& input : inputs()) {
    SCOPED_TRACE(input.capture.string());
    keys::KeyStore keys;
    load(input, keys);
    auto trace = dissect::dissectFile(input.capture, keys);
    ASSERT_TRUE(trace.ok());
    for (int indent : {-1, 0, 1, 2}) {
      std::ostringstream out;
      model::TraceJsonWriter writer(out, indent);
      for (const auto& c : trace->connections) writer.connection(c);
      writer.finish(trace->source, trace->diagnostics);
      EXPECT_EQ(writer.connections(), trace->connections.size());
      ASSERT_EQ(out.str(), model::toJsonText(trace.value(), indent)) << "indent " << indent;
    }
    for (const auto& c : trace->connections) {
      std::ostringstream one;
      model::writeJson(one, c);
      EXPECT_EQ(one.str(), model::toJsonText(model::toJson(c))) << "connection " << c.index;
    }
    ++captures;
  }
  EXPECT_GT(captures, 0u);
}

TEST(Streaming, TheJsonOfAnEmptyTraceAndOfTraceDiagnostics) {
  model::Trace trace;
  trace.source = "memory \"quoted\"";
  for (int round = 0; round < 2; ++round) {
    for (int indent : {-1, 1}) {
      std::ostringstream out;
      model::TraceJsonWriter writer(out, indent);
      writer.finish(trace.source, trace.diagnostics);
      EXPECT_EQ(out.str(), model::toJsonText(trace, indent));
    }
    trace.diagnostics.push_back({model::Severity::Error, "capture", std::nullopt, "the capture stops early: \xff",
                                 model::DiagnosticCode::CaptureFile});
  }
}

// Strings from the wire may need escaping or hold bytes that are not UTF-8:
// written as dump() writes them (U+FFFD for the bad bytes).
TEST(Streaming, StringsThatNeedEscapingAreWrittenAsDumpWritesThem) {
  model::TraceConnection c;
  c.negotiated.sni = "bad \xff utf-8, \"quotes\", back\\slash, new\nline, \x01, caf\xc3\xa9, tab\t, del\x7f";
  c.negotiated.alpn = "h2";
  c.startTime = 1796225688.2421901;
  c.duration = 0.1;
  model::TraceRecord r;
  r.undecryptedReason = "\xc3(";
  c.records.push_back(r);
  model::Trace trace;
  trace.connections.push_back(c);
  for (int indent : {-1, 1, 3}) {
    std::ostringstream one, all;
    model::writeJson(one, c, indent);
    EXPECT_EQ(one.str(), model::toJsonText(model::toJson(c), indent));
    model::TraceJsonWriter writer(all, indent);
    writer.connection(c);
    writer.finish(trace.source, trace.diagnostics);
    EXPECT_EQ(all.str(), model::toJsonText(trace, indent));
  }
}
