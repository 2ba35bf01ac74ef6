#include "CheckHelpers.hpp"

#include <cctype>
#include <charconv>

namespace tlslab::course {

std::optional<long long> answerNumber(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end == text.data()) return std::nullopt;
  std::string_view rest(end, static_cast<std::size_t>(text.data() + text.size() - end));
  for (char c : rest)  // "61 bytes" is 61; "61.5" or "61x2" is not a number
    if (!(std::isspace(static_cast<unsigned char>(c)) || std::isalpha(static_cast<unsigned char>(c)))) return std::nullopt;
  return value;
}

bool sameText(std::string_view a, std::string_view b) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
  };
  a = trim(a);
  b = trim(b);
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace tlslab::course
