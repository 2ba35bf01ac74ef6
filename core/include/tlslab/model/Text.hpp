#pragma once
// A field's name, meaning or RFC section: nearly always a string literal
// from the parsers' text tables, so it is kept as a pointer to that literal
// and copying a field tree allocates nothing for it. Text built at parse
// time (a formatted name, a message that depends on the bytes) is owned.
// Why not std::string: nearly every meaning and section is longer than the
// small-string buffer, so each field cost two allocations and each copy of a
// tree two more (a ClientHello has ~60 fields, every record a header tree).
#include <fmt/format.h>

#include <compare>
#include <ostream>
#include <string>
#include <string_view>

namespace tlslab::model {

class Text {
 public:
  Text() = default;
  // Copies: the argument may be a temporary. Implicit, so `field.meaning =
  // fmt::format(…)` and `= "…"` keep working.
  Text(std::string owned) : owned_(std::move(owned)) {}  // NOLINT(google-explicit-constructor)
  Text(const char* text) : owned_(text == nullptr ? "" : text) {}  // NOLINT(google-explicit-constructor)
  Text(std::string_view text) : owned_(text) {}  // NOLINT(google-explicit-constructor)

  // Points at `text`, which must outlive every copy: a literal or a table of
  // literals (static storage).
  static Text literal(const char* text) {
    Text t;
    t.literal_ = text == nullptr ? "" : text;
    return t;
  }

  std::string_view view() const { return literal_ != nullptr ? std::string_view(literal_) : std::string_view(owned_); }
  operator std::string_view() const { return view(); }  // NOLINT(google-explicit-constructor)
  std::string str() const { return std::string(view()); }
  bool empty() const { return view().empty(); }
  std::size_t size() const { return view().size(); }
  const char* data() const { return view().data(); }
  std::size_t find(std::string_view what, std::size_t from = 0) const { return view().find(what, from); }

  friend bool operator==(const Text& a, const Text& b) { return a.view() == b.view(); }
  friend bool operator==(const Text& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const Text& a, const char* b) { return a.view() == std::string_view(b); }
  friend bool operator==(const Text& a, const std::string& b) { return a.view() == b; }
  friend auto operator<=>(const Text& a, const Text& b) { return a.view() <=> b.view(); }
  friend std::string operator+(const Text& a, std::string_view b) { return a.str().append(b); }
  friend std::string operator+(std::string a, const Text& b) { return a.append(b.view()); }
  friend std::string operator+(const char* a, const Text& b) { return std::string(a).append(b.view()); }
  friend std::ostream& operator<<(std::ostream& out, const Text& t) { return out << t.view(); }

 private:
  const char* literal_ = nullptr;
  std::string owned_;
};

}  // namespace tlslab::model

template <>
struct fmt::formatter<tlslab::model::Text> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const tlslab::model::Text& text, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(text.view(), ctx);
  }
};
