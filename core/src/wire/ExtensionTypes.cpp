// Lookup over the one extension type table (ExtensionTypes.hpp).
#include "tlslab/wire/ExtensionTypes.hpp"

#include <algorithm>
#include <iterator>

namespace tlslab::wire {
namespace {

using namespace in13;

// In code order (the X-macro lists them so), for a binary search.
constexpr ExtensionTypeInfo kTypes[] = {
#define TLSLAB_EXTENSION_INFO(id, code, iana, rfc, tls13) {code, iana, rfc, tls13},
    TLSLAB_EXTENSION_TYPES(TLSLAB_EXTENSION_INFO)
#undef TLSLAB_EXTENSION_INFO
};

static_assert(std::is_sorted(std::begin(kTypes), std::end(kTypes),
                             [](const ExtensionTypeInfo& a, const ExtensionTypeInfo& b) { return a.code < b.code; }),
              "TLSLAB_EXTENSION_TYPES must list the code points in ascending order");

}  // namespace

const ExtensionTypeInfo* extensionTypeInfo(std::uint16_t code) {
  const auto* it = std::lower_bound(std::begin(kTypes), std::end(kTypes), code,
                                    [](const ExtensionTypeInfo& e, std::uint16_t c) { return e.code < c; });
  return it != std::end(kTypes) && it->code == code ? it : nullptr;
}

}  // namespace tlslab::wire
