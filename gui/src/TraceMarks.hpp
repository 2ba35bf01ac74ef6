#pragma once
// What a key-schedule node points at in one connection, shown on the ladder
// beside the selection: the messages its transcript hash covers and the
// records its key protects (model::DerivationStep::messages / records).
#include <vector>

namespace tlslab::gui {

struct TraceMarks {
  int connection = -1;
  std::vector<int> messages;
  std::vector<int> records;
  bool empty() const { return messages.empty() && records.empty(); }
  bool operator==(const TraceMarks&) const = default;
};

}  // namespace tlslab::gui
