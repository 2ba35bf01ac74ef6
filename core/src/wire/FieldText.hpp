#pragma once
// Private to wire: the learner text of one field, as the field tree shows it.
// The parsers take the structure (lengths, bounds, order) from their code and
// the words from tables (MessageText.hpp, ExtensionText.hpp), so the code
// reads as the RFC's struct and the teaching text can be reviewed in one place.

namespace tlslab::wire::detail {

struct FieldText {
  const char* name;     // the RFC's field name; path of diagnostics too
  const char* meaning;  // one or two sentences for a learner
  const char* rfc;      // where the field is defined, "RFC 8446 §4.1.2"
};

// The same field defined by another RFC section (e.g. the TLS 1.2 form of a
// message whose fields say the same in both versions).
constexpr FieldText inRfc(FieldText text, const char* rfc) {
  text.rfc = rfc;
  return text;
}

}  // namespace tlslab::wire::detail
