#include "Cursor.hpp"

#include <fmt/format.h>

#include "tlslab/util/Bytes.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::wire::detail {

std::string hexPreview(ByteView bytes, std::size_t maxBytes) {
  if (bytes.size() <= maxBytes) return toHex(bytes);
  return toHex(bytes.first(maxBytes)) + fmt::format("… ({} bytes)", bytes.size());
}

std::string printable(ByteView bytes) {
  for (auto b : bytes)
    if (b < 0x20 || b > 0x7e) return hexPreview(bytes);
  return std::string(bytes.begin(), bytes.end());
}

model::Field& Cursor::leaf(std::string name, std::size_t offset, std::size_t length, std::string value,
                           model::Text meaning, model::Text rfc) {
  if (lean_) return bare(offset, length);
  model::Field f;
  f.name = std::move(name);
  f.offset = offset;
  f.length = length;
  f.value = std::move(value);
  f.meaning = std::move(meaning);
  f.rfc = std::move(rfc);
  node_->children.push_back(std::move(f));
  return node_->children.back();
}

model::Field& Cursor::bare(std::size_t offset, std::size_t length) {
  model::Field& f = node_->children.emplace_back();
  f.offset = offset;
  f.length = length;
  return f;
}

// The reader's error names the field by its full path; that string is built
// only when the read fails (it cost a concatenation per field before).
std::string Cursor::path(const char* name) const { return where_ + "." + name; }

void Cursor::flag(model::Severity severity, std::size_t offset, std::string message, model::DiagnosticCode code) {
  diags_->push_back(model::Diagnostic{severity, where_, offset, std::move(message), code});
  node_->diagnostic = std::make_shared<const model::Diagnostic>(diags_->back());
  if (severity == model::Severity::Error) node_->malformed = true;
}

void Cursor::check() {
  if (reader_.ok() || reported_) return;
  reported_ = true;
  const ParseError& e = *reader_.error();
  // The reader's message starts with the full structure path: use it as `where`.
  auto colon = e.what.find(": ");
  std::string path = colon == std::string::npos ? where_ : e.what.substr(0, colon);
  diags_->push_back(model::Diagnostic{model::Severity::Error, path, e.offset, e.what, model::DiagnosticCode::Malformed});
  node_->diagnostic = std::make_shared<const model::Diagnostic>(diags_->back());
  node_->malformed = true;
  // Show where it broke, so the tree explains the bad bytes too.
  model::Field& bad = leaf("malformed", e.offset, 0, e.what, lit("These bytes could not be decoded; see the diagnostic."), {});
  bad.malformed = true;
  bad.diagnostic = node_->diagnostic;
}

std::uint8_t Cursor::u8(const char* name, model::Text meaning, model::Text rfc, U8Namer namer) {
  std::size_t at = offset();
  std::uint8_t v = reader_.remaining() >= 1 ? reader_.u8({}) : reader_.u8(path(name));
  if (!reader_.ok()) { check(); return 0; }
  if (lean_) bare(at, 1);
  else leaf(name, at, 1, namer ? describeCode(v, namer(v), 2) : std::to_string(v), meaning, rfc);
  return v;
}

std::uint16_t Cursor::u16(const char* name, model::Text meaning, model::Text rfc, U16Namer namer) {
  std::size_t at = offset();
  std::uint16_t v = reader_.remaining() >= 2 ? reader_.u16({}) : reader_.u16(path(name));
  if (!reader_.ok()) { check(); return 0; }
  if (lean_) bare(at, 2);
  else leaf(name, at, 2, namer ? describeCode(v, namer(v)) : std::to_string(v), meaning, rfc);
  return v;
}

std::uint32_t Cursor::u24(const char* name, model::Text meaning, model::Text rfc) {
  std::size_t at = offset();
  std::uint32_t v = reader_.remaining() >= 3 ? reader_.u24({}) : reader_.u24(path(name));
  if (!reader_.ok()) { check(); return 0; }
  if (lean_) bare(at, 3);
  else leaf(name, at, 3, std::to_string(v), meaning, rfc);
  return v;
}

std::uint32_t Cursor::u32(const char* name, model::Text meaning, model::Text rfc) {
  std::size_t at = offset();
  std::uint32_t v = reader_.remaining() >= 4 ? reader_.u32({}) : reader_.u32(path(name));
  if (!reader_.ok()) { check(); return 0; }
  if (lean_) bare(at, 4);
  else leaf(name, at, 4, std::to_string(v), meaning, rfc);
  return v;
}

ByteView Cursor::bytes(std::size_t n, const char* name, model::Text meaning, model::Text rfc) {
  std::size_t at = offset();
  ByteView v = reader_.remaining() >= n ? reader_.bytes(n, {}) : reader_.bytes(n, path(name));
  if (!reader_.ok()) { check(); return {}; }
  if (lean_) bare(at, n);
  else leaf(name, at, n, hexPreview(v), meaning, rfc);
  return v;
}

ByteView Cursor::rest(const char* name, model::Text meaning, model::Text rfc) {
  std::size_t at = offset();
  ByteView v = reader_.rest();
  if (lean_) bare(at, v.size());
  else leaf(name, at, v.size(), hexPreview(v), meaning, rfc);
  return v;
}

Cursor Cursor::vector(const char* name, int lengthBytes, std::size_t min, std::size_t max, model::Text meaning,
                      model::Text rfc) {
  std::size_t at = offset();
  std::string path = this->path(name);
  ByteReader child = reader_.vector(lengthBytes, min, max, path);
  model::Field& node = leaf(name, at, 0, "", meaning, rfc);
  if (!reader_.ok()) {
    // The length itself is bad: show it, report, and hand back an empty child.
    node.malformed = true;
    std::size_t index = node_->children.size() - 1;
    check();  // may grow children: take the node again by index
    Cursor failed(child, node_->children[index], *diags_, path, lean_);
    failed.reported_ = true;  // the same error is already reported here
    return failed;
  }
  std::size_t contentLength = child.remaining();
  node.length = static_cast<std::size_t>(lengthBytes) + contentLength;
  if (lean_) return Cursor(child, node, *diags_, path, true);
  node.value = fmt::format("{} byte(s)", contentLength);
  model::Field len;
  len.name = "length";
  len.offset = at;
  len.length = static_cast<std::size_t>(lengthBytes);
  len.value = std::to_string(contentLength);
  len.meaning = fmt::format("How many bytes of {} follow (allowed {}..{}).", name, min, max);
  len.rfc = lit("RFC 8446 §3.4");
  node.children.push_back(std::move(len));
  return Cursor(child, node, *diags_, path, lean_);
}

ByteView Cursor::opaque(const char* name, int lengthBytes, std::size_t min, std::size_t max,
                        model::Text meaning, model::Text rfc, bool asText) {
  Cursor c = vector(name, lengthBytes, min, max, meaning, rfc);
  std::size_t at = c.offset();
  ByteView v = c.reader().rest();
  if (!ok()) return {};
  if (lean_) {
    if (!v.empty()) c.bare(at, v.size());
    return v;
  }
  c.node().value = v.empty() ? "(empty)" : asText ? printable(v) : hexPreview(v);
  if (!v.empty()) c.leaf("data", at, v.size(), asText ? printable(v) : hexPreview(v), meaning, rfc);
  return v;
}

void Cursor::end() {
  check();
  if (!reader_.ok() || reader_.empty()) return;
  std::size_t at = offset();
  std::size_t n = reader_.remaining();
  ByteView extra = reader_.rest();
  model::Field& f = leaf("trailing_data", at, n, lean_ ? std::string() : hexPreview(extra),
                         lit("Bytes after the end of this structure; a conforming peer never sends them."),
                         lit("RFC 8446 §4"));
  f.malformed = true;
  flag(model::Severity::Error, at, fmt::format("{}: {} trailing byte(s) after the end of the structure", where_, n));
}

}  // namespace tlslab::wire::detail
