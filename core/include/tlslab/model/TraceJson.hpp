#pragma once
// The Trace as JSON (`tlslab dissect --json`, tests, other tools). Bytes are
// lower-case hex strings; enums are their display names; every field of the
// model is present, so the JSON is the full result, not a summary.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "tlslab/model/Trace.hpp"

namespace tlslab::model {

nlohmann::json toJson(const Field& field);
nlohmann::json toJson(const DerivationStep& step);
nlohmann::json toJson(const Diagnostic& diagnostic);
nlohmann::json toJson(const RecordCrypto& crypto);
nlohmann::json toJson(const VerifyVerdict& verdict);
nlohmann::json toJson(const TraceRecord& record);
nlohmann::json toJson(const TraceMessage& message);
nlohmann::json toJson(const TraceConnection& connection);
nlohmann::json toJson(const Trace& trace);

// Serialised text. Strings taken from the wire (server names, ALPN, field
// values) may hold bytes that are not UTF-8; they are written as U+FFFD
// instead of making nlohmann's dump() throw. indent < 0: compact.
std::string toJsonText(const nlohmann::json& json, int indent = -1);
std::string toJsonText(const Trace& trace, int indent = -1);

// The same text written piece by piece, for captures too big to hold
// (`tlslab dissect --json`, `--jsonl`): a connection's records, messages and
// application data become JSON one element at a time.
//
// One connection exactly as toJsonText(toJson(connection), indent) writes
// it, or as it appears nested `depth` levels deep in a larger dump.
void writeJson(std::ostream& out, const TraceConnection& connection, int indent = -1, unsigned depth = 0);

// A whole Trace, connection by connection: connection() for each one in the
// order of Trace::connections, then finish() once. The output is byte for
// byte toJsonText(trace, indent) of a Trace holding those connections, that
// source and those diagnostics (no newline after the closing brace).
class TraceJsonWriter {
 public:
  explicit TraceJsonWriter(std::ostream& out, int indent = -1);
  void connection(const TraceConnection& connection);
  // A connection's text as connection() would write it, without what
  // separates it from the one before: beginConnection() writes that, and the
  // caller the text (one rendered earlier and held, for instance).
  void render(std::ostream& out, const TraceConnection& connection) const;
  void beginConnection();
  void finish(const std::string& source, const std::vector<Diagnostic>& diagnostics);
  std::size_t connections() const { return connections_; }

 private:
  std::ostream& out_;
  int indent_;
  std::size_t connections_ = 0;
};

}  // namespace tlslab::model
