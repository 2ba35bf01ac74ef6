#pragma once
// "What is this byte?" for any bytes a student pastes: frames records,
// reassembles handshake messages, parses them with the connection context
// learned so far, follows the flow table, and returns one annotated tree per
// record. Used by `tlslab explain` and usable by any view.
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tlslab/model/Diagnostic.hpp"
#include "tlslab/model/Field.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::wire {

// A tree plus the bytes its offsets point into: the raw bytes of a node are
// bytes[node.offset - base, + node.length).
struct ExplainUnit {
  model::Field tree;
  Bytes bytes;
  std::size_t base = 0;
  // Kind of unit, for callers that attach more detail: "record",
  // "handshake", "change_cipher_spec", "alert", "heartbeat", "note".
  std::string kind;
  ByteView rawOf(const model::Field& node) const;
};

struct ExplainedRecord {
  ExplainUnit header;                 // the record and its header fields
  std::vector<ExplainUnit> contents;  // messages that start in this record, decoded
};

struct ExplainResult {
  std::vector<ExplainedRecord> records;
  std::vector<model::Diagnostic> diagnostics;  // all of them, offsets in the input
  std::vector<std::string> flowNotes;          // out-of-order findings and "what comes next"
  bool hasErrors() const;
};

// One directional stream (or several records pasted together) of TLS records.
ExplainResult explainRecords(ByteView input);
// A bare handshake message (or several back to back) without record headers.
ExplainResult explainMessages(ByteView input);

nlohmann::json toJson(const model::Field& field, const ExplainUnit& unit);
nlohmann::json toJson(const ExplainResult& result);
// Indented tree: offsets (record-relative @ stream), raw bytes, value, meaning.
std::string toText(const ExplainResult& result, bool withMeanings = true);

}  // namespace tlslab::wire
