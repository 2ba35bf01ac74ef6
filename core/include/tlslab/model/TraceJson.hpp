#pragma once
// The Trace as JSON (`tlslab dissect --json`, tests, other tools). Bytes are
// lower-case hex strings; enums are their display names; every field of the
// model is present, so the JSON is the full result, not a summary.
#include <nlohmann/json.hpp>

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

}  // namespace tlslab::model
