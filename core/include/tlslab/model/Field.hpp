#pragma once
// One node of a message's field tree: what a byte range is and what it means.
// The bytes themselves live in the owner (record or message); a field stores
// where they are, so trees stay cheap and the hex view can highlight them.
#include <cstddef>
#include <string>
#include <vector>

namespace tlslab::model {

struct Field {
  std::string name;      // wire name, e.g. "client_random"
  std::size_t offset = 0;  // from the start of the parsed unit (record or bare message)
  std::size_t length = 0;
  std::string value;     // display value, e.g. "0x1301 TLS_AES_128_GCM_SHA256"
  std::string meaning;   // one sentence for a learner
  std::string rfc;       // e.g. "RFC 8446 §4.1.2"
  bool malformed = false;  // a diagnostic refers to this node
  std::vector<Field> children;
};

}  // namespace tlslab::model
