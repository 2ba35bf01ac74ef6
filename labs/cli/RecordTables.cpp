#include "cli/RecordTables.hpp"

#include <fmt/core.h>

namespace tlslab::cli {

namespace {
const char* arrow(model::Direction d) { return d == model::Direction::ClientToServer ? "->" : "<-"; }
}  // namespace

void printSegmentTable(std::ostream& out, const scenarios::RecordLayout& layout) {
  out << "  frame  dir  stream offset  payload  records (index: what)\n";
  for (const auto& s : layout.segments) {
    std::string records;
    for (std::size_t index : s.records) {
      const auto& r = layout.records[index];
      records += (records.empty() ? "" : "; ") + fmt::format("{}: {}", index, r.what);
    }
    out << fmt::format("  {:>5}  {}   {:>13}  {:>7}  {}\n", s.frame, arrow(s.direction), s.offset, s.size, records);
  }
}

void printRecordTable(std::ostream& out, const scenarios::RecordLayout& layout) {
  out << "  #   dir  outer  length  key phase    seq  inner   data  padding  frames    what\n";
  for (const auto& r : layout.records) {
    std::string frames;
    for (auto f : r.frames) frames += (frames.empty() ? "" : " ") + std::to_string(f);
    out << fmt::format("  {:<3} {}   {:<5}  {:>6}  {:<11}  {:>3}  {:>5}  {:>5}  {:>7}  {:<8}  {}\n", r.index,
                       arrow(r.direction), r.outerType, r.length, r.keyPhase.empty() ? "-" : r.keyPhase,
                       r.sequence ? std::to_string(*r.sequence) : "-", r.innerType == 0 ? "-" : std::to_string(r.innerType),
                       r.plaintext, r.padding, frames.empty() ? "-" : frames, r.what);
  }
}

}  // namespace tlslab::cli
