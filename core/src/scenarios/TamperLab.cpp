#include "tlslab/scenarios/TamperLab.hpp"

#include <fmt/core.h>

#include "tlslab/scenarios/PairLab.hpp"

namespace tlslab::scenarios {

using endpoints::Tamper;

namespace {

// Application bytes for a verdict line: \r and \n spelled out, long tails cut.
std::string inQuotes(const std::string& bytes) {
  std::string out = "\"";
  for (std::size_t i = 0; i < bytes.size() && i < 200; ++i) {
    auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '\r') out += "\\r";
    else if (c == '\n') out += "\\n";
    else if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
    else out += fmt::format("\\x{:02x}", c);
  }
  return out + (bytes.size() > 200 ? "...\"" : "\"");
}

std::string bytesOf(const std::vector<endpoints::Event>& events, bool wire, bool sent) {
  std::string out;
  for (const auto& event : events) {
    if (const auto* w = std::get_if<endpoints::WireEvent>(&event); wire && w && w->sent == sent)
      out.append(w->bytes.begin(), w->bytes.end());
    if (const auto* a = std::get_if<endpoints::AppDataEvent>(&event); !wire && a && a->sent == sent)
      out.append(a->bytes.begin(), a->bytes.end());
  }
  return out;
}

// TLS held: what the server's application got, and what it refused.
std::string tlsDeliveryLine(const TamperVerdict& v) {
  if (v.requestDelivered) return "✗ the whole request reached the server's application: TLS did not notice";
  if (!v.genuine()) return "✗ the server's application received bytes the client never wrote: " + inQuotes(v.delivered);
  if (v.delivered.empty()) return "✔ not one byte of the request reached the server's application";
  std::string line = fmt::format("✔ the server's application received only genuine bytes: {} ({} of the request's {})",
                                 inQuotes(v.delivered), v.delivered.size(), v.sent.size());
  return line + (v.action == Tamper::Action::Duplicate ? "; that is the first copy, and the replayed copy was refused"
                                                       : "; what came after them was refused");
}

// No TLS: whatever arrived is what the application works with.
std::vector<std::string> plainLines(const TamperVerdict& v) {
  std::vector<std::string> lines;
  const bool quiet = v.serverError.empty();
  if (v.delivered == v.sent) {
    lines.push_back("the server's application received the request unchanged");
  } else if (v.delivered.empty()) {
    lines.push_back(std::string("✗ the server's application received nothing") +
                    (quiet ? ", and took the cut for a normal end of the connection (a TCP FIN proves nothing); nothing noticed"
                           : ""));
  } else {
    lines.push_back("✗ the server's application received the altered request: " + inQuotes(v.delivered) +
                    (quiet ? "; nothing noticed" : ""));
  }
  if (!quiet)
    lines.push_back("the server's application said: " + v.serverError +
                    " (a complaint about the data, not a detected attack: without a MAC it cannot tell)");
  return lines;
}

}  // namespace

std::vector<Tamper::Action> tamperActions() {
  return {Tamper::Action::FlipByte, Tamper::Action::Drop, Tamper::Action::Duplicate, Tamper::Action::Truncate};
}

const char* tamperActionDescription(Tamper::Action action, bool plain) {
  switch (action) {
    case Tamper::Action::FlipByte: return plain ? "flips one bit of the cleartext request" : "flips one bit of the encrypted request";
    case Tamper::Action::Drop: return plain ? "drops the first write of the request" : "drops the first record of the request";
    case Tamper::Action::Duplicate: return plain ? "replays the first write of the request" : "replays the first record of the request";
    case Tamper::Action::Truncate: return "cuts the TCP connection before the request";
    case Tamper::Action::None:
    default: return "does nothing";
  }
}

const char* tamperSelfCheckNote(Tamper::Action action) {
  switch (action) {
    case Tamper::Action::FlipByte: return "expected: the attacker flipped bits of this record on the wire, so its tag no longer matches";
    case Tamper::Action::Drop:
      return "expected: the attacker dropped the record before this one, so it is checked with the wrong sequence number";
    case Tamper::Action::Duplicate:
      return "expected: the attacker replayed a record, and the copy is checked with the next sequence number";
    case Tamper::Action::Truncate:
      return "expected: the attacker cut the connection, so what the client wrote never crossed the wire";
    case Tamper::Action::None:
    default: return "";
  }
}

TamperVerdict tamperVerdict(const PairLabRun& run) {
  TamperVerdict verdict;
  verdict.action = run.tamper;
  verdict.plain = run.plain;
  if (!run.runs.empty()) {
    for (const auto& event : run.runs.back().events)
      if (const auto* note = std::get_if<endpoints::NoteEvent>(&event); note && note->kind == endpoints::NoteKind::Tampered)
        verdict.attack = note->text;
    verdict.sent = bytesOf(run.runs.back().events, false, true);
  }
  if (!run.serverSide.empty()) {
    const endpoints::ServerConnection& server = run.serverSide.back();
    verdict.serverError = server.error;
    for (const auto& event : server.events) {
      const auto* info = std::get_if<endpoints::InfoEvent>(&event);
      if (info && info->what == "alert sent" && verdict.serverAlert.empty()) verdict.serverAlert = info->state;
    }
    verdict.delivered = bytesOf(server.events, false, false);
    verdict.requestDelivered = !verdict.sent.empty() && verdict.delivered.find(verdict.sent) != std::string::npos;
  }
  return verdict;
}

std::vector<std::string> TamperVerdict::lines() const {
  std::vector<std::string> lines{"attacker: " + (attack.empty() ? std::string("found nothing to tamper with") : attack),
                                 "the client's application wrote " + inQuotes(sent)};
  if (plain) {
    auto more = plainLines(*this);
    lines.insert(lines.end(), more.begin(), more.end());
    return lines;
  }
  if (!serverAlert.empty()) lines.push_back("✔ the server refused the connection: alert " + serverAlert);
  if (!serverError.empty()) lines.push_back("✔ the server's reason: " + serverError);
  lines.push_back(tlsDeliveryLine(*this));
  return lines;
}

std::string tamperCaptureLine(const TamperVerdict& verdict, const PairLabRun& run, const RunTrace& traced) {
  if (verdict.plain) {
    std::string wire = run.runs.empty() ? "" : bytesOf(run.runs.back().events, true, true);
    if (wire.empty()) return "the capture of the run shows no byte of the request, only the connection's end (a FIN)";
    return "the capture of the run shows the altered bytes in the clear: " + inQuotes(wire);
  }
  if (traced.trace.connections.empty()) return "the capture of the run holds no TLS connection";
  for (const auto& record : traced.trace.connections.front().records)
    if (!record.undecryptedReason.empty())
      return "the capture of the run agrees: record " + std::to_string(record.index) + " did not decrypt: " +
             record.undecryptedReason;
  std::size_t decrypted = 0;
  for (const auto& chunk : traced.trace.connections.front().appData)
    if (chunk.direction == model::Direction::ClientToServer) decrypted += chunk.data.size();
  if (decrypted < verdict.sent.size())
    return fmt::format("the capture of the run agrees: of the {} bytes the client's application wrote, {} crossed the "
                       "wire; the connection ends there, without the client's close_notify",
                       verdict.sent.size(), decrypted);
  return "the capture of the run decrypts cleanly: the attack left no trace in it";
}

}  // namespace tlslab::scenarios
