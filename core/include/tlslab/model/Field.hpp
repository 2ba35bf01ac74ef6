#pragma once
// One node of a message's field tree: what a byte range is and what it means.
// The bytes themselves live in the owner (record or message); a field stores
// where they are, so trees stay cheap and the hex view can highlight them.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tlslab/model/Diagnostic.hpp"
#include "tlslab/model/Text.hpp"

namespace tlslab::model {

struct Field {
  std::string name;      // wire name, e.g. "client_random"
  std::size_t offset = 0;  // from the start of the parsed unit (record or bare message)
  std::size_t length = 0;
  std::string value;     // display value, e.g. "0x1301 TLS_AES_128_GCM_SHA256"
  Text meaning;          // one sentence for a learner (a table's literal: not copied)
  Text rfc;              // e.g. "RFC 8446 §4.1.2"
  bool malformed = false;  // an error diagnostic refers to this node
  std::vector<Field> children;
  // Position of the field's first byte in the directional byte stream (the TCP
  // payload of one side), when the unit was framed from a stream.
  std::optional<std::size_t> streamOffset;
  // The finding about this node, for views that show it in place (a copy of
  // the one in the owner's list; shared so copying a tree stays cheap).
  std::shared_ptr<const Diagnostic> diagnostic = nullptr;
};

// Depth-first search by name ("cipher_suites"), or by a path of names separated
// by '/' where each step searches the subtree below the previous match
// ("key_share/key_exchange"); nullptr when absent. For tests and views.
inline const Field* findField(const Field& root, const std::string& nameOrPath) {
  auto slash = nameOrPath.find('/');
  std::string head = nameOrPath.substr(0, slash);
  for (const Field& child : root.children) {
    const Field* hit = nullptr;
    if (child.name == head) hit = &child;
    if (hit == nullptr) hit = findField(child, head);
    if (hit == nullptr) continue;
    if (slash == std::string::npos) return hit;
    if (const Field* deeper = findField(*hit, nameOrPath.substr(slash + 1))) return deeper;
  }
  return nullptr;
}

}  // namespace tlslab::model
