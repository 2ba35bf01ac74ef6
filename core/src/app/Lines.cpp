// SMTP, IMAP and POP3 after STARTTLS are line protocols (RFC 5321 §2.3.8,
// RFC 9051 §2.2, RFC 1939 §3): commands one way, replies the other, each
// ended by CRLF. Shown as lines in the order their records were sent.
#include <algorithm>

#include "app/Internal.hpp"

namespace tlslab::app::detail {

void decodeLines(const DirStream (&streams)[2], const Limits& limits, Conversation& out) {
  for (const DirStream& s : streams) {
    std::size_t pos = 0;
    while (pos < s.data.size()) {
      if (out.lines.size() >= limits.maxItems) {
        addDiagnostic(out, model::DiagnosticCode::AppLimit, model::Severity::Warning, s, pos,
                      "more than " + std::to_string(limits.maxItems) + " lines (tlslab's cap): the rest are not shown");
        break;
      }
      const auto begin = s.data.begin() + static_cast<std::ptrdiff_t>(pos);
      const auto eol = std::find(begin, s.data.end(), std::uint8_t{'\n'});
      std::size_t len = static_cast<std::size_t>(eol - begin);
      Line line{s.place(pos), std::string(begin, eol)};
      if (!line.text.empty() && line.text.back() == '\r') line.text.pop_back();
      if (line.text.size() > 4096) line.text = line.text.substr(0, 4096) + "…";  // a message body, say: shown cut
      pos += len + (eol == s.data.end() ? 0 : 1);
      out.lines.push_back(std::move(line));
    }
  }
  std::stable_sort(out.lines.begin(), out.lines.end(), [](const Line& a, const Line& b) {
    return a.at.record < b.at.record;
  });
}

}  // namespace tlslab::app::detail
