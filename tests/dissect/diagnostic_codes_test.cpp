// Diagnostics carry stable codes (model/Diagnostic.hpp's table): tests and
// tools match the code, learners read the message.
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "DissectTestUtil.hpp"
#include "support/TestPaths.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/model/TraceJson.hpp"
#include "tlslab/wire/Messages.hpp"
#include "tlslab/wire/Record.hpp"

using namespace tlslab;
using model::DiagnosticCode;

namespace {

model::Trace dissectSample(const std::string& name) {
  keys::KeyStore keys;
  auto trace = dissect::dissectFile(test::sourceDir() / "captures" / name, keys);
  EXPECT_TRUE(trace.ok()) << name;
  return trace.ok() ? std::move(trace.value()) : model::Trace{};
}

bool has(const std::vector<model::Diagnostic>& list, DiagnosticCode code) {
  for (const auto& d : list)
    if (d.code == code) return true;
  return false;
}

}  // namespace

TEST(DiagnosticCodes, NamesAreUniqueAndStable) {
  std::set<std::string> names;
  for (int i = 0; i <= static_cast<int>(DiagnosticCode::EphemeralKeyLine); ++i) {
    const auto code = static_cast<DiagnosticCode>(i);
    EXPECT_TRUE(names.insert(model::diagnosticCodeName(code)).second) << model::diagnosticCodeName(code);
    EXPECT_STRNE(model::diagnosticCodeMeaning(code), "");
  }
  // Part of the JSON output: these spellings never change.
  EXPECT_STREQ(model::diagnosticCodeName(DiagnosticCode::Malformed), "malformed");
  EXPECT_STREQ(model::diagnosticCodeName(DiagnosticCode::TcpGap), "tcp.gap");
  EXPECT_STREQ(model::diagnosticCodeName(DiagnosticCode::Renegotiation), "handshake.renegotiation");
}

TEST(DiagnosticCodes, ARenegotiationIsNamedByItsCodeAndTheJsonCarriesIt) {
  const model::Trace trace = dissectSample("tls12-renegotiation.pcapng");
  ASSERT_FALSE(trace.connections.empty());
  const auto& conn = trace.connections[0];
  ASSERT_TRUE(has(conn.diagnostics, DiagnosticCode::Renegotiation));
  bool inJson = false;
  const auto json = model::toJson(conn);  // kept: a range-for over a temporary's member would dangle
  for (const auto& d : json["diagnostics"]) inJson |= d["code"] == "handshake.renegotiation";
  EXPECT_TRUE(inJson);
}

TEST(DiagnosticCodes, AMalformedMessageIsCodedAndItsFieldCarriesTheFinding) {
  // A ServerHello cut inside its random: the message is "truncated", the
  // random "malformed", and the node where it broke holds its finding.
  const Bytes cut{2, 0, 0, 40, 3, 3, 1, 2, 3};
  const auto message = wire::parseHandshakeMessage(cut);
  ASSERT_EQ(message.diagnostics.size(), 2u);
  EXPECT_EQ(message.diagnostics[0].code, DiagnosticCode::Truncated);
  EXPECT_EQ(message.diagnostics[1].code, DiagnosticCode::Malformed);
  std::function<const model::Field*(const model::Field&)> find = [&](const model::Field& f) -> const model::Field* {
    if (f.diagnostic) return &f;
    for (const auto& c : f.children)
      if (const auto* hit = find(c)) return hit;
    return nullptr;
  };
  const model::Field* node = find(message.tree);
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(node->diagnostic->message, message.diagnostics[1].message);
}

TEST(DiagnosticCodes, TruncatedAndDesynchronisedStreamsAreCoded) {
  // A record header promising 100 bytes and the stream ending after 3, then
  // bytes that are no TLS record at all.
  std::vector<model::Diagnostic> found;
  wire::RecordFramer framer;
  const Bytes cut{22, 3, 3, 0, 100, 1, 2, 3};
  framer.feed(cut, [&](const wire::RecordView& v) { found.insert(found.end(), v.diagnostics.begin(), v.diagnostics.end()); });
  framer.finish([&](const wire::RecordView& v) { found.insert(found.end(), v.diagnostics.begin(), v.diagnostics.end()); });
  EXPECT_TRUE(has(found, DiagnosticCode::Truncated));
  found.clear();
  wire::RecordFramer garbage;
  const Bytes junk(64, 0x99);
  garbage.feed(junk, [&](const wire::RecordView& v) { found.insert(found.end(), v.diagnostics.begin(), v.diagnostics.end()); });
  garbage.finish([&](const wire::RecordView& v) { found.insert(found.end(), v.diagnostics.begin(), v.diagnostics.end()); });
  EXPECT_TRUE(has(found, DiagnosticCode::RecordDesync));
  for (const auto& d : found) EXPECT_NE(d.code, DiagnosticCode::Unclassified) << d.message;
}

TEST(DiagnosticCodes, EverySampleCaptureFindingHasACode) {
  for (const char* name : {"tls12-renegotiation.pcapng", "tamper-flip.pcapng", "verify-failed.pcapng",
                           "starttls-smtp.pcapng", "tls13-psk-0rtt.pcapng", "mitm-both-legs.pcapng"}) {
    const model::Trace trace = dissectSample(name);
    for (const auto& d : trace.diagnostics) EXPECT_NE(d.code, DiagnosticCode::Unclassified) << name << ": " << d.message;
    for (const auto& c : trace.connections) {
      for (const auto& d : c.diagnostics) EXPECT_NE(d.code, DiagnosticCode::Unclassified) << name << ": " << d.message;
      for (const auto& m : c.messages)
        for (const auto& d : m.diagnostics)
          EXPECT_NE(d.code, DiagnosticCode::Unclassified) << name << " " << m.name << ": " << d.message;
    }
  }
}
