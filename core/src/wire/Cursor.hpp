#pragma once
// Private to wire: a ByteReader paired with the field-tree node it fills.
// Every read adds a child Field with name, offset, length, display value,
// meaning and RFC section; the first failure of the reader becomes one
// Diagnostic (structure path + byte offset) and marks the node malformed.
// Rule: finish with a child Cursor before adding siblings to its parent
// (children live in a std::vector).
#include <string>
#include <string_view>
#include <vector>

#include "tlslab/model/Diagnostic.hpp"
#include "tlslab/model/Field.hpp"
#include "FieldText.hpp"
#include "tlslab/wire/ByteReader.hpp"

namespace tlslab::wire::detail {

using U8Namer = const char* (*)(std::uint8_t);
using U16Namer = const char* (*)(std::uint16_t);

std::string hexPreview(ByteView bytes, std::size_t maxBytes = 32);
std::string printable(ByteView bytes);  // "example.com" or hex if not printable ASCII

class Cursor {
 public:
  // lean: nodes keep only their offsets, lengths and malformed flags (no
  // names or display text); the typed values and diagnostics are the same.
  // For bulk dissection that drops every message tree anyway.
  Cursor(ByteReader reader, model::Field& node, std::vector<model::Diagnostic>& diags, std::string where,
         bool lean = false)
      : reader_(reader), node_(&node), diags_(&diags), where_(std::move(where)), lean_(lean) {}

  ByteReader& reader() { return reader_; }
  model::Field& node() { return *node_; }
  const std::string& where() const { return where_; }
  std::vector<model::Diagnostic>& diags() { return *diags_; }
  bool lean() const { return lean_; }
  bool ok() const { return reader_.ok(); }
  bool empty() const { return reader_.empty(); }
  std::size_t offset() const { return reader_.offset(); }

  model::Field& leaf(std::string name, std::size_t offset, std::size_t length, std::string value,
                     model::Text meaning, model::Text rfc);

  std::uint8_t u8(const char* name, model::Text meaning, model::Text rfc, U8Namer namer = nullptr);
  std::uint16_t u16(const char* name, model::Text meaning, model::Text rfc, U16Namer namer = nullptr);
  std::uint32_t u24(const char* name, model::Text meaning, model::Text rfc);
  std::uint32_t u32(const char* name, model::Text meaning, model::Text rfc);
  ByteView bytes(std::size_t n, const char* name, model::Text meaning, model::Text rfc);
  ByteView rest(const char* name, model::Text meaning, model::Text rfc);

  // A <min..max> vector: one node covering length prefix + contents, with a
  // "length" child; the returned Cursor reads the contents into that node.
  Cursor vector(const char* name, int lengthBytes, std::size_t min, std::size_t max, model::Text meaning,
                model::Text rfc);
  // Same, but the contents are one opaque value shown in hex (or text).
  ByteView opaque(const char* name, int lengthBytes, std::size_t min, std::size_t max, model::Text meaning,
                  model::Text rfc, bool asText = false);

  // The same reads with name, meaning and section from a table (FieldText.hpp):
  // the texts are the tables' literals, pointed at rather than copied;
  // the parsers use these; the ones above are for text built at parse time.
  model::Field& leaf(const FieldText& text, std::size_t offset, std::size_t length, std::string value) {
    return leaf(text.name, offset, length, std::move(value), lit(text.meaning), lit(text.rfc));
  }
  std::uint8_t u8(const FieldText& text, U8Namer namer = nullptr) {
    return u8(text.name, lit(text.meaning), lit(text.rfc), namer);
  }
  std::uint16_t u16(const FieldText& text, U16Namer namer = nullptr) {
    return u16(text.name, lit(text.meaning), lit(text.rfc), namer);
  }
  std::uint32_t u24(const FieldText& text) { return u24(text.name, lit(text.meaning), lit(text.rfc)); }
  std::uint32_t u32(const FieldText& text) { return u32(text.name, lit(text.meaning), lit(text.rfc)); }
  ByteView bytes(std::size_t n, const FieldText& text) { return bytes(n, text.name, lit(text.meaning), lit(text.rfc)); }
  ByteView rest(const FieldText& text) { return rest(text.name, lit(text.meaning), lit(text.rfc)); }
  Cursor vector(const FieldText& text, int lengthBytes, std::size_t min, std::size_t max) {
    return vector(text.name, lengthBytes, min, max, lit(text.meaning), lit(text.rfc));
  }
  ByteView opaque(const FieldText& text, int lengthBytes, std::size_t min, std::size_t max, bool asText = false) {
    return opaque(text.name, lengthBytes, min, max, lit(text.meaning), lit(text.rfc), asText);
  }

  // Trailing bytes are an error naming the structure; they are shown as a
  // "trailing_data" field so no byte goes unexplained.
  void end();
  // Reports the reader's error (once) and shows undecoded bytes.
  void check();
  // A diagnostic not coming from the reader (e.g. illegal value).
  void flag(model::Severity severity, std::size_t offset, std::string message,
            model::DiagnosticCode code = model::DiagnosticCode::Malformed);
  void markReported() { reported_ = true; }

 private:
  static model::Text lit(const char* text) { return model::Text::literal(text); }
  model::Field& bare(std::size_t offset, std::size_t length);  // a lean node
  std::string path(const char* name) const;

  ByteReader reader_;
  model::Field* node_;
  std::vector<model::Diagnostic>* diags_;
  std::string where_;
  bool reported_ = false;
  bool lean_ = false;
};

}  // namespace tlslab::wire::detail
